// Opening a room from many small sealed updates versus from one sealed
// snapshot: the same document either way. Prints the timings (never asserted);
// OPEN_N=10000 gives the figure compared with secsync's published 1.1 s / 0.37 s.
import { describe, it, expect } from 'vitest';
import * as Y from 'yjs';
import { nobleProvider } from '../../core/crypto/noble-provider.js';
import { createWebCryptoProvider } from '../../core/crypto/webcrypto-provider.js';
import { deviceIdFromPublicKey } from '../../core/crypto/device-id.js';
import { decodeEnvelope, encodeEnvelope, openEnvelope, sealEnvelope } from '../../core/crypto/envelope.js';
import type { CryptoProvider } from '../../core/crypto/provider.js';
import type { RoomId } from '../../core/model/ids.js';
import { decodeSnapshotPayload, decodeUpdatePayload, encodeSnapshotPayload, encodeUpdatePayload } from '../../core/client/dossier-state.js';
import { RoomDoc } from '../../core/sync/room-doc.js';

const N = Number(process.env.OPEN_N ?? 500);
const ROOM = 'dossier1/hulpvraag:h1' as RoomId;

async function measure(provider: CryptoProvider): Promise<{ without: number; withSnapshot: number; n: number }> {
  const kp = await provider.ed25519KeyPair();
  const author = deviceIdFromPublicKey(kp.publicKey);
  const key = provider.randomBytes(32);
  const alg = provider.aeadAlgorithms.includes('xchacha20poly1305') ? 'xchacha20poly1305' : 'aes256gcm';
  const source = new Y.Doc();
  const updates: Uint8Array[] = [];
  source.on('update', (u: Uint8Array) => updates.push(u));
  const text = source.getText('tekst');
  for (let i = 0; i < N; i++)
    source.transact(() => (i % 3 === 0 ? source.getMap('meta').set(`k${i % 50}`, i) : text.insert(text.length, 'x')));
  const cert = new Uint8Array(200);
  const sealed = await Promise.all(
    updates.map(async (u, i) =>
      encodeEnvelope(
        await sealEnvelope(provider, {
          header: { v: 1, kind: 'update', room: ROOM, epoch: 0, author, counter: i + 1, alg },
          key,
          plaintext: encodeUpdatePayload(u, cert),
          signingSecretKey: kp.secretKey,
        }),
      ),
    ),
  );
  const snapshot = encodeEnvelope(
    await sealEnvelope(provider, {
      header: { v: 1, kind: 'snapshot', room: ROOM, epoch: 0, author, counter: N + 1, alg },
      key,
      plaintext: encodeSnapshotPayload(Y.encodeStateAsUpdate(source)),
      signingSecretKey: kp.secretKey,
    }),
  );

  // Without snapshot: verify every signature and decrypt each record once (concurrently), merge, apply once.
  let t = performance.now();
  const a = new RoomDoc(ROOM, () => undefined);
  const plain = await Promise.all(
    sealed.map(async (bytes) => {
      const env = decodeEnvelope(bytes);
      if (!env.ok) throw new Error(env.error.message);
      const opened = await openEnvelope(provider, env.value, { key, room: ROOM, epoch: 0 });
      if (!opened.ok) throw new Error(opened.error.message);
      const p = decodeUpdatePayload(opened.value);
      if (!p) throw new Error('payload');
      return p.update;
    }),
  );
  const opened0 = performance.now() - t;
  a.applyRemote(plain);
  const without = performance.now() - t;
  if (process.env.OPEN_DETAIL)
    console.log(`  openen/verifiëren ${opened0.toFixed(0)} ms, samenvoegen+toepassen ${(without - opened0).toFixed(0)} ms`);

  // With snapshot: one signature, one decryption, one apply.
  t = performance.now();
  const b = new RoomDoc(ROOM, () => undefined);
  const env = decodeEnvelope(snapshot);
  if (!env.ok) throw new Error(env.error.message);
  const opened = await openEnvelope(provider, env.value, { key, room: ROOM, epoch: 0 });
  if (!opened.ok) throw new Error(opened.error.message);
  const state = decodeSnapshotPayload(opened.value);
  if (!state) throw new Error('snapshot');
  b.applyRemote([state]);
  const withSnapshot = performance.now() - t;

  expect(a.doc.getText('tekst').toString()).toBe(source.getText('tekst').toString());
  expect(b.doc.getText('tekst').toString()).toBe(source.getText('tekst').toString());
  expect(a.doc.getMap('meta').toJSON()).toEqual(b.doc.getMap('meta').toJSON());
  return { without, withSnapshot, n: N };
}

describe('opening a room', () => {
  it('gives the same document from all sealed updates as from one sealed snapshot (timings printed)', async () => {
    const all: [string, CryptoProvider][] = [
      ['noble', nobleProvider],
      ['webcrypto', await createWebCryptoProvider(globalThis.crypto.subtle)],
    ];
    const only = process.env.OPEN_PROVIDER;
    const providers = only === undefined ? all : all.filter(([n]) => n === only);
    for (const [name, p] of providers) {
      const r = await measure(p);
      console.log(
        `openen ${r.n} updates (${name}): zonder momentopname ${r.without.toFixed(0)} ms, met momentopname ${r.withSnapshot.toFixed(1)} ms`,
      );
    }
  }, 600_000);
});
