// The relay's logic as a plain class, callable without sockets: a session
// receives frames and sends frames through a sink (ws-server.ts adapts a
// WebSocket; tests may call it directly). It verifies, stores and forwards
// ciphertext only; every rule cited here is in docs/PROTOCOL.md.
// This file composes the relay: sessions and fan-out, roots, maintenance and
// budgets. The session and its message handlers are in relay/ (session.ts
// dispatches; room-log.ts, watches.ts and one file per side channel handle).
import type { Limits, RelayMessage } from '../core/sync/protocol.js';
import { encodeRelayMessage } from '../core/sync/protocol-codec.js';
import type { AuthenticatedDevice, RelayPolicy } from './policy.js';
import type { RelayStorage } from './storage.js';
import { GroupCommitter } from './group-commit.js';
import { KeyedBuckets, TokenBucket } from './rate-limit.js';
import type { Logger } from './log.js';
import type { Notifier } from './notifier.js';
import type { CryptoProvider, KeyPair } from '../core/crypto/provider.js';
import { createPreferredProvider } from '../core/crypto/preferred-provider.js';
import { UserEnds } from './user-ends.js';
import { DeviceRevocations } from './device-revocations.js';
import { KeyRenewals } from './key-renewals.js';
import { ServedLog } from './served-log.js';
import { RelayRetention } from './retention.js';
import { refuse, RefusalError } from './relay/refusal.js';
import { DossierAccess, type DossierState } from './relay/dossier-access.js';
import { RelaySession } from './relay/session.js';
import { toItems } from './relay/notifications.js';
import { RecentRecords } from './relay/recent-records.js';

export { RelaySession } from './relay/session.js';

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
  /** Bytes of just-committed records kept in memory for live subscribers, all rooms together; default 16 MiB. */
  readonly recentRecordBytes?: number;
}

/** Records kept in memory per subscribed room: enough for subscribers a few appends behind. */
const RECENT_RECORDS_PER_ROOM = 64;

const DEFAULT_PRE_AUTH_FRAMES_PER_IP_PER_MINUTE = 3000;
const DEFAULT_ANONYMOUS_WRITES_PER_IP_PER_MINUTE = 30;

export class Relay<D extends AuthenticatedDevice = AuthenticatedDevice, A = unknown> {
  readonly committer: GroupCommitter;
  private readonly sessions = new Set<RelaySession<D, A>>();
  private readonly byRoom = new Map<string, Set<RelaySession<D, A>>>();
  /** Sessions that watch a room (P45): they get its head, not its records. */
  private readonly watchers = new Map<string, Set<RelaySession<D, A>>>();
  private readonly byUser = new Map<string, Set<RelaySession<D, A>>>();
  private readonly perDevice = new Map<string, number>();
  /** The last records committed here in each subscribed room, handed to live subscribers from memory [P7]. */
  readonly recent: RecentRecords;
  /** Each dossier's access list, folded from its toegang room [P15]. */
  private readonly dossierAccess: DossierAccess<D, A> = new DossierAccess<D, A>(this);
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
    this.recent = new RecentRecords(RECENT_RECORDS_PER_ROOM, opts.recentRecordBytes ?? 16 * 1024 * 1024, opts.limits.batchBytes);
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
    if (set === undefined) {
      this.byRoom.set(room, (set = new Set()));
      this.recent.open(room);
    }
    set.add(s);
  }

  removeSubscriber(room: string, s: RelaySession<D, A>): void {
    const set = this.byRoom.get(room);
    set?.delete(s);
    if (set?.size === 0) {
      this.byRoom.delete(room);
      this.recent.close(room);
    }
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

  /**
   * This relay committed `envelope` at `seq` (durable): it is kept for live subscribers, every subscriber
   * pulls what it has not yet seen, every watcher hears the new head.
   */
  announce(room: string, seq: number, envelope: Uint8Array): void {
    this.recent.committed(room, seq, envelope);
    this.wake(room, seq);
  }

  private wake(room: string, seq: number | undefined): void {
    for (const s of this.byRoom.get(room) ?? []) s.pump(room);
    // Subscribers hear it too: a client may be ending a short fetch subscription right now, and the
    // record must not fall between its last batch and its unsubscribe (P45).
    for (const s of this.watchers.get(room) ?? []) s.noteHead(room, seq);
  }

  /**
   * Another relay on the same database committed records in `room` [P27]: its subscribers here pull
   * them, and a changed access list is folded again from the log, ending subscriptions that lost
   * read access on this relay too [P15]. Its records are not in memory here: the room's are dropped, and
   * subscribers read storage until this relay's own appends follow on again from above `seq`.
   */
  remoteAppend(room: string, seq?: number): void {
    this.recent.heardElsewhere(room, seq);
    this.wake(room, undefined);
    if (!room.endsWith('/toegang')) return;
    this.dossierAccess.refold(room.slice(0, -'/toegang'.length));
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

  // ---------- dossier access state (relay/dossier-access.ts) ----------

  /** Runs `fn` with the dossier's access state loaded, one at a time per dossier. */
  withDossier<T>(dossier: string, fn: (st: DossierState<A>) => Promise<T>): Promise<T> {
    return this.dossierAccess.withDossier(dossier, fn);
  }

  /** `withDossier` for a device's request: a deleted dossier is refused with `dossier-vernietigd` [P60]. */
  withLiveDossier<T>(dossier: string, fn: (st: DossierState<A>) => Promise<T>): Promise<T> {
    return this.dossierAccess.withLiveDossier(dossier, fn);
  }

  /** The dossiers this device may read, in id order after `after` [P46]. */
  readableDossiers(device: D, after: string | null, max: number): Promise<{ ids: string[]; next: string | null }> {
    return this.dossierAccess.readableDossiers(device, after, max);
  }

  /** After an access change or at the next expiry: end subscriptions that lost read access [P15]. */
  revalidate(dossier: string, st: DossierState<A>): void {
    this.dossierAccess.revalidate(dossier, st);
  }

  /** Live sessions (the access check walks them after each change). */
  get liveSessions(): ReadonlySet<RelaySession<D, A>> {
    return this.sessions;
  }

  /** Sizes of the relay's in-memory bookkeeping (for tests of bounded memory). */
  get bookkeeping(): { dossiers: number; rooms: number; watchedRooms: number; users: number; devices: number; sessions: number } {
    return {
      dossiers: this.dossierAccess.size,
      rooms: this.byRoom.size,
      watchedRooms: this.watchers.size,
      users: this.byUser.size,
      devices: this.perDevice.size,
      sessions: this.sessions.size,
    };
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
      if (snap === undefined || snap.storedAt + retention > now) continue;
      // Before and after: no record is served from memory once the deletion may have begun.
      this.recent.drop(room);
      records += await this.opts.storage.deleteRecordsUpTo(room, snap.coversSeq);
      this.recent.drop(room);
    }
    const mailboxes = await this.opts.storage.purgeMailboxes(now);
    await this.served.purge();
    this.log('info', 'gc', { records, mailboxes });
    return { records, mailboxes };
  }

  /** Deletes every room and attachment of a dossier whose retention has ended (by id, no content needed) [P22]. */
  async deleteDossier(dossier: string): Promise<void> {
    await this.withDossier(dossier, async (st) => {
      for (const room of await this.opts.storage.listRooms()) {
        if (!room.startsWith(`${dossier}/`)) continue;
        this.recent.forget(room);
        await this.opts.storage.deleteRoom(room);
        this.recent.forget(room);
      }
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
    this.dossierAccess.clearTimers();
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
