// Item 3: the cost of Kindkluis's cryptography per provider (WebCrypto, noble)
// against raw WebCrypto on the same data as the limit: seal+open of a 1 KB
// update envelope, a 10 MB attachment, Ed25519 verifications.
import { webcrypto } from 'node:crypto';
import type { BenchContext } from '../harness.js';
import { interleave, rate } from '../harness.js';
import type { Suite } from '../suite.js';
import { nobleProvider } from '../../core/crypto/noble-provider.js';
import { createWebCryptoProvider } from '../../core/crypto/webcrypto-provider.js';
import { openEnvelope, sealEnvelope, type EnvelopeHeader } from '../../core/crypto/envelope.js';
import { decryptAttachment, encryptAttachment, MAX_ATTACHMENT_BYTES } from '../../core/crypto/attachment.js';
import { deviceIdFromPublicKey } from '../../core/crypto/device-id.js';
import type { AeadAlgorithm, CryptoProvider } from '../../core/crypto/provider.js';
import { asId, type RoomId } from '../../core/model/ids.js';

const subtle = webcrypto.subtle as unknown as SubtleCrypto;
const UPDATE_BYTES = 1024;
const MB = 1024 * 1024;

const random = (n: number): Uint8Array<ArrayBuffer> => {
  const out = new Uint8Array(n);
  // getRandomValues fills at most 64 KiB per call.
  for (let o = 0; o < n; o += 65536) webcrypto.getRandomValues(out.subarray(o, Math.min(n, o + 65536)));
  return out;
};

export const cryptoSuite: Suite = {
  name: 'crypto',
  title: '3. Crypto per provider vs raw WebCrypto',
  async run(ctx) {
    const webcryptoProvider = await createWebCryptoProvider(subtle);
    const providers: { provider: CryptoProvider; alg: AeadAlgorithm }[] = [
      { provider: webcryptoProvider, alg: 'aes256gcm' },
      { provider: nobleProvider, alg: 'aes256gcm' },
      { provider: nobleProvider, alg: 'xchacha20poly1305' },
    ];
    ctx.note(
      `WebCrypto provider: native Ed25519 ${webcryptoProvider.native.ed25519 ? 'yes' : 'no'}, X25519 ${webcryptoProvider.native.x25519 ? 'yes' : 'no'}. ` +
        'The envelope rows are the full path (HKDF subkeys, AEAD, HMAC key commitment, Ed25519 sign on seal; verify, commitment check and decrypt on open). ' +
        'The raw WebCrypto rows use a key imported once and no signature: the physical limit for the same bytes.',
    );
    const repeats = ctx.pick(3, 5, 7);
    const window = { maxMs: ctx.pick(150, 400, 600), maxCount: 200_000, minCount: 3 };
    await envelopes(ctx, providers, repeats, window);
    await verifies(ctx, [webcryptoProvider, nobleProvider], repeats, window);
    await attachments(ctx, providers, ctx.pick(1, 3, 5));
  },
};

async function envelopes(
  ctx: BenchContext,
  providers: readonly { provider: CryptoProvider; alg: AeadAlgorithm }[],
  repeats: number,
  window: { maxMs: number; maxCount: number; minCount: number },
): Promise<void> {
  const plaintext = random(UPDATE_BYTES);
  const rawKey = random(32);
  const gcmKey = await subtle.importKey('raw', rawKey, { name: 'AES-GCM' }, false, ['encrypt', 'decrypt']);
  const aad = random(64);
  const signing = await nobleProvider.ed25519KeyPair(random(32));
  const author = deviceIdFromPublicKey(signing.publicKey);
  const room: RoomId = asId<RoomId>('bench-dossier/hulpvraag:1');
  const counters = new Map<string, number>();
  const measurements: Record<string, () => Promise<number>> = {
    raw: async () =>
      (
        await rate(async () => {
          const iv = random(12);
          const ct = await subtle.encrypt({ name: 'AES-GCM', iv, additionalData: aad }, gcmKey, plaintext);
          await subtle.decrypt({ name: 'AES-GCM', iv, additionalData: aad }, gcmKey, ct);
        }, window)
      ).perSecond,
  };
  for (const { provider, alg } of providers) {
    const key = `${provider.name}-${alg}`;
    measurements[`aead-${key}`] = async () =>
      (
        await rate(async () => {
          const nonce = provider.randomBytes(alg === 'aes256gcm' ? 12 : 24);
          const ct = await provider.aeadSeal(alg, rawKey, nonce, plaintext, aad);
          const pt = await provider.aeadOpen(alg, rawKey, nonce, ct, aad);
          if (!pt.ok) throw new Error('aead round trip failed');
        }, window)
      ).perSecond;
    measurements[`env-${key}`] = async () =>
      (
        await rate(async () => {
          const counter = (counters.get(key) ?? 0) + 1;
          counters.set(key, counter);
          const header: EnvelopeHeader = { v: 1, kind: 'update', room, epoch: 1, author, counter, alg };
          const env = await sealEnvelope(provider, { header, key: rawKey, plaintext, signingSecretKey: signing.secretKey });
          const opened = await openEnvelope(provider, env, { key: rawKey, room, epoch: 1, lastCounter: counter - 1 });
          if (!opened.ok) throw new Error(`envelope round trip failed: ${opened.error.code}`);
        }, window)
      ).perSecond;
  }
  const s = await interleave(repeats, measurements);
  ctx.record({
    id: 'crypto.raw-webcrypto.gcm-1k',
    label: 'raw WebCrypto AES-GCM encrypt+decrypt, 1 KB',
    unit: 'ops/s',
    better: 'higher',
    samples: s['raw']!,
  });
  for (const { provider, alg } of providers) {
    const key = `${provider.name}-${alg}`;
    ctx.record({
      id: `crypto.${key}.aead-1k`,
      label: `${provider.name} provider ${alg} seal+open (AEAD only), 1 KB`,
      unit: 'ops/s',
      better: 'higher',
      samples: s[`aead-${key}`]!,
    });
    ctx.compare(`crypto.${key}.aead-1k`, 'crypto.raw-webcrypto.gcm-1k');
    ctx.record({
      id: `crypto.${key}.envelope-1k`,
      label: `${provider.name} provider ${alg} envelope seal+open, 1 KB update`,
      unit: 'ops/s',
      better: 'higher',
      samples: s[`env-${key}`]!,
    });
    ctx.compare(`crypto.${key}.envelope-1k`, 'crypto.raw-webcrypto.gcm-1k');
  }
}

async function verifies(
  ctx: BenchContext,
  providers: readonly CryptoProvider[],
  repeats: number,
  window: { maxMs: number; maxCount: number; minCount: number },
): Promise<void> {
  const pair = await nobleProvider.ed25519KeyPair(random(32));
  const message = random(32);
  const signature = await nobleProvider.ed25519Sign(pair.secretKey, message);
  let rawKey: CryptoKey | undefined;
  try {
    rawKey = await subtle.importKey('raw', pair.publicKey as Uint8Array<ArrayBuffer>, { name: 'Ed25519' }, false, ['verify']);
  } catch {
    ctx.note('This runtime has no WebCrypto Ed25519; the verify rows have no raw baseline.');
  }
  const measurements: Record<string, () => Promise<number>> = {};
  if (rawKey) {
    const k = rawKey;
    measurements['raw'] = async () =>
      (
        await rate(async () => {
          if (!(await subtle.verify({ name: 'Ed25519' }, k, signature as Uint8Array<ArrayBuffer>, message as Uint8Array<ArrayBuffer>)))
            throw new Error('verify failed');
        }, window)
      ).perSecond;
  }
  for (const p of providers) {
    measurements[p.name] = async () =>
      (
        await rate(async () => {
          if (!(await p.ed25519Verify(pair.publicKey, message, signature))) throw new Error('verify failed');
        }, window)
      ).perSecond;
  }
  const s = await interleave(repeats, measurements);
  if (s['raw'])
    ctx.record({
      id: 'crypto.raw-webcrypto.ed25519-verify',
      label: 'raw WebCrypto Ed25519 verify (key imported once)',
      unit: 'verifies/s',
      better: 'higher',
      samples: s['raw'],
    });
  for (const p of providers) {
    ctx.record({
      id: `crypto.${p.name}.ed25519-verify`,
      label: `${p.name} provider Ed25519 verify`,
      unit: 'verifies/s',
      better: 'higher',
      samples: s[p.name]!,
    });
    ctx.compare(`crypto.${p.name}.ed25519-verify`, 'crypto.raw-webcrypto.ed25519-verify');
  }
}

async function attachments(
  ctx: BenchContext,
  providers: readonly { provider: CryptoProvider; alg: AeadAlgorithm }[],
  repeats: number,
): Promise<void> {
  const file = random(MAX_ATTACHMENT_BYTES);
  const rawKey = await subtle.importKey('raw', random(32), { name: 'AES-GCM' }, false, ['encrypt', 'decrypt']);
  const mbPerS = (ms: number): number => (2 * MAX_ATTACHMENT_BYTES) / MB / (ms / 1000);
  const time = async (fn: () => Promise<void>): Promise<number> => {
    const t0 = performance.now();
    await fn();
    return mbPerS(performance.now() - t0);
  };
  const measurements: Record<string, () => Promise<number>> = {
    raw: () =>
      time(async () => {
        const iv = random(12);
        const ct = await subtle.encrypt({ name: 'AES-GCM', iv }, rawKey, file);
        await subtle.decrypt({ name: 'AES-GCM', iv }, rawKey, ct);
      }),
  };
  for (const { provider, alg } of providers) {
    measurements[`${provider.name}-${alg}`] = () =>
      time(async () => {
        const sealed = await encryptAttachment(provider, file, { alg });
        if (!sealed.ok) throw new Error(sealed.error.message);
        const opened = await decryptAttachment(provider, sealed.value.ciphertext, sealed.value.key, sealed.value.address);
        if (!opened.ok) throw new Error(opened.error.message);
      });
  }
  const s = await interleave(repeats, measurements);
  ctx.record({
    id: 'crypto.raw-webcrypto.gcm-10mb',
    label: 'raw WebCrypto AES-GCM encrypt+decrypt, 10 MB in one call',
    unit: 'MB/s (2×10 MB per op)',
    better: 'higher',
    samples: s['raw']!,
  });
  for (const { provider, alg } of providers) {
    const id = `crypto.${provider.name}-${alg}.attachment-10mb`;
    ctx.record({
      id,
      label: `${provider.name} provider ${alg} attachment encrypt+decrypt (64 KiB chunks, address check), 10 MB`,
      unit: 'MB/s (2×10 MB per op)',
      better: 'higher',
      samples: s[`${provider.name}-${alg}`]!,
    });
    ctx.compare(id, 'crypto.raw-webcrypto.gcm-10mb');
  }
}
