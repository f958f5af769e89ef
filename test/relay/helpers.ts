// Test helpers for the relay: start the production relay (startRelay, lmdb,
// core/access policy) on 127.0.0.1:0 with a temporary data directory, and a
// small WebSocket client speaking the real protocol with real keys.
import { mkdtempSync, rmSync } from 'node:fs';
import { afterAll } from 'vitest';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { parseConfig } from '../../sync-server/config.js';
import { startRelay, type RunningRelay } from '../../sync-server/main.js';
import { silentLogger } from '../../sync-server/log.js';
import { storeArgs } from './relay-store.js';
import { decodeRelayMessage, encodeClientMessage } from '../../core/sync/protocol-codec.js';
import type { ClientMessage, RelayMessage, RelayMessageOf, RelayMessageType } from '../../core/sync/protocol.js';
import { PROTOCOL_VERSION } from '../../core/sync/protocol.js';
import { authMessage } from '../../core/sync/protocol-signing.js';
import { encodeDeviceChain, stripProfile } from '../../core/access/device-chain.js';
import { toBase64Url } from '../../core/crypto/bytes.js';
import { encodeEnvelope, sealEnvelope, type EnvelopeKind } from '../../core/crypto/envelope.js';
import { asId, type RoomId } from '../../core/model/ids.js';
import { currentEpoch } from '../../core/access/dossier-access.js';
import { keyringGet } from '../../core/access/keyring.js';
import { parseRoom } from '../../core/access/rooms.js';
import { provider, type DossierHarness, type Member, type World } from '../access/fixtures.js';

/** Data folders made by this test file; removed after its tests (relays started on them are stopped by then). */
const tempDirs: string[] = [];
afterAll(() => {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

export const tempDir = (prefix = 'kk-relay-'): string => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
};

export async function startTestRelay(
  world: World | undefined,
  extraArgs: readonly string[] = [],
  data = tempDir(),
): Promise<RunningRelay & { data: string }> {
  const args = ['--port', '0', '--data', data, ...(await storeArgs(data)), ...extraArgs];
  if (world !== undefined) args.push('--swv-root', `${world.swv.id}:${toBase64Url(world.swv.root.publicKey)}`);
  const config = parseConfig(args);
  if (!config.ok) throw new Error(config.error.message);
  const running = await startRelay(config.value, silentLogger);
  return { ...running, data };
}

type Waiter = {
  readonly match: (m: RelayMessage) => boolean;
  readonly resolve: (m: RelayMessage) => void;
  readonly reject: (e: Error) => void;
};

export class TestClient {
  readonly received: RelayMessage[] = [];
  private readonly waiters: Waiter[] = [];
  closeCode: number | undefined;
  readonly closed: Promise<number>;
  private ref = 0;

  private constructor(
    readonly ws: WebSocket,
    readonly url: string,
  ) {
    ws.binaryType = 'nodebuffer';
    ws.on('message', (data: Buffer) => {
      const msg = decodeRelayMessage(new Uint8Array(data));
      if (!msg.ok) throw new Error(`relay sent an undecodable frame: ${msg.error.code}`);
      this.received.push(msg.value);
      const i = this.waiters.findIndex((w) => w.match(msg.value));
      if (i >= 0) this.waiters.splice(i, 1)[0]?.resolve(msg.value);
    });
    this.closed = new Promise((resolve) =>
      ws.on('close', (code) => {
        this.closeCode = code;
        // Nothing more will arrive: whoever still waits learns it now.
        for (const w of this.waiters.splice(0)) w.reject(new Error(`closed (${code})`));
        resolve(code);
      }),
    );
    ws.on('error', () => undefined);
  }

  static async open(url: string): Promise<TestClient> {
    const ws = new WebSocket(url);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return new TestClient(ws, url);
  }

  send(msg: ClientMessage): void {
    this.ws.send(encodeClientMessage(msg));
  }

  sendRaw(bytes: Uint8Array): void {
    this.ws.send(bytes);
  }

  nextRef(): number {
    return ++this.ref;
  }

  /** The first message (already received or future) matching; consumed from `received`. */
  wait<T extends RelayMessageType>(
    type: T,
    pred: (m: RelayMessageOf<T>) => boolean = () => true,
    timeoutMs = 10_000,
  ): Promise<RelayMessageOf<T>> {
    const match = (m: RelayMessage): boolean => m.type === type && pred(m as RelayMessageOf<T>);
    const i = this.received.findIndex(match);
    if (i >= 0) return Promise.resolve(this.received.splice(i, 1)[0] as RelayMessageOf<T>);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(
              `timeout waiting for ${type}; got ${this.received.map((m) => (m.type === 'error' ? `error:${m.code}` : m.type)).join(',')}`,
            ),
          ),
        timeoutMs,
      );
      this.waiters.push({
        match,
        resolve: (m) => {
          clearTimeout(timer);
          const at = this.received.indexOf(m);
          if (at >= 0) this.received.splice(at, 1);
          resolve(m as RelayMessageOf<T>);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
    });
  }

  /** Waits for the answer to a request with `ref`: an ack, blob message or error. */
  answer(ref: number): Promise<RelayMessage> {
    return new Promise((resolve, reject) => {
      const match = (m: RelayMessage) => 'ref' in m && m.ref === ref;
      const i = this.received.findIndex(match);
      if (i >= 0) return resolve(this.received.splice(i, 1)[0] as RelayMessage);
      const timer = setTimeout(() => reject(new Error(`timeout waiting for ref ${ref}`)), 10_000);
      this.waiters.push({
        match,
        resolve: (m) => {
          clearTimeout(timer);
          const at = this.received.indexOf(m);
          if (at >= 0) this.received.splice(at, 1);
          resolve(m);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
    });
  }

  close(): void {
    this.ws.close();
  }
}

export const chainBytes = (m: Member): Uint8Array => encodeDeviceChain(stripProfile(m.chain));

/** hello → challenge → auth → ready with the member's real device key [P3, P4]. */
export async function login(url: string, m: Member, origin = url): Promise<TestClient> {
  const c = await TestClient.open(url);
  c.send({ type: 'hello', protocolVersion: PROTOCOL_VERSION, chain: chainBytes(m) });
  const ch = await c.wait('challenge');
  const signature = await provider.ed25519Sign(m.device.secretKey, authMessage(ch.nonce, origin));
  c.send({ type: 'auth', origin, signature });
  await c.wait('ready');
  return c;
}

const counters = new Map<string, number>();
export const nextCounter = (m: Member, room: string): number => {
  const key = `${m.verified.deviceId}|${room}`;
  const n = (counters.get(key) ?? 0) + 1;
  counters.set(key, n);
  return n;
};

export const roomId = (h: DossierHarness, scope: string): RoomId => asId<RoomId>(`${h.dossier}/${scope}`);

/** Seals a real envelope under the room's current epoch key as the member holds it. */
export async function seal(
  h: DossierHarness,
  m: Member,
  room: RoomId,
  plaintext: string | Uint8Array,
  opts: { kind?: EnvelopeKind; counter?: number; publicPart?: Uint8Array } = {},
): Promise<Uint8Array> {
  const parsed = parseRoom(room);
  if (!parsed.ok) throw new Error('bad room');
  const { scope } = parsed.value;
  // Without an access list (before genesis, or a stranger) a made-up key: the relay never sees keys anyway.
  const epoch = h.access === undefined ? 0 : (currentEpoch(h.access.scopes.get(scope))?.epoch ?? 0);
  const key = (h.access === undefined ? undefined : keyringGet(await h.keyring(m), scope, epoch)) ?? new Uint8Array(32).fill(1);
  const env = await sealEnvelope(provider, {
    header: {
      v: 1,
      kind: opts.kind ?? 'update',
      room,
      epoch,
      author: m.verified.deviceId,
      counter: opts.counter ?? nextCounter(m, room),
      alg: 'xchacha20poly1305',
    },
    key,
    plaintext: typeof plaintext === 'string' ? new TextEncoder().encode(plaintext) : plaintext,
    ...(opts.publicPart === undefined ? {} : { publicPart: opts.publicPart }),
    signingSecretKey: m.device.secretKey,
  });
  return encodeEnvelope(env);
}

export async function append(c: TestClient, room: string, envelope: Uint8Array): Promise<RelayMessage> {
  const ref = c.nextRef();
  c.send({ type: 'append', ref, room, envelope });
  return c.answer(ref);
}

export const codeOf = (m: RelayMessage): string => (m.type === 'error' ? m.code : m.type);
