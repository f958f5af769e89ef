// The relay's native Ed25519 verification with its cache of parsed public keys
// answers exactly like noble's, for any key, message and (damaged) signature,
// and the cache stays bounded however many authors show up.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { nobleProvider } from '../../core/crypto/noble-provider.js';
import { ed25519VerifyNative, parsedKeyCount, PARSED_KEY_CACHE_SIZE } from '../../sync-server/node-crypto.js';

const keys = await Promise.all([1, 2, 3].map((n) => nobleProvider.ed25519KeyPair(new Uint8Array(32).fill(n))));

describe('relay Ed25519 verification', () => {
  it('agrees with noble for every key, message and damage, whether the key was parsed before or not', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: 2 }),
        fc.nat({ max: 2 }),
        fc.uint8Array({ maxLength: 200 }),
        fc.option(fc.nat({ max: 63 }), { nil: undefined }),
        async (signer, claimed, message, flip) => {
          const sig = await nobleProvider.ed25519Sign(keys[signer]!.secretKey, message);
          if (flip !== undefined) sig[flip] = (sig[flip] ?? 0) ^ 1;
          const pk = keys[claimed]!.publicKey;
          expect(ed25519VerifyNative(pk, message, sig)).toBe(await nobleProvider.ed25519Verify(pk, message, sig));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('refuses malformed keys and signatures without throwing, and keeps at most the bound of parsed keys', () => {
    const message = new Uint8Array([1, 2, 3]);
    expect(ed25519VerifyNative(new Uint8Array(31), message, new Uint8Array(64))).toBe(false);
    expect(ed25519VerifyNative(keys[0]!.publicKey, message, new Uint8Array(63))).toBe(false);
    for (let i = 0; i < PARSED_KEY_CACHE_SIZE + 50; i++) {
      const made = nobleProvider.randomBytes(32);
      expect(ed25519VerifyNative(made, message, new Uint8Array(64))).toBe(false);
    }
    expect(parsedKeyCount()).toBeLessThanOrEqual(PARSED_KEY_CACHE_SIZE);
  });
});
