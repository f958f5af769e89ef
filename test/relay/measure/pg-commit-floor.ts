// Measurement (not a test): the commit-latency floor of PostgreSQL on this
// machine, beside lmdb. One append at a time (each its own durable commit),
// then 64 concurrent appends through the group committer (one commit for many).
// Run: npx tsx test/relay/measure/pg-commit-floor.ts  (starts a throwaway cluster, or uses KINDKLUIS_TEST_PG)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPgCluster, createTestDatabase } from '../pg-cluster.js';
import { PostgresStorage } from '../../../sync-server/storage-postgres.js';
import { LmdbStorage } from '../../../sync-server/storage-lmdb.js';
import { GroupCommitter } from '../../../sync-server/group-commit.js';
import type { RelayStorage } from '../../../sync-server/storage.js';

const N = 300;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? 0;

async function measure(name: string, s: RelayStorage): Promise<void> {
  const env = new Uint8Array(400).fill(7);
  const single: number[] = [];
  for (let i = 0; i < N; i++) {
    const t = process.hrtime.bigint();
    await s.appendBatch([{ room: 'm/leerling', author: 'd', counter: i + 1, envelope: env }]);
    single.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  const gc = new GroupCommitter(s);
  const t0 = process.hrtime.bigint();
  const rounds = 20;
  for (let r = 0; r < rounds; r++)
    await Promise.all(
      Array.from({ length: 64 }, (_, i) => gc.append({ room: 'g/leerling', author: 'd', counter: r * 64 + i + 1, envelope: env })),
    );
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  console.log(
    `${name}: one append per commit p50 ${pct(single, 50).toFixed(2)} ms, p99 ${pct(single, 99).toFixed(2)} ms; ` +
      `64 concurrent: ${((rounds * 64) / (ms / 1000)).toFixed(0)} records/s in ${gc.commits} commits`,
  );
}

const cluster = await startPgCluster();
const db = await createTestDatabase(cluster.url);
const pg = await PostgresStorage.open({ url: db.url });
await measure('postgres', pg);
await pg.close();
await db.drop();
await cluster.stop();
const dir = mkdtempSync(join(tmpdir(), 'kk-floor-'));
const lmdb = new LmdbStorage({ path: dir });
await measure('lmdb', lmdb);
await lmdb.close();
rmSync(dir, { recursive: true, force: true });
