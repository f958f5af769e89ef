// One WebSocket to the relay speaking protocol v1: hello → challenge → auth →
// ready, then the sync engine's RelayLink calls plus request/answer helpers
// (blobs, mailbox, SWV registration, notify). An anonymous connection (no
// certificate yet) can use only the pre-auth requests: mailbox and register-swv.
import type { CryptoProvider } from '../crypto/provider.js';
import { toHex } from '../crypto/bytes.js';
import { ok, fail, type Result } from '../result.js';
import type { SignedServedLog } from './served-log-signature.js';
import {
  PROTOCOL_VERSION,
  type ClientMessage,
  type NotifyKind,
  type NotificationItem,
  type RelayMessage,
  type TlvRegisterEntry,
} from './protocol.js';
import { decodeRelayMessage, encodeClientMessage } from './protocol-codec.js';
import { authMessage, registerSwvMessage } from './protocol-signing.js';
import type { RelayEvents, RelayLink, RoomHeads } from './relay-link.js';
import { frameBytes, WS_OPEN, type WebSocketFactory, type WebSocketLike } from './web-socket.js';

export interface DeviceAuth {
  readonly provider: CryptoProvider;
  /** encodeDeviceChain(stripProfile(chain)): never the profile. */
  readonly chainBytes: Uint8Array;
  readonly deviceSecretKey: Uint8Array;
}

/** Refs at or above this belong to request/answer calls, not to outbox rows. */
const RPC_REF_BASE = 3_000_000_000;
/** Refs of snapshots: never collide with outbox ids or RPCs. */
export const SNAPSHOT_REF_BASE = 2_000_000_000;

/** Errors after which reconnecting cannot help. */
const FATAL_CODES = new Set([
  'certificaat-geweigerd',
  'protocolversie-niet-ondersteund',
  'origin-onjuist',
  'aanmelding-mislukt',
  'gebruiker-beeindigd',
  'apparaat-ingetrokken',
]);

type Waiter = (m: RelayMessage) => void;
/** Protocol messages with plain `Uint8Array` fields (zod infers the narrower `Uint8Array<ArrayBuffer>`). */
type Loose<T> = T extends unknown ? { [K in keyof T]: T[K] extends Uint8Array ? Uint8Array : T[K] } : never;

export class RelayConnection implements RelayLink {
  private ws: WebSocketLike;
  private isReady = false;
  private closed = false;
  private nextRef = RPC_REF_BASE;
  private readonly byRef = new Map<number, Waiter>();
  private readonly byBox = new Map<string, Waiter[]>();
  private readonly byDone = new Map<string, Waiter[]>();
  private notificationWaiters: Waiter[] = [];
  private readyWaiters: ((r: Result<void>) => void)[] = [];
  private readonly origin: string;
  /** Rooms subscribed but not yet answered: an error for one of them is a refused subscription. */
  private readonly subscribing = new Set<string>();
  /** What the relay said it enforces (`ready`). */
  private limits: Readonly<Record<string, number>> | undefined;

  constructor(
    url: string,
    factory: WebSocketFactory,
    private readonly auth: DeviceAuth | null,
    private readonly events: Partial<RelayEvents> = {},
  ) {
    this.origin = new URL(url).origin;
    this.ws = factory(url);
    this.ws.binaryType = 'arraybuffer';
    this.ws.onopen = () => {
      if (this.auth === null) this.markReady();
      else this.send({ type: 'hello', protocolVersion: PROTOCOL_VERSION, chain: this.auth.chainBytes });
    };
    this.ws.onmessage = (ev) => {
      const bytes = frameBytes(ev.data);
      if (bytes === null) return;
      const msg = decodeRelayMessage(bytes);
      if (msg.ok) void this.handle(msg.value);
    };
    this.ws.onclose = () => this.finish('De verbinding met de relay is verbroken.', false);
    this.ws.onerror = () => undefined;
  }

  get ready(): boolean {
    return this.isReady;
  }

  /** Resolves once authenticated (or open, for an anonymous connection). */
  whenReady(): Promise<Result<void>> {
    if (this.isReady) return Promise.resolve(ok(undefined));
    if (this.closed) return Promise.resolve(fail('geen-verbinding', 'Geen verbinding met de relay.'));
    return new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  // ---- RelayLink ----
  subscribe(room: string, afterSeq: number, withoutSnapshot = false): void {
    this.subscribing.add(room);
    this.send(withoutSnapshot ? { type: 'subscribe', room, afterSeq, withoutSnapshot: true } : { type: 'subscribe', room, afterSeq });
  }
  unsubscribe(room: string): void {
    this.send({ type: 'unsubscribe', room });
  }
  append(ref: number, room: string, envelope: Uint8Array): void {
    this.send({ type: 'append', ref, room, envelope });
  }
  async watch(rooms: readonly { readonly room: string; readonly afterSeq: number }[], timeoutMs = 30_000): Promise<Result<RoomHeads>> {
    const ref = this.takeRef();
    const answer = await this.await(ref, () => this.send({ type: 'watch', ref, rooms: [...rooms] }), timeoutMs);
    if (!answer.ok) return answer;
    return answer.value.type === 'heads'
      ? ok({ changed: answer.value.changed, refused: answer.value.refused })
      : this.errorOf(answer.value);
  }
  /** Every dossier this device may read, all pages (P46). */
  async listDossiers(timeoutMs = 30_000): Promise<Result<string[]>> {
    const all: string[] = [];
    let after: string | null = null;
    for (;;) {
      const ref = this.takeRef();
      const from: string | null = after;
      const answer = await this.await(ref, () => this.send({ type: 'list-dossiers', ref, after: from }), timeoutMs);
      if (!answer.ok) return answer;
      const m = answer.value;
      if (m.type !== 'dossier-list') return this.errorOf(m);
      all.push(...m.ids);
      if (m.next === null) return ok(all);
      after = m.next;
    }
  }
  /** What the relay served of a dossier, to which device, when (P52), as the relay signed it (P83): not verified here. */
  async servedLog(dossier: string, timeoutMs = 30_000): Promise<Result<SignedServedLog>> {
    const ref = this.takeRef();
    const answer = await this.await(ref, () => this.send({ type: 'served-log-get', ref, dossier }), timeoutMs);
    if (!answer.ok) return answer;
    const m = answer.value;
    return m.type === 'served-log'
      ? ok({ dossier, at: m.at, entries: m.entries, relayKey: m.relayKey, signature: m.signature })
      : this.errorOf(m);
  }
  /** The next volgnummer of the SWV's TLV register for this claim (P71); answered once durable. */
  async claimTlvNumber(claim: Uint8Array, timeoutMs = 30_000): Promise<Result<{ volgnummer: number; at: number; duplicate: boolean }>> {
    const ref = this.takeRef();
    const answer = await this.await(ref, () => this.send({ type: 'tlv-number-claim', ref, claim }), timeoutMs);
    if (!answer.ok) return answer;
    const m = answer.value;
    return m.type === 'tlv-number' ? ok({ volgnummer: m.volgnummer, at: m.at, duplicate: m.duplicate }) : this.errorOf(m);
  }
  /** One page of the TLV register of this device's SWV: the numbers after `after`, ascending (P71). */
  async tlvRegisterPage(after: number, timeoutMs = 30_000): Promise<Result<{ entries: TlvRegisterEntry[]; next: number | null }>> {
    const ref = this.takeRef();
    const answer = await this.await(ref, () => this.send({ type: 'tlv-register-get', ref, after }), timeoutMs);
    if (!answer.ok) return answer;
    const m = answer.value;
    return m.type === 'tlv-register' ? ok({ entries: m.entries, next: m.next }) : this.errorOf(m);
  }
  /** The signed record kept in a deleted dossier's tombstone, or null (P60). */
  async tombstone(dossier: string, timeoutMs = 30_000): Promise<Result<Uint8Array | null>> {
    const ref = this.takeRef();
    const answer = await this.await(ref, () => this.send({ type: 'tombstone-get', ref, dossier }), timeoutMs);
    if (!answer.ok) return answer;
    return answer.value.type === 'tombstone' ? ok(answer.value.record) : this.errorOf(answer.value);
  }
  unwatch(rooms: readonly string[]): void {
    this.send({ type: 'unwatch', rooms: [...rooms] });
  }
  snapshot(ref: number, room: string, coversSeq: number, envelope: Uint8Array): void {
    this.send({ type: 'snapshot', ref, room, coversSeq, envelope });
  }
  awareness(room: string, envelope: Uint8Array): void {
    this.send({ type: 'awareness', room, envelope });
  }
  close(): void {
    this.finish('Verbinding gesloten.', true, false);
    try {
      this.ws.close(1000);
    } catch {
      // already closed
    }
  }

  // ---- request / answer ----

  async blobPut(room: string, hash: Uint8Array, data: Uint8Array, timeoutMs = 30_000): Promise<Result<void>> {
    const ref = this.takeRef();
    const answer = await this.await(ref, () => this.send({ type: 'blob-put', ref, room, hash, data }), timeoutMs);
    if (!answer.ok) return answer;
    return answer.value.type === 'blob-stored' ? ok(undefined) : this.errorOf(answer.value);
  }

  async blobGet(room: string, hash: Uint8Array, timeoutMs = 30_000): Promise<Result<Uint8Array>> {
    const ref = this.takeRef();
    const answer = await this.await(ref, () => this.send({ type: 'blob-get', ref, room, hash }), timeoutMs);
    if (!answer.ok) return answer;
    return answer.value.type === 'blob' ? ok(answer.value.data) : this.errorOf(answer.value);
  }

  mailboxPut(box: Uint8Array, ciphertext: Uint8Array, timeoutMs = 10_000): Promise<Result<void>> {
    return this.awaitDone('mailbox-put', () => this.send({ type: 'mailbox-put', box, ciphertext }), timeoutMs);
  }

  /** Puts with a relay-enforced lifetime shorter than the default 7 days [P42]. */
  mailboxPutFor(box: Uint8Array, ciphertext: Uint8Array, ttlSeconds: number, timeoutMs = 10_000): Promise<Result<void>> {
    return this.awaitDone('mailbox-put', () => this.send({ type: 'mailbox-put', box, ciphertext, ttlSeconds }), timeoutMs);
  }

  /** Reads and deletes: afterwards the relay no longer holds the bytes [P42]. */
  mailboxTake(box: Uint8Array, timeoutMs = 10_000): Promise<Result<Uint8Array | null>> {
    return this.mailboxGet(box, timeoutMs, true);
  }

  mailboxGet(box: Uint8Array, timeoutMs = 10_000, take = false): Promise<Result<Uint8Array | null>> {
    return new Promise((resolve) => {
      const key = toHex(box);
      const t = setTimeout(() => resolve(fail('geen-antwoord', 'De relay antwoordde niet op tijd.')), timeoutMs);
      const list = this.byBox.get(key) ?? [];
      list.push((m) => {
        clearTimeout(t);
        resolve(m.type === 'mailbox' ? ok(m.ciphertext) : this.errorOf(m));
      });
      this.byBox.set(key, list);
      this.send(take ? { type: 'mailbox-get', box, take } : { type: 'mailbox-get', box });
    });
  }

  async registerSwv(provider: CryptoProvider, swvId: string, rootPublicKey: Uint8Array, rootSecretKey: Uint8Array): Promise<Result<void>> {
    const proof = await provider.ed25519Sign(rootSecretKey, registerSwvMessage(swvId, rootPublicKey));
    const r = await this.awaitDone('register-swv', () => this.send({ type: 'register-swv', swvId, rootPublicKey, proof }), 10_000);
    // Registering the same root twice is fine.
    return r.ok || r.error.code === 'swv-bestaat-al' ? r : r;
  }

  /** Hands the SWV's signed end of a person to the relay [P40]. */
  endUser(record: Uint8Array, timeoutMs = 10_000): Promise<Result<void>> {
    return this.awaitDone('end-user', () => this.send({ type: 'end-user', record }), timeoutMs);
  }

  /** Hands a signed device revocation to the relay's register [P47]. */
  revokeDevice(record: Uint8Array, timeoutMs = 10_000): Promise<Result<void>> {
    return this.awaitDone('revoke-device', () => this.send({ type: 'revoke-device', record }), timeoutMs);
  }

  /** Every device revocation in this device's SWV, as stored by the relay (verify them!) [P47]. */
  revokedDevices(timeoutMs = 10_000): Promise<Result<readonly Uint8Array[]>> {
    return new Promise((resolve) => {
      const t = setTimeout(() => resolve(fail('geen-antwoord', 'De relay antwoordde niet op tijd.')), timeoutMs);
      const list = this.byDone.get('revoked-devices') ?? [];
      list.push((m) => {
        clearTimeout(t);
        resolve(m.type === 'revoked-devices' ? ok(m.records) : this.errorOf(m));
      });
      this.byDone.set('revoked-devices', list);
      this.send({ type: 'revoked-devices-get' });
    });
  }

  /** Hands this device's signed request for a certificate on a fresh agreement key to the relay [P49]. */
  putKeyRenewal(record: Uint8Array, timeoutMs = 10_000): Promise<Result<void>> {
    return this.awaitDone('key-renewal-put', () => this.send({ type: 'key-renewal-put', record }), timeoutMs);
  }

  /** The open key renewal requests of this device's SWV, newest per device (verify them!) [P49]. */
  keyRenewals(timeoutMs = 10_000): Promise<Result<readonly Uint8Array[]>> {
    return new Promise((resolve) => {
      const t = setTimeout(() => resolve(fail('geen-antwoord', 'De relay antwoordde niet op tijd.')), timeoutMs);
      const list = this.byDone.get('key-renewals') ?? [];
      list.push((m) => {
        clearTimeout(t);
        resolve(m.type === 'key-renewals' ? ok(m.records) : this.errorOf(m));
      });
      this.byDone.set('key-renewals', list);
      this.send({ type: 'key-renewals-get' });
    });
  }

  /** Every signed end of a person in this device's SWV, as stored by the relay (verify them!) [P40]. */
  endedUsers(timeoutMs = 10_000): Promise<Result<readonly Uint8Array[]>> {
    return new Promise((resolve) => {
      const t = setTimeout(() => resolve(fail('geen-antwoord', 'De relay antwoordde niet op tijd.')), timeoutMs);
      const list = this.byDone.get('ended-users') ?? [];
      list.push((m) => {
        clearTimeout(t);
        resolve(m.type === 'ended-users' ? ok(m.records) : this.errorOf(m));
      });
      this.byDone.set('ended-users', list);
      this.send({ type: 'ended-users-get' });
    });
  }

  notify(kind: NotifyKind, room: string, recipients: readonly string[]): Promise<Result<void>> {
    return this.awaitDone('notify', () => this.send({ type: 'notify', kind, room, recipients: [...recipients] }), 10_000);
  }

  pullNotifications(timeoutMs = 10_000): Promise<Result<readonly NotificationItem[]>> {
    return new Promise((resolve) => {
      const t = setTimeout(() => resolve(fail('geen-antwoord', 'De relay antwoordde niet op tijd.')), timeoutMs);
      this.notificationWaiters.push((m) => {
        clearTimeout(t);
        resolve(m.type === 'notifications' ? ok(m.items) : this.errorOf(m));
      });
      this.send({ type: 'notifications-pull' });
    });
  }

  // ---- internals ----

  private takeRef(): number {
    const r = this.nextRef;
    this.nextRef = this.nextRef >= 4_294_967_000 ? RPC_REF_BASE : this.nextRef + 1;
    return r;
  }

  private errorOf(m: RelayMessage): Result<never> {
    return m.type === 'error' ? fail(m.code, m.message) : fail('onverwacht-antwoord', 'De relay gaf een onverwacht antwoord.');
  }

  private await(ref: number, sendIt: () => void, timeoutMs: number): Promise<Result<RelayMessage>> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.byRef.delete(ref);
        resolve(fail('geen-antwoord', 'De relay antwoordde niet op tijd.'));
      }, timeoutMs);
      this.byRef.set(ref, (m) => {
        clearTimeout(t);
        resolve(ok(m));
      });
      sendIt();
    });
  }

  private awaitDone(of: string, sendIt: () => void, timeoutMs: number): Promise<Result<void>> {
    return new Promise((resolve) => {
      const t = setTimeout(() => resolve(fail('geen-antwoord', 'De relay antwoordde niet op tijd.')), timeoutMs);
      const list = this.byDone.get(of) ?? [];
      list.push((m) => {
        clearTimeout(t);
        resolve(m.type === 'done' ? ok(undefined) : this.errorOf(m));
      });
      this.byDone.set(of, list);
      sendIt();
    });
  }

  private send(m: Loose<ClientMessage>): void {
    if (this.closed || this.ws.readyState !== WS_OPEN) return;
    this.ws.send(encodeClientMessage(m as ClientMessage));
  }

  private markReady(): void {
    this.isReady = true;
    const w = this.readyWaiters;
    this.readyWaiters = [];
    for (const r of w) r(ok(undefined));
    this.events.onReady?.(this.limits);
  }

  private finish(reason: string, fatal: boolean, report = true, code?: string): void {
    if (this.closed) return;
    this.closed = true;
    this.isReady = false;
    const w = this.readyWaiters;
    this.readyWaiters = [];
    for (const r of w) r(fail('geen-verbinding', reason));
    const gone: RelayMessage = {
      type: 'error',
      code: 'geen-verbinding',
      message: reason,
      ref: null,
      room: null,
      limit: null,
      reason: null,
      supported: null,
      fatal: true,
    };
    for (const waiter of this.byRef.values()) waiter(gone);
    this.byRef.clear();
    for (const list of [...this.byBox.values(), ...this.byDone.values(), this.notificationWaiters]) for (const waiter of list) waiter(gone);
    this.byBox.clear();
    this.byDone.clear();
    this.notificationWaiters = [];
    if (report) this.events.onClosed?.(reason, fatal, code);
  }

  private async handle(m: RelayMessage): Promise<void> {
    switch (m.type) {
      case 'challenge': {
        if (this.auth === null) return;
        const signature = await this.auth.provider.ed25519Sign(this.auth.deviceSecretKey, authMessage(m.nonce, this.origin));
        this.send({ type: 'auth', origin: this.origin, signature });
        return;
      }
      case 'ready':
        this.limits = m.limits;
        this.markReady();
        return;
      case 'served-log':
      case 'tlv-number':
      case 'tlv-register':
      case 'tombstone':
      case 'dossier-list': {
        const w = this.byRef.get(m.ref);
        this.byRef.delete(m.ref);
        w?.(m);
        return;
      }
      case 'heads': {
        const w = m.ref === null ? undefined : this.byRef.get(m.ref);
        if (w && m.ref !== null) {
          this.byRef.delete(m.ref);
          w(m);
        } else this.events.onHeads?.({ changed: m.changed, refused: m.refused });
        return;
      }
      case 'records':
        this.subscribing.delete(m.room);
        this.events.onRecords?.(
          m.room,
          m.records.map((r) => ({ seq: r.seq, bytes: r.envelope })),
          m.snapshot === null ? null : { upToSeq: m.snapshot.coversSeq, bytes: m.snapshot.envelope },
          m.headSeq,
          m.live,
        );
        return;
      case 'ack': {
        const w = this.byRef.get(m.ref);
        if (w) {
          this.byRef.delete(m.ref);
          w(m);
        } else this.events.onAck?.(m.ref, m.seq);
        return;
      }
      case 'awareness':
        this.events.onAwareness?.(m.room, m.envelope);
        return;
      case 'blob-stored':
      case 'blob': {
        const w = this.byRef.get(m.ref);
        this.byRef.delete(m.ref);
        w?.(m);
        return;
      }
      case 'mailbox': {
        const key = toHex(m.box);
        const list = this.byBox.get(key);
        const w = list?.shift();
        if (list?.length === 0) this.byBox.delete(key);
        w?.(m);
        return;
      }
      case 'done': {
        const w = this.byDone.get(m.of)?.shift();
        w?.(m);
        return;
      }
      case 'ended-users': {
        this.byDone.get('ended-users')?.shift()?.(m);
        return;
      }
      case 'key-renewals': {
        this.byDone.get('key-renewals')?.shift()?.(m);
        return;
      }
      case 'revoked-devices': {
        this.byDone.get('revoked-devices')?.shift()?.(m);
        return;
      }
      case 'notifications': {
        // Pushed or pulled: the relay hands each item out once, so every batch goes to the client.
        this.events.onNotifications?.(m.items);
        this.notificationWaiters.shift()?.(m);
        return;
      }
      case 'error': {
        if (m.ref !== null) {
          const w = this.byRef.get(m.ref);
          if (w) {
            this.byRef.delete(m.ref);
            w(m);
          } else this.events.onRefused?.(m.ref, m.code, m.reason === null ? m.message : `${m.message} (${m.reason})`);
        } else if (m.room !== null) {
          const refusedSubscription = this.subscribing.delete(m.room);
          this.events.onRoomError?.(m.room, m.code, m.message, refusedSubscription);
        } else {
          // Pre-auth answers without ref: give them to the oldest waiter of that kind.
          const doneList = [...this.byDone.values()].find((l) => l.length > 0);
          const boxList = [...this.byBox.values()].find((l) => l.length > 0);
          if (!m.fatal && doneList) doneList.shift()?.(m);
          else if (!m.fatal && boxList) boxList.shift()?.(m);
        }
        if (m.fatal) {
          this.finish(m.message, FATAL_CODES.has(m.code), true, m.code);
          try {
            this.ws.close(1000);
          } catch {
            // already closed
          }
        }
        return;
      }
    }
  }
}
