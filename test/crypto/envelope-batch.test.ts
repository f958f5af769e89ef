// Batch verification and opening: for any mix of good, tampered, misaddressed
// and wrongly keyed envelopes, every provider and every window size, the batch
// gives exactly what the one-by-one functions give, in input order.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { nobleProvider } from '../../core/crypto/noble-provider.js';
import { createWebCryptoProvider } from '../../core/crypto/webcrypto-provider.js';
import { createPreferredProvider } from '../../core/crypto/preferred-provider.js';
import { openEnvelope, sealEnvelope, verifyEnvelopeSignature, type Envelope } from '../../core/crypto/envelope.js';
import { openEnvelopes, verifyEnvelopeSignatures } from '../../core/crypto/envelope-batch.js';
import { mapConcurrent } from '../../core/crypto/map-concurrent.js';
import { deviceIdFromPublicKey } from '../../core/crypto/device-id.js';
import { toHex, utf8Encode } from '../../core/crypto/bytes.js';
import type { CryptoProvider } from '../../core/crypto/provider.js';
import { asId, type RoomId } from '../../core/model/ids.js';
import type { Result } from '../../core/result.js';

const providers: [string, CryptoProvider][] = [
  ['noble', nobleProvider],
  ['webcrypto', await createWebCryptoProvider()],
  ['preferred', await createPreferredProvider()],
];
const room = asId<RoomId>('d-9/hulpvraag:h-2');
const otherRoom = asId<RoomId>('d-9/leerling');
const epochKey = nobleProvider.randomBytes(32);
const wrongKey = nobleProvider.randomBytes(32);
const alice = await nobleProvider.ed25519KeyPair();
const bob = await nobleProvider.ed25519KeyPair();

type Damage = 'none' | 'flip-ciphertext' | 'swap-signature' | 'other-room' | 'other-epoch' | 'wrong-key' | 'flip-public-part';

/** Sealed with noble (AES-GCM, which every provider opens), then damaged as asked. */
async function envelopeFor(index: number, damage: Damage, author: 'alice' | 'bob'): Promise<{ env: Envelope; key: Uint8Array }> {
  const device = author === 'alice' ? alice : bob;
  const env = await sealEnvelope(nobleProvider, {
    header: {
      v: 1,
      kind: 'update',
      room: damage === 'other-room' ? otherRoom : room,
      epoch: damage === 'other-epoch' ? 4 : 3,
      author: deviceIdFromPublicKey(device.publicKey),
      counter: index + 1,
      alg: 'aes256gcm',
    },
    key: epochKey,
    plaintext: utf8Encode(`update ${index}`),
    publicPart: utf8Encode(`seq ${index}`),
    signingSecretKey: device.secretKey,
  });
  const flip = (bytes: Uint8Array) => {
    const copy = bytes.slice();
    copy[0] = (copy[0] ?? 0) ^ 1;
    return copy;
  };
  switch (damage) {
    case 'flip-ciphertext':
      return { env: { ...env, ciphertext: flip(env.ciphertext) }, key: epochKey };
    case 'flip-public-part':
      return { env: { ...env, publicPart: flip(env.publicPart ?? new Uint8Array(1)) }, key: epochKey };
    case 'swap-signature':
      return { env: { ...env, signature: flip(env.signature) }, key: epochKey };
    case 'wrong-key':
      return { env, key: wrongKey };
    case 'none':
    case 'other-room':
    case 'other-epoch':
      return { env, key: epochKey };
  }
}

const damageArb = fc.constantFrom<Damage>(
  'none',
  'none',
  'none',
  'flip-ciphertext',
  'swap-signature',
  'other-room',
  'other-epoch',
  'wrong-key',
  'flip-public-part',
);
const batchArb = fc.array(fc.tuple(damageArb, fc.constantFrom<'alice' | 'bob'>('alice', 'bob')), { maxLength: 24 });

const summary = (r: Result<Uint8Array, { code: string }> | undefined) =>
  r === undefined ? 'missing' : r.ok ? `ok:${toHex(r.value)}` : `fail:${r.error.code}`;

describe.each(providers)('[R5][R7] envelope batches with the %s provider', (_name, p) => {
  it('verifyEnvelopeSignatures gives, per envelope and in input order, what verifyEnvelopeSignature gives', async () => {
    await fc.assert(
      fc.asyncProperty(batchArb, fc.integer({ min: 1, max: 9 }), async (plan, concurrency) => {
        const envs = await Promise.all(plan.map(([damage, author], i) => envelopeFor(i, damage, author).then((x) => x.env)));
        const batch = await verifyEnvelopeSignatures(p, envs, { concurrency });
        expect(batch).toHaveLength(envs.length);
        for (const [i, env] of envs.entries()) {
          const single = await verifyEnvelopeSignature(p, env);
          const got = batch[i];
          expect(got?.ok).toBe(single);
          if (got?.ok === true) expect(got.value).toBe(env.header.author);
          else expect(got?.error.code).toBe('handtekening-ongeldig');
        }
      }),
      { numRuns: 15 },
    );
  });

  it('openEnvelopes gives, per envelope and in input order, what openEnvelope gives (shared and per-envelope options)', async () => {
    await fc.assert(
      fc.asyncProperty(batchArb, fc.integer({ min: 1, max: 9 }), fc.boolean(), async (plan, concurrency, knownBobOnly) => {
        const made = await Promise.all(plan.map(([damage, author], i) => envelopeFor(i, damage, author)));
        const envs = made.map((m) => m.env);
        const isKnownAuthor = knownBobOnly ? (id: string) => id === deviceIdFromPublicKey(bob.publicKey) : () => true;
        // Shared options: one key for the whole batch.
        const shared = await openEnvelopes(p, envs, { key: epochKey, room, epoch: 3, isKnownAuthor, concurrency });
        // Per envelope: its own key and a replay bound.
        const optionsFor = (_env: Envelope, i: number) => ({
          key: made[i]?.key ?? epochKey,
          room,
          epoch: 3,
          lastCounter: i % 3 === 0 ? i + 1 : i,
        });
        const each = await openEnvelopes(p, envs, { optionsFor, concurrency });
        for (const [i, env] of envs.entries()) {
          const single = await openEnvelope(p, env, { key: epochKey, room, epoch: 3, isKnownAuthor });
          expect(summary(shared[i]), `shared #${i}`).toBe(summary(single));
          const singleEach = await openEnvelope(p, env, optionsFor(env, i));
          expect(summary(each[i]), `each #${i}`).toBe(summary(singleEach));
        }
      }),
      { numRuns: 12 },
    );
  });

  it('an empty batch gives no results, and a window below 1 is a caller bug', async () => {
    expect(await verifyEnvelopeSignatures(p, [])).toEqual([]);
    expect(await openEnvelopes(p, [], { key: epochKey, room, epoch: 3 })).toEqual([]);
    await expect(verifyEnvelopeSignatures(p, [], { concurrency: 0 })).rejects.toThrow();
  });
});

describe('mapConcurrent', () => {
  it('keeps at most the window in flight and returns results in input order, whatever order tasks finish in', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat({ max: 5 }), { maxLength: 30 }), fc.integer({ min: 1, max: 6 }), async (delays, window) => {
        let inFlight = 0;
        let most = 0;
        const out = await mapConcurrent(delays, window, async (delay, i) => {
          inFlight++;
          most = Math.max(most, inFlight);
          await new Promise((resolve) => setTimeout(resolve, delay));
          inFlight--;
          return i * 2;
        });
        expect(out).toEqual(delays.map((_, i) => i * 2));
        expect(most).toBeLessThanOrEqual(window);
      }),
      { numRuns: 25 },
    );
  });
});
