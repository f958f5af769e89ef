// Durability: a child-process relay is killed with SIGKILL at a random moment
// while a client appends and records every acknowledged seq; after a restart
// every acked record is there byte-identical and seqs continue without gaps or
// duplicates. Also: SIGTERM finishes in-flight appends before exiting.
import { describe, expect, it } from 'vitest';
import { asId, type DossierId } from '../../core/model/ids.js';
import { encodeEnvelope } from '../../core/crypto/envelope.js';
import { genesisGrants } from '../../core/access/genesis.js';
import type { RelayMessage } from '../../core/sync/protocol.js';
import { DossierHarness, makeWorld } from '../access/fixtures.js';
import { append, codeOf, login, roomId, seal, tempDir, type TestClient } from './helpers.js';
import { spawnRelay } from './child-relay.js';

async function readAll(c: TestClient, room: string): Promise<{ seq: number; envelope: Uint8Array }[]> {
  c.send({ type: 'subscribe', room, afterSeq: 0 });
  const out: { seq: number; envelope: Uint8Array }[] = [];
  for (;;) {
    const batch = await c.wait('records', (m) => m.room === room);
    out.push(...batch.records);
    if (batch.live) return out;
  }
}

/** The rate limit is not what is tested here. */
const FAST = ['--records-per-second', '100000'];

describe('durability [P9, P10]', () => {
  it('[P9][P10] after kill -9 at a random moment every acknowledged record is there, byte-identical, and seqs continue without gaps', async () => {
    const w = await makeWorld();
    const data = tempDir('kk-durable-');
    const h = new DossierHarness(w, asId<DossierId>('dos-durable'));
    const room = roomId(h, 'leerling');
    const acked = new Map<number, Uint8Array>();
    const unacked: Uint8Array[] = [];

    let relay = await spawnRelay(w, data, FAST);
    let c = await login(relay.url, w.ib);
    const genesis = await h.build('genesis', w.ib, { grants: genesisGrants(w.ib.organisationId, w.ib.userId, ['leerling']) }, new Date());
    expect(codeOf(await append(c, `${h.dossier}/toegang`, encodeEnvelope(genesis)))).toBe('ack');
    await h.apply(genesis, new Date());

    for (let round = 0; round < 3; round++) {
      // Pre-seal, so the client is limited only by the relay.
      const envs = await Promise.all(Array.from({ length: 400 }, (_, i) => seal(h, w.ib, room, `ronde ${round} record ${i}`)));
      let killed = false;
      const killAfter = 150 + Math.floor(Math.random() * 700);
      const killer = setTimeout(() => {
        killed = true;
        relay.proc.kill('SIGKILL');
      }, killAfter);
      // A window of 64 appends in flight, like a busy client.
      let next = 0;
      const inflight = new Set<Promise<void>>();
      while (next < envs.length && !killed) {
        const env = envs[next++] as Uint8Array;
        const p: Promise<void> = append(c, room, env)
          .then((m: RelayMessage) => {
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
      if (!killed) {
        await Promise.all(inflight);
        clearTimeout(killer);
        relay.proc.kill('SIGKILL');
      } else {
        // Whatever was not answered before the socket closed stays unacknowledged.
        await c.closed;
      }
      await relay.exited;
      for (let i = next; i < envs.length; i++) unacked.push(envs[i] as Uint8Array);

      relay = await spawnRelay(w, data, FAST);
      c = await login(relay.url, w.ib);
      const log = await readAll(c, room);
      const seqs = log.map((r) => r.seq);
      expect(seqs).toEqual(seqs.map((_, i) => i + 1));
      const bySeq = new Map(log.map((r) => [r.seq, r.envelope]));
      for (const [seq, env] of acked) expect(bySeq.get(seq)).toEqual(env);
      const distinct = new Set(log.map((r) => Buffer.from(r.envelope).toString('base64')));
      expect(distinct.size).toBe(log.length);
      c.send({ type: 'unsubscribe', room });
      await c.wait('done');
    }
    expect(acked.size).toBeGreaterThan(0);

    // Resending what was never acknowledged stores each record at most once.
    for (const env of unacked) {
      const m = await append(c, room, env);
      expect(m.type).toBe('ack');
      if (m.type === 'ack') acked.set(m.seq, env);
    }
    const final = await readAll(c, room);
    expect(final.map((r) => r.seq)).toEqual(final.map((_, i) => i + 1));
    expect(new Set(final.map((r) => Buffer.from(r.envelope).toString('base64'))).size).toBe(final.length);
    for (const [seq, env] of acked) expect(final[seq - 1]?.envelope).toEqual(env);
    c.close();
    relay.proc.kill('SIGKILL');
    await relay.exited;
  }, 180_000);

  it('[P23] SIGTERM finishes the appends in flight, acknowledges them and exits cleanly', async () => {
    const w = await makeWorld();
    const data = tempDir('kk-term-');
    const h = new DossierHarness(w, asId<DossierId>('dos-term'));
    const room = roomId(h, 'leerling');
    let relay = await spawnRelay(w, data, FAST);
    let c = await login(relay.url, w.ib);
    const genesis = await h.build('genesis', w.ib, { grants: genesisGrants(w.ib.organisationId, w.ib.userId, ['leerling']) }, new Date());
    await append(c, `${h.dossier}/toegang`, encodeEnvelope(genesis));
    await h.apply(genesis, new Date());
    const envs = await Promise.all(Array.from({ length: 150 }, (_, i) => seal(h, w.ib, room, `term ${i}`)));
    const answers = envs.map((env) => append(c, room, env).catch(() => undefined));
    await new Promise((r) => setTimeout(r, 20));
    relay.proc.kill('SIGTERM');
    const settled = await Promise.all(answers.map((a) => Promise.race([a, c.closed.then(() => undefined)])));
    const exit = await relay.exited;
    expect(exit.code).toBe(0);
    const acked = new Map<number, Uint8Array>();
    settled.forEach((m, i) => {
      if (m?.type === 'ack') acked.set(m.seq, envs[i] as Uint8Array);
      else if (m !== undefined) expect(codeOf(m)).toBe('relay-stopt');
    });
    relay = await spawnRelay(w, data, FAST);
    c = await login(relay.url, w.ib);
    const log = await readAll(c, room);
    for (const [seq, env] of acked) expect(log[seq - 1]?.envelope).toEqual(env);
    c.close();
    relay.proc.kill('SIGKILL');
    await relay.exited;
  }, 120_000);
});
