// One client connection [P1–P5]: login (hello → challenge → auth → ready),
// the per-connection state and budgets, back-pressure, and the dispatch of
// each message type to its handler (room-log.ts, watches.ts and one file per
// side channel). One parse and one `try` per frame; a refusal becomes an
// `error` frame, a protocol violation closes the connection.
import { randomBytes } from 'node:crypto';
import type { RoomId } from '../../core/model/ids.js';
import { asId } from '../../core/model/ids.js';
import { publicKeyFromDeviceId } from '../../core/crypto/device-id.js';
import { parseRoom } from '../../core/access/rooms.js';
import {
  PROTOCOL_VERSION,
  SUPPORTED_PROTOCOL_VERSIONS,
  PRE_AUTH_TYPES,
  type ClientMessage,
  type ClientMessageOf,
  type RelayMessage,
} from '../../core/sync/protocol.js';
import { decodeClientMessage, encodeRelayMessage } from '../../core/sync/protocol-codec.js';
import { PROTOCOL_ERRORS, type ProtocolErrorCode } from '../../core/sync/protocol-errors.js';
import { authMessage } from '../../core/sync/protocol-signing.js';
import { assertNever } from '../../core/result.js';
import type { AuthenticatedDevice } from '../policy.js';
import { TokenBucket } from '../rate-limit.js';
import type { Relay, SessionSink } from '../relay.js';
import { MAX_TIMER_MS } from './dossier-access.js';
import { refuse, RefusalError, type Refusal } from './refusal.js';
import { onAppend, onAwareness, onSnapshot, onSubscribe, onUnsubscribe, pumpRoom, type Subscription } from './room-log.js';
import { endWatches, noteHead, onListDossiers, onUnwatch, onWatch } from './watches.js';
import { onBlobGet, onBlobPut } from './blobs.js';
import { onNotify, onPull, onRegisterEmail } from './notifications.js';
import { onMailboxGet, onMailboxPut } from './mailboxes.js';
import { onRegisterSwv } from './swv-registration.js';
import { onEndedUsersGet, onEndUser, onRevokedDevicesGet, onRevokeDevice } from './ends.js';
import { onKeyRenewalPut, onKeyRenewalsGet } from './key-renewals.js';
import { onServedLogGet } from './served-log.js';
import { onTlvNumberClaim, onTlvRegisterGet } from './tlv-register.js';
import { onTombstoneGet } from './tombstones.js';

const SLOW_CONSUMER_BYTES = 8 * 1024 * 1024;
const SLOW_CONSUMER_MS = 30_000;
/** Frames one connection may have in processing before the relay stops reading from it. */
const MAX_PENDING = 32;
/** …or that many bytes of frames, which bounds a connection's memory to about this plus one frame. */
const MAX_PENDING_BYTES = 16 * 1024 * 1024;

type Phase = 'hello' | 'auth' | 'ready' | 'closed';

/**
 * The connection's state. Fields without `private` belong to the handler modules next to this file
 * (room-log.ts owns the subscriptions and the append order, watches.ts the watches and pending heads).
 */
export class RelaySession<D extends AuthenticatedDevice = AuthenticatedDevice, A = unknown> {
  private phase: Phase = 'hello';
  private nonce: Uint8Array | undefined;
  private pending: D | undefined;
  device: D | undefined;
  readonly subscriptions = new Map<string, Subscription>();
  /** Subscriptions being checked: they count against `openRooms` too. */
  subscribing = 0;
  /** Watched rooms by dossier (P45); `watchCount` counts them all against `watchedRooms`. */
  readonly watches = new Map<string, Set<RoomId>>();
  watchCount = 0;
  /** Heads to push, coalesced until the next turn of the event loop; undefined = read it from storage. */
  readonly pendingHeads = new Map<string, number | undefined>();
  headsScheduled = false;
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
  order: Promise<unknown> = Promise.resolve();
  /** Serialises large output of this connection (see inOutputTurn). */
  private outputTurn: Promise<unknown> = Promise.resolve();
  private readonly timers: NodeJS.Timeout[] = [];
  private static counter = 0;
  readonly id = ++RelaySession.counter;

  constructor(
    readonly relay: Relay<D, A>,
    private readonly sink: SessionSink,
    readonly ip: string = 'lokaal',
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

  get isClosed(): boolean {
    return this.phase === 'closed';
  }

  sendFrame(frame: Uint8Array): void {
    if (this.phase !== 'closed') this.sink.send(frame);
  }

  /** Sends the refusal as an `error` frame, without closing. */
  error(r: Refusal, ctx: { ref?: number | null; room?: string | null } = {}): void {
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
    if (r.fatal !== true)
      this.relay.log('info', 'refused', {
        conn: this.id,
        code: r.code,
        ...(r.limit ? { limit: r.limit } : {}),
        ...(ctx.room ? { room: ctx.room } : {}),
        ...(ctx.ref !== undefined && ctx.ref !== null ? { ref: ctx.ref } : {}),
      });
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

  /** Read access to a subscribed room ended: the subscription is dropped and the client told why. */
  endSubscription(room: string, code: ProtocolErrorCode, reason: string | null): void {
    if (!this.subscriptions.delete(room)) return;
    this.relay.removeSubscriber(room, this);
    this.error(refuse(code, { reason }), { room });
  }

  /** Sends everything after what was sent of `room` (room-log.ts) [P7]. */
  pump(room: string): void {
    pumpRoom(this, room);
  }

  /** A watched room has a new head (watches.ts) [P45]. */
  noteHead(room: string, seq: number | undefined): void {
    noteHead(this, room, seq);
  }

  /** Access to watched rooms ended: they are dropped and the client is told which, with the reason. */
  endWatches(dossier: string, rooms: readonly RoomId[], code: string): void {
    endWatches(this, dossier, rooms, code);
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
        return onSubscribe(this, msg);
      case 'unsubscribe':
        return onUnsubscribe(this, msg);
      case 'watch':
        return onWatch(this, msg);
      case 'list-dossiers':
        return onListDossiers(this, msg);
      case 'served-log-get':
        return onServedLogGet(this, msg);
      case 'tlv-number-claim':
        return onTlvNumberClaim(this, msg);
      case 'tlv-register-get':
        return onTlvRegisterGet(this, msg);
      case 'tombstone-get':
        return onTombstoneGet(this, msg);
      case 'unwatch':
        return onUnwatch(this, msg);
      case 'append':
        return onAppend(this, msg);
      case 'snapshot':
        return onSnapshot(this, msg);
      case 'awareness':
        return onAwareness(this, msg);
      case 'blob-put':
        return onBlobPut(this, msg);
      case 'blob-get':
        return onBlobGet(this, msg);
      case 'notify':
        return onNotify(this, msg);
      case 'register-email':
        return onRegisterEmail(this, msg);
      case 'notifications-pull':
        return onPull(this);
      case 'register-swv':
        return onRegisterSwv(this, msg);
      case 'mailbox-put':
        return onMailboxPut(this, msg);
      case 'mailbox-get':
        return onMailboxGet(this, msg);
      case 'end-user':
        return onEndUser(this, msg);
      case 'ended-users-get':
        return onEndedUsersGet(this);
      case 'revoke-device':
        return onRevokeDevice(this, msg);
      case 'revoked-devices-get':
        return onRevokedDevicesGet(this);
      case 'key-renewal-put':
        return onKeyRenewalPut(this, msg);
      case 'key-renewals-get':
        return onKeyRenewalsGet(this);
      default:
        return assertNever(msg, 'bericht');
    }
  }

  // ---------- session [P2–P5] ----------

  private async onHello(msg: ClientMessageOf<'hello'>): Promise<void> {
    if (this.phase !== 'hello') throw new RefusalError(refuse('volgorde-onjuist', { fatal: true }));
    if (!SUPPORTED_PROTOCOL_VERSIONS.includes(msg.protocolVersion))
      throw new RefusalError(refuse('protocolversie-niet-ondersteund', { fatal: true }));
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
    if (this.phase !== 'auth' || pending === undefined || nonce === undefined)
      throw new RefusalError(refuse('volgorde-onjuist', { fatal: true }));
    // One answer per challenge: a second auth sent while this one is checked is out of order (and cannot be admitted twice).
    this.nonce = undefined;
    if (!this.relay.opts.origins.includes(msg.origin)) throw new RefusalError(refuse('origin-onjuist', { fatal: true }));
    const pk = publicKeyFromDeviceId(pending.deviceId);
    if (!pk.ok || !(await this.verifySignature(pk.value, authMessage(nonce, msg.origin), msg.signature)))
      throw new RefusalError(refuse('aanmelding-mislukt', { fatal: true }));
    if (this.phase !== 'auth') return;
    const device = pending;
    if (!this.relay.admit(this, device))
      throw new RefusalError(refuse('te-veel-verbindingen', { limit: 'connectionsPerIdentity', fatal: true }));
    this.device = device;
    this.phase = 'ready';
    this.nonce = undefined;
    // The session ends when the device's certificate chain expires.
    const t = setTimeout(
      () => this.fail(refuse('toegang-verlopen', { reason: 'verlopen', fatal: true })),
      Math.min(MAX_TIMER_MS, Math.max(0, device.validUntil - this.relay.now())),
    );
    t.unref();
    this.timers.push(t);
    this.endAtUserEnd();
    this.relay.log('info', 'session-ready', { conn: this.id });
    this.send({
      type: 'ready',
      protocolVersion: PROTOCOL_VERSION,
      deviceId: device.deviceId,
      limits: { ...this.relay.limits },
      serverTime: this.relay.now(),
    });
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
      const t = setTimeout(
        () => this.fail(refuse('gebruiker-beeindigd', { fatal: true })),
        Math.min(MAX_TIMER_MS, Math.max(0, endedAt - this.relay.now())),
      );
      t.unref();
      this.timers.push(t);
    }
    const revokedAt = this.relay.deviceRevocations.revokedAt(device.swvId, device.userId, device.deviceId);
    if (revokedAt !== undefined) {
      const t = setTimeout(
        () => this.fail(refuse('apparaat-ingetrokken', { fatal: true })),
        Math.min(MAX_TIMER_MS, Math.max(0, revokedAt - this.relay.now())),
      );
      t.unref();
      this.timers.push(t);
    }
  }

  /** Ed25519 check of client-supplied key and signature bytes: wrong lengths or a bad point are a refusal, never a throw. */
  async verifySignature(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): Promise<boolean> {
    if (publicKey.length !== 32 || signature.length !== 64) return false;
    try {
      return await this.relay.crypto.ed25519Verify(publicKey, message, signature);
    } catch {
      return false;
    }
  }

  requireDevice(): D {
    if (this.device === undefined) throw new RefusalError(refuse('niet-aangemeld', { fatal: true }));
    return this.device;
  }

  /** The named room, parsed; an invalid name is refused. */
  roomOf(room: string): { room: RoomId; dossier: string } {
    const parsed = parseRoom(room);
    if (!parsed.ok) throw new RefusalError(refuse('ruimte-ongeldig'));
    return { room: asId<RoomId>(room), dossier: parsed.value.dossier };
  }

  // ---------- budgets [P29] ----------

  takeRecordToken(): void {
    if (this.records.take()) return;
    // A client that keeps sending after being told is flooding: it is disconnected, so it cannot slow the others.
    throw new RefusalError(refuse('limiet-overschreden', { limit: 'recordsPerSecond', fatal: !this.abuse.take() }));
  }

  takeNotifyToken(): boolean {
    return this.notifies.take();
  }

  /** Budget for a mailbox write or SWV registration; throws the refusal. Before login it is the client address's budget [P29]. */
  takeMailboxWrite(): void {
    if (this.device === undefined) {
      const r = this.relay.takeAnonymousWrite(this.ip);
      if (r !== 'ok') throw new RefusalError(refuse('limiet-overschreden', { limit: r }));
      return;
    }
    // Logged in: the connection's record budget, not the anonymous ones [P21].
    this.takeRecordToken();
  }

  // ---------- large output ----------

  /**
   * Large output (record batches, attachments) of one connection is sent one
   * piece at a time, each only when the client has read what came before: a
   * client that subscribes to many rooms or asks for attachments without
   * reading holds at most the slow-consumer mark plus one piece in memory.
   */
  inOutputTurn<T>(fn: () => Promise<T>): Promise<T> {
    const turn = this.outputTurn.then(fn);
    this.outputTurn = turn.catch(() => undefined);
    return turn;
  }

  /** Waits until the connection's unsent bytes are below the slow-consumer mark; false when it closed or stayed congested too long. */
  async whenDrained(): Promise<boolean> {
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
}

function refOf(msg: ClientMessage): { ref: number | null; room: string | null } {
  return { ref: 'ref' in msg ? msg.ref : null, room: 'room' in msg ? msg.room : null };
}
