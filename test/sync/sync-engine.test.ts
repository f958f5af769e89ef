// Outbox, ack, crash-recovery and backoff logic of the sync engine against an
// in-process fake relay (integration with the real relay: test/sync/*relay*.test.ts).
import { describe, it, expect } from 'vitest';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import fc from 'fast-check';
import { nobleProvider } from '../../core/crypto/noble-provider.js';
import { deviceIdFromPublicKey } from '../../core/crypto/device-id.js';
import { utf8Encode } from '../../core/crypto/bytes.js';
import { openKindkluisDatabase } from '../../core/store/database.js';
import { LocalStore } from '../../core/store/local-store.js';
import { SyncEngine, type SyncHooks } from '../../core/sync/sync-engine.js';
import { backoffDelay } from '../../core/sync/backoff.js';
import { openBatch } from '../../core/sync/open-batch.js';
import { ok } from '../../core/result.js';
import { chainHash, decodeEnvelope, type Envelope } from '../../core/crypto/envelope.js';
import { toHex } from '../../core/crypto/bytes.js';
import { FakeRelay } from './fake-relay.js';

const key = new Uint8Array(32).fill(7);
const ROOM = 'dos1/hulpvraag:h1';

async function makeEngine(factory: IDBFactory, relay: FakeRelay, seed: Uint8Array, received: Uint8Array[] = []) {
  const kp = await nobleProvider.ed25519KeyPair(seed);
  const store = new LocalStore(await openKindkluisDatabase('engine', { indexedDB: factory, IDBKeyRange }));
  const hooks: SyncHooks = {
    writeKey: () => ok({ epoch: 0, key }),
    receive: async (room, records) => {
      const { opened, rejected } = await openBatch(nobleProvider, room, records, { keyFor: () => key, authorize: () => ok(undefined) });
      for (const o of opened) received.push(o.plaintext);
      return { accepted: opened.map((o) => ({ seq: o.seq, bytes: o.bytes, kind: o.envelope.header.kind })), rejected };
    },
    awareness: () => undefined,
    refused: () => undefined,
    stateChanged: () => undefined,
  };
  const engine = new SyncEngine({
    store,
    provider: nobleProvider,
    device: { id: deviceIdFromPublicKey(kp.publicKey), secretKey: kp.secretKey },
    connect: relay.connector(),
    hooks,
    random: () => 0.5,
    backoff: { baseMs: 5, maxMs: 20 },
  });
  return { engine, store };
}

describe('sync engine (fake relay, unit)', () => {
  it('empties the outbox only through acknowledgements', async () => {
    const relay = new FakeRelay();
    relay.ackAppends = false;
    const { engine, store } = await makeEngine(new IDBFactory(), relay, new Uint8Array(32).fill(1));
    await engine.start();
    await engine.watch(ROOM);
    await engine.submit(ROOM, 'update', utf8Encode('een'));
    await engine.submit(ROOM, 'update', utf8Encode('twee'));
    expect((await engine.flush(50)).ok).toBe(false);
    expect((await store.pending()).length).toBe(2);
    relay.ackAppends = true;
    relay.dropAll();
    expect((await engine.flush(2000)).ok).toBe(true);
    expect((await store.pending()).length).toBe(0);
    expect((await store.readReceived(ROOM)).length).toBe(2);
    engine.stop();
    store.close();
  });

  it("[P26] links each room's envelopes into one run per session; small changes are XChaCha, large ones AES-GCM", async () => {
    const relay = new FakeRelay();
    relay.ackAppends = false;
    const factory = new IDBFactory();
    const OTHER = 'dos1/leerling';
    const first = await makeEngine(factory, relay, new Uint8Array(32).fill(5));
    await first.engine.start();
    for (const [room, text] of [
      [ROOM, 'a'],
      [OTHER, 'x'],
      [ROOM, 'b'],
      [ROOM, 'c'.repeat(5000)],
      [OTHER, 'y'],
    ] as const)
      await first.engine.submit(room, 'update', utf8Encode(text));
    first.engine.stop();
    const second = await makeEngine(factory, relay, new Uint8Array(32).fill(5));
    await second.engine.start();
    await second.engine.submit(ROOM, 'update', utf8Encode('na herstart'));
    await second.engine.submit(ROOM, 'update', utf8Encode('en verder'));
    second.engine.stop();
    const rows = await second.store.pending();
    const envs: { room: string; env: Envelope; hash: string }[] = [];
    for (const r of rows) {
      const d = decodeEnvelope(r.bytes);
      if (!d.ok) throw new Error(d.error.message);
      envs.push({ room: r.room, env: d.value, hash: toHex(await chainHash(nobleProvider, r.bytes)) });
    }
    const prevOf = (e: Envelope) => (e.prev ? toHex(e.prev) : null);
    const inRoom = envs.filter((e) => e.room === ROOM);
    const inOther = envs.filter((e) => e.room === OTHER);
    // Room 1: a → b → c (one run), then a new run after the restart.
    expect(inRoom.map((e) => prevOf(e.env))).toEqual([null, inRoom[0]!.hash, inRoom[1]!.hash, null, inRoom[3]!.hash]);
    expect(inOther.map((e) => prevOf(e.env))).toEqual([null, inOther[0]!.hash]);
    expect(inRoom.map((e) => e.env.header.alg)).toEqual([
      'xchacha20poly1305',
      'xchacha20poly1305',
      'aes256gcm',
      'xchacha20poly1305',
      'xchacha20poly1305',
    ]);
    second.store.close();
    first.store.close();
  });

  it('a crash between edit and acknowledgement loses nothing: reopening the same database resends', async () => {
    const relay = new FakeRelay();
    relay.ackAppends = false;
    const factory = new IDBFactory();
    const first = await makeEngine(factory, relay, new Uint8Array(32).fill(2));
    await first.engine.start();
    for (const w of ['a', 'b', 'c']) await first.engine.submit(ROOM, 'update', utf8Encode(w));
    // The "tab" dies: no clean shutdown, the connection just vanishes.
    first.engine.stop();
    first.store.close();
    relay.ackAppends = true;
    const got: Uint8Array[] = [];
    const second = await makeEngine(factory, relay, new Uint8Array(32).fill(2), got);
    await second.engine.start();
    await second.engine.watch(ROOM);
    expect((await second.engine.flush(2000)).ok).toBe(true);
    expect(relay.logs.get(ROOM)?.length).toBe(3);
    await new Promise((r) => setTimeout(r, 20));
    expect(got.map((b) => new TextDecoder().decode(b)).sort()).toEqual(['a', 'b', 'c']);
    second.engine.stop();
    second.store.close();
  });

  it('reconnects after the relay was unreachable and then subscribes from the cursor', async () => {
    const relay = new FakeRelay();
    relay.up = false;
    const got: Uint8Array[] = [];
    const { engine, store } = await makeEngine(new IDBFactory(), relay, new Uint8Array(32).fill(3), got);
    await engine.start();
    await engine.watch(ROOM);
    await engine.submit(ROOM, 'update', utf8Encode('offline geschreven'));
    await new Promise((r) => setTimeout(r, 60));
    expect(relay.connects).toBeGreaterThan(1);
    relay.up = true;
    expect((await engine.flush(2000)).ok).toBe(true);
    await new Promise((r) => setTimeout(r, 20));
    expect(await store.cursor(ROOM)).toBe(1);
    engine.stop();
    store.close();
  });

  it('backoff delays stay within half the cap and the cap, and grow to the maximum', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 60 }), fc.double({ min: 0, max: 0.999999, noNaN: true }), (attempt, r) => {
        const cap = Math.min(30_000, 250 * 2 ** Math.min(attempt, 30));
        const d = backoffDelay(attempt, () => r);
        return d >= cap / 2 - 1 && d <= cap;
      }),
    );
    expect(backoffDelay(40, () => 0)).toBe(15_000);
  });
});
