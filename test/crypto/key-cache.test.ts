// The CryptoKey cache of the WebCrypto provider: bounded, cached only from the
// second use, never stale when a caller reuses or wipes its key array, and
// clearable. A cache that answered with the wrong key would be a silent
// catastrophe, so these tests check results, not just hit counts.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CryptoKeyCache, LruMap, keyFingerprint } from '../../core/crypto/key-cache.js';
import { createWebCryptoProvider } from '../../core/crypto/webcrypto-provider.js';
import { nobleProvider } from '../../core/crypto/noble-provider.js';
import { toHex, utf8Encode } from '../../core/crypto/bytes.js';
import { sealEnvelope } from '../../core/crypto/envelope.js';
import { deviceIdFromPublicKey } from '../../core/crypto/device-id.js';
import { asId, type RoomId } from '../../core/model/ids.js';

const subtle = globalThis.crypto.subtle;
const hmacImport = (raw: Uint8Array) => () =>
  subtle.importKey('raw', new Uint8Array(raw), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);

describe('LruMap', () => {
  it('never holds more than its bound and evicts the least recently used entry first', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 12 })), { maxLength: 80 }),
        (bound, ops) => {
          const lru = new LruMap<number, number>(bound);
          const model: number[] = []; // most recent last
          for (const [isSet, k] of ops) {
            if (isSet) {
              lru.set(k, k * 10);
              if (model.includes(k)) model.splice(model.indexOf(k), 1);
              model.push(k);
              if (model.length > bound) model.shift();
            } else {
              const v = lru.get(k);
              expect(v).toBe(model.includes(k) ? k * 10 : undefined);
              if (model.includes(k)) {
                model.splice(model.indexOf(k), 1);
                model.push(k);
              }
            }
            expect(lru.size).toBe(model.length);
            expect(lru.size).toBeLessThanOrEqual(bound);
          }
        },
      ),
    );
  });
});

describe('CryptoKeyCache', () => {
  it('imports once-used keys without keeping them and caches a key from its second use on', async () => {
    const cache = new CryptoKeyCache(4);
    const once = nobleProvider.randomBytes(32);
    await cache.get('HMAC', once, hmacImport(once));
    expect(cache.stats().size).toBe(0);
    const reused = nobleProvider.randomBytes(32);
    const first = await cache.get('HMAC', reused, hmacImport(reused));
    const second = await cache.get('HMAC', reused, hmacImport(reused));
    const third = await cache.get('HMAC', reused.slice(), hmacImport(reused)); // equal bytes, other array
    expect(cache.stats().size).toBe(1);
    expect(third).toBe(second);
    expect(first).not.toBe(second);
    expect(cache.stats().hits).toBe(1);
  });

  it('stays within its bound however many distinct keys pass through', async () => {
    const cache = new CryptoKeyCache(3);
    for (let i = 0; i < 10; i++) {
      const raw = nobleProvider.randomBytes(32);
      await cache.get('HMAC', raw, hmacImport(raw));
      await cache.get('HMAC', raw, hmacImport(raw));
      expect(cache.stats().size).toBeLessThanOrEqual(3);
    }
    expect(cache.stats().size).toBe(3);
  });

  it('does not cache a failed import, so a later valid import is not poisoned', async () => {
    const cache = new CryptoKeyCache(4);
    const raw = nobleProvider.randomBytes(32);
    const broken = () => Promise.reject(new Error('import mislukt'));
    await expect(cache.get('HMAC', raw, broken)).rejects.toThrow();
    await expect(cache.get('HMAC', raw, broken)).rejects.toThrow();
    expect(cache.stats().size).toBe(0);
    await cache.get('HMAC', raw, hmacImport(raw));
    await cache.get('HMAC', raw, hmacImport(raw));
    expect(cache.stats().size).toBe(1);
  });

  it('keeps purposes apart: the same bytes as an HMAC key and as an HKDF key are different entries', async () => {
    const cache = new CryptoKeyCache(4);
    const raw = nobleProvider.randomBytes(32);
    const hkdf = () => subtle.importKey('raw', new Uint8Array(raw), 'HKDF', false, ['deriveBits']);
    for (let i = 0; i < 2; i++) await cache.get('HMAC', raw, hmacImport(raw));
    for (let i = 0; i < 2; i++) await cache.get('HKDF', raw, hkdf);
    expect((await cache.get('HMAC', raw, hmacImport(raw))).algorithm.name).toBe('HMAC');
    expect((await cache.get('HKDF', raw, hkdf)).algorithm.name).toBe('HKDF');
  });

  it('fingerprints are domain-separated hashes, not the key bytes', () => {
    const raw = nobleProvider.randomBytes(32);
    expect(keyFingerprint(raw)).not.toContain(toHex(raw));
    expect(keyFingerprint(raw)).toBe(keyFingerprint(raw.slice()));
    expect(keyFingerprint(raw)).not.toBe(keyFingerprint(nobleProvider.randomBytes(32)));
  });
});

describe('[R8] WebCrypto provider with its key cache', () => {
  it.each([[{}], [{ jsHashBelow: 0 }]])(
    'gives the same results as noble when the caller reuses one key array and overwrites (wipes) it between calls (%o)',
    async (options) => {
      const wc = await createWebCryptoProvider(undefined, options);
      const message = utf8Encode('kindkluis');
      const buffer = new Uint8Array(32);
      for (let round = 0; round < 6; round++) {
        buffer.set(nobleProvider.randomBytes(32));
        for (let use = 0; use < 3; use++) {
          const pair = await nobleProvider.ed25519KeyPair(buffer.slice());
          const signature = await wc.ed25519Sign(buffer, message);
          expect(await nobleProvider.ed25519Verify(pair.publicKey, message, signature)).toBe(true);
          expect(toHex(await wc.hmacSha256(buffer, message))).toBe(toHex(await nobleProvider.hmacSha256(buffer, message)));
          expect(toHex(await wc.hkdfSha256(buffer, message, message, 48))).toBe(
            toHex(await nobleProvider.hkdfSha256(buffer, message, message, 48)),
          );
          const nonce = nobleProvider.randomBytes(12);
          const sealed = await wc.aeadSeal('aes256gcm', buffer, nonce, message, message);
          expect(toHex(sealed)).toBe(toHex(await nobleProvider.aeadSeal('aes256gcm', buffer, nonce, message, message)));
          const opened = await wc.aeadOpen('aes256gcm', buffer, nonce, sealed, message);
          expect(opened.ok && toHex(opened.value)).toBe(toHex(message));
        }
        buffer.fill(0); // the caller wipes; the next round must not see the old key
      }
      expect(wc.keyCacheStats().hits).toBeGreaterThan(0);
    },
  );

  it('a verify key cached for one author never verifies another author’s signature', async () => {
    const wc = await createWebCryptoProvider();
    const message = utf8Encode('bericht');
    const alice = await nobleProvider.ed25519KeyPair();
    const mallory = await nobleProvider.ed25519KeyPair();
    const aliceSig = await nobleProvider.ed25519Sign(alice.secretKey, message);
    const mallorySig = await nobleProvider.ed25519Sign(mallory.secretKey, message);
    for (let i = 0; i < 3; i++) {
      expect(await wc.ed25519Verify(alice.publicKey, message, aliceSig)).toBe(true);
      expect(await wc.ed25519Verify(alice.publicKey, message, mallorySig)).toBe(false);
      expect(await wc.ed25519Verify(mallory.publicKey, message, aliceSig)).toBe(false);
    }
  });

  it('clearKeyCache drops every cached key and the provider keeps working', async () => {
    const wc = await createWebCryptoProvider(undefined, { maxCachedKeys: 8 });
    const key = nobleProvider.randomBytes(32);
    const nonce = nobleProvider.randomBytes(12);
    const seal = () => wc.aeadSeal('aes256gcm', key, nonce, utf8Encode('x'), new Uint8Array());
    for (let i = 0; i < 3; i++) await seal();
    expect(wc.keyCacheStats().size).toBe(1);
    wc.clearKeyCache();
    expect(wc.keyCacheStats().size).toBe(0);
    expect(toHex(await seal())).toBe(toHex(await nobleProvider.aeadSeal('aes256gcm', key, nonce, utf8Encode('x'), new Uint8Array())));
  });

  it.each([
    [{}, 1],
    [{ jsHashBelow: 0 }, 2],
  ])(
    'never caches the per-envelope subkeys: sealing many envelopes with one epoch key keeps the cache small (%o)',
    async (options, expected) => {
      const wc = await createWebCryptoProvider(undefined, { maxCachedKeys: 64, ...options });
      const device = await nobleProvider.ed25519KeyPair();
      const epochKey = nobleProvider.randomBytes(32);
      for (let counter = 1; counter <= 40; counter++) {
        await sealEnvelope(wc, {
          header: {
            v: 1,
            kind: 'update',
            room: asId<RoomId>('d-1/leerling'),
            epoch: 1,
            author: deviceIdFromPublicKey(device.publicKey),
            counter,
            alg: 'aes256gcm',
          },
          key: epochKey,
          plaintext: utf8Encode('update'),
          signingSecretKey: device.secretKey,
        });
      }
      // The device key (Ed25519), plus the epoch key when HKDF runs in WebCrypto; the 80 one-off AES/HMAC subkeys are not kept.
      expect(wc.keyCacheStats().size).toBe(expected);
    },
  );
});

describe('[R8] WebCrypto provider hashing small inputs in JS', () => {
  it('SHA-256, HMAC and HKDF agree with noble for input sizes on both sides of jsHashBelow, cache or no cache', async () => {
    const mixed = await createWebCryptoProvider(undefined, { jsHashBelow: 64 });
    const native = await createWebCryptoProvider(undefined, { jsHashBelow: 0 });
    const key = nobleProvider.randomBytes(32);
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 0, maxLength: 160 }), fc.integer({ min: 1, max: 100 }), async (data, length) => {
        const want = [
          toHex(await nobleProvider.sha256(data)),
          toHex(await nobleProvider.hmacSha256(key, data)),
          toHex(await nobleProvider.hkdfSha256(key, data, data, length)),
        ];
        for (const p of [mixed, native]) {
          expect([
            toHex(await p.sha256(data)),
            toHex(await p.hmacSha256(key, data)),
            toHex(await p.hkdfSha256(key, data, data, length)),
          ]).toEqual(want);
        }
      }),
      { numRuns: 60 },
    );
  });
});
