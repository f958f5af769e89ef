// The sync engine: one relay connection per client, the sealed outbox, acks,
// cursors, quarantine and reconnects. It knows nothing about Yjs or access
// rules: the client supplies hooks that verify and apply received records and
// that give the key to seal local changes with.
//
// Durability: a local change is sealed, then written to the outbox (IndexedDB)
// before anything is sent; a row leaves the outbox only when the relay's ack
// (sent after fsync) moves it into the local log. A crash at any point loses
// nothing: the next start re-sends every outbox row (the relay drops replays).
import type { CryptoProvider } from '../crypto/provider.js';
import { aeadFor } from '../crypto/aead-choice.js';
import { sealEnvelope, encodeEnvelope, chainHash, type EnvelopeKind } from '../crypto/envelope.js';
import type { DeviceId, RoomId } from '../model/ids.js';
import { ok, fail, type Result } from '../result.js';
import type { LocalStore } from '../store/local-store.js';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff.js';
import type { RelayConnector, RelayLink, RelayRecord, RelaySnapshot } from './relay-link.js';
import { SNAPSHOT_REF_BASE } from './relay-connection.js';
import { BackgroundWork } from './background-work.js';
import { RoomFollower } from './room-follower.js';

/** The room's current epoch key. The engine picks the AEAD per envelope by size (core/crypto/aead-choice.ts). */
export interface WriteKey {
  readonly epoch: number;
  readonly key: Uint8Array;
}

export interface ReceiveOutcome {
  /** Records to keep in the local log (verified and applied). */
  readonly accepted: readonly (RelayRecord & { readonly kind: string })[];
  /** Records kept aside: never applied, reported to the user. */
  readonly rejected: readonly { readonly seq: number; readonly code: string; readonly bytes: Uint8Array }[];
  /**
   * Records from this seq on could not be checked yet (e.g. the key of a newer
   * epoch has not arrived): the cursor stops before it and `resync` fetches them again.
   */
  readonly retryFrom?: number;
  /**
   * The snapshot was refused (it leaves out what this device holds, R121): nothing of the batch is kept,
   * and the room is fetched again from the cursor without snapshots [P85].
   */
  readonly withoutSnapshot?: boolean;
}

export interface SyncHooks {
  /** The current key to seal local changes to `room` with, or why this device may not write there. */
  writeKey(room: string): Result<WriteKey>;
  /** Verify (signature, membership at that point, epoch) and apply a batch of received records. */
  receive(room: string, records: readonly RelayRecord[], snapshot: RelaySnapshot | null): Promise<ReceiveOutcome>;
  awareness(room: string, bytes: Uint8Array): void;
  /** An append was refused for good; the row is dropped (the change stays in the local document). */
  refused(room: string, code: string, message: string, bytes?: Uint8Array): void | Promise<void>;
  stateChanged(): void;
  notify?(room: string): void;
  /**
   * A refused own envelope: if it was sealed under an epoch that has since
   * rotated, return its plaintext so it is sealed again under the current key.
   */
  reseal?(room: string, bytes: Uint8Array): Promise<{ kind: EnvelopeKind; plaintext: Uint8Array } | null>;
  /** The relay ended or refused a subscription (access revoked or expired). */
  roomError?(room: string, code: string, message: string, refusedSubscription?: boolean): void;
  /** The relay closed the session for good with this code (a revoked device, an ended person). */
  sessionRefused?(code: string): void;
  /**
   * The room whose records must be current in this connection before an envelope to `room` is sent
   * (a content room's access list, R122), or null.
   */
  writeGate?(room: string): string | null;
}

export interface SyncEngineOptions {
  readonly store: LocalStore;
  readonly provider: CryptoProvider;
  readonly device: { readonly id: DeviceId; readonly secretKey: Uint8Array };
  readonly connect: RelayConnector;
  readonly hooks: SyncHooks;
  readonly random?: () => number;
  readonly now?: () => Date;
  readonly backoff?: BackoffPolicy;
}

/** The codes with which the relay ends a subscription it had accepted (endSubscription in sync-server/relay.ts). */
const SUBSCRIPTION_ENDINGS: ReadonlySet<string> = new Set([
  'toegang-ingetrokken',
  'toegang-verlopen',
  'dossier-onbekend',
  'dossier-vernietigd',
  'opslag-fout',
]);

/** How often changes waiting for their access list look again (R122). */
const GATE_CHECK_MS = 100;
/** After this long waiting for an access list, fetch it again. */
const GATE_KICK_MS = 5_000;

/** Shown while appends are held back by the relay's limits; cleared once the outbox is empty. */
const LOAD_REFUSAL = 'De relay remt het versturen af (te veel tegelijk); de wijzigingen blijven bewaard en gaan vanzelf alsnog.';

/** Refusal codes after which resending the same bytes can never succeed. */
const TRANSIENT_REFUSALS = new Set(['limiet-overschreden', 'opslag-fout', 'relay-stopt', 'te-veel-verbindingen', 'geen-verbinding']);

export class SyncEngine {
  private link: RelayLink | null = null;
  private ready = false;
  private online = false;
  private stopped = false;
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** Which rooms are followed, watched at the relay, or subscribed live (P45). */
  private readonly follower: RoomFollower;
  private resendTimer: ReturnType<typeof setTimeout> | null = null;
  private resendAttempt = 0;
  private refusals: Promise<unknown> = Promise.resolve();
  /** Appends the relay refused for load and that were sent again (diagnostics: held back, not lost). */
  private retriedWrites = 0;
  /**
   * Appends are paced below the relay's `recordsPerSecond` (70 %; the follower's fetches use 25 %):
   * sending a whole outbox at once got most of it refused, and a client that keeps sending after
   * refusals is disconnected as a flood, which re-sent everything again.
   */
  private readonly sendPace = { rate: 140, burst: 200, tokens: 200, at: 0 };
  private readonly inflight = new Map<number, string>();
  /** Outbox rows refused for an old epoch, waiting for the new key (kept, not sent). */
  private readonly stale = new Map<number, string>();
  private readonly roomQueues = new Map<string, Promise<void>>();
  private writeChain: Promise<unknown> = Promise.resolve();
  /**
   * Per room, the hash of the last envelope `submit` sealed there: the next one's `prev` (P26), so
   * readers verify one signature per run. Memory only: after a restart, or in another tab of this
   * device, a new run starts, which costs a reader one more signature check and nothing else.
   */
  private readonly chainTails = new Map<string, Uint8Array>();
  private pendingCount = 0;
  private waiters: ((flushed: boolean) => void)[] = [];
  /** Work started by relay events (acks, refusals, received batches, resubscribing): awaited by `idle()`. */
  private readonly work = new BackgroundWork((e) => {
    this.lastError = e instanceof Error ? e.message : String(e);
  });
  /** What the write chain and the receive queues are doing right now (for diagnostics()). */
  private writeStep: string | null = null;
  private readonly receiving = new Map<string, string>();
  lastError: string | null = null;
  /** Rooms whose last batch failed to apply: fetched again from the cursor. */
  private readonly failedRooms = new Set<string>();
  /** Rooms fetched again from below the cursor (`refetch`): the seq the fetch starts after, until a batch from there arrives. */
  private readonly refetchAfter = new Map<string, number>();
  /** The code of the last snapshot the relay refused (snapshots are not queued, but a refusal is still shown). */
  lastSnapshotRefusal: string | null = null;
  /** Outbox rows waiting until their room's access list is current in this connection (R122). */
  private readonly gated = new Map<number, string>();
  private gateTimer: ReturnType<typeof setTimeout> | null = null;
  /** Per access-list room, since when changes wait for it. */
  private readonly gateSince = new Map<string, number>();
  private readonly random: () => number;
  private readonly now: () => Date;

  constructor(private readonly opts: SyncEngineOptions) {
    this.random = opts.random ?? Math.random;
    this.now = opts.now ?? (() => new Date());
    this.follower = new RoomFollower({
      cursor: (room) => this.fetchCursor(room),
      roomError: (room, code, message, refused) => opts.hooks.roomError?.(room, code, message, refused),
      stateChanged: () => opts.hooks.stateChanged(),
      now: () => Date.now(),
    });
  }

  /** Rooms known to have records this device has not fetched yet (0 = everything followed is current). */
  get behind(): number {
    return this.follower.behind;
  }

  get connected(): boolean {
    return this.ready;
  }

  get pending(): number {
    return this.pendingCount;
  }

  async start(): Promise<void> {
    this.pendingCount = (await this.opts.store.pending()).length;
    this.setOnline(true);
  }

  stop(): void {
    this.stopped = true;
    if (this.resendTimer !== null) clearTimeout(this.resendTimer);
    this.resendTimer = null;
    if (this.pacedTimer !== null) clearTimeout(this.pacedTimer);
    this.pacedTimer = null;
    if (this.gateTimer !== null) clearTimeout(this.gateTimer);
    this.gateTimer = null;
    this.setOnline(false);
    this.roomQueues.clear();
    // Nothing will be acknowledged any more: whoever waits for a flush hears so now, not at its timeout.
    const w = this.waiters;
    this.waiters = [];
    for (const done of w) done(false);
  }

  /**
   * Resolves once no work started by the engine is running any more (after `stop()`: the last database
   * call of a received batch or an ack), so the caller can close the database without cutting one off.
   */
  async idle(): Promise<void> {
    await this.work.idle();
    await this.writeChain;
  }

  private track(task: Promise<unknown>): void {
    this.work.add(task);
  }

  setOnline(online: boolean): void {
    this.online = online && !this.stopped;
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.online && this.link === null) this.connect();
    if (!this.online && this.link !== null) {
      const l = this.link;
      this.dropLink();
      l.close();
      this.opts.hooks.stateChanged();
    }
  }

  /** Follow a room from its local cursor: watched at the relay, fetched whenever it is behind (P45). */
  watch(room: string): Promise<void> {
    return this.follower.watch(room);
  }

  unwatch(room: string): void {
    this.follower.unwatch(room);
  }

  watching(room: string): boolean {
    return this.follower.watched.has(room);
  }

  /** A dossier is on screen: keep its rooms subscribed live until `unfocus`. */
  focus(dossier: string): Promise<void> {
    return this.follower.focus(dossier);
  }

  unfocus(dossier: string): void {
    this.follower.unfocus(dossier);
  }

  /**
   * Seals a local change and puts it in the outbox before sending. Calls are
   * serialised so envelope counters reach the relay in increasing order.
   */
  submit(room: string, kind: EnvelopeKind, plaintext: Uint8Array, publicPart?: Uint8Array): Promise<Result<void>> {
    return this.submitBuilt(room, kind, async (counter) => {
      const wk = this.opts.hooks.writeKey(room);
      if (!wk.ok) return wk;
      const prev = this.chainTails.get(room);
      const env = await sealEnvelope(this.opts.provider, {
        header: {
          v: 1,
          kind,
          room: room as RoomId,
          epoch: wk.value.epoch,
          author: this.opts.device.id,
          counter,
          alg: aeadFor(this.opts.provider, plaintext.length),
        },
        key: wk.value.key,
        plaintext,
        ...(publicPart === undefined ? {} : { publicPart }),
        ...(prev === undefined ? {} : { prev }),
        signingSecretKey: this.opts.device.secretKey,
      });
      const bytes = encodeEnvelope(env);
      this.chainTails.set(room, await chainHash(this.opts.provider, bytes));
      return ok(bytes);
    });
  }

  /**
   * Queues an envelope that the caller seals itself (ACL records) with the
   * counter handed to `build`; serialised with every other submission.
   */
  submitBuilt(room: string, kind: EnvelopeKind, build: (counter: number) => Promise<Result<Uint8Array>>): Promise<Result<void>> {
    const run = async (): Promise<Result<void>> => {
      try {
        this.writeStep = `${kind}: teller`;
        const counter = await this.opts.store.allocateCounters(this.opts.device.id);
        this.writeStep = `${kind}: verzegelen`;
        const built = await build(counter);
        if (!built.ok) return built;
        const bytes = built.value;
        this.writeStep = `${kind}: outbox`;
        const id = await this.opts.store.enqueue(room, kind, bytes, this.now().getTime());
        this.pendingCount += 1;
        this.opts.hooks.stateChanged();
        this.sendRow(id, room, bytes);
        return ok(undefined);
      } finally {
        this.writeStep = null;
      }
    };
    const p = this.writeChain.then(run, run);
    this.writeChain = p.catch(() => undefined);
    return p;
  }

  /** A snapshot of the engine's state for support and failing tests: ids and counts only, never content. */
  diagnostics(): {
    connected: boolean;
    pending: number;
    inflight: number[];
    stale: number[];
    watched: number;
    live: number;
    behind: number;
    retriedRefusals: number;
    retriedWrites: number;
    writeStep: string | null;
    receiving: string[];
    lastError: string | null;
  } {
    return {
      connected: this.ready,
      pending: this.pendingCount,
      inflight: [...this.inflight.keys()],
      stale: [...this.stale.keys()],
      watched: this.follower.watched.size,
      live: this.follower.liveCount,
      behind: this.follower.behind,
      retriedRefusals: this.follower.transientRefusals,
      retriedWrites: this.retriedWrites,
      writeStep: this.writeStep,
      receiving: [...this.receiving].map(([room, step]) => `${room}: ${step}`),
      lastError: this.lastError,
    };
  }

  /** Resolves when every submission made so far is in the outbox. */
  async settled(): Promise<void> {
    await this.writeChain;
  }

  /** Fetches a room again from its cursor (after records were deferred for a missing key). */
  async resync(room: string): Promise<void> {
    if (!this.follower.watched.has(room) || !this.ready || !this.link) return;
    const prev = this.roomQueues.get(room) ?? Promise.resolve();
    await prev;
    await this.follower.resync(room);
  }

  /**
   * Fetches a room again from `fromSeq` on, though the cursor is past it: records this device never got
   * while later ones arrived, which its document still misses (a Yjs gap, R120). The cursor itself never
   * moves back; records already held are checked and applied again (Yjs ignores what it has).
   */
  async refetch(room: string, fromSeq: number): Promise<void> {
    if (!this.follower.watched.has(room) || !this.ready || !this.link) return;
    const cursor = await this.opts.store.cursor(room);
    if (fromSeq <= cursor) this.refetchAfter.set(room, Math.max(0, fromSeq - 1));
    await this.resync(room);
  }

  /** Where a fetch of `room` starts: the cursor, or below it while a refetch is under way. */
  private async fetchCursor(room: string): Promise<number> {
    const cursor = await this.opts.store.cursor(room);
    const after = this.refetchAfter.get(room);
    return after === undefined ? cursor : Math.min(cursor, after);
  }

  /**
   * Posts a sealed snapshot of `room` covering records up to `upToSeq` (not queued: it can be remade).
   * Returns the SHA-256 of its encoded envelope: the `prev` of the poster's next snapshot (P13).
   */
  async postSnapshot(room: string, upToSeq: number, plaintext: Uint8Array, publicPart?: Uint8Array): Promise<Result<Uint8Array>> {
    if (!this.ready || !this.link) return fail('offline', 'Geen verbinding met de relay; de momentopname volgt later.');
    const wk = this.opts.hooks.writeKey(room);
    if (!wk.ok) return wk;
    const counter = await this.opts.store.allocateCounters(this.opts.device.id);
    const env = await sealEnvelope(this.opts.provider, {
      header: {
        v: 1,
        kind: 'snapshot',
        room: room as RoomId,
        epoch: wk.value.epoch,
        author: this.opts.device.id,
        counter,
        alg: aeadFor(this.opts.provider, plaintext.length),
      },
      key: wk.value.key,
      plaintext,
      ...(publicPart === undefined ? {} : { publicPart }),
      signingSecretKey: this.opts.device.secretKey,
    });
    const bytes = encodeEnvelope(env);
    this.link.snapshot(SNAPSHOT_REF_BASE + (counter % 900_000_000), room, upToSeq, bytes);
    return ok(await this.opts.provider.sha256(bytes));
  }

  /** Awareness is sealed like any envelope but never queued or stored. */
  async sendAwareness(room: string, plaintext: Uint8Array): Promise<void> {
    if (!this.ready || !this.link) return;
    // The relay forwards awareness only between live subscribers, and refuses it from anyone else.
    if (!(await this.follower.whenLive(room, 5_000)) || !this.link) return;
    const wk = this.opts.hooks.writeKey(room);
    if (!wk.ok) return;
    const counter = await this.opts.store.allocateCounters(this.opts.device.id);
    const env = await sealEnvelope(this.opts.provider, {
      header: {
        v: 1,
        kind: 'awareness',
        room: room as RoomId,
        epoch: wk.value.epoch,
        author: this.opts.device.id,
        counter,
        alg: aeadFor(this.opts.provider, plaintext.length),
      },
      key: wk.value.key,
      plaintext,
      signingSecretKey: this.opts.device.secretKey,
    });
    this.link?.awareness(room, encodeEnvelope(env));
  }

  /** Re-reads the shared outbox (other contexts of this device may have added rows) and sends what is not in flight. */
  async pump(): Promise<void> {
    const rows = await this.opts.store.pending();
    this.pendingCount = rows.length;
    if (!this.ready) return;
    for (const r of rows) if (r.id !== undefined) this.sendRow(r.id, r.room, r.bytes);
  }

  /** Resolves when the outbox is empty, or fails after `timeoutMs`. */
  flush(timeoutMs = 10_000): Promise<Result<void>> {
    if (this.pendingCount === 0) return Promise.resolve(ok(undefined));
    const unsent = () =>
      fail(
        'niet-verzonden',
        `Nog ${this.pendingCount} wijziging(en) niet bevestigd door de relay; ze blijven bewaard en worden later verstuurd.`,
      );
    if (this.stopped) return Promise.resolve(unsent());
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== done);
        resolve(unsent());
      }, timeoutMs);
      const done = (flushed: boolean): void => {
        clearTimeout(t);
        resolve(flushed ? ok(undefined) : unsent());
      };
      this.waiters.push(done);
    });
  }

  // ---- connection ----

  private connect(): void {
    if (this.link !== null || !this.online) return;
    const link = this.opts.connect({
      onReady: (limits) => {
        if (this.link !== link) return;
        const perSecond = limits?.recordsPerSecond ?? 200;
        Object.assign(this.sendPace, {
          rate: Math.max(1, perSecond * 0.7),
          burst: Math.max(1, perSecond),
          tokens: Math.max(1, perSecond * 0.7),
          at: Date.now(),
        });
        this.ready = true;
        this.attempt = 0;
        this.lastError = null;
        this.opts.hooks.stateChanged();
        this.track(this.afterReady(link, limits));
      },
      onClosed: (reason, fatal, code) => {
        if (this.link !== link) return;
        this.dropLink();
        this.lastError = reason;
        this.opts.hooks.stateChanged();
        if (fatal && code !== undefined) this.opts.hooks.sessionRefused?.(code);
        if (this.online && !fatal) this.scheduleReconnect();
      },
      onRecords: (room, records, snapshot, headSeq, live) => {
        if (this.link !== link) return;
        this.enqueueReceive(room, records, snapshot, (failed) => {
          if (this.link === link) this.follower.recordsProcessed(room, live === true && !failed, headSeq);
        });
      },
      onHeads: (heads) => {
        if (this.link !== link) return;
        this.track(this.follower.heads(heads, false));
      },
      onAck: (ref, seq) => this.track(this.onAck(ref, seq)),
      // One at a time, in the relay's order: a refused access record (our rotation came second) must be
      // folded and its key retired before the refusal of a change sealed under that key decides whether
      // to seal it again; handled side by side, the change was dropped as "not resealable".
      onRefused: (ref, code, message) => {
        const next = this.refusals.then(() => this.onRefused(ref, code, message));
        this.refusals = next.catch(() => undefined);
        this.track(next);
      },
      onAwareness: (room, bytes) => this.opts.hooks.awareness(room, bytes),
      onNotify: (room) => this.opts.hooks.notify?.(room),
      onRoomError: (room, code, message, refusedSubscription) => {
        // A subscription refused for load (room or rate limit) is retried, never dropped [P45]. An error about
        // another message in the room (a notify to an unknown recipient, a refused awareness) ends nothing: the
        // subscription stays, and forgetting it left the access list "not current" and every write waiting (R122).
        const ended = refusedSubscription === true || SUBSCRIPTION_ENDINGS.has(code);
        if (this.link === link && ended && this.follower.subscriptionEnded(room, code)) {
          this.opts.hooks.stateChanged();
          return;
        }
        this.opts.hooks.roomError?.(room, code, message, refusedSubscription);
      },
    });
    this.link = link;
  }

  private async afterReady(link: RelayLink, limits: Readonly<Record<string, number>> | undefined): Promise<void> {
    // Rooms first (as before P45), so what the outbox was sealed against is checked against the relay's
    // current access list before the outbox goes: the watch answers come back in one round trip per 500 rooms.
    await this.follower.attach(link, limits);
    if (this.link !== link) return;
    await this.pump();
  }

  private dropLink(): void {
    this.link = null;
    this.ready = false;
    this.inflight.clear();
    this.follower.detach();
  }

  private takeSendToken(): boolean {
    const p = this.sendPace;
    const t = Date.now();
    p.tokens = Math.min(p.burst, p.tokens + ((t - p.at) / 1000) * p.rate);
    p.at = t;
    if (p.tokens < 1) return false;
    p.tokens -= 1;
    return true;
  }

  private pacedTimer: ReturnType<typeof setTimeout> | null = null;

  private schedulePacedPump(): void {
    if (this.pacedTimer !== null || this.stopped) return;
    this.pacedTimer = setTimeout(
      () => {
        this.pacedTimer = null;
        this.track(this.pump());
      },
      Math.ceil(1000 / this.sendPace.rate) + 5,
    );
  }

  /** Appends refused for load are sent again after a backoff (they stay in the outbox meanwhile). */
  private scheduleResend(): void {
    if (this.resendTimer !== null || this.stopped) return;
    // The relay's bucket refills within a second: a short backoff, capped low, not the reconnect one.
    const delay = Math.min(5_000, 200 * 2 ** Math.min(this.resendAttempt++, 5)) * (0.75 + this.random() / 2);
    this.resendTimer = setTimeout(() => {
      this.resendTimer = null;
      this.track(this.pump());
    }, delay);
  }

  private scheduleReconnect(): void {
    if (this.timer !== null) return;
    const delay = backoffDelay(this.attempt++, this.random, this.opts.backoff ?? DEFAULT_BACKOFF);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.connect();
    }, delay);
  }

  /** Pending rows of these rooms that the client wants sealed again (e.g. under a retired key) are replaced. */
  async resealRooms(rooms: readonly string[]): Promise<void> {
    if (!this.opts.hooks.reseal) return;
    for (const room of rooms) {
      for (const row of await this.opts.store.pending(room)) {
        if (row.id === undefined || this.inflight.has(row.id)) continue;
        const again = await this.opts.hooks.reseal(room, row.bytes);
        if (!again) continue;
        this.stale.delete(row.id);
        await this.opts.store.dropPending(row.id);
        await this.submit(room, again.kind, again.plaintext);
      }
    }
  }

  /** Call after new keys arrived: rows refused for an old epoch are sealed again under the current key. */
  async resealStale(): Promise<void> {
    for (const [id, room] of [...this.stale]) {
      const row = (await this.opts.store.pending(room)).find((r) => r.id === id);
      const again = row && this.opts.hooks.reseal ? await this.opts.hooks.reseal(room, row.bytes) : null;
      if (!row) this.stale.delete(id);
      if (!again) continue;
      this.stale.delete(id);
      await this.opts.store.dropPending(id);
      await this.submit(room, again.kind, again.plaintext);
    }
  }

  private sendRow(id: number, room: string, bytes: Uint8Array): void {
    if (!this.ready || !this.link || this.inflight.has(id) || this.stale.has(id)) return;
    if (this.gateClosed(room)) {
      // Sent once the access list is current in this connection, sealed again if it rotated meanwhile [R122].
      this.gated.set(id, room);
      this.scheduleGateCheck();
      return;
    }
    if (!this.takeSendToken()) {
      // Stays in the outbox; the paced pump sends it when the budget allows.
      this.schedulePacedPump();
      return;
    }
    this.inflight.set(id, room);
    this.link.append(id, room, bytes);
  }

  private gateClosed(room: string): boolean {
    const gate = this.opts.hooks.writeGate?.(room) ?? null;
    return gate !== null && this.follower.watched.has(gate) && !this.follower.isCurrent(gate);
  }

  private scheduleGateCheck(): void {
    if (this.gateTimer !== null) return;
    this.gateTimer = setTimeout(() => {
      this.gateTimer = null;
      this.track(this.releaseGated());
    }, GATE_CHECK_MS);
  }

  /**
   * Sends the changes that waited for their room's access list. A change sealed under an epoch that the
   * list has since rotated away from is sealed again under the current key first: a writer who was
   * offline while a member was removed never sends that member a readable change [R122].
   */
  private async releaseGated(): Promise<void> {
    if (!this.ready) {
      // On the next connection `pump` offers every outbox row again.
      this.gated.clear();
      return;
    }
    const rows = await this.opts.store.pending();
    let resealed = false;
    const now = this.now().getTime();
    for (const [id, room] of [...this.gated]) {
      if (this.gateClosed(room)) {
        // An access list that stays behind is fetched again, so a lost subscription never holds writes for good.
        const gate = this.opts.hooks.writeGate?.(room) ?? '';
        const since = this.gateSince.get(gate) ?? now;
        this.gateSince.set(gate, since);
        if (now - since >= GATE_KICK_MS) {
          this.gateSince.set(gate, now);
          void this.follower.resync(gate);
        }
        continue;
      }
      this.gated.delete(id);
      const row = rows.find((r) => r.id === id);
      if (!row) continue;
      const again = this.opts.hooks.reseal ? await this.opts.hooks.reseal(room, row.bytes) : null;
      if (again) {
        await this.opts.store.dropPending(id);
        await this.submit(room, again.kind, again.plaintext);
        resealed = true;
      } else this.sendRow(id, room, row.bytes);
    }
    if (resealed) await this.recount();
    if (this.gated.size > 0) this.scheduleGateCheck();
    else this.gateSince.clear();
  }

  private async onAck(ref: number, seq: number): Promise<void> {
    if (ref >= SNAPSHOT_REF_BASE) return; // snapshot ack
    this.inflight.delete(ref);
    this.resendAttempt = 0;
    await this.opts.store.acknowledge(ref, seq);
    await this.recount();
  }

  private async onRefused(ref: number, code: string, message: string): Promise<void> {
    if (ref >= SNAPSHOT_REF_BASE) {
      this.lastSnapshotRefusal = code;
      this.lastError = message;
      this.opts.hooks.stateChanged();
      return;
    }
    const room = this.inflight.get(ref) ?? '';
    this.inflight.delete(ref);
    if (TRANSIENT_REFUSALS.has(code)) {
      this.lastError = code === 'limiet-overschreden' ? LOAD_REFUSAL : message;
      this.retriedWrites++;
      this.scheduleResend();
      return;
    }
    const row = (await this.opts.store.pending(room)).find((r) => r.id === ref);
    this.lastError = message;
    // First let the client bring its view of the room up to date (e.g. refold the access list) …
    await this.opts.hooks.refused(room, code, message, row?.bytes);
    // … then a change sealed under an epoch that no longer exists is sealed again under the current key.
    const again = row && this.opts.hooks.reseal ? await this.opts.hooks.reseal(room, row.bytes) : null;
    if (again) {
      await this.opts.store.dropPending(ref);
      await this.submit(room, again.kind, again.plaintext);
    } else if (row && code === 'epoch-verouderd') {
      // The new key has not reached us yet: keep the change and seal it again once it has.
      this.stale.set(ref, room);
    } else await this.opts.store.dropPending(ref);
    await this.recount();
  }

  private async recount(): Promise<void> {
    this.pendingCount = (await this.opts.store.pending()).length;
    this.opts.hooks.stateChanged();
    if (this.pendingCount === 0) {
      // Everything held back for load has gone through: the refusal is no longer news.
      if (this.retriedWrites > 0 && this.lastError === LOAD_REFUSAL) this.lastError = null;
      const w = this.waiters;
      this.waiters = [];
      for (const done of w) done(true);
    }
  }

  // ---- receiving ----

  /** Batches of one room are processed strictly in order. */
  private enqueueReceive(
    room: string,
    records: readonly RelayRecord[],
    snapshot: RelaySnapshot | null,
    processed?: (failed: boolean) => void,
  ): void {
    const prev = this.roomQueues.get(room) ?? Promise.resolve();
    let failed = false;
    const next = prev
      .then(() => this.receive(room, records, snapshot))
      .catch((e: unknown) => {
        failed = true;
        this.lastError = e instanceof Error ? e.message : String(e);
        this.opts.hooks.stateChanged();
        // The cursor stayed before this batch, but the relay already sent what follows: fetch again
        // from the cursor, so a later batch cannot move the cursor past the failed one [R39].
        this.failedRooms.add(room);
        if (this.follower.watched.has(room) && this.ready && this.link) void this.follower.resync(room);
      })
      .finally(() => processed?.(failed));
    this.roomQueues.set(room, next);
    this.track(next);
  }

  private async receive(room: string, records: readonly RelayRecord[], snapshot: RelaySnapshot | null): Promise<void> {
    if (!this.follower.watched.has(room)) return;
    const cursor = await this.opts.store.cursor(room);
    // A refetch takes records below the cursor once: the first batch that reaches below it ends the refetch [R120].
    const floor = await this.fetchCursor(room);
    const fresh = records.filter((r) => r.seq > floor);
    const useSnapshot = snapshot !== null && snapshot.upToSeq > floor ? snapshot : null;
    if (fresh.some((r) => r.seq <= cursor) || (useSnapshot !== null && useSnapshot.upToSeq <= cursor)) this.refetchAfter.delete(room);
    if (fresh.length === 0 && useSnapshot === null) return;
    // After a failed batch only a batch that continues at the cursor (seqs are consecutive, P10) may move it.
    if (this.failedRooms.has(room)) {
      if (useSnapshot === null && (fresh[0]?.seq ?? 0) !== cursor + 1) return;
      this.failedRooms.delete(room);
    }
    this.receiving.set(room, `${fresh.length} records verwerken`);
    let outcome: ReceiveOutcome;
    try {
      outcome = await this.opts.hooks.receive(room, fresh, useSnapshot);
    } finally {
      this.receiving.delete(room);
    }
    const at = this.now().getTime();
    for (const r of outcome.rejected) await this.opts.store.quarantine({ room, seq: r.seq, code: r.code, at, bytes: r.bytes });
    if (outcome.withoutSnapshot) {
      // The cursor stays; only a batch that continues at it may move it, and it comes without a snapshot.
      this.failedRooms.add(room);
      this.follower.withoutSnapshots(room);
      if (this.follower.watched.has(room) && this.ready && this.link) void this.follower.resync(room);
      this.opts.hooks.stateChanged();
      return;
    }
    let head = Math.max(cursor, useSnapshot?.upToSeq ?? 0, ...fresh.map((r) => r.seq));
    if (outcome.retryFrom !== undefined) head = Math.max(cursor, Math.min(head, outcome.retryFrom - 1));
    await this.opts.store.putReceived(
      room,
      outcome.accepted.filter((r) => outcome.retryFrom === undefined || r.seq < outcome.retryFrom),
      head,
    );
    this.opts.hooks.stateChanged();
  }
}
