// Measurement (not a test): throughput of durable appends on lmdb with one
// commit per record vs group commit, same machine, same run. Prints a ratio.
// Run: npx tsx test/relay/measure/group-commit.ts
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LmdbStorage } from '../../../sync-server/storage-lmdb.js';
import { GroupCommitter } from '../../../sync-server/group-commit.js';

const N = Number(process.argv[2] ?? 2000);
const CLIENTS = Number(process.argv[3] ?? 64);
const envelope = new Uint8Array(400).fill(7);

async function oneByOne(unsafeNoSync = false): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'kk-gc-a-'));
  const s = new LmdbStorage({ path: dir, unsafeNoSync });
  const t = performance.now();
  for (let i = 0; i < N; i++) await s.appendBatch([{ room: 'd/leerling', author: 'a', counter: i + 1, envelope }]);
  const rate = N / ((performance.now() - t) / 1000);
  await s.close();
  rmSync(dir, { recursive: true, force: true });
  return rate;
}

async function grouped(): Promise<{ rate: number; perCommit: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'kk-gc-b-'));
  const s = new LmdbStorage({ path: dir });
  const g = new GroupCommitter(s);
  const t = performance.now();
  let next = 0;
  // CLIENTS concurrent writers, each waiting for its ack before the next append (like real clients).
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, c) => {
      while (next < N) {
        const i = next++;
        await g.append({ room: `d${c % 8}/leerling`, author: `a${c}`, counter: i + 1, envelope });
      }
    }),
  );
  const rate = N / ((performance.now() - t) / 1000);
  await s.close();
  rmSync(dir, { recursive: true, force: true });
  return { rate, perCommit: g.records / g.commits };
}

const a = await oneByOne();
const b = await grouped();
// Without fsync (never used by the relay): shows that the durable figures really wait for the disk.
const c = await oneByOne(true);
console.log(
  JSON.stringify({
    records: N,
    clients: CLIENTS,
    oneCommitPerRecordNoSyncUnsafe: Math.round(c),
    oneCommitPerRecord: Math.round(a),
    groupCommit: Math.round(b.rate),
    ratio: +(b.rate / a).toFixed(1),
    recordsPerCommit: +b.perCommit.toFixed(1),
  }),
);
