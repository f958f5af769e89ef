// Several relays, one PostgreSQL [P27, P28]: two relay processes share a
// database. Clients on each see each other's appends live, racing appends to
// one room keep seqs gap-free and unique, an access change ends subscriptions
// on the other relay, and a relay killed with SIGKILL loses nothing that it
// acknowledged: its client moves to the other relay and re-sends what was not
// acknowledged, which is stored exactly once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asId, type DossierId } from '../../core/model/ids.js';
import { encodeEnvelope } from '../../core/crypto/envelope.js';
import { genesisGrants } from '../../core/access/genesis.js';
import type { RelayMessage, RelayMessageOf } from '../../core/sync/protocol.js';
import { nobleProvider } from '../../core/crypto/noble-provider.js';
import { verifyServedLogSignature } from '../../core/sync/served-log-signature.js';
import { DossierHarness, makeWorld, type World } from '../access/fixtures.js';
import { append, codeOf, login, roomId, seal, tempDir, type TestClient } from './helpers.js';
import { spawnRelay, type ChildRelay } from './child-relay.js';
import { databaseFor } from './relay-store.js';

/** The rate limit is not what is tested here. */
const FAST = ['--records-per-second', '100000'];

let w: World;
let db: string;
const relays: ChildRelay[] = [];
const clients: TestClient[] = [];

async function startOnDb(): Promise<ChildRelay> {
  const r = await spawnRelay(w, tempDir('kk-multi-'), ['--store', db, ...FAST]);
  relays.push(r);
  return r;
}

async function client(r: ChildRelay, m: World['ib']): Promise<TestClient> {
  const c = await login(r.url, m);
  clients.push(c);
  return c;
}

async function readAll(c: TestClient, room: string): Promise<{ seq: number; envelope: Uint8Array }[]> {
  c.send({ type: 'subscribe', room, afterSeq: 0 });
  const out: { seq: number; envelope: Uint8Array }[] = [];
  for (;;) {
    const batch = await c.wait('records', (m) => m.room === room);
    out.push(...batch.records);
    if (batch.live) {
      c.send({ type: 'unsubscribe', room });
      return out;
    }
  }
}

async function newDossier(name: string, c: TestClient): Promise<DossierHarness> {
  const h = new DossierHarness(w, asId<DossierId>(name));
  const genesis = await h.build('genesis', w.ib, { grants: genesisGrants(w.ib.organisationId, w.ib.userId, ['leerling']) }, new Date());
  expect(codeOf(await append(c, `${h.dossier}/toegang`, encodeEnvelope(genesis)))).toBe('ack');
  await h.apply(genesis, new Date());
  return h;
}

/** The next `records` or `error` frame about `room` (whichever comes first). */
async function nextAbout(c: TestClient, room: string): Promise<RelayMessage> {
  for (let i = 0; i < 500; i++) {
    const k = c.received.findIndex((m) => (m.type === 'records' || m.type === 'error') && m.room === room);
    if (k >= 0) return c.received.splice(k, 1)[0] as RelayMessage;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no answer about ${room}`);
}

const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');

beforeAll(async () => {
  w = await makeWorld();
  db = await databaseFor(tempDir('kk-multi-db-'));
});

afterAll(async () => {
  for (const c of clients) c.close();
  for (const r of relays) {
    r.proc.kill('SIGKILL');
    await r.exited;
  }
});

describe('several relays on one PostgreSQL [P27, P28]', () => {
  it("[P27] clients on either relay see each other's appends live", async () => {
    const [a, b] = [await startOnDb(), await startOnDb()];
    const ibA = await client(a, w.ib);
    const ibB = await client(b, w.ib);
    const h = await newDossier('dos-multi-live', ibA);
    const room = roomId(h, 'leerling');
    for (const c of [ibA, ibB]) {
      c.send({ type: 'subscribe', room, afterSeq: 0 });
      await c.wait('records', (m) => m.room === room && m.live);
    }
    const fromA = await seal(h, w.ib, room, 'via relay A');
    expect(await append(ibA, room, fromA)).toMatchObject({ type: 'ack', seq: 1 });
    const seenOnB = await ibB.wait('records', (m) => m.room === room && m.records.length > 0);
    expect(seenOnB.records.map((r) => [r.seq, b64(r.envelope)])).toEqual([[1, b64(fromA)]]);

    const fromB = await seal(h, w.ib, room, 'via relay B');
    expect(await append(ibB, room, fromB)).toMatchObject({ type: 'ack', seq: 2 });
    const seenOnA = await ibA.wait('records', (m) => m.room === room && m.records.some((r) => r.seq === 2));
    expect(seenOnA.records.find((r) => r.seq === 2)?.envelope).toEqual(fromB);
  });

  it('[P27] two relays racing appends on one room assign unique, gap-free seqs', async () => {
    const [a, b] = [relays[0] ?? (await startOnDb()), relays[1] ?? (await startOnDb())];
    const ibA = await client(a, w.ib);
    const ibB = await client(b, w.ib);
    const h = await newDossier('dos-multi-race', ibA);
    const room = roomId(h, 'leerling');
    const envs = await Promise.all(Array.from({ length: 300 }, (_, i) => seal(h, w.ib, room, `race ${i}`)));
    const answers = await Promise.all(envs.map((env, i) => append(i % 2 === 0 ? ibA : ibB, room, env)));
    const seqs = answers.map((m) => (m.type === 'ack' ? m.seq : -1));
    expect([...seqs].sort((x, y) => x - y)).toEqual(Array.from({ length: envs.length }, (_, i) => i + 1));
    const log = await readAll(ibB, room);
    expect(log.map((r) => r.seq)).toEqual(seqs.slice().sort((x, y) => x - y));
    answers.forEach((m, i) => {
      if (m.type === 'ack') expect(b64(log[m.seq - 1]?.envelope ?? new Uint8Array())).toBe(b64(envs[i] as Uint8Array));
    });
  });

  it('[P15][P27] revoking a grant through one relay ends the subscription held on the other', async () => {
    const [a, b] = [relays[0] ?? (await startOnDb()), relays[1] ?? (await startOnDb())];
    const ibA = await client(a, w.ib);
    const h = await newDossier('dos-multi-acl', ibA);
    const room = roomId(h, 'leerling');
    expect(codeOf(await append(ibA, room, await seal(h, w.ib, room, 'iets')))).toBe('ack');
    const ggdB = await client(b, w.ggd);
    // Relay B folds the access list now, before the grant: the grant must reach it through the database.
    ggdB.send({ type: 'subscribe', room, afterSeq: 0 });
    expect((await ggdB.wait('error', (e) => e.room === room)).code).toBe('geen-toegang');

    const grant = await h.build(
      'grant',
      w.ib,
      {
        grants: [{ principal: { kind: 'user', userId: w.ggd.userId }, scope: 'leerling', right: 'read', expiresAt: null }],
        recipients: [w.ggd.certificate],
      },
      new Date(),
    );
    expect(codeOf(await append(ibA, `${h.dossier}/toegang`, encodeEnvelope(grant)))).toBe('ack');
    await h.apply(grant, new Date());
    // The grant reaches relay B asynchronously (NOTIFY): retry the subscription until B has folded it.
    let backlog: RelayMessage | undefined;
    for (let i = 0; i < 50 && backlog === undefined; i++) {
      ggdB.send({ type: 'subscribe', room, afterSeq: 0 });
      const m = await nextAbout(ggdB, room);
      if (m.type === 'records' && m.live) backlog = m;
      else await new Promise((r) => setTimeout(r, 100));
    }
    expect(backlog?.type).toBe('records');

    const revoke = await h.build(
      'revoke',
      w.ib,
      { revokes: [{ principal: { kind: 'user', userId: w.ggd.userId }, scope: 'leerling' }] },
      new Date(),
    );
    expect(codeOf(await append(ibA, `${h.dossier}/toegang`, encodeEnvelope(revoke)))).toBe('ack');
    const ended = await ggdB.wait('error', (e) => e.room === room && e.code === 'toegang-ingetrokken');
    expect(ended.code).toBe('toegang-ingetrokken');
  });

  it('[P9][P28] a relay killed mid-appends loses nothing it acknowledged; its client moves to the other and nothing is stored twice', async () => {
    const a = await startOnDb();
    const b = relays[1] ?? (await startOnDb());
    let c = await client(a, w.ib);
    const watcher = await client(b, w.coo);
    const h = await newDossier('dos-multi-kill', c);
    const room = roomId(h, 'leerling');
    const grant = await h.build(
      'grant',
      w.ib,
      {
        grants: [{ principal: { kind: 'user', userId: w.coo.userId }, scope: 'leerling', right: 'read', expiresAt: null }],
        recipients: [w.coo.certificate],
      },
      new Date(),
    );
    expect(codeOf(await append(c, `${h.dossier}/toegang`, encodeEnvelope(grant)))).toBe('ack');
    await h.apply(grant, new Date());

    const envs = await Promise.all(Array.from({ length: 400 }, (_, i) => seal(h, w.ib, room, `kill ${i}`)));
    const acked = new Map<number, Uint8Array>();
    const unacked: Uint8Array[] = [];
    let killed = false;
    const killer = setTimeout(
      () => {
        killed = true;
        a.proc.kill('SIGKILL');
      },
      100 + Math.floor(Math.random() * 500),
    );
    let next = 0;
    const inflight = new Set<Promise<void>>();
    while (next < envs.length && !killed) {
      const env = envs[next++] as Uint8Array;
      const p: Promise<void> = append(c, room, env)
        .then((m) => {
          if (m.type === 'ack') acked.set(m.seq, env);
          else unacked.push(env);
        })
        .catch(() => {
          unacked.push(env);
        })
        .finally(() => inflight.delete(p));
      inflight.add(p);
      if (inflight.size >= 64) await Promise.race([Promise.race(inflight), c.closed]);
    }
    if (killed) await c.closed;
    else {
      await Promise.all(inflight);
      clearTimeout(killer);
      a.proc.kill('SIGKILL');
    }
    await a.exited;
    for (let i = next; i < envs.length; i++) unacked.push(envs[i] as Uint8Array);

    // The client moves to the other relay and re-sends what was not acknowledged.
    c = await client(b, w.ib);
    for (const env of unacked) {
      const m = await append(c, room, env);
      expect(m.type).toBe('ack');
      if (m.type === 'ack') acked.set(m.seq, env);
    }
    const log = await readAll(watcher, room);
    expect(log.map((r) => r.seq)).toEqual(log.map((_, i) => i + 1));
    expect(log.length).toBe(envs.length);
    expect(new Set(log.map((r) => b64(r.envelope))).size).toBe(envs.length);
    for (const [seq, env] of acked) expect(b64(log[seq - 1]?.envelope ?? new Uint8Array())).toBe(b64(env));
  }, 120_000);

  it('[P83] two relays started at once on a new database sign served logs with one key, and each signature verifies', async () => {
    const fresh = await databaseFor(tempDir('kk-multi-key-db-'));
    const [a, b] = await Promise.all(
      [1, 2].map(async () => {
        const r = await spawnRelay(w, tempDir('kk-multi-key-'), ['--store', fresh, ...FAST]);
        relays.push(r);
        return r;
      }),
    );
    const ibA = await client(a as ChildRelay, w.ib);
    const ibB = await client(b as ChildRelay, w.ib);
    const h = await newDossier('dos-multi-key', ibA);
    const answers = await Promise.all(
      [ibA, ibB].map(async (c, i) => {
        c.send({ type: 'served-log-get', ref: 900 + i, dossier: h.dossier });
        return c.wait('served-log', (m) => m.ref === 900 + i);
      }),
    );
    const [fromA, fromB] = answers as [RelayMessageOf<'served-log'>, RelayMessageOf<'served-log'>];
    expect(b64(fromA.relayKey)).toBe(b64(fromB.relayKey));
    for (const m of answers)
      expect(
        await verifyServedLogSignature(nobleProvider, {
          dossier: h.dossier,
          at: m.at,
          entries: m.entries,
          relayKey: m.relayKey,
          signature: m.signature,
        }),
      ).toBe(true);
  });
});
