// The relay's room logic without sockets (Relay + RelaySession over an
// in-memory sink and MemoryStorage) and a permissive RelayPolicy: ordering,
// fan-out and garbage collection, independent of the access rules (which the
// production tests cover with real certificates).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { nobleProvider as provider } from '../../core/crypto/noble-provider.js';
import { deviceIdFromPublicKey } from '../../core/crypto/device-id.js';
import { encodeEnvelope, sealEnvelope, type EnvelopeKind } from '../../core/crypto/envelope.js';
import { asId, type RoomId } from '../../core/model/ids.js';
import { ok, fail } from '../../core/result.js';
import { DEFAULT_LIMITS, type ClientMessage, type RelayMessage } from '../../core/sync/protocol.js';
import { decodeRelayMessage, encodeClientMessage } from '../../core/sync/protocol-codec.js';
import { authMessage, encodeSnapshotPublicPart, registerSwvMessage } from '../../core/sync/protocol-signing.js';
import { Relay, type RelaySession } from '../../sync-server/relay.js';
import { MemoryStorage } from '../../sync-server/storage-memory.js';
import { silentLogger } from '../../sync-server/log.js';
import type { AuthenticatedDevice, RelayPolicy } from '../../sync-server/policy.js';
import type { KeyPair } from '../../core/crypto/provider.js';
import { RecentRecords } from '../../sync-server/relay/recent-records.js';

/** Chain = the raw device public key; any device may do anything once a dossier has a `toegang` record. */
const openPolicy: RelayPolicy<AuthenticatedDevice, 'open'> = {
  verifyChain: (chain) =>
    Promise.resolve(
      chain.length === 32
        ? ok({ deviceId: deviceIdFromPublicKey(chain), userId: `u-${chain[0] ?? 0}`, swvId: 'swv', validUntil: Date.now() + 3600_000 })
        : fail('keten-ongeldig', 'x'),
    ),
  applyAcl: () => Promise.resolve(ok('open' as const)),
  checkAppend: () => ok(undefined),
  checkRead: () => ok(undefined),
  checkEpoch: () => ok(undefined),
  checkRecord: () => ok(undefined),
  members: () => new Set(),
  nextExpiry: () => undefined,
  mayNumberTlv: () => false,
};

const ORIGIN = 'ws://test';

class Peer {
  readonly inbox: RelayMessage[] = [];
  readonly session: RelaySession<AuthenticatedDevice, 'open'>;
  counter = 0;
  private ref = 0;
  /** Bytes the relay sent; with `neverDrains` they all count as unsent (a client that does not read). */
  sentBytes = 0;
  /** The frames as sent (to see one frame shared by several subscribers). */
  readonly frames: Uint8Array[] = [];
  /** While set, the client reads nothing: the relay holds its output until it is cleared. */
  stalled = false;
  constructor(
    relay: Relay<AuthenticatedDevice, 'open'>,
    readonly key: KeyPair,
    neverDrains = false,
  ) {
    this.session = relay.connect({
      send: (frame) => {
        this.sentBytes += frame.length;
        this.frames.push(frame);
        const m = decodeRelayMessage(frame);
        if (!m.ok) throw new Error('relay sent garbage');
        this.inbox.push(m.value);
      },
      close: () => undefined,
      bufferedAmount: () => (this.stalled ? Number.MAX_SAFE_INTEGER : neverDrains ? this.sentBytes : 0),
    });
  }
  get deviceId() {
    return deviceIdFromPublicKey(this.key.publicKey);
  }
  send(m: ClientMessage) {
    return this.session.receive(encodeClientMessage(m));
  }
  async login() {
    await this.send({ type: 'hello', protocolVersion: 1, chain: this.key.publicKey });
    const ch = this.inbox.find((m) => m.type === 'challenge');
    if (ch?.type !== 'challenge') throw new Error('no challenge');
    await this.send({
      type: 'auth',
      origin: ORIGIN,
      signature: await provider.ed25519Sign(this.key.secretKey, authMessage(ch.nonce, ORIGIN)),
    });
    if (!this.inbox.some((m) => m.type === 'ready')) throw new Error('not ready');
  }
  async envelope(room: string, kind: EnvelopeKind = 'update', publicPart?: Uint8Array) {
    const env = await sealEnvelope(provider, {
      header: { v: 1, kind, room: asId<RoomId>(room), epoch: 0, author: this.deviceId, counter: ++this.counter, alg: 'xchacha20poly1305' },
      key: new Uint8Array(32).fill(3),
      plaintext: new Uint8Array([1, 2, 3]),
      ...(publicPart === undefined ? {} : { publicPart }),
      signingSecretKey: this.key.secretKey,
    });
    return encodeEnvelope(env);
  }
  nextRef() {
    return ++this.ref;
  }
  /** Seqs received for a room, in arrival order. */
  seqs(room: string): number[] {
    return this.inbox.flatMap((m) => (m.type === 'records' && m.room === room ? m.records.map((r) => r.seq) : []));
  }
}

async function setup(
  opts: {
    retentionMs?: number;
    policy?: RelayPolicy<AuthenticatedDevice, 'open'>;
    now?: () => number;
    maxMailboxes?: number;
    mailboxTtlMs?: number;
    allowSwvRegistration?: boolean;
    storage?: MemoryStorage;
    anonymousWrites?: { perSecond: number; burst: number };
  } = {},
) {
  const storage = opts.storage ?? new MemoryStorage();
  const relay = await Relay.open({
    storage,
    policy: openPolicy,
    limits: { ...DEFAULT_LIMITS, recordsPerSecond: 100_000 },
    origins: [ORIGIN],
    allowSwvRegistration: false,
    log: silentLogger,
    ...opts,
  });
  const admin = new Peer(relay, await provider.ed25519KeyPair());
  await admin.login();
  await admin.send({ type: 'append', ref: admin.nextRef(), room: 'd1/toegang', envelope: await admin.envelope('d1/toegang', 'acl') });
  return { relay, storage, admin };
}

describe('room logic without sockets [P7, P10, P22]', () => {
  it('[P7][P10] under any interleaving of appends and subscriptions every subscriber gets each seq once, in order, without gaps', async () => {
    const keys = await Promise.all([0, 1, 2].map(() => provider.ed25519KeyPair()));
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            fc.record({ op: fc.constant('append' as const), who: fc.nat(2) }),
            fc.record({ op: fc.constant('subscribe' as const), who: fc.nat(2), after: fc.nat(6) }),
          ),
          { minLength: 1, maxLength: 14 },
        ),
        async (ops) => {
          const { relay } = await setup();
          const peers = keys.map((k) => new Peer(relay, k));
          for (const p of peers) await p.login();
          const room = 'd1/leerling';
          const subscribedAfter = new Map<Peer, number>();
          const pending: Promise<void>[] = [];
          for (const o of ops) {
            const p = peers[o.who] as Peer;
            if (o.op === 'append') pending.push(p.send({ type: 'append', ref: p.nextRef(), room, envelope: await p.envelope(room) }));
            else if (!subscribedAfter.has(p)) {
              subscribedAfter.set(p, o.after);
              pending.push(p.send({ type: 'subscribe', room, afterSeq: o.after }));
            }
          }
          await Promise.all(pending);
          await relay.committer.idle();
          await new Promise((r) => setTimeout(r, 20));
          const acks = peers.flatMap((p) => p.inbox.flatMap((m) => (m.type === 'ack' ? [m.seq] : [])));
          const head = acks.length;
          expect([...acks].sort((a, b) => a - b)).toEqual(Array.from({ length: head }, (_, i) => i + 1));
          for (const [p, after] of subscribedAfter) {
            const expected = Array.from({ length: Math.max(0, head - after) }, (_, i) => after + i + 1);
            expect(p.seqs(room)).toEqual(expected);
          }
        },
      ),
      { numRuns: 25 },
    );
  }, 120_000);

  it('[P22] garbage collection deletes records covered by an old snapshot; seqs continue and newcomers start from the snapshot', async () => {
    const { relay, storage, admin } = await setup({ retentionMs: 0 });
    const room = 'd1/leerling';
    for (let i = 0; i < 5; i++) await admin.send({ type: 'append', ref: admin.nextRef(), room, envelope: await admin.envelope(room) });
    const snap = await admin.envelope(room, 'snapshot', encodeSnapshotPublicPart({ prev: null, coversSeq: 3 }));
    await admin.send({ type: 'snapshot', ref: admin.nextRef(), room, coversSeq: 3, envelope: snap });
    expect(admin.inbox.at(-1)).toMatchObject({ type: 'ack', seq: 3 });
    expect(await relay.collectGarbage()).toMatchObject({ records: 3 });
    expect((await storage.readRecords(room, 0, 100, 1e9)).map((r) => r.seq)).toEqual([4, 5]);
    await admin.send({ type: 'append', ref: admin.nextRef(), room, envelope: await admin.envelope(room) });
    expect(admin.inbox.at(-1)).toMatchObject({ type: 'ack', seq: 6 });
    const late = new Peer(relay, await provider.ed25519KeyPair());
    await late.login();
    await late.send({ type: 'subscribe', room, afterSeq: 0 });
    await new Promise((r) => setTimeout(r, 20));
    const first = late.inbox.find((m) => m.type === 'records');
    expect(first?.type === 'records' && first.snapshot?.coversSeq).toBe(3);
    expect(late.seqs(room)).toEqual([4, 5, 6]);
  });

  it('[P22] deleting a dossier by id removes its rooms and attachments and ends its subscriptions', async () => {
    const { relay, storage, admin } = await setup();
    const room = 'd1/leerling';
    await admin.send({ type: 'append', ref: admin.nextRef(), room, envelope: await admin.envelope(room) });
    const data = new Uint8Array([9, 9, 9]);
    await admin.send({
      type: 'blob-put',
      ref: admin.nextRef(),
      room,
      hash: new Uint8Array(createHash('sha256').update(data).digest()),
      data,
    });
    await admin.send({ type: 'subscribe', room, afterSeq: 0 });
    await relay.deleteDossier('d1');
    expect(admin.inbox.some((m) => m.type === 'error' && m.room === room && m.code === 'dossier-onbekend')).toBe(true);
    expect(await storage.readRecords(room, 0, 10, 1e9)).toEqual([]);
    expect(await storage.readRecords('d1/toegang', 0, 10, 1e9)).toEqual([]);
    expect(await storage.getBlob(room, new Uint8Array(createHash('sha256').update(data).digest()))).toBeUndefined();
  });
});

/** Waits (no time limit but the test's) until the relay has sent a non-reading peer more than the slow-consumer mark. */
async function untilCongested(peer: Peer, before: number): Promise<void> {
  while (peer.sentBytes - before <= 8 * 1024 * 1024) await new Promise((r) => setTimeout(r, 20));
}

describe('relay hardening without sockets [P8, P15, R22]', () => {
  it('[P8][R22] an append that waits for its dossier is checked against the clock when its turn comes, so a grant that expired meanwhile refuses it', async () => {
    let clock = Date.now();
    const expiresAt = clock + 1000;
    const policy: RelayPolicy<AuthenticatedDevice, 'open'> = {
      ...openPolicy,
      checkAppend: (_a, _d, _r, _k, now) =>
        now.getTime() < expiresAt ? ok(undefined) : fail('verlopen', 'Uw toegang tot dit dossier is verlopen.'),
    };
    const { relay, storage, admin } = await setup({ policy, now: () => clock });
    const room = 'd1/leerling';
    const envelope = await admin.envelope(room);
    // Someone else holds the dossier's turn (e.g. a slow ACL record) while the grant runs out.
    let release = (): void => undefined;
    const held = relay.withDossier('d1', () => new Promise<void>((r) => (release = r)));
    const sent = admin.send({ type: 'append', ref: admin.nextRef(), room, envelope });
    await new Promise((r) => setTimeout(r, 30));
    clock = expiresAt + 1;
    release();
    await held;
    await sent;
    await relay.committer.idle();
    expect(admin.inbox.at(-1)).toMatchObject({ type: 'error', code: 'toegang-verlopen' });
    expect(await storage.headSeq(room)).toBe(0);
  });

  it('[R27] naming many unknown dossiers leaves no state behind, and closed sessions leave no per-user bookkeeping', async () => {
    const { relay, admin } = await setup();
    const before = relay.bookkeeping.dossiers;
    for (let i = 0; i < 200; i++) {
      await admin.send({ type: 'subscribe', room: `x${i}/leerling`, afterSeq: 0 });
      await admin.send({ type: 'blob-get', ref: admin.nextRef(), room: `y${i}/leerling`, hash: new Uint8Array(32) });
      await admin.send({ type: 'append', ref: admin.nextRef(), room: `z${i}/leerling`, envelope: await admin.envelope(`z${i}/leerling`) });
    }
    expect(admin.inbox.filter((m) => m.type === 'error' && m.code === 'dossier-onbekend')).toHaveLength(600);
    expect(relay.bookkeeping.dossiers).toBe(before);
    const visitor = new Peer(relay, await provider.ed25519KeyPair());
    await visitor.login();
    expect(relay.bookkeeping.users).toBe(2);
    visitor.session.closed();
    admin.session.closed();
    expect(relay.bookkeeping).toMatchObject({ users: 0, devices: 0, rooms: 0, sessions: 0 });
  });

  it('[P3][P5] a second answer to one challenge is out of order and ends the session; the device is never counted twice', async () => {
    const { relay, admin } = await setup();
    const key = await provider.ed25519KeyPair();
    const p = new Peer(relay, key);
    await p.send({ type: 'hello', protocolVersion: 1, chain: key.publicKey });
    const ch = p.inbox.find((m) => m.type === 'challenge');
    if (ch?.type !== 'challenge') throw new Error('no challenge');
    const signature = await provider.ed25519Sign(key.secretKey, authMessage(ch.nonce, ORIGIN));
    await Promise.all([p.send({ type: 'auth', origin: ORIGIN, signature }), p.send({ type: 'auth', origin: ORIGIN, signature })]);
    expect(p.inbox.filter((m) => m.type === 'ready').length).toBeLessThanOrEqual(1);
    expect(p.inbox.filter((m) => m.type === 'error' && m.code === 'volgorde-onjuist')).toHaveLength(1);
    expect(relay.bookkeeping.devices).toBe(1); // the admin only
    admin.session.closed();
    p.session.closed();
    expect(relay.bookkeeping).toMatchObject({ devices: 0, users: 0, sessions: 0 });
  });

  it('[P21][R27] anonymous mailbox writes are capped in total: when full a put is refused naming the limit, and expired boxes make room again', async () => {
    let clock = Date.now();
    const { relay } = await setup({ maxMailboxes: 3, mailboxTtlMs: 1000, now: () => clock });
    const anon = new Peer(relay, await provider.ed25519KeyPair());
    for (let i = 1; i <= 4; i++) await anon.send({ type: 'mailbox-put', box: new Uint8Array(32).fill(i), ciphertext: new Uint8Array([i]) });
    expect(anon.inbox.filter((m) => m.type === 'done')).toHaveLength(3);
    expect(anon.inbox.at(-1)).toMatchObject({ type: 'error', code: 'limiet-overschreden', limit: 'maxMailboxes', fatal: false });
    expect(await relay.opts.storage.mailboxCount()).toBe(3);
    clock += 2000;
    await anon.send({ type: 'mailbox-put', box: new Uint8Array(32).fill(5), ciphertext: new Uint8Array([5]) });
    expect(anon.inbox.at(-1)).toEqual({ type: 'done', of: 'mailbox-put' });
    expect(await relay.opts.storage.mailboxCount()).toBe(1);
  });

  it('[P12][P17] a client that requests an attachment again and again without reading gets at most one more than the slow-consumer mark buffered', async () => {
    const { relay, admin } = await setup();
    const room = 'd1/leerling';
    const data = new Uint8Array(1024 * 1024).fill(5);
    const hash = new Uint8Array(createHash('sha256').update(data).digest());
    await admin.send({ type: 'blob-put', ref: admin.nextRef(), room, hash, data });
    expect(admin.inbox.at(-1)).toMatchObject({ type: 'blob-stored' });
    // A reader whose socket never drains: everything sent stays buffered.
    const reader = new Peer(relay, await provider.ed25519KeyPair(), true);
    await reader.login();
    const before = reader.sentBytes;
    const gets = Array.from({ length: 20 }, () => reader.send({ type: 'blob-get', ref: reader.nextRef(), room, hash }));
    await untilCongested(reader, before);
    await new Promise((r) => setTimeout(r, 200));
    expect(reader.sentBytes - before).toBeLessThanOrEqual(8 * 1024 * 1024 + 2 * data.length);
    reader.session.closed();
    await Promise.all(gets);
  }, 60_000);

  it('[P20][R27] registration proofs with keys that are no curve point, or signatures by another key, are refused as bewijs-ongeldig and nothing is registered', async () => {
    const { relay } = await setup({ allowSwvRegistration: true });
    const anon = new Peer(relay, await provider.ed25519KeyPair());
    const root = await provider.ed25519KeyPair();
    const other = await provider.ed25519KeyPair();
    const junkKeys = [new Uint8Array(32).fill(0xff), new Uint8Array(32), root.publicKey];
    for (const rootPublicKey of junkKeys) {
      const proof = await provider.ed25519Sign(other.secretKey, registerSwvMessage('swv-x', rootPublicKey));
      await anon.send({ type: 'register-swv', swvId: 'swv-x', rootPublicKey, proof });
      expect(anon.inbox.at(-1)).toMatchObject({ type: 'error', code: 'bewijs-ongeldig', fatal: false });
    }
    expect(relay.swvRoots.has('swv-x')).toBe(false);
    await anon.send({
      type: 'register-swv',
      swvId: 'swv-x',
      rootPublicKey: root.publicKey,
      proof: await provider.ed25519Sign(root.secretKey, registerSwvMessage('swv-x', root.publicKey)),
    });
    expect(anon.inbox.at(-1)).toEqual({ type: 'done', of: 'register-swv' });
    expect(relay.swvRoots.has('swv-x')).toBe(true);
  });

  it('[P7][P12] a client that subscribes to many rooms with long logs without reading gets at most one batch more than the slow-consumer mark buffered', async () => {
    // Reads that take a moment, as on disk: every room's pump is then between its check and its send at once.
    class SlowReads extends MemoryStorage {
      override async readRecords(room: string, afterSeq: number, maxRecords: number, maxBytes: number) {
        await new Promise((r) => setTimeout(r, 5));
        return super.readRecords(room, afterSeq, maxRecords, maxBytes);
      }
    }
    const { relay, admin } = await setup({ storage: new SlowReads() });
    const rooms = Array.from({ length: 24 }, (_, i) => `d1/hulpvraag:h${i}`);
    const filler = new Uint8Array(256 * 1024).fill(1);
    for (const room of rooms) {
      for (let i = 0; i < 4; i++)
        await admin.send({ type: 'append', ref: admin.nextRef(), room, envelope: await admin.envelope(room, 'update', filler) });
    }
    await relay.committer.idle();
    expect(admin.inbox.filter((m) => m.type === 'ack')).toHaveLength(rooms.length * 4 + 1); // + the genesis
    const reader = new Peer(relay, await provider.ed25519KeyPair(), true);
    await reader.login();
    const before = reader.sentBytes;
    await Promise.all(rooms.map((room) => reader.send({ type: 'subscribe', room, afterSeq: 0 })));
    await untilCongested(reader, before);
    await new Promise((r) => setTimeout(r, 200));
    expect(reader.sentBytes - before).toBeLessThanOrEqual(8 * 1024 * 1024 + DEFAULT_LIMITS.batchBytes + 64 * 1024);
    reader.session.closed();
  }, 60_000);

  it('[P20][P21] SWV registrations and mailbox writes before login share one relay-wide budget, so anonymous registrations cannot grow the stored roots without bound', async () => {
    const { relay } = await setup({ allowSwvRegistration: true, anonymousWrites: { perSecond: 0.001, burst: 3 } });
    const anon = new Peer(relay, await provider.ed25519KeyPair());
    await anon.send({ type: 'mailbox-put', box: new Uint8Array(32).fill(1), ciphertext: new Uint8Array([1]) });
    for (let i = 0; i < 3; i++) {
      const root = await provider.ed25519KeyPair();
      await anon.send({
        type: 'register-swv',
        swvId: `swv-${i}`,
        rootPublicKey: root.publicKey,
        proof: await provider.ed25519Sign(root.secretKey, registerSwvMessage(`swv-${i}`, root.publicKey)),
      });
    }
    expect(anon.inbox.filter((m) => m.type === 'done')).toHaveLength(3);
    expect(anon.inbox.at(-1)).toMatchObject({ type: 'error', code: 'limiet-overschreden', limit: 'anonymousWrites' });
    expect(relay.swvRoots.has('swv-2')).toBe(false);
  });
});

describe('records from memory only while memory matches storage [P7, P22, P60]', () => {
  const room = 'd1/leerling';
  const settle = () => new Promise((r) => setTimeout(r, 60));

  /** A subscriber that has caught up with the (empty) room and is live. */
  async function liveSubscriber(relay: Relay<AuthenticatedDevice, 'open'>) {
    const p = new Peer(relay, await provider.ed25519KeyPair());
    await p.login();
    await p.send({ type: 'subscribe', room, afterSeq: 0 });
    await settle();
    expect(p.inbox.some((m) => m.type === 'records' && m.room === room && m.live)).toBe(true);
    return p;
  }

  async function append(p: Peer, n: number) {
    for (let i = 0; i < n; i++) await p.send({ type: 'append', ref: p.nextRef(), room, envelope: await p.envelope(room) });
  }

  it('[P7] live subscribers get a just-committed record from memory, in one frame shared by all of them, without a storage read', async () => {
    const { relay, storage, admin } = await setup();
    const a = await liveSubscriber(relay);
    const b = await liveSubscriber(relay);
    let reads = 0;
    const readRecords = storage.readRecords.bind(storage);
    storage.readRecords = (...args) => {
      reads++;
      return readRecords(...args);
    };
    await append(admin, 3);
    await settle();
    expect(a.seqs(room)).toEqual([1, 2, 3]);
    expect(b.seqs(room)).toEqual([1, 2, 3]);
    expect(reads).toBe(0);
    expect(a.frames.at(-1)).toBe(b.frames.at(-1));
  });

  it('[P22] a subscriber behind when garbage collection deleted records never gets them from memory', async () => {
    const { relay, storage, admin } = await setup({ retentionMs: 0 });
    const c = await liveSubscriber(relay);
    c.stalled = true;
    await append(admin, 5);
    expect(relay.recent.heldBytes).toBeGreaterThan(0);
    const snap = await admin.envelope(room, 'snapshot', encodeSnapshotPublicPart({ prev: null, coversSeq: 3 }));
    await admin.send({ type: 'snapshot', ref: admin.nextRef(), room, coversSeq: 3, envelope: snap });
    expect(await relay.collectGarbage()).toMatchObject({ records: 3 });
    expect((await storage.readRecords(room, 0, 100, 1e9)).map((r) => r.seq)).toEqual([4, 5]);
    c.stalled = false;
    await settle();
    expect(c.seqs(room)).toEqual([4, 5]);
    // Appends after the collection are served from memory again, following on without a gap.
    await append(admin, 2);
    await settle();
    expect(c.seqs(room)).toEqual([4, 5, 6, 7]);
  });

  it('[P60] once a dossier is deleted nothing of it is served, from memory or storage', async () => {
    const { relay, admin } = await setup();
    const c = await liveSubscriber(relay);
    c.stalled = true;
    await append(admin, 3);
    await relay.deleteDossier('d1');
    expect(relay.recent.heldBytes).toBe(0);
    c.stalled = false;
    await settle();
    expect(c.seqs(room)).toEqual([]);
  });

  it('[P7] a subscriber further behind than memory reaches reads storage, then memory, without a gap or a duplicate', async () => {
    const { relay, admin } = await setup();
    const c = await liveSubscriber(relay);
    const live = await liveSubscriber(relay);
    c.stalled = true;
    await append(admin, 70);
    c.stalled = false;
    await settle();
    await append(admin, 2);
    await settle();
    const all = Array.from({ length: 72 }, (_, i) => i + 1);
    expect(c.seqs(room)).toEqual(all);
    expect(live.seqs(room)).toEqual(all);
  });

  it("[P27] records another relay committed are read from storage, and this relay's own resume from memory only above them", async () => {
    const { relay, storage, admin } = await setup();
    const c = await liveSubscriber(relay);
    await append(admin, 2);
    // Another relay on the same database commits seq 3 and 4 and notifies the new head.
    const other = new Peer(relay, await provider.ed25519KeyPair());
    const remote = await storage.appendBatch(
      await Promise.all(
        [1, 2].map(async () => ({ room, author: other.deviceId, counter: ++other.counter, envelope: await other.envelope(room) })),
      ),
    );
    expect(remote.map((o) => (o.kind === 'stored' ? o.seq : -1))).toEqual([3, 4]);
    relay.remoteAppend(room, 4);
    await append(admin, 1);
    await settle();
    expect(c.seqs(room)).toEqual([1, 2, 3, 4, 5]);
    // A reconnected listener does not know what it missed: memory stays off for the room, storage still delivers.
    relay.announceAll();
    await append(admin, 1);
    await settle();
    expect(c.seqs(room)).toEqual([1, 2, 3, 4, 5, 6]);
  });
});

describe('the memory of recent records itself [P7, P27]', () => {
  const env = (n: number) => new Uint8Array([n]);

  it('[P7] a seq heard out of order (another relay, or announcements racing) is never served from memory as the end of the log', () => {
    const recent = new RecentRecords(64, 1 << 20, 1 << 20);
    recent.open('r');
    recent.committed('r', 1, env(1));
    recent.committed('r', 2, env(2));
    expect(recent.frameAfter('r', 1)).toMatchObject({ count: 1, head: 2 });
    // Seq 4 (another relay) is heard before this relay's own 3: memory must not end the log at 3.
    recent.heardElsewhere('r', 4);
    recent.committed('r', 3, env(3));
    expect(recent.frameAfter('r', 2)).toBeUndefined();
    // Its own 5 follows every seq heard: memory starts again there, and only there.
    recent.committed('r', 5, env(5));
    expect(recent.frameAfter('r', 4)).toMatchObject({ count: 1, head: 5 });
    expect(recent.frameAfter('r', 3)).toBeUndefined();
    expect(recent.frameAfter('r', 5)).toBe('caught-up');
  });

  it('[P7] memory for all rooms stays under its bound, dropping the room appended to least recently', () => {
    const recent = new RecentRecords(64, 100, 1 << 20);
    for (const r of ['a', 'b', 'c']) recent.open(r);
    recent.committed('a', 1, new Uint8Array(40));
    recent.committed('b', 1, new Uint8Array(40));
    recent.committed('c', 1, new Uint8Array(40));
    expect(recent.heldBytes).toBe(80);
    expect(recent.frameAfter('a', 0)).toBeUndefined();
    expect(recent.frameAfter('c', 0)).toMatchObject({ head: 1 });
    recent.close('c');
    expect(recent.heldBytes).toBe(40);
  });
});
