// The Kindkluis side of the relay benchmark, as the load generator runs it:
// every client is the real sync client connection (core/sync/relay-connection:
// hello → challenge → auth → ready, subscribe, append, acks after fsync) over
// a real ws socket. Senders' envelopes are real signed, sealed Yjs updates
// (core's sealEnvelope on native node:crypto primitives), sealed before the
// measured phases so the figures are the relay's, not the load generator's crypto.
import { relayAddressAt } from '../../core/sync/relay-addresses.js';
import { webcrypto } from 'node:crypto';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { createWebCryptoProvider } from '../../core/crypto/webcrypto-provider.js';
import { decodeEnvelope, encodeEnvelope, sealEnvelope } from '../../core/crypto/envelope.js';
import type { CryptoProvider } from '../../core/crypto/provider.js';
import type { DeviceId, RoomId } from '../../core/model/ids.js';
import { RelayConnection } from '../../core/sync/relay-connection.js';
import { frameBytes, type WebSocketFactory, type WebSocketLike } from '../../core/sync/web-socket.js';
import { RELAY_TAGS } from '../../core/sync/protocol-codec.js';
import { publicKeyFromDeviceId } from '../../core/crypto/device-id.js';
import type { WorkerSetup } from './messages.js';
import { nodeSealProvider } from './node-seal-provider.js';
import { YJS_CHARS_PER_UPDATE, type ClientSystem } from './systems.js';

/** One benchmark client's identity: its stripped device chain and device key. */
export interface KindkluisClientIdentity {
  readonly deviceId: DeviceId;
  readonly chainBytes: Uint8Array;
  readonly deviceSecretKey: Uint8Array;
}

/** What the main thread hands to the load workers (structured-clone safe). */
export interface KindkluisExtra {
  readonly room: RoomId;
  readonly epoch: number;
  readonly epochKey: Uint8Array;
  readonly clients: readonly KindkluisClientIdentity[];
  /** Global indices of the clients that will send; only they get pre-sealed envelopes. */
  readonly senders: readonly number[];
  /** Per client, when clients follow different dossiers (relay-swv suite); without it every client types in `room`. */
  readonly follows?: readonly ClientFollows[];
  /**
   * Clients per source address: client i connects from 127.0.0.(2 + ⌊i / n⌋), so thousands of clients look like
   * schools behind their own addresses and each stays under the relay's per-address limits. Unset: 127.0.0.1.
   */
  readonly clientsPerAddress?: number;
}

/** What one client follows the way the extension does (P45): watches, and one live subscription for the open dossier. */
export interface ClientFollows {
  /** The room it subscribes live and types in. */
  readonly live: RoomId;
  /** The rooms it watches (heads only). */
  readonly watch: readonly RoomId[];
  /** The live room's current epoch and key, to seal the typing updates. */
  readonly epoch: number;
  readonly epochKey: Uint8Array;
}

/** The source address of client `index` (see KindkluisExtra.clientsPerAddress). */
export function sourceAddress(index: number, clientsPerAddress: number | undefined): string | undefined {
  if (clientsPerAddress === undefined) return undefined;
  const n = 2 + Math.floor(index / clientsPerAddress);
  if (n > 254) throw new Error(`client ${index}: more than 253 source addresses needed`);
  return `127.0.0.${n}`;
}

export const wsFactory: WebSocketFactory = (url) => new WebSocket(url, { perMessageDeflate: false }) as unknown as WebSocketLike;

const wsFactoryFrom =
  (localAddress: string): WebSocketFactory =>
  (url) =>
    new WebSocket(url, { perMessageDeflate: false, localAddress }) as unknown as WebSocketLike;

const RECORDS_TAG = RELAY_TAGS.indexOf('records');
const ACK_TAG = RELAY_TAGS.indexOf('ack');

/**
 * A minimal reader for the two frames a benchmark client gets by the thousand:
 * `records` (author and counter of each envelope) and `ack` (ref). It walks the
 * canonical encoding (core/crypto/canonical.ts) and the envelope wire prefix
 * (core/crypto/envelope.ts) without building objects or validating, and gives
 * up (returns false) on anything unexpected, so the real client handles it.
 */
class FrameScanner {
  private o = 0;
  constructor(private readonly b: Uint8Array) {}
  byte(): number {
    const v = this.b[this.o++];
    if (v === undefined) throw new RangeError('end of frame');
    return v;
  }
  varint(): number {
    let v = 0;
    let mul = 1;
    for (;;) {
      const x = this.byte();
      v += (x & 0x7f) * mul;
      if (x < 0x80) return v;
      mul *= 128;
    }
  }
  sized(): [number, number] {
    const n = this.varint();
    const at = this.o;
    this.o += n;
    if (this.o > this.b.length) throw new RangeError('end of frame');
    return [at, n];
  }
  key(): string {
    const [at, n] = this.sized();
    let k = '';
    for (let i = at; i < at + n; i++) k += String.fromCharCode(this.b[i] ?? 0);
    return k;
  }
  skip(): void {
    const t = this.byte();
    if (t <= 2) return;
    if (t === 3 || t === 4) return void this.varint();
    if (t === 5 || t === 6) return void this.sized();
    if (t === 7) {
      for (let n = this.varint(); n > 0; n--) this.skip();
      return;
    }
    if (t === 8) {
      for (let n = this.varint(); n > 0; n--) {
        this.sized();
        this.skip();
      }
      return;
    }
    throw new RangeError('unknown tag');
  }
  /** Positions of the `envelope` bytes of every record in a `records` body. */
  records(): [number, number][] {
    const out: [number, number][] = [];
    if (this.byte() !== 8) throw new RangeError('not an object');
    for (let n = this.varint(); n > 0; n--) {
      if (this.key() !== 'records') {
        this.skip();
        continue;
      }
      if (this.byte() !== 7) throw new RangeError('records is not a list');
      for (let r = this.varint(); r > 0; r--) {
        if (this.byte() !== 8) throw new RangeError('record is not an object');
        for (let f = this.varint(); f > 0; f--) {
          if (this.key() === 'envelope' && this.b[this.o] === 6) {
            this.o++;
            out.push(this.sized());
          } else this.skip();
        }
      }
    }
    return out;
  }
  ref(): number | undefined {
    if (this.byte() !== 8) return undefined;
    for (let n = this.varint(); n > 0; n--) {
      if (this.key() === 'ref' && this.b[this.o] === 3) {
        this.o++;
        return this.varint();
      }
      this.skip();
    }
    return undefined;
  }
  /** Author key prefix (as a map key) and counter from the envelope wire prefix at `at`. */
  authorAndCounter(at: number): [string, number] {
    this.o = at + 3;
    this.sized(); // room
    this.varint(); // epoch
    const a = this.o;
    this.o += 32;
    return [authorKey(this.b, a), this.varint()];
  }
}

/** The first 12 bytes of an author's public key, enough to tell the benchmark's devices apart. */
const authorKey = (b: Uint8Array, at: number): string => {
  let k = '';
  for (let i = at; i < at + 12; i++) k += String.fromCharCode(b[i] ?? 0);
  return k;
};

/**
 * Once subscribed, a receiving benchmark client reads `records` and `ack`
 * frames with FrameScanner instead of the real client's decode and zod
 * validation (about 25 µs a frame here). Hundreds of clients share one
 * load-generator thread, whereas every real client has its own CPU; without
 * this the Kindkluis figures at 100+ clients would measure the load generator.
 * Every other frame still goes through the real client code.
 */
function lightReceiver(socket: WebSocketLike, onRecord: (author: string, counter: number) => void, onAck: (ref: number) => void): void {
  const full = socket.onmessage;
  socket.onmessage = (ev) => {
    const bytes = frameBytes(ev.data);
    const tag = bytes?.[0];
    if (bytes && (tag === RECORDS_TAG || tag === ACK_TAG)) {
      try {
        const scan = new FrameScanner(bytes.subarray(1));
        if (tag === ACK_TAG) {
          const ref = scan.ref();
          if (ref !== undefined) return onAck(ref);
        } else {
          for (const [at] of scan.records()) onRecord(...scan.authorAndCounter(at));
          return;
        }
      } catch {
        // fall through to the real client
      }
    }
    full?.(ev);
  };
}

/** Opens an authenticated connection with the real client code; rejects with the relay's reason. */
export async function connectDevice(
  url: string,
  provider: CryptoProvider,
  identity: Pick<KindkluisClientIdentity, 'chainBytes' | 'deviceSecretKey'>,
  events: ConstructorParameters<typeof RelayConnection>[3] = {},
  timeoutMs = 20_000,
  onSocket: (socket: WebSocketLike) => void = () => undefined,
  localAddress?: string,
): Promise<RelayConnection> {
  let closedReason = '';
  const open = localAddress === undefined ? wsFactory : wsFactoryFrom(localAddress);
  const factory: WebSocketFactory = (u) => {
    const socket = open(u);
    onSocket(socket);
    return socket;
  };
  const conn = new RelayConnection(
    url,
    factory,
    { provider, chainBytes: identity.chainBytes, deviceSecretKey: identity.deviceSecretKey },
    {
      ...events,
      onClosed: (reason, fatal) => {
        closedReason = reason;
        events.onClosed?.(reason, fatal);
      },
    },
  );
  let timer: NodeJS.Timeout | undefined;
  const ready = await Promise.race([
    conn.whenReady(),
    new Promise<{ ok: false; error: { message: string } }>((resolve) => {
      timer = setTimeout(() => resolve({ ok: false, error: { message: `geen ready binnen ${timeoutMs} ms` } }), timeoutMs);
    }),
  ]);
  clearTimeout(timer);
  if (!ready.ok) {
    conn.close();
    throw new Error(`relay refused the benchmark client: ${ready.error.message} ${closedReason}`);
  }
  return conn;
}

/** `count` real Yjs typing updates of one client, sealed as update envelopes with counters 1…count. */
async function sealUpdates(
  provider: CryptoProvider,
  extra: Pick<KindkluisExtra, 'room' | 'epoch' | 'epochKey'>,
  client: KindkluisClientIdentity,
  clientIndex: number,
  count: number,
  chars: number,
): Promise<Uint8Array[]> {
  const doc = new Y.Doc();
  doc.clientID = clientIndex + 1;
  const text = doc.getText('omschrijving');
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  const chunk = 'abcdefghijklmnopqrstuvwxyz'.slice(0, chars);
  for (let i = 0; i < count; i++) text.insert(0, chunk);
  doc.destroy();
  return Promise.all(
    updates.map(async (plaintext, i) =>
      encodeEnvelope(
        await sealEnvelope(provider, {
          header: { v: 1, kind: 'update', room: extra.room, epoch: extra.epoch, author: client.deviceId, counter: i + 1, alg: 'aes256gcm' },
          key: extra.epochKey,
          plaintext,
          signingSecretKey: client.deviceSecretKey,
        }),
      ),
    ),
  );
}

export async function kindkluisSystem(setup: WorkerSetup): Promise<ClientSystem> {
  const extra = setup.extra as KindkluisExtra;
  if (!extra || !Array.isArray(extra.clients) || extra.clients.length !== setup.totalClients)
    throw new Error('kindkluis load worker: missing client identities');
  const provider = await createWebCryptoProvider(webcrypto.subtle as unknown as SubtleCrypto);
  const indexOf = new Map(extra.clients.map((c, i) => [c.deviceId as string, i]));
  const indexOfKey = new Map(
    extra.clients.map((c, i) => {
      const pk = publicKeyFromDeviceId(c.deviceId);
      if (!pk.ok) throw new Error('bad device id');
      return [authorKey(pk.value, 0), i] as const;
    }),
  );
  if (indexOfKey.size !== extra.clients.length) throw new Error('two benchmark devices share a key prefix');
  return {
    async connect(index, hooks) {
      const me = extra.clients[index];
      if (!me) throw new Error(`no identity for client ${index}`);
      const follows = extra.follows?.[index];
      const room = follows?.live ?? extra.room;
      const sealing = follows ? { room, epoch: follows.epoch, epochKey: follows.epochKey } : extra;
      const envelopes = extra.senders.includes(index)
        ? await sealUpdates(nodeSealProvider, sealing, me, index, setup.stride - 1, setup.charsPerUpdate ?? YJS_CHARS_PER_UPDATE)
        : [];
      let live: () => void = () => undefined;
      const subscribed = new Promise<void>((resolve) => {
        live = resolve;
      });
      const onEnvelope = (bytes: Uint8Array): void => {
        const env = decodeEnvelope(bytes);
        if (!env.ok) return;
        const sender = indexOf.get(env.value.header.author);
        if (sender === undefined || sender === index) return;
        hooks.delivery(sender, env.value.header.counter);
      };
      let socket: WebSocketLike | undefined;
      // A list of relays (P28) splits the clients across them: client i connects to relay i mod n.
      const conn = await connectDevice(
        relayAddressAt(setup.url, index),
        provider,
        me,
        {
          onAck: (ref) => hooks.ack(ref),
          onRefused: (ref, code) => hooks.refused(ref, code),
          onRecords: (_room, records) => {
            live();
            for (const r of records) onEnvelope(r.bytes);
          },
        },
        20_000,
        (s) => {
          socket = s;
        },
        sourceAddress(index, extra.clientsPerAddress),
      );
      if (follows && follows.watch.length > 0) {
        const heads = await conn.watch(follows.watch.map((r) => ({ room: r, afterSeq: 0 })));
        if (!heads.ok) throw new Error(`client ${index}: watch refused: ${heads.error.code} ${heads.error.message}`);
        if (heads.value.refused.length > 0) throw new Error(`client ${index}: watch refused ${JSON.stringify(heads.value.refused)}`);
      }
      conn.subscribe(room, 0);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        subscribed,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`client ${index}: no subscription answer within 20 s`)), 20_000);
        }),
      ]);
      clearTimeout(timer);
      if (!socket) throw new Error('no socket');
      lightReceiver(
        socket,
        (author, counter) => {
          const sender = indexOfKey.get(author);
          if (sender !== undefined && sender !== index) hooks.delivery(sender, counter);
        },
        (ref) => hooks.ack(ref),
      );
      return {
        send(seq) {
          const envelope = envelopes[seq - 1];
          if (!envelope) throw new Error(`client ${index} has no sealed envelope for counter ${seq}`);
          conn.append(seq, room, envelope);
        },
        close: () => conn.close(),
      };
    },
  };
}
