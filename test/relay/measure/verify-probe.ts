// Measurement (not a test): the relay's envelope signature check with each
// provider — node:crypto importing the key per call (the relay's original
// node-crypto.ts), WebCrypto via createPreferredProvider (cached CryptoKeys),
// one by one and through verifyEnvelopeSignatures (a bounded window in flight).
// Run: npx tsx test/relay/measure/verify-probe.ts [envelopes] [devices]
import { createPublicKey, verify } from 'node:crypto';
import { nobleProvider } from '../../../core/crypto/noble-provider.js';
import { createPreferredProvider } from '../../../core/crypto/preferred-provider.js';
import { deviceIdFromPublicKey } from '../../../core/crypto/device-id.js';
import { sealEnvelope, verifyEnvelopeSignature, type Envelope } from '../../../core/crypto/envelope.js';
import { verifyEnvelopeSignatures } from '../../../core/crypto/envelope-batch.js';
import type { CryptoProvider } from '../../../core/crypto/provider.js';
import { asId, type RoomId } from '../../../core/model/ids.js';
import { relayCryptoProvider } from '../../../sync-server/node-crypto.js';

const n = Number(process.argv[2] ?? 3000);
const devices = Number(process.argv[3] ?? 8);
const keys = await Promise.all(Array.from({ length: devices }, () => nobleProvider.ed25519KeyPair()));
const envs: Envelope[] = [];
for (let i = 0; i < n; i++) {
  const k = keys[i % devices];
  if (k === undefined) throw new Error('geen sleutel');
  envs.push(
    await sealEnvelope(nobleProvider, {
      header: {
        v: 1,
        kind: 'update',
        room: asId<RoomId>('d1/leerling'),
        epoch: 0,
        author: deviceIdFromPublicKey(k.publicKey),
        counter: i + 1,
        alg: 'aes256gcm',
      },
      key: new Uint8Array(32).fill(7),
      plaintext: new Uint8Array(1024).fill(i & 0xff),
      signingSecretKey: k.secretKey,
    }),
  );
}

const SPKI = Buffer.from('302a300506032b6570032100', 'hex');
const keyObjects = new Map<string, ReturnType<typeof createPublicKey>>();
const cachedNode: CryptoProvider = {
  ...relayCryptoProvider,
  ed25519Verify: (pk, msg, sig) => {
    const id = Buffer.from(pk).toString('hex');
    let key = keyObjects.get(id);
    if (key === undefined) keyObjects.set(id, (key = createPublicKey({ key: Buffer.concat([SPKI, pk]), format: 'der', type: 'spki' })));
    return Promise.resolve(verify(null, msg, key, sig));
  },
};

async function time(label: string, run: () => Promise<boolean[]>): Promise<void> {
  await run(); // warm-up (JIT, key caches)
  const rounds: number[] = [];
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    const out = await run();
    rounds.push(performance.now() - t0);
    if (!out.every(Boolean)) throw new Error(`${label}: a valid signature was refused`);
  }
  const best = Math.min(...rounds);
  console.log(`${label.padEnd(48)} ${(n / (best / 1000)).toFixed(0).padStart(7)} verifies/s  (${((best * 1000) / n).toFixed(1)} µs each)`);
}

const oneByOne = (p: CryptoProvider) => async () => {
  const out: boolean[] = [];
  for (const e of envs) out.push(await verifyEnvelopeSignature(p, e));
  return out;
};
const preferred = await createPreferredProvider();
console.log(`${n} envelopes of 1 KiB from ${devices} devices, node ${process.version}`);
await time('node:crypto, key imported per call (old relay)', oneByOne(relayCryptoProvider));
await time('node:crypto, KeyObject cached per device', oneByOne(cachedNode));
await time('createPreferredProvider, one by one', oneByOne(preferred));
await time('createPreferredProvider, verifyEnvelopeSignatures', async () =>
  (await verifyEnvelopeSignatures(preferred, envs)).map((r) => r.ok),
);
await time('noble, one by one', oneByOne(nobleProvider));
