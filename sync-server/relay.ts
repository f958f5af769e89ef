// The relay's logic as a plain class, callable without sockets: a session
// receives frames and sends frames through a sink (ws-server.ts adapts a
// WebSocket; tests may call it directly). It verifies, stores and forwards
// ciphertext only; every rule cited here is in docs/PROTOCOL.md.
import { randomBytes } from 'node:crypto';
import type { RoomId } from '../core/model/ids.js';
import { asId } from '../core/model/ids.js';
import type { KkError } from '../core/result.js';
import { decodeEnvelope, verifyEnvelopeSignature, type Envelope, type EnvelopeHeader } from '../core/crypto/envelope.js';
import { publicKeyFromDeviceId } from '../core/crypto/device-id.js';
import { parseRoom } from '../core/access/rooms.js';
import { DOSSIER_PAGE, TLV_REGISTER_PAGE, MAX_WATCH_BATCH, WATCHES_PER_TOKEN, NOTIFY_KINDS, PROTOCOL_VERSION, SUPPORTED_PROTOCOL_VERSIONS, PRE_AUTH_TYPES, type NotificationItem, type ClientMessage, type ClientMessageOf, type Limits, type RelayMessage } from '../core/sync/protocol.js';
import { decodeClientMessage, encodeRelayMessage } from '../core/sync/protocol-codec.js';
import { PROTOCOL_ERRORS, type ProtocolErrorCode } from '../core/sync/protocol-errors.js';
import { authMessage, decodeSeenPublicPart, decodeSnapshotPublicPart, registerSwvMessage } from '../core/sync/protocol-signing.js';
import { assertNever } from '../core/result.js';
import type { AuthenticatedDevice, RelayPolicy } from './policy.js';
import type { AppendOutcome, QueuedNotification, RelayStorage } from './storage.js';
import { GroupCommitter } from './group-commit.js';
import { KeyedBuckets, TokenBucket } from './rate-limit.js';
import type { Logger } from './log.js';
import type { Notifier } from './notifier.js';
import { sha256Native } from './node-crypto.js';
import type { CryptoProvider, KeyPair } from '../core/crypto/provider.js';
import { createPreferredProvider } from '../core/crypto/preferred-provider.js';
import { UserEnds } from './user-ends.js';
import { DeviceRevocations } from './device-revocations.js';
import { KeyRenewals } from './key-renewals.js';
import { ServedLog } from './served-log.js';
import { signServedLog } from '../core/sync/served-log-signature.js';
import { RelayRetention } from './retention.js';

export interface SessionSink {
  send(frame: Uint8Array): void;
  close(code: number, reason: string): void;
  /** Bytes queued but not yet written to the network (for back-pressure). */
  bufferedAmount(): number;
  /** Stop/start reading frames from this client (back-pressure on a client that pipelines too much). */
  pause?(): void;
  resume?(): void;
}

export interface RelayOptions<D extends AuthenticatedDevice, A> {
  readonly storage: RelayStorage;
  readonly policy: RelayPolicy<D, A>;
  readonly limits: Limits;
  /** Origins a device may name in `auth` (e.g. `ws://127.0.0.1:8787`) [P4]. */
  readonly origins: readonly string[];
  readonly allowSwvRegistration: boolean;
  /** Roots given on the command line; they win over registered ones. */
  readonly staticRoots?: ReadonlyMap<string, Uint8Array>;
  readonly notifier?: Notifier;
  /** Signature checks (envelopes, login, SWV registration); default `createPreferredProvider()` (native WebCrypto, cached keys). */
  readonly provider?: CryptoProvider;
  readonly log: Logger;
  readonly now?: () => number;
  readonly mailboxTtlMs?: number;
  /** Relay-wide budget for writes anyone may make before login (mailbox-put, register-swv); default 10/s, burst 600. */
  readonly anonymousWrites?: { readonly perSecond: number; readonly burst: number };
  /**
   * Per client address, shared by all its connections [P29]: frames before login, and writes before
   * login (mailbox-put, a mailbox take, register-swv). Defaults: 50 frames/s (burst 3000), 30 writes/min (burst 30).
   */
  readonly perIp?: { readonly preAuthFramesPerMinute: number; readonly anonymousWritesPerMinute: number };
  /** Mailboxes written before login the relay holds at most (anyone may write them): bounds their disk use [P21]. */
  readonly maxMailboxes?: number;
  /** Mailboxes the logged-in devices of one SWV may hold at once (invitations, device links, directory pages) [P21]; default 20,000. */
  readonly mailboxesPerSwv?: number;
  /** Records covered by a snapshot stored longer ago than this are deleted by `collectGarbage` [P22]. */
  readonly retentionMs?: number;
  readonly authTimeoutMs?: number;
  /** Bytes of records and attachments one SWV may store; access records are never refused for it [P29]. */
  readonly swvQuotaBytes?: number;
}

/** A coded refusal; becomes an `error` frame. */
interface Refusal {
  readonly code: ProtocolErrorCode;
  readonly reason?: string | null;
  readonly limit?: string | null;
  readonly fatal?: boolean;
}
const refuse = (code: ProtocolErrorCode, extra: Omit<Refusal, 'code'> = {}): Refusal => ({ code, ...extra });
class RefusalError extends Error {
  constructor(readonly refusal: Refusal) {
    super(refusal.code);
  }
}

/** Maps an access-check error to the protocol's codes, keeping the original as `reason`. */
function fromAccess(e: KkError, forWrite: boolean): Refusal {
  switch (e.code) {
    case 'verlopen':
      return refuse('toegang-verlopen', { reason: e.code });
    case 'ingetrokken':
      return refuse('toegang-ingetrokken', { reason: e.code });
    case 'ruimte-ongeldig':
      return refuse('ruimte-ongeldig', { reason: e.code });
    case 'soort-niet-toegestaan':
      return refuse('soort-onjuist', { reason: e.code });
    case 'epoch-verouderd':
      return refuse('epoch-verouderd', { reason: e.code });
    default:
      return refuse(forWrite ? 'geen-schrijfrecht' : 'geen-toegang', { reason: e.code });
  }
}

interface Subscription {
  readonly room: RoomId;
  readonly dossier: string;
  sentUpTo: number;
  first: boolean;
  /** The client refused the room's snapshot and asks for the records instead [P85]. */
  readonly withoutSnapshot: boolean;
  pumping: boolean;
  again: boolean;
}

interface DossierState<A> {
  access: A | undefined;
  loaded: boolean;
  lock: Promise<unknown>;
  timer: NodeJS.Timeout | undefined;
  /** Deleted at the end of its retention [P60]: everything about it is refused. */
  vernietigd?: boolean;
}

const MAX_TIMER_MS = 2 ** 31 - 1;
/** 50,000 × 16 KiB ≈ 800 MiB at most; invitations and SWV directory pages need far fewer. */
const DEFAULT_MAX_MAILBOXES = 50_000;
const DEFAULT_MAILBOXES_PER_SWV = 20_000;
const DEFAULT_PRE_AUTH_FRAMES_PER_IP_PER_MINUTE = 3000;
const DEFAULT_ANONYMOUS_WRITES_PER_IP_PER_MINUTE = 30;
const SLOW_CONSUMER_BYTES = 8 * 1024 * 1024;
const SLOW_CONSUMER_MS = 30_000;
/** Frames one connection may have in processing before the relay stops reading from it. */
const MAX_PENDING = 32;
/** …or that many bytes of frames, which bounds a connection's memory to about this plus one frame. */
const MAX_PENDING_BYTES = 16 * 1024 * 1024;

export class Relay<D extends AuthenticatedDevice = AuthenticatedDevice, A = unknown> {
  readonly committer: GroupCommitter;
  private readonly sessions = new Set<RelaySession<D, A>>();
  private readonly byRoom = new Map<string, Set<RelaySession<D, A>>>();
  /** Sessions that watch a room (P45): they get its head, not its records. */
  private readonly watchers = new Map<string, Set<RelaySession<D, A>>>();
  private readonly byUser = new Map<string, Set<RelaySession<D, A>>>();
  private readonly perDevice = new Map<string, number>();
  private readonly dossiers = new Map<string, DossierState<A>>();
  private roots = new Map<string, Uint8Array>();
  /** People the SWV ended: refused at login, sessions ended at `endedAt` [P40]. */
  readonly userEnds: UserEnds;
  readonly deviceRevocations: DeviceRevocations;
  readonly keyRenewals: KeyRenewals;
  /** Deletion at the end of retention and the tombstones [P60]. */
  readonly retention: RelayRetention<D, A> = new RelayRetention<D, A>(this);
  private readonly mailboxBucket: TokenBucket;
  private readonly preAuthPerIp: KeyedBuckets;
  private readonly anonymousPerIp: KeyedBuckets;
  private stopping = false;
  /** Every dossier's access list has been folded once (P46); later genesis records load as they come. */
  private allLoaded: Promise<void> | undefined;
  private readonly inFlight = new Set<Promise<unknown>>();
  readonly now: () => number;
  /** What was served to which device: evidence a client cannot withhold [P52]. */
  readonly served: ServedLog;
  /**
   * The relay's Ed25519 identity, kept by the store (shared by every relay on one database): it signs
   * served-log answers [P83]. Its secret is on the relay's disk; it protects no user content.
   */
  identity!: KeyPair;

  private constructor(
    readonly opts: RelayOptions<D, A>,
    readonly crypto: CryptoProvider,
  ) {
    this.committer = new GroupCommitter(opts.storage);
    this.userEnds = new UserEnds(opts.storage, crypto);
    this.deviceRevocations = new DeviceRevocations(opts.storage, crypto, () => this.now());
    this.keyRenewals = new KeyRenewals(opts.storage, crypto);
    this.now = opts.now ?? Date.now;
    this.served = new ServedLog(opts.storage, this.now);
    // Mailboxes are the one thing anyone can write without an account: bounded relay-wide too.
    this.mailboxBucket = new TokenBucket(opts.anonymousWrites?.perSecond ?? 10, opts.anonymousWrites?.burst ?? 600, this.now);
    // Per address as well: many connections from one address share one budget, and one address cannot drain the relay-wide one [P29].
    const frames = opts.perIp?.preAuthFramesPerMinute ?? DEFAULT_PRE_AUTH_FRAMES_PER_IP_PER_MINUTE;
    const writes = opts.perIp?.anonymousWritesPerMinute ?? DEFAULT_ANONYMOUS_WRITES_PER_IP_PER_MINUTE;
    this.preAuthPerIp = new KeyedBuckets(frames / 60, frames, 10_000, this.now);
    this.anonymousPerIp = new KeyedBuckets(writes / 60, writes, 10_000, this.now);
    if (opts.notifier !== undefined) opts.notifier.onQueued = (user) => this.pushNotifications(user);
  }

  static async open<D extends AuthenticatedDevice, A>(opts: RelayOptions<D, A>): Promise<Relay<D, A>> {
    const relay = new Relay(opts, opts.provider ?? (await createPreferredProvider()));
    relay.identity = await relay.crypto.ed25519KeyPair(await opts.storage.relayIdentitySeed(relay.crypto.randomBytes(32)));
    relay.roots = await opts.storage.listSwvRoots();
    for (const [id, key] of opts.staticRoots ?? []) relay.roots.set(id, key);
    await relay.userEnds.load(relay.roots);
    await relay.deviceRevocations.load(relay.roots);
    await relay.keyRenewals.load();
    await relay.retention.init();
    return relay;
  }

  get log(): Logger {
    return this.opts.log;
  }

  get limits(): Limits {
    return this.opts.limits;
  }

  get swvRoots(): ReadonlyMap<string, Uint8Array> {
    return this.roots;
  }

  get connectionCount(): number {
    return this.sessions.size;
  }

  /** `ip`: the client address (from ws-server; behind a proxy only with --trust-proxy) for the per-address budgets. */
  connect(sink: SessionSink, ip = 'lokaal'): RelaySession<D, A> {
    const s = new RelaySession(this, sink, ip);
    this.sessions.add(s);
    if (this.stopping) s.fail(refuse('relay-stopt', { fatal: true }));
    return s;
  }

  /** Tracks work that must finish before shutdown (appends in flight). */
  track<T>(p: Promise<T>): Promise<T> {
    this.inFlight.add(p);
    const done = () => this.inFlight.delete(p);
    p.then(done, done);
    return p;
  }

  // ---------- sessions bookkeeping ----------

  forget(s: RelaySession<D, A>): void {
    this.sessions.delete(s);
    for (const room of s.subscriptions.keys()) this.byRoom.get(room)?.delete(s);
    for (const rooms of s.watches.values()) for (const room of rooms) this.removeWatcher(room, s);
    if (s.device !== undefined) {
      const mine = this.byUser.get(s.device.userId);
      mine?.delete(s);
      if (mine?.size === 0) this.byUser.delete(s.device.userId);
      const n = (this.perDevice.get(s.device.deviceId) ?? 1) - 1;
      if (n <= 0) this.perDevice.delete(s.device.deviceId);
      else this.perDevice.set(s.device.deviceId, n);
    }
  }

  /** A person was ended: their live sessions in that SWV close at `endedAt` (now, if it has passed) [P40]. */
  endSessionsOf(swv: string, user: string): void {
    for (const s of this.byUser.get(user) ?? []) if (s.device?.swvId === swv) s.endAtUserEnd();
  }

  /** A device was revoked: its live sessions end at the revocation time [P47]. */
  endSessionsOfDevice(swv: string, user: string, device: string): void {
    for (const s of this.byUser.get(user) ?? []) if (s.device?.swvId === swv && s.device.deviceId === device) s.endAtUserEnd();
  }

  admit(s: RelaySession<D, A>, device: D): boolean {
    const n = this.perDevice.get(device.deviceId) ?? 0;
    if (n >= this.limits.connectionsPerIdentity) return false;
    this.perDevice.set(device.deviceId, n + 1);
    let set = this.byUser.get(device.userId);
    if (set === undefined) this.byUser.set(device.userId, (set = new Set()));
    set.add(s);
    return true;
  }

  addSubscriber(room: string, s: RelaySession<D, A>): void {
    let set = this.byRoom.get(room);
    if (set === undefined) this.byRoom.set(room, (set = new Set()));
    set.add(s);
  }

  removeSubscriber(room: string, s: RelaySession<D, A>): void {
    const set = this.byRoom.get(room);
    set?.delete(s);
    if (set?.size === 0) this.byRoom.delete(room);
  }

  addWatcher(room: string, s: RelaySession<D, A>): void {
    let set = this.watchers.get(room);
    if (set === undefined) this.watchers.set(room, (set = new Set()));
    set.add(s);
  }

  removeWatcher(room: string, s: RelaySession<D, A>): void {
    const set = this.watchers.get(room);
    set?.delete(s);
    if (set?.size === 0) this.watchers.delete(room);
  }

  /** A record was committed at `seq`: every subscriber pulls what it has not yet seen; every watcher hears the new head. */
  announce(room: string, seq?: number): void {
    for (const s of this.byRoom.get(room) ?? []) s.pump(room);
    // Subscribers hear it too: a client may be ending a short fetch subscription right now, and the
    // record must not fall between its last batch and its unsubscribe (P45).
    for (const s of this.watchers.get(room) ?? []) s.noteHead(room, seq);
  }

  /**
   * Another relay on the same database committed records in `room` [P27]: its subscribers here pull
   * them, and a changed access list is folded again from the log, ending subscriptions that lost
   * read access on this relay too [P15].
   */
  remoteAppend(room: string): void {
    this.announce(room);
    if (!room.endsWith('/toegang')) return;
    const dossier = room.slice(0, -'/toegang'.length);
    if (!this.dossiers.has(dossier)) {
      // A dossier started on another relay: once this relay answers dossier lists (P46), it must know it too.
      if (this.allLoaded !== undefined) void this.withDossier(dossier, () => Promise.resolve()).catch(() => this.log('error', 'remote-acl-fold-failed', {}));
      return;
    }
    void this.withDossier(dossier, async (st) => {
      await this.load(dossier, st);
      this.revalidate(dossier, st);
    }).catch(() => this.log('error', 'remote-acl-fold-failed', {}));
  }

  /** After missing announcements (the listener reconnected): every subscribed room pulls what it has not seen. */
  announceAll(): void {
    for (const room of new Set([...this.byRoom.keys(), ...this.watchers.keys()])) this.remoteAppend(room);
  }

  forwardAwareness(room: string, from: RelaySession<D, A>, envelope: Uint8Array): void {
    const frame = encodeRelayMessage({ type: 'awareness', room, envelope });
    // Awareness is ephemeral: a subscriber that is not reading simply misses it, so it cannot pile up here.
    for (const s of this.byRoom.get(room) ?? []) if (s !== from && !s.congested) s.sendFrame(frame);
  }

  pushNotifications(user: string): void {
    const sessions = [...(this.byUser.get(user) ?? [])];
    if (sessions.length === 0) return;
    void this.opts.storage.takeNotifications(user).then(
      (items) => {
        if (items.length === 0) return;
        const msg: RelayMessage = { type: 'notifications', items: toItems(items) };
        for (const s of sessions) s.send(msg);
      },
      // The items stay queued for the next pull.
      () => this.log('error', 'notification-push-failed', {}),
    );
  }

  // ---------- roots ----------

  async registerSwv(swvId: string, key: Uint8Array): Promise<'stored' | 'same' | 'other'> {
    const fixed = this.opts.staticRoots?.get(swvId);
    if (fixed !== undefined) return Buffer.from(fixed).equals(Buffer.from(key)) ? 'same' : 'other';
    const outcome = await this.opts.storage.putSwvRoot(swvId, key);
    if (outcome === 'stored') this.roots.set(swvId, key);
    return outcome;
  }

  /** Another relay registered an SWV [P27]: load roots not known here (a known one is never replaced). */
  async reloadSwvRoots(): Promise<void> {
    for (const [id, key] of await this.opts.storage.listSwvRoots()) if (!this.roots.has(id)) this.roots.set(id, key);
  }

  // ---------- dossier access state ----------

  private dossierState(dossier: string): DossierState<A> {
    let st = this.dossiers.get(dossier);
    if (st === undefined) this.dossiers.set(dossier, (st = { access: undefined, loaded: false, lock: Promise.resolve(), timer: undefined }));
    return st;
  }

  /** Runs `fn` with the dossier's access state loaded, one at a time per dossier. */
  withDossier<T>(dossier: string, fn: (st: DossierState<A>) => Promise<T>): Promise<T> {
    const st = this.dossierState(dossier);
    const run = st.lock.then(async () => {
      if (!st.loaded) await this.load(dossier, st);
      // Past its deletion moment: deleted before anything else happens to it [P60].
      if (st.vernietigd !== true && (await this.retention.settle(dossier, st))) this.revalidate(dossier, st);
      return fn(st);
    });
    const settled: Promise<unknown> = run.then(
      () => this.evictIfIdle(dossier, st, settled),
      () => this.evictIfIdle(dossier, st, settled),
    );
    st.lock = settled;
    return run;
  }

  /**
   * Dossier ids come from clients: a state without an access list (no genesis,
   * deleted) is dropped once nothing waits on it, so naming random dossiers
   * cannot grow the relay's memory. The next use reloads it from storage.
   */
  private evictIfIdle(dossier: string, st: DossierState<A>, last: Promise<unknown>): void {
    if (st.lock !== last || st.access !== undefined || st.timer !== undefined) return;
    if (this.dossiers.get(dossier) === st) this.dossiers.delete(dossier);
  }

  /**
   * The dossiers whose access list lets this device read it, in id order after `after` (P46). The
   * relay already enforces exactly this on every subscribe, so the answer tells the device nothing it
   * could not learn by trying; it spares a device that missed notifications (offline, a newcomer to a
   * school, a capped badge queue) from never hearing of a dossier.
   */
  async readableDossiers(device: D, after: string | null, max: number): Promise<{ ids: string[]; next: string | null }> {
    this.allLoaded ??= (async () => {
      for (const room of await this.opts.storage.listRooms()) {
        const parsed = parseRoom(room);
        if (parsed.ok && parsed.value.scope === 'toegang') await this.withDossier(parsed.value.dossier, () => Promise.resolve());
      }
    })();
    try {
      await this.allLoaded;
    } catch (e) {
      this.allLoaded = undefined;
      throw e;
    }
    const now = new Date(this.now());
    const ids: string[] = [];
    for (const [dossier, st] of this.dossiers) {
      if (st.access === undefined || (after !== null && dossier <= after)) continue;
      if (this.opts.policy.checkRead(st.access, device, asId<RoomId>(`${dossier}/toegang`), now).ok) ids.push(dossier);
    }
    ids.sort();
    const page = ids.slice(0, max);
    return { ids: page, next: ids.length > max ? (page[page.length - 1] ?? null) : null };
  }

  /** `withDossier` for a device's request: a deleted dossier is refused with `dossier-vernietigd` [P60]. */
  withLiveDossier<T>(dossier: string, fn: (st: DossierState<A>) => Promise<T>): Promise<T> {
    return this.withDossier(dossier, (st) => {
      if (st.vernietigd === true) throw new RefusalError(refuse('dossier-vernietigd'));
      return fn(st);
    });
  }

  /** Sizes of the relay's in-memory bookkeeping (for tests of bounded memory). */
  get bookkeeping(): { dossiers: number; rooms: number; watchedRooms: number; users: number; devices: number; sessions: number } {
    return { dossiers: this.dossiers.size, rooms: this.byRoom.size, watchedRooms: this.watchers.size, users: this.byUser.size, devices: this.perDevice.size, sessions: this.sessions.size };
  }

  private async load(dossier: string, st: DossierState<A>): Promise<void> {
    const room = `${dossier}/toegang`;
    const now = new Date(this.now());
    let after = 0;
    let access: A | undefined;
    for (;;) {
      const recs = await this.opts.storage.readRecords(room, after, 500, 8 * 1024 * 1024);
      if (recs.length === 0) break;
      for (const r of recs) {
        after = r.seq;
        const env = decodeEnvelope(r.envelope);
        if (!env.ok || env.value.header.kind !== 'acl') continue;
        const next = await this.opts.policy.applyAcl(access, env.value, this.roots, now, false);
        if (next.ok) access = next.value;
        else this.log('warn', 'acl-fold-rejected', { room, seq: r.seq, code: next.error.code });
      }
    }
    st.access = access;
    st.loaded = true;
    this.scheduleExpiry(dossier, st);
  }

  /** After an access change or at the next expiry: end subscriptions that lost read access [P15]. */
  revalidate(dossier: string, st: DossierState<A>): void {
    const now = new Date(this.now());
    for (const s of this.sessions) {
      if (s.device === undefined) continue;
      for (const sub of [...s.subscriptions.values()]) {
        if (sub.dossier !== dossier) continue;
        const check = st.access === undefined ? undefined : this.opts.policy.checkRead(st.access, s.device, sub.room, now);
        if (check === undefined || !check.ok) s.endSubscription(sub.room, check === undefined ? (st.vernietigd === true ? 'dossier-vernietigd' : 'dossier-onbekend') : 'toegang-ingetrokken', check?.ok === false ? check.error.code : null);
      }
      const watched = s.watches.get(dossier);
      if (watched === undefined) continue;
      const lost: RoomId[] = [];
      for (const room of watched) {
        const check = st.access === undefined ? undefined : this.opts.policy.checkRead(st.access, s.device, room, now);
        // A dossier without an access list may still be waited for on its toegang room (as with subscribe).
        if (check === undefined ? !room.endsWith('/toegang') || st.vernietigd === true : !check.ok) lost.push(room);
      }
      if (lost.length > 0) s.endWatches(dossier, lost, st.vernietigd === true ? 'dossier-vernietigd' : st.access === undefined ? 'dossier-onbekend' : 'toegang-ingetrokken');
    }
    this.scheduleExpiry(dossier, st);
  }

  private scheduleExpiry(dossier: string, st: DossierState<A>): void {
    if (st.timer !== undefined) clearTimeout(st.timer);
    st.timer = undefined;
    if (st.access === undefined || this.stopping) return;
    const next = this.opts.policy.nextExpiry(st.access, new Date(this.now()));
    if (next === undefined) return;
    const delay = Math.min(MAX_TIMER_MS, Math.max(0, next - this.now()) + 1);
    st.timer = setTimeout(() => {
      st.timer = undefined;
      void this.withDossier(dossier, (s) => Promise.resolve(this.revalidate(dossier, s))).catch(() => this.log('error', 'expiry-check-failed', {}));
    }, delay);
    st.timer.unref();
  }

  // ---------- maintenance ----------

  /** Deletes records covered by a snapshot older than the retention window, and expired mailboxes [P22]. */
  async collectGarbage(): Promise<{ records: number; mailboxes: number }> {
    // Dossiers whose retention ended while nobody used them are deleted on the same round [P60].
    await this.retention.sweep();
    const retention = this.opts.retentionMs ?? 30 * 24 * 3600_000;
    const now = this.now();
    let records = 0;
    for (const room of await this.opts.storage.listRooms()) {
      if (room.endsWith('/toegang')) continue; // the access log is folded from the start: never collected
      const snap = await this.opts.storage.getSnapshot(room);
      if (snap !== undefined && snap.storedAt + retention <= now) records += await this.opts.storage.deleteRecordsUpTo(room, snap.coversSeq);
    }
    const mailboxes = await this.opts.storage.purgeMailboxes(now);
    await this.served.purge();
    this.log('info', 'gc', { records, mailboxes });
    return { records, mailboxes };
  }

  /** Deletes every room and attachment of a dossier whose retention has ended (by id, no content needed) [P22]. */
  async deleteDossier(dossier: string): Promise<void> {
    await this.withDossier(dossier, async (st) => {
      for (const room of await this.opts.storage.listRooms()) if (room.startsWith(`${dossier}/`)) await this.opts.storage.deleteRoom(room);
      await this.opts.storage.deleteBlobs(dossier);
      st.access = undefined;
      this.revalidate(dossier, st);
    });
    this.log('info', 'dossier-deleted', {});
  }

  /** Stops taking work, lets appends in flight reach the disk and be acked, then closes every session [P23]. */
  async shutdown(): Promise<void> {
    this.stopping = true;
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
    await this.committer.idle();
    for (const s of [...this.sessions]) s.fail(refuse('relay-stopt', { fatal: true }), 1001);
    for (const st of this.dossiers.values()) if (st.timer !== undefined) clearTimeout(st.timer);
    await this.served.close();
    await this.opts.notifier?.close();
  }

  /** Refuses a write that would take the SWV beyond its storage quota [P29] (counted in the store, so across relays). */
  async checkQuota(swvId: string, bytes: number): Promise<void> {
    const quota = this.opts.swvQuotaBytes;
    if (quota === undefined) return;
    if ((await this.opts.storage.swvUsage(swvId)) + bytes > quota) throw new RefusalError(refuse('opslag-vol', { limit: 'swvQuotaBytes' }));
  }

  countUsage(swvId: string, bytes: number): void {
    this.opts.storage.addSwvUsage(swvId, bytes).catch(() => this.log('error', 'usage-count-failed', {}));
  }

  takeMailboxToken(): boolean {
    return this.mailboxBucket.take();
  }

  takePreAuthFrame(ip: string): boolean {
    return this.preAuthPerIp.take(ip);
  }

  /** A write before login: the address's budget first, so one address cannot drain the relay-wide budget. */
  takeAnonymousWrite(ip: string): 'ok' | 'anonymousWritesPerIp' | 'anonymousWrites' {
    if (!this.anonymousPerIp.take(ip)) return 'anonymousWritesPerIp';
    return this.mailboxBucket.take() ? 'ok' : 'anonymousWrites';
  }

  get isStopping(): boolean {
    return this.stopping;
  }
}

type Phase = 'hello' | 'auth' | 'ready' | 'closed';

export class RelaySession<D extends AuthenticatedDevice = AuthenticatedDevice, A = unknown> {
  private phase: Phase = 'hello';
  private nonce: Uint8Array | undefined;
  private pending: D | undefined;
  device: D | undefined;
  readonly subscriptions = new Map<string, Subscription>();
  private subscribing = 0;
  /** Watched rooms by dossier (P45); `watchCount` counts them all against `watchedRooms`. */
  readonly watches = new Map<string, Set<RoomId>>();
  private watchCount = 0;
  /** Heads to push, coalesced until the next turn of the event loop; undefined = read it from storage. */
  private readonly pendingHeads = new Map<string, number | undefined>();
  private headsScheduled = false;
  private readonly records: TokenBucket;
  private readonly preAuth: TokenBucket;
  private readonly notifies: TokenBucket;
  /** Refusals a client may collect before it counts as flooding and is disconnected. */
  private readonly abuse: TokenBucket;
  /** Frames received and not yet answered; above MAX_PENDING the socket is paused. */
  private pendingFrames = 0;
  private pendingBytes = 0;
  private paused = false;
  /** Keeps the checks of one connection's appends in arrival order while their commits overlap. */
  private order: Promise<unknown> = Promise.resolve();
  /** Serialises large output of this connection (see inOutputTurn). */
  private outputTurn: Promise<unknown> = Promise.resolve();
  private readonly timers: NodeJS.Timeout[] = [];
  private static counter = 0;
  readonly id = ++RelaySession.counter;

  constructor(
    private readonly relay: Relay<D, A>,
    private readonly sink: SessionSink,
    private readonly ip: string = 'lokaal',
  ) {
    const l = relay.limits;
    this.records = new TokenBucket(l.recordsPerSecond, l.recordsPerSecond * 2, relay.now);
    this.preAuth = new TokenBucket(l.preAuthFramesPerSecond, l.preAuthFramesPerSecond * 2, relay.now);
    this.notifies = new TokenBucket(l.notifyPerMinute / 60, l.notifyPerMinute, relay.now);
    this.abuse = new TokenBucket(l.recordsPerSecond / 2, l.recordsPerSecond, relay.now);
    const t = setTimeout(() => {
      if (this.phase !== 'ready') this.fail(refuse('niet-aangemeld', { fatal: true }));
    }, relay.opts.authTimeoutMs ?? 30_000);
    t.unref();
    this.timers.push(t);
  }

  // ---------- output ----------

  send(msg: RelayMessage): void {
    this.sendFrame(encodeRelayMessage(msg));
  }

  get congested(): boolean {
    return this.sink.bufferedAmount() > SLOW_CONSUMER_BYTES;
  }

  sendFrame(frame: Uint8Array): void {
    if (this.phase !== 'closed') this.sink.send(frame);
  }

  private error(r: Refusal, ctx: { ref?: number | null; room?: string | null } = {}): void {
    this.send({
      type: 'error',
      code: r.code,
      message: PROTOCOL_ERRORS[r.code],
      ref: ctx.ref ?? null,
      room: ctx.room ?? null,
      limit: r.limit ?? null,
      reason: r.reason ?? null,
      supported: r.code === 'protocolversie-niet-ondersteund' ? [...SUPPORTED_PROTOCOL_VERSIONS] : null,
      fatal: r.fatal === true,
    });
  }

  /** Sends the error and, when fatal, closes the connection. */
  fail(r: Refusal, closeCode = 1008, ctx: { ref?: number | null; room?: string | null } = {}): void {
    if (this.phase === 'closed') return;
    this.error(r, ctx);
    // Codes only (never content): lets an operator see why a client's writes do not land.
    if (r.fatal !== true) this.relay.log('info', 'refused', { conn: this.id, code: r.code, ...(r.limit ? { limit: r.limit } : {}), ...(ctx.room ? { room: ctx.room } : {}), ...(ctx.ref !== undefined && ctx.ref !== null ? { ref: ctx.ref } : {}) });
    if (r.fatal === true) {
      this.relay.log('info', 'session-refused', { conn: this.id, code: r.code });
      this.phase = 'closed';
      this.sink.close(closeCode, r.code);
      this.closed();
    }
  }

  /** The transport is gone (or we closed it). */
  closed(): void {
    this.phase = 'closed';
    for (const t of this.timers) clearTimeout(t);
    this.relay.forget(this);
  }

  endSubscription(room: string, code: ProtocolErrorCode, reason: string | null): void {
    if (!this.subscriptions.delete(room)) return;
    this.relay.removeSubscriber(room, this);
    this.error(refuse(code, { reason }), { room });
  }

  // ---------- input ----------

  /** One binary frame from the client. Never throws: every problem becomes an error frame or a close [P1]. */
  receive(frame: Uint8Array): Promise<void> {
    if (this.phase === 'closed') return Promise.resolve();
    if (frame.length > this.relay.limits.maxFrameBytes) {
      this.fail(refuse('limiet-overschreden', { limit: 'maxFrameBytes', fatal: true }), 1009);
      return Promise.resolve();
    }
    if (this.phase !== 'ready' && !this.preAuth.take()) {
      this.fail(refuse('limiet-overschreden', { limit: 'preAuthFramesPerSecond', fatal: true }));
      return Promise.resolve();
    }
    if (this.phase !== 'ready' && !this.relay.takePreAuthFrame(this.ip)) {
      this.fail(refuse('limiet-overschreden', { limit: 'preAuthFramesPerIp', fatal: true }));
      return Promise.resolve();
    }
    const decoded = decodeClientMessage(frame);
    if (!decoded.ok) {
      this.fail(refuse(decoded.error.code, { fatal: true }));
      return Promise.resolve();
    }
    const msg = decoded.value;
    if (this.phase !== 'ready' && !PRE_AUTH_TYPES.includes(msg.type)) {
      this.fail(refuse('niet-aangemeld', { fatal: true }));
      return Promise.resolve();
    }
    if (this.relay.isStopping && msg.type !== 'hello') {
      this.fail(refuse('relay-stopt', { fatal: true }), 1001);
      return Promise.resolve();
    }
    this.pendingFrames++;
    this.pendingBytes += frame.length;
    if ((this.pendingFrames > MAX_PENDING || this.pendingBytes > MAX_PENDING_BYTES) && !this.paused) {
      this.paused = true;
      this.sink.pause?.();
    }
    return this.relay.track(
      this.dispatch(msg)
        .catch((e: unknown) => {
          if (e instanceof RefusalError) return this.fail(e.refusal, 1008, refOf(msg));
          this.relay.log('error', 'internal-error', { conn: this.id, type: msg.type, error: e instanceof Error ? e.name : 'unknown' });
          this.fail(refuse('opslag-fout'), 1011, refOf(msg));
        })
        .finally(() => {
          this.pendingFrames--;
          this.pendingBytes -= frame.length;
          if (this.paused && this.pendingFrames <= MAX_PENDING / 2 && this.pendingBytes <= MAX_PENDING_BYTES / 2) {
            this.paused = false;
            this.sink.resume?.();
          }
        }),
    );
  }

  private dispatch(msg: ClientMessage): Promise<void> {
    switch (msg.type) {
      case 'hello':
        return this.onHello(msg);
      case 'auth':
        return this.onAuth(msg);
      case 'subscribe':
        return this.onSubscribe(msg);
      case 'unsubscribe':
        return this.onUnsubscribe(msg);
      case 'watch':
        return this.onWatch(msg);
      case 'list-dossiers':
        return this.onListDossiers(msg);
      case 'served-log-get':
        return this.onServedLogGet(msg);
      case 'tlv-number-claim':
        return this.onTlvNumberClaim(msg);
      case 'tlv-register-get':
        return this.onTlvRegisterGet(msg);
      case 'tombstone-get':
        return this.onTombstoneGet(msg);
      case 'unwatch':
        return this.onUnwatch(msg);
      case 'append':
        return this.onAppend(msg);
      case 'snapshot':
        return this.onSnapshot(msg);
      case 'awareness':
        return this.onAwareness(msg);
      case 'blob-put':
        return this.onBlobPut(msg);
      case 'blob-get':
        return this.onBlobGet(msg);
      case 'notify':
        return this.onNotify(msg);
      case 'register-email':
        return this.onRegisterEmail(msg);
      case 'notifications-pull':
        return this.onPull();
      case 'register-swv':
        return this.onRegisterSwv(msg);
      case 'mailbox-put':
        return this.onMailboxPut(msg);
      case 'mailbox-get':
        return this.onMailboxGet(msg);
      case 'end-user':
        return this.onEndUser(msg);
      case 'ended-users-get':
        return this.onEndedUsersGet();
      case 'revoke-device':
        return this.onRevokeDevice(msg);
      case 'revoked-devices-get':
        return this.onRevokedDevicesGet();
      case 'key-renewal-put':
        return this.onKeyRenewalPut(msg);
      case 'key-renewals-get':
        return this.onKeyRenewalsGet();
      default:
        return assertNever(msg, 'bericht');
    }
  }

  // ---------- session [P2–P5] ----------

  private async onHello(msg: ClientMessageOf<'hello'>): Promise<void> {
    if (this.phase !== 'hello') throw new RefusalError(refuse('volgorde-onjuist', { fatal: true }));
    if (!SUPPORTED_PROTOCOL_VERSIONS.includes(msg.protocolVersion)) throw new RefusalError(refuse('protocolversie-niet-ondersteund', { fatal: true }));
    // Leave 'hello' before the (async) chain check, so a second hello sent meanwhile is out of order too.
    this.phase = 'auth';
    const device = await this.relay.opts.policy.verifyChain(msg.chain, this.relay.swvRoots, new Date(this.relay.now()));
    if (!device.ok) throw new RefusalError(refuse('certificaat-geweigerd', { reason: device.error.code, fatal: true }));
    const endedAt = this.relay.userEnds.endedAt(device.value.swvId, device.value.userId);
    if (endedAt !== undefined && endedAt <= this.relay.now()) throw new RefusalError(refuse('gebruiker-beeindigd', { fatal: true }));
    const revokedAt = this.relay.deviceRevocations.revokedAt(device.value.swvId, device.value.userId, device.value.deviceId);
    if (revokedAt !== undefined && revokedAt <= this.relay.now()) throw new RefusalError(refuse('apparaat-ingetrokken', { fatal: true }));
    this.pending = device.value;
    this.nonce = randomBytes(32);
    this.send({ type: 'challenge', protocolVersion: PROTOCOL_VERSION, nonce: this.nonce });
  }

  private async onAuth(msg: ClientMessageOf<'auth'>): Promise<void> {
    await Promise.resolve();
    const { nonce, pending } = this;
    if (this.phase !== 'auth' || pending === undefined || nonce === undefined) throw new RefusalError(refuse('volgorde-onjuist', { fatal: true }));
    // One answer per challenge: a second auth sent while this one is checked is out of order (and cannot be admitted twice).
    this.nonce = undefined;
    if (!this.relay.opts.origins.includes(msg.origin)) throw new RefusalError(refuse('origin-onjuist', { fatal: true }));
    const pk = publicKeyFromDeviceId(pending.deviceId);
    if (!pk.ok || !(await this.verifySignature(pk.value, authMessage(nonce, msg.origin), msg.signature))) throw new RefusalError(refuse('aanmelding-mislukt', { fatal: true }));
    if (this.phase !== 'auth') return;
    const device = pending;
    if (!this.relay.admit(this, device)) throw new RefusalError(refuse('te-veel-verbindingen', { limit: 'connectionsPerIdentity', fatal: true }));
    this.device = device;
    this.phase = 'ready';
    this.nonce = undefined;
    // The session ends when the device's certificate chain expires.
    const t = setTimeout(() => this.fail(refuse('toegang-verlopen', { reason: 'verlopen', fatal: true })), Math.min(MAX_TIMER_MS, Math.max(0, device.validUntil - this.relay.now())));
    t.unref();
    this.timers.push(t);
    this.endAtUserEnd();
    this.relay.log('info', 'session-ready', { conn: this.id });
    this.send({ type: 'ready', protocolVersion: PROTOCOL_VERSION, deviceId: device.deviceId, limits: { ...this.relay.limits }, serverTime: this.relay.now() });
  }

  /**
   * Closes this session when the SWV ended its user [P40] or its device was revoked [P47]: a timer for a
   * moment still ahead, so a revocation time a few seconds in the future ends it then [R55].
   */
  endAtUserEnd(): void {
    const device = this.device;
    if (device === undefined) return;
    const endedAt = this.relay.userEnds.endedAt(device.swvId, device.userId);
    if (endedAt !== undefined) {
      const t = setTimeout(() => this.fail(refuse('gebruiker-beeindigd', { fatal: true })), Math.min(MAX_TIMER_MS, Math.max(0, endedAt - this.relay.now())));
      t.unref();
      this.timers.push(t);
    }
    const revokedAt = this.relay.deviceRevocations.revokedAt(device.swvId, device.userId, device.deviceId);
    if (revokedAt !== undefined) {
      const t = setTimeout(() => this.fail(refuse('apparaat-ingetrokken', { fatal: true })), Math.min(MAX_TIMER_MS, Math.max(0, revokedAt - this.relay.now())));
      t.unref();
      this.timers.push(t);
    }
  }

  /** Ed25519 check of client-supplied key and signature bytes: wrong lengths or a bad point are a refusal, never a throw. */
  private async verifySignature(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): Promise<boolean> {
    if (publicKey.length !== 32 || signature.length !== 64) return false;
    try {
      return await this.relay.crypto.ed25519Verify(publicKey, message, signature);
    } catch {
      return false;
    }
  }

  private requireDevice(): D {
    if (this.device === undefined) throw new RefusalError(refuse('niet-aangemeld', { fatal: true }));
    return this.device;
  }

  // ---------- rooms ----------

  private roomOf(room: string): { room: RoomId; dossier: string } {
    const parsed = parseRoom(room);
    if (!parsed.ok) throw new RefusalError(refuse('ruimte-ongeldig'));
    return { room: asId<RoomId>(room), dossier: parsed.value.dossier };
  }

  private async onSubscribe(msg: ClientMessageOf<'subscribe'>): Promise<void> {
    const device = this.requireDevice();
    // Each subscribe reads from storage: counted like a record so a subscribe loop is a flood too.
    this.takeRecordToken();
    const { room, dossier } = this.roomOf(msg.room);
    if (!this.subscriptions.has(room) && this.subscriptions.size + this.subscribing >= this.relay.limits.openRooms) {
      throw new RefusalError(refuse('limiet-overschreden', { limit: 'openRooms' }));
    }
    // Subscriptions being checked count too, or a burst of subscribes would slip past the limit.
    this.subscribing++;
    await this.relay.withLiveDossier(dossier, (st) => {
      if (st.access === undefined) {
        // The toegang room of a dossier without genesis may be subscribed (to wait for it); nothing else.
        if (!room.endsWith('/toegang')) throw new RefusalError(refuse('dossier-onbekend'));
      } else {
        const check = this.relay.opts.policy.checkRead(st.access, device, room, new Date(this.relay.now()));
        if (!check.ok) throw new RefusalError(fromAccess(check.error, false));
      }
      this.subscriptions.set(room, { room, dossier, sentUpTo: msg.afterSeq, first: true, withoutSnapshot: msg.withoutSnapshot === true, pumping: false, again: false });
      this.relay.addSubscriber(room, this);
      return Promise.resolve();
    }).finally(() => this.subscribing--);
    this.pump(room);
  }

  private onUnsubscribe(msg: ClientMessageOf<'unsubscribe'>): Promise<void> {
    this.requireDevice();
    if (this.subscriptions.delete(msg.room)) this.relay.removeSubscriber(msg.room, this);
    this.send({ type: 'done', of: 'unsubscribe' });
    return Promise.resolve();
  }

  // ---------- watches [P45] ----------

  /**
   * Watching a room costs the relay one head read now and one small notice per committed record,
   * and no storage reads after that: a device follows thousands of rooms this way and subscribes
   * only to fetch (or to the dossier on screen). Read right is checked like a subscription's.
   */
  private async onWatch(msg: ClientMessageOf<'watch'>): Promise<void> {
    const device = this.requireDevice();
    for (let i = 0; i < Math.ceil(msg.rooms.length / WATCHES_PER_TOKEN); i++) this.takeRecordToken();
    const changed: { room: string; headSeq: number }[] = [];
    const refused: { room: string; code: string }[] = [];
    const byDossier = new Map<string, { room: RoomId; afterSeq: number }[]>();
    for (const item of msg.rooms) {
      const parsed = parseRoom(item.room);
      if (!parsed.ok) {
        refused.push({ room: item.room, code: 'ruimte-ongeldig' });
        continue;
      }
      const list = byDossier.get(parsed.value.dossier) ?? [];
      list.push({ room: asId<RoomId>(item.room), afterSeq: item.afterSeq });
      byDossier.set(parsed.value.dossier, list);
    }
    const storage = this.relay.opts.storage;
    for (const [dossier, items] of byDossier) {
      const admitted = await this.relay.withDossier(dossier, (st) => {
        const now = new Date(this.relay.now());
        const ok: { room: RoomId; afterSeq: number }[] = [];
        for (const item of items) {
          const code = st.vernietigd === true ? 'dossier-vernietigd' : this.watchRefusal(st.access, device, item.room, now);
          if (code !== null) refused.push({ room: item.room, code });
          else {
            this.addWatch(dossier, item.room);
            ok.push(item);
          }
        }
        return Promise.resolve(ok);
      });
      for (const item of admitted) {
        const head = await storage.headSeq(item.room);
        if (head > item.afterSeq) changed.push({ room: item.room, headSeq: head });
      }
    }
    this.send({ type: 'heads', ref: msg.ref, changed, refused });
  }

  /** Records of a dossier part went out to this device: noted in the served log, toegang excepted [P52]. */
  private noteServed(room: string, count: number): void {
    const parsed = parseRoom(room);
    if (!parsed.ok || parsed.value.scope === 'toegang' || this.device === undefined) return;
    this.relay.served.note(parsed.value.dossier, this.device, parsed.value.scope, count);
  }

  /** The served log of a dossier, for anyone who may read its access list (members, the FG) [P52]. */
  private async onServedLogGet(msg: ClientMessageOf<'served-log-get'>): Promise<void> {
    const device = this.requireDevice();
    this.takeRecordToken();
    const room = asId<RoomId>(`${msg.dossier}/toegang`);
    await this.relay.withLiveDossier(msg.dossier, (st) => {
      if (st.access === undefined) throw new RefusalError(refuse('dossier-onbekend'));
      const check = this.relay.opts.policy.checkRead(st.access, device, room, new Date(this.relay.now()));
      if (!check.ok) throw new RefusalError(fromAccess(check.error, false));
      return Promise.resolve();
    });
    const entries = await this.relay.served.list(msg.dossier);
    // Signed, so the relay answers for what it says it served [P83].
    const signed = await signServedLog(this.relay.crypto, this.relay.identity, {
      dossier: msg.dossier,
      at: this.relay.now(),
      entries: entries.map((e) => ({ device: e.device, user: e.user, scope: e.scope, first: e.first, last: e.last, count: e.count })),
    });
    this.send({ type: 'served-log', ref: msg.ref, entries: [...signed.entries], at: signed.at, relayKey: signed.relayKey, signature: signed.signature });
  }

  /**
   * The next volgnummer of the device's SWV [P71], for its own office only. The register row is
   * committed before the answer, so an answered number is never given again, also after a crash.
   */
  private async onTlvNumberClaim(msg: ClientMessageOf<'tlv-number-claim'>): Promise<void> {
    const device = this.requireDevice();
    this.takeRecordToken();
    if (!this.relay.opts.policy.mayNumberTlv(device)) throw new RefusalError(refuse('tlv-register-geweigerd'));
    const e = await this.relay.opts.storage.claimTlvNumber(device.swvId, msg.claim, device.userId, this.relay.now());
    this.relay.log('info', 'tlv-number', { duplicate: e.duplicate });
    this.send({ type: 'tlv-number', ref: msg.ref, volgnummer: e.volgnummer, at: e.at, duplicate: e.duplicate });
  }

  /**
   * A deleted dossier's tombstone record, for a device that still holds the dossier [P60, R83]: the signed
   * `bewaartermijn` record names nobody and holds no key, so any logged-in device may ask; the client
   * checks it against the access list it holds before it deletes anything.
   */
  private async onTombstoneGet(msg: ClientMessageOf<'tombstone-get'>): Promise<void> {
    this.requireDevice();
    this.takeRecordToken();
    const t = await this.relay.retention.tombstone(msg.dossier);
    this.send({ type: 'tombstone', ref: msg.ref, record: t === undefined || t.record.length === 0 ? null : t.record });
  }

  /** The register of the device's own SWV: numbers, commitments, who and when; no hulpvraag is named [P71]. */
  private async onTlvRegisterGet(msg: ClientMessageOf<'tlv-register-get'>): Promise<void> {
    const device = this.requireDevice();
    this.takeRecordToken();
    const entries = await this.relay.opts.storage.listTlvNumbers(device.swvId, msg.after, TLV_REGISTER_PAGE);
    const last = entries.at(-1);
    this.send({ type: 'tlv-register', ref: msg.ref, entries, next: entries.length === TLV_REGISTER_PAGE && last !== undefined ? last.volgnummer : null });
  }

  private async onListDossiers(msg: ClientMessageOf<'list-dossiers'>): Promise<void> {
    const device = this.requireDevice();
    this.takeRecordToken();
    const page = await this.relay.readableDossiers(device, msg.after, DOSSIER_PAGE);
    this.send({ type: 'dossier-list', ref: msg.ref, ids: page.ids, next: page.next });
  }

  private watchRefusal(access: A | undefined, device: D, room: RoomId, now: Date): string | null {
    if (!this.watchesRoom(room) && this.watchCount >= this.relay.limits.watchedRooms) return 'limiet-overschreden';
    // The toegang room of a dossier without genesis may be watched (to wait for it); nothing else.
    if (access === undefined) return room.endsWith('/toegang') ? null : 'dossier-onbekend';
    const check = this.relay.opts.policy.checkRead(access, device, room, now);
    return check.ok ? null : fromAccess(check.error, false).code;
  }

  private watchesRoom(room: RoomId): boolean {
    const parsed = parseRoom(room);
    return parsed.ok && (this.watches.get(parsed.value.dossier)?.has(room) ?? false);
  }

  private addWatch(dossier: string, room: RoomId): void {
    let rooms = this.watches.get(dossier);
    if (rooms === undefined) this.watches.set(dossier, (rooms = new Set()));
    if (rooms.has(room)) return;
    rooms.add(room);
    this.watchCount++;
    this.relay.addWatcher(room, this);
  }

  private removeWatch(dossier: string, room: RoomId): void {
    const rooms = this.watches.get(dossier);
    if (rooms === undefined || !rooms.delete(room)) return;
    if (rooms.size === 0) this.watches.delete(dossier);
    this.watchCount--;
    this.pendingHeads.delete(room);
    this.relay.removeWatcher(room, this);
  }

  private onUnwatch(msg: ClientMessageOf<'unwatch'>): Promise<void> {
    this.requireDevice();
    for (const room of msg.rooms) {
      const parsed = parseRoom(room);
      if (parsed.ok) this.removeWatch(parsed.value.dossier, asId<RoomId>(room));
    }
    this.send({ type: 'done', of: 'unwatch' });
    return Promise.resolve();
  }

  /** Access to watched rooms ended: they are dropped and the client is told which, with the reason. */
  endWatches(dossier: string, rooms: readonly RoomId[], code: string): void {
    for (const room of rooms) this.removeWatch(dossier, room);
    this.send({ type: 'heads', ref: null, changed: [], refused: rooms.map((room) => ({ room, code })) });
  }

  noteHead(room: string, seq: number | undefined): void {
    const known = this.pendingHeads.get(room);
    this.pendingHeads.set(room, seq === undefined || (this.pendingHeads.has(room) && known === undefined) ? undefined : Math.max(seq, known ?? 0));
    if (this.headsScheduled) return;
    this.headsScheduled = true;
    setImmediate(() => void this.flushHeads());
  }

  private async flushHeads(): Promise<void> {
    this.headsScheduled = false;
    const items = [...this.pendingHeads];
    this.pendingHeads.clear();
    const changed: { room: string; headSeq: number }[] = [];
    for (const [room, seq] of items) {
      try {
        changed.push({ room, headSeq: seq ?? (await this.relay.opts.storage.headSeq(room)) });
      } catch {
        this.relay.log('error', 'head-read-failed', { conn: this.id });
      }
    }
    for (let i = 0; i < changed.length; i += MAX_WATCH_BATCH * 4) this.send({ type: 'heads', ref: null, changed: changed.slice(i, i + MAX_WATCH_BATCH * 4), refused: [] });
  }

  /** Sends everything after `sentUpTo` from storage, batch by batch; live records take the same path, so there are no gaps [P7]. */
  pump(room: string): void {
    const sub = this.subscriptions.get(room);
    if (sub === undefined) return;
    if (sub.pumping) {
      sub.again = true;
      return;
    }
    sub.pumping = true;
    void this.pumpLoop(sub)
      .catch(() => {
        this.relay.log('error', 'pump-failed', { conn: this.id });
        this.endSubscription(sub.room, 'opslag-fout', null);
      })
      .finally(() => {
        sub.pumping = false;
      });
  }

  private async pumpLoop(sub: Subscription): Promise<void> {
    do {
      sub.again = false;
      for (;;) {
        if (this.phase === 'closed' || this.subscriptions.get(sub.room) !== sub) return;
        const next = await this.inOutputTurn(() => this.pumpBatch(sub));
        if (next === 'stop') return;
        if (next === 'done') break;
      }
    } while (sub.again);
  }

  /** Reads and sends one batch once the client has read what was sent before; 'more' when there may be more to send. */
  private async pumpBatch(sub: Subscription): Promise<'more' | 'done' | 'stop'> {
    const storage = this.relay.opts.storage;
    if (!(await this.whenDrained())) return 'stop';
    if (this.subscriptions.get(sub.room) !== sub) return 'stop';
    let snapshot: { coversSeq: number; envelope: Uint8Array } | null = null;
    if (sub.first && !sub.withoutSnapshot) {
      const snap = await storage.getSnapshot(sub.room);
      if (snap !== undefined && snap.coversSeq > sub.sentUpTo) {
        snapshot = { coversSeq: snap.coversSeq, envelope: snap.envelope };
        sub.sentUpTo = snap.coversSeq;
      }
    }
    const head = await storage.headSeq(sub.room);
    const records = await storage.readRecords(sub.room, sub.sentUpTo, 1000, this.relay.limits.batchBytes);
    if (records.length === 0 && !sub.first && snapshot === null) return 'done';
    const last = records[records.length - 1];
    if (last !== undefined) sub.sentUpTo = last.seq;
    // Records deleted by GC below the head are skipped, so the client never waits for them.
    if (records.length === 0 && sub.sentUpTo < head) sub.sentUpTo = head;
    const live = sub.sentUpTo >= head;
    sub.first = false;
    if (this.subscriptions.get(sub.room) !== sub) return 'stop';
    this.send({ type: 'records', room: sub.room, snapshot, records: records.map((r) => ({ seq: r.seq, envelope: r.envelope })), headSeq: Math.max(head, sub.sentUpTo), live });
    this.noteServed(sub.room, records.length + (snapshot === null ? 0 : 1));
    return records.length === 0 ? 'done' : 'more';
  }

  /**
   * Large output (record batches, attachments) of one connection is sent one
   * piece at a time, each only when the client has read what came before: a
   * client that subscribes to many rooms or asks for attachments without
   * reading holds at most the slow-consumer mark plus one piece in memory.
   */
  private inOutputTurn<T>(fn: () => Promise<T>): Promise<T> {
    const turn = this.outputTurn.then(fn);
    this.outputTurn = turn.catch(() => undefined);
    return turn;
  }

  // ---------- appends [P8–P12] ----------

  /** Decodes and checks an envelope against this session and the named room (signature included). */
  private async checkEnvelope(device: D, room: RoomId, bytes: Uint8Array, kinds: readonly string[], limit: 'maxRecordBytes' | 'maxBlobBytes' = 'maxRecordBytes'): Promise<Envelope> {
    if (bytes.length > this.relay.limits[limit]) throw new RefusalError(refuse('limiet-overschreden', { limit }));
    const env = decodeEnvelope(bytes);
    if (!env.ok) throw new RefusalError(refuse('envelop-ongeldig', { reason: env.error.code }));
    const h = env.value.header;
    if (h.room !== room) throw new RefusalError(refuse('ruimte-onjuist'));
    if (h.author !== device.deviceId) throw new RefusalError(refuse('auteur-onjuist'));
    if (!kinds.includes(h.kind)) throw new RefusalError(refuse('soort-onjuist', { reason: h.kind }));
    if (!(await verifyEnvelopeSignature(this.relay.crypto, env.value))) throw new RefusalError(refuse('handtekening-ongeldig'));
    return env.value;
  }

  /**
   * "May this device write this envelope here now" [P9, P10, P15], for appends and snapshots alike: an access
   * record only in the toegang room (the first one, with no access yet, is checked as a genesis by applyAcl);
   * otherwise the dossier must be known, the device must hold write right on the room for the kind, and content
   * (update, snapshot) must be sealed under an epoch the author may write. Run inside the dossier's turn, with
   * the clock read there, so an expired grant cannot slip through while waiting.
   */
  private checkWrite(access: A | undefined, device: D, room: RoomId, h: EnvelopeHeader, now: Date): void {
    const policy = this.relay.opts.policy;
    if (h.kind === 'acl' && !room.endsWith('/toegang')) throw new RefusalError(refuse('soort-onjuist', { reason: 'acl' }));
    if (access === undefined) {
      if (h.kind === 'acl') return;
      throw new RefusalError(refuse('dossier-onbekend'));
    }
    const may = policy.checkAppend(access, device, room, h.kind, now);
    if (!may.ok) throw new RefusalError(fromAccess(may.error, true));
    if (h.kind === 'update' || h.kind === 'snapshot') {
      const author = policy.checkRecord(access, device, room, h.kind, h.epoch, now);
      if (!author.ok) throw new RefusalError(fromAccess(author.error, true));
    }
  }

  private takeRecordToken(): void {
    if (this.records.take()) return;
    // A client that keeps sending after being told is flooding: it is disconnected, so it cannot slow the others.
    throw new RefusalError(refuse('limiet-overschreden', { limit: 'recordsPerSecond', fatal: !this.abuse.take() }));
  }

  private async onAppend(msg: ClientMessageOf<'append'>): Promise<void> {
    const device = this.requireDevice();
    this.takeRecordToken();
    const { room, dossier } = this.roomOf(msg.room);
    // Checks run in arrival order per connection; the commit itself is shared with other appends (group commit).
    const checked = this.order.then(
      () => this.checkedAppend(device, room, dossier, msg),
      () => this.checkedAppend(device, room, dossier, msg),
    );
    this.order = checked;
    const outcome = await (await checked).p;
    if (outcome.kind === 'conflict') throw new RefusalError(refuse('teller-conflict'));
    this.send({ type: 'ack', ref: msg.ref, seq: outcome.seq, duplicate: outcome.kind === 'duplicate' });
    if (outcome.kind === 'stored') {
      this.relay.announce(room, outcome.seq);
      this.relay.countUsage(device.swvId, msg.envelope.length);
    }
  }

  /** Resolves once the append is checked and queued; `p` resolves when it is durable (wrapped so the order chain does not wait for the disk). */
  private async checkedAppend(device: D, room: RoomId, dossier: string, msg: ClientMessageOf<'append'>): Promise<{ p: Promise<AppendOutcome> }> {
    const env = await this.checkEnvelope(device, room, msg.envelope, ['update', 'keybox', 'acl', 'access', 'seen']);
    const h = env.header;
    const policy = this.relay.opts.policy;
    const item = { room, author: h.author, counter: h.counter, envelope: msg.envelope };
    if (h.kind === 'acl') {
      // Access changes are applied and stored one at a time per dossier, so the state always matches the log [P15].
      const outcome = await this.relay.withLiveDossier(dossier, async (st): Promise<AppendOutcome> => {
        // The clock is read once the dossier's turn has come: waiting for it must not let an expired grant or a stale `at` through.
        const now = new Date(this.relay.now());
        this.checkWrite(st.access, device, room, h, now);
        const next = await policy.applyAcl(st.access, env, this.relay.swvRoots, now, true);
        if (!next.ok) {
          // A replay of a stored record no longer fits the chain: answer it with its original seq (read only, nothing written).
          const slot = await this.relay.opts.storage.lookup(room, h.author, h.counter);
          if (slot !== undefined) {
            if (Buffer.from(slot.hash).equals(Buffer.from(sha256Native(msg.envelope)))) return { kind: 'duplicate', seq: slot.seq };
            throw new RefusalError(refuse('teller-conflict'));
          }
          throw new RefusalError(refuse('toegangsrecord-geweigerd', { reason: next.error.code }));
        }
        // A revoked device never becomes a key recipient again, also in a dossier made after its revocation [R149].
        for (const r of policy.addedRecipients?.(st.access, next.value) ?? []) {
          const revokedAt = this.relay.deviceRevocations.revokedAt(device.swvId, r.user, r.device);
          if (revokedAt !== undefined && revokedAt <= now.getTime()) throw new RefusalError(refuse('toegangsrecord-geweigerd', { reason: 'ontvanger-ingetrokken' }));
        }
        const outcome = await this.relay.committer.append(item);
        if (outcome.kind === 'stored') {
          st.access = next.value;
          this.relay.revalidate(dossier, st);
        }
        return outcome;
      });
      return { p: Promise.resolve(outcome) };
    }
    return this.relay.withLiveDossier(dossier, async (st) => {
      if (st.access === undefined) throw new RefusalError(refuse('dossier-onbekend'));
      const now = new Date(this.relay.now());
      // A replay is answered with its original seq even if the epoch has since rotated [P11]: the record was valid when stored.
      const slot = await this.relay.opts.storage.lookup(room, h.author, h.counter);
      if (slot !== undefined) {
        if (!Buffer.from(slot.hash).equals(Buffer.from(sha256Native(msg.envelope)))) throw new RefusalError(refuse('teller-conflict'));
        return { p: Promise.resolve<AppendOutcome>({ kind: 'duplicate', seq: slot.seq }) };
      }
      this.checkWrite(st.access, device, room, h, now);
      if (h.kind === 'seen') {
        const seen = decodeSeenPublicPart(env.publicPart);
        if (!seen.ok) throw new RefusalError(refuse('envelop-ongeldig', { reason: seen.error.code }));
        if (seen.value.upToSeq > (await this.relay.opts.storage.headSeq(room))) throw new RefusalError(refuse('bericht-ongeldig', { reason: 'seen-voorbij-head' }));
        const { headHash, upToSeq } = seen.value;
        if (headHash !== undefined && upToSeq > 0) {
          // The marker names the record it saw at upToSeq: it must be the one in this log (unless collected).
          const [at] = await this.relay.opts.storage.readRecords(room, upToSeq - 1, 1, Number.MAX_SAFE_INTEGER);
          if (at?.seq === upToSeq && !Buffer.from(sha256Native(at.envelope)).equals(Buffer.from(headHash))) {
            throw new RefusalError(refuse('bericht-ongeldig', { reason: 'seen-hash-onjuist' }));
          }
        }
      }
      await this.relay.checkQuota(device.swvId, msg.envelope.length);
      // Queue the commit while holding the dossier's turn, then wait outside it (group commit).
      return { p: this.relay.committer.append(item) };
    });
  }

  private async onSnapshot(msg: ClientMessageOf<'snapshot'>): Promise<void> {
    const device = this.requireDevice();
    this.takeRecordToken();
    const { room, dossier } = this.roomOf(msg.room);
    // A snapshot holds a whole document: it may be as large as an attachment.
    const env = await this.checkEnvelope(device, room, msg.envelope, ['snapshot'], 'maxBlobBytes');
    const part = decodeSnapshotPublicPart(env.publicPart);
    if (!part.ok) throw new RefusalError(refuse('envelop-ongeldig', { reason: part.error.code }));
    if (part.value.coversSeq !== msg.coversSeq) throw new RefusalError(refuse('momentopname-onjuist', { reason: 'coversSeq' }));
    const storage = this.relay.opts.storage;
    const outcome = await this.relay.withLiveDossier(dossier, async (st) => {
      this.checkWrite(st.access, device, room, env.header, new Date(this.relay.now()));
      const hash = sha256Native(msg.envelope);
      const current = await storage.getSnapshot(room);
      if (current !== undefined && Buffer.from(current.hash).equals(Buffer.from(hash))) return 'duplicate' as const;
      if (msg.coversSeq > (await storage.headSeq(room))) throw new RefusalError(refuse('momentopname-onjuist', { reason: 'voorbij-head' }));
      if (current !== undefined && msg.coversSeq < current.coversSeq) throw new RefusalError(refuse('momentopname-onjuist', { reason: 'ouder' }));
      const stored = await storage.putSnapshot(room, { coversSeq: msg.coversSeq, envelope: msg.envelope, hash, storedAt: this.relay.now() }, part.value.prev);
      if (stored === 'conflict') throw new RefusalError(refuse('momentopname-onjuist', { reason: 'vorige' }));
      return 'stored' as const;
    });
    this.send({ type: 'ack', ref: msg.ref, seq: msg.coversSeq, duplicate: outcome === 'duplicate' });
  }

  private async onAwareness(msg: ClientMessageOf<'awareness'>): Promise<void> {
    const device = this.requireDevice();
    this.takeRecordToken();
    const { room } = this.roomOf(msg.room);
    // Only subscribers may speak in a room: their read right was checked and is re-checked on every access change.
    if (!this.subscriptions.has(room)) throw new RefusalError(refuse('geen-toegang'));
    await this.checkEnvelope(device, room, msg.envelope, ['awareness']);
    this.relay.forwardAwareness(room, this, msg.envelope);
  }

  // ---------- attachments [P17] ----------

  private async memberCheck(room: RoomId, dossier: string, write: boolean): Promise<void> {
    const device = this.requireDevice();
    await this.relay.withLiveDossier(dossier, (st) => {
      if (st.access === undefined) throw new RefusalError(refuse('dossier-onbekend'));
      const now = new Date(this.relay.now());
      const check = write ? this.relay.opts.policy.checkAppend(st.access, device, room, 'update', now) : this.relay.opts.policy.checkRead(st.access, device, room, now);
      if (!check.ok) throw new RefusalError(fromAccess(check.error, write));
      return Promise.resolve();
    });
  }

  private async onBlobPut(msg: ClientMessageOf<'blob-put'>): Promise<void> {
    const device = this.requireDevice();
    this.takeRecordToken();
    if (msg.data.length > this.relay.limits.maxBlobBytes) throw new RefusalError(refuse('limiet-overschreden', { limit: 'maxBlobBytes' }));
    const { room, dossier } = this.roomOf(msg.room);
    await this.memberCheck(room, dossier, true);
    if (!Buffer.from(sha256Native(msg.data)).equals(Buffer.from(msg.hash))) throw new RefusalError(refuse('bijlage-onjuist'));
    await this.relay.checkQuota(device.swvId, msg.data.length);
    await this.relay.opts.storage.putBlob(room, msg.hash, msg.data);
    this.relay.countUsage(device.swvId, msg.data.length);
    this.send({ type: 'blob-stored', ref: msg.ref, hash: msg.hash });
  }

  private async onBlobGet(msg: ClientMessageOf<'blob-get'>): Promise<void> {
    this.requireDevice();
    this.takeRecordToken();
    const { room, dossier } = this.roomOf(msg.room);
    await this.memberCheck(room, dossier, false);
    // A client asking for a 10 MB attachment again and again without reading cannot pile it up in memory.
    await this.inOutputTurn(async () => {
      if (!(await this.whenDrained())) return;
      const data = await this.relay.opts.storage.getBlob(room, msg.hash);
      if (data === undefined) throw new RefusalError(refuse('bijlage-onbekend'));
      this.send({ type: 'blob', ref: msg.ref, hash: msg.hash, data });
      if (this.device !== undefined) this.relay.served.note(dossier, this.device, 'bijlage', 1);
    });
  }

  /** Waits until the connection's unsent bytes are below the slow-consumer mark; false when it closed or stayed congested too long. */
  private async whenDrained(): Promise<boolean> {
    const since = this.relay.now();
    while (this.congested) {
      if (this.phase === 'closed') return false;
      if (this.relay.now() - since > SLOW_CONSUMER_MS) {
        this.fail(refuse('te-traag', { fatal: true }));
        return false;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    return this.phase !== 'closed';
  }

  // ---------- notifications [P18, P19] ----------

  private async onNotify(msg: ClientMessageOf<'notify'>): Promise<void> {
    const device = this.requireDevice();
    if (!this.notifies.take()) throw new RefusalError(refuse('limiet-overschreden', { limit: 'notifyPerMinute' }));
    const { room, dossier } = this.roomOf(msg.room);
    const members = await this.relay.withLiveDossier(dossier, (st) => {
      if (st.access === undefined) throw new RefusalError(refuse('dossier-onbekend'));
      const now = new Date(this.relay.now());
      const check = this.relay.opts.policy.checkRead(st.access, device, room, now);
      if (!check.ok) throw new RefusalError(fromAccess(check.error, false));
      return Promise.resolve(this.relay.opts.policy.members(st.access, now));
    });
    if (!msg.recipients.every((r) => members.has(r))) throw new RefusalError(refuse('ontvanger-onbekend'));
    await this.relay.opts.notifier?.notify(msg.recipients, msg.kind, room);
    this.send({ type: 'done', of: 'notify' });
  }

  private async onRegisterEmail(msg: ClientMessageOf<'register-email'>): Promise<void> {
    const device = this.requireDevice();
    await this.relay.opts.storage.setEmail(device.userId, msg.email);
    this.send({ type: 'done', of: 'register-email' });
  }

  private async onPull(): Promise<void> {
    const device = this.requireDevice();
    const items = await this.relay.opts.storage.takeNotifications(device.userId);
    this.send({ type: 'notifications', items: toItems(items) });
  }

  // ---------- before login: SWV registration and mailboxes [P20, P21] ----------

  private async onRegisterSwv(msg: ClientMessageOf<'register-swv'>): Promise<void> {
    if (!this.relay.opts.allowSwvRegistration) throw new RefusalError(refuse('swv-registratie-uit'));
    // Registered roots are kept forever: anonymous registrations share the relay-wide budget of mailbox writes.
    this.takeMailboxWrite();
    if (!(await this.verifySignature(msg.rootPublicKey, registerSwvMessage(msg.swvId, msg.rootPublicKey), msg.proof))) throw new RefusalError(refuse('bewijs-ongeldig'));
    const outcome = await this.relay.registerSwv(msg.swvId, msg.rootPublicKey);
    if (outcome === 'other') throw new RefusalError(refuse('swv-bestaat-al'));
    if (outcome === 'stored') this.relay.log('info', 'swv-registered', {});
    this.send({ type: 'done', of: 'register-swv' });
  }

  private async onMailboxPut(msg: ClientMessageOf<'mailbox-put'>): Promise<void> {
    this.takeMailboxWrite();
    const storage = this.relay.opts.storage;
    // A logged-in device's mailboxes (invitations, device links, directory pages) count against its SWV;
    // writes before login against the anonymous pool, so an anonymous flood cannot fill what SWVs need [P21].
    const owner = this.device?.swvId ?? null;
    const max = owner === null ? (this.relay.opts.maxMailboxes ?? DEFAULT_MAX_MAILBOXES) : (this.relay.opts.mailboxesPerSwv ?? DEFAULT_MAILBOXES_PER_SWV);
    const limit = owner === null ? 'maxMailboxes' : 'mailboxesPerSwv';
    // The rate limit alone would let writers fill the disk over the 7-day lifetime: the totals are capped too.
    if ((await storage.mailboxCountOf(owner)) >= max) {
      await storage.purgeMailboxes(this.relay.now());
      if ((await storage.mailboxCountOf(owner)) >= max) throw new RefusalError(refuse('limiet-overschreden', { limit }));
    }
    const ttl = Math.min(this.relay.opts.mailboxTtlMs ?? 7 * 24 * 3600_000, (msg.ttlSeconds ?? Infinity) * 1000);
    await this.relay.opts.storage.mailboxPut(msg.box, msg.ciphertext, this.relay.now() + ttl, owner ?? undefined);
    this.send({ type: 'done', of: 'mailbox-put' });
  }

  // ---------- the SWV ends a person [P40] ----------

  private async onEndUser(msg: ClientMessageOf<'end-user'>): Promise<void> {
    this.requireDevice();
    this.takeRecordToken();
    const r = await this.relay.userEnds.add(msg.record, this.relay.swvRoots);
    if (!r.ok) throw new RefusalError(refuse('beeindiging-ongeldig', { reason: r.reason }));
    this.relay.log('info', 'user-ended', {});
    this.relay.endSessionsOf(r.end.swv, r.end.user);
    this.send({ type: 'done', of: 'end-user' });
  }

  // ---------- a lost device is revoked [P47] ----------

  private async onRevokeDevice(msg: ClientMessageOf<'revoke-device'>): Promise<void> {
    const device = this.requireDevice();
    this.takeRecordToken();
    const r = await this.relay.deviceRevocations.add(msg.record, this.relay.swvRoots, device.swvId);
    if (!r.ok) throw new RefusalError(refuse('intrekking-ongeldig', { reason: r.reason }));
    this.relay.log('info', 'device-revoked', {});
    this.relay.endSessionsOfDevice(r.swv, r.verified.user, r.verified.device);
    this.send({ type: 'done', of: 'revoke-device' });
  }

  private async onRevokedDevicesGet(): Promise<void> {
    await Promise.resolve();
    const device = this.requireDevice();
    this.takeRecordToken();
    this.send({ type: 'revoked-devices', records: this.relay.deviceRevocations.records(device.swvId) });
  }

  // ---------- a device asks for a certificate on a fresh agreement key [P49] ----------

  private async onKeyRenewalPut(msg: ClientMessageOf<'key-renewal-put'>): Promise<void> {
    const device = this.requireDevice();
    this.takeRecordToken();
    const r = await this.relay.keyRenewals.add(msg.record, device, this.relay.now());
    if (!r.ok) throw new RefusalError(refuse('vernieuwing-ongeldig', { reason: r.reason }));
    this.relay.log('info', 'key-renewal-requested', {});
    this.send({ type: 'done', of: 'key-renewal-put' });
  }

  private async onKeyRenewalsGet(): Promise<void> {
    await Promise.resolve();
    const device = this.requireDevice();
    this.takeRecordToken();
    this.send({ type: 'key-renewals', records: this.relay.keyRenewals.records(device.swvId) });
  }

  private async onEndedUsersGet(): Promise<void> {
    await Promise.resolve();
    const device = this.requireDevice();
    this.takeRecordToken();
    this.send({ type: 'ended-users', records: this.relay.userEnds.records(device.swvId) });
  }

  /** Budget for a mailbox write or SWV registration; throws the refusal. Before login it is the client address's budget [P29]. */
  private takeMailboxWrite(): void {
    if (this.device === undefined) {
      const r = this.relay.takeAnonymousWrite(this.ip);
      if (r !== 'ok') throw new RefusalError(refuse('limiet-overschreden', { limit: r }));
      return;
    }
    // Logged in: the connection's record budget, not the anonymous ones [P21].
    this.takeRecordToken();
  }

  private async onMailboxGet(msg: ClientMessageOf<'mailbox-get'>): Promise<void> {
    const ciphertext = await this.relay.opts.storage.mailboxGet(msg.box, this.relay.now());
    // Delete on read [P42]: the bytes are overwritten with nothing and expire at once (a take is a write: same budget).
    if (msg.take === true && ciphertext !== undefined) {
      this.takeMailboxWrite();
      await this.relay.opts.storage.mailboxPut(msg.box, new Uint8Array(0), 0, this.device?.swvId);
    }
    this.send({ type: 'mailbox', box: msg.box, ciphertext: ciphertext ?? null });
  }
}

function refOf(msg: ClientMessage): { ref: number | null; room: string | null } {
  return { ref: 'ref' in msg ? msg.ref : null, room: 'room' in msg ? msg.room : null };
}

const isNotifyKind = (k: string): k is NotificationItem['kind'] => (NOTIFY_KINDS as readonly string[]).includes(k);
const toItems = (items: readonly QueuedNotification[]): NotificationItem[] =>
  items.flatMap((i) => (isNotifyKind(i.kind) ? [{ kind: i.kind, room: i.room, at: i.at }] : []));
