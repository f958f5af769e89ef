// CryptoProvider on the platform's WebCrypto (native, constant-time code in the
// browser or Node). WebCrypto has no XChaCha20-Poly1305: by default this provider
// runs only AES-256-GCM; with `{ xchachaFallback: true }` (what
// `createPreferredProvider` uses) XChaCha goes to @noble/ciphers so old envelopes
// stay readable. Where a runtime lacks Ed25519 or X25519 in WebCrypto, those two
// fall back to @noble/curves and `native` says so.
//
// Speed: imported CryptoKeys are cached (core/crypto/key-cache.ts: bounded LRU,
// by fingerprint, cached from the second use on, `clearKeyCache()`), so the
// device signing key, epoch keys, attachment keys and authors' public keys are
// imported once instead of per call (a PKCS#8 Ed25519 import alone is ~0.5 ms),
// while single-use keys (`{ singleUse: true }`: envelope subkeys) skip the cache;
// and hash inputs under 4 KiB go to @noble/hashes, because every WebCrypto call
// costs ~30 µs of main-thread bookkeeping. Probe of 2026-11-23 on the shared,
// loaded 2-core dev machine (load ≈ 11, Node 20, 1 KB update envelope, 400 per
// round, median of 5 interleaved rounds, ops per CPU-second, since wall time
// varied 5× with the load; /tmp probe, not committed):
//                                     before   after
//   sealEnvelope                         987   2,179
//   openEnvelope (one by one)          1,441   1,896
//   openEnvelopes (batch, window 16)       –   2,840
//   verifyEnvelopeSignature            2,888   4,017
//   verifyEnvelopeSignatures (batch)       –   5,352
//   10 MB attachment encrypt (MB/s)      178     428
// The noble provider on the same runs: seal ~1,000, open ~600, verify ~750.
import { ok, fail } from '../result.js';
import { fromBase64Url, concatBytes } from './bytes.js';
import { checkAeadInputs, checkSharedSecret, nobleProvider } from './noble-provider.js';
import type { AeadAlgorithm, AeadCallOptions, CryptoProvider, KeyPair } from './provider.js';
import { CryptoKeyCache, type KeyCacheStats } from './key-cache.js';

export interface WebCryptoProvider extends CryptoProvider {
  readonly name: 'webcrypto';
  /** false where this runtime's WebCrypto lacked the curve and noble is used instead. */
  readonly native: { readonly ed25519: boolean; readonly x25519: boolean };
  /** Drops every cached CryptoKey (call on lock/logout, or when keys are rotated away). */
  clearKeyCache(): void;
  /** Hits, misses and entries of the CryptoKey cache (for benchmarks and tests). */
  keyCacheStats(): KeyCacheStats;
}

export interface WebCryptoProviderOptions {
  /** Run XChaCha20-Poly1305 with @noble/ciphers instead of refusing it (reading old data). Default false. */
  readonly xchachaFallback?: boolean;
  /** Most CryptoKeys kept per provider. Default 128. */
  readonly maxCachedKeys?: number;
  /**
   * Hash inputs shorter than this (bytes) with @noble/hashes on the calling thread: each WebCrypto
   * call costs ~30 µs of main-thread bookkeeping, more than hashing a few KB. 0 = always WebCrypto.
   * Default `JS_HASH_BELOW`.
   */
  readonly jsHashBelow?: number;
}

/** See `WebCryptoProviderOptions.jsHashBelow`. */
export const JS_HASH_BELOW = 4096;

// WebCrypto imports raw private keys only as PKCS#8: this fixed DER prefix
// (RFC 8410) wraps a 32-byte seed/scalar for OID 1.3.101.112 / .110.
const PKCS8_PREFIX = {
  Ed25519: Uint8Array.from([0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20]),
  X25519: Uint8Array.from([0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x04, 0x22, 0x04, 0x20]),
} as const;

/** WebCrypto wants ArrayBuffer-backed views (not SharedArrayBuffer). */
const bs = (u: Uint8Array): Uint8Array<ArrayBuffer> =>
  u.buffer instanceof ArrayBuffer ? (u as Uint8Array<ArrayBuffer>) : new Uint8Array(u);

const checkSecret = (sk: Uint8Array): Uint8Array => {
  if (sk.length !== 32) throw new Error('Geheime sleutel moet 32 bytes zijn');
  return sk;
};

async function supports(subtle: SubtleCrypto, name: 'Ed25519' | 'X25519'): Promise<boolean> {
  try {
    const usages: KeyUsage[] = name === 'Ed25519' ? ['sign', 'verify'] : ['deriveBits'];
    await subtle.generateKey({ name }, false, usages);
    return true;
  } catch {
    return false;
  }
}

export async function createWebCryptoProvider(
  subtle: SubtleCrypto = globalThis.crypto.subtle,
  options: WebCryptoProviderOptions = {},
): Promise<WebCryptoProvider> {
  const native = { ed25519: await supports(subtle, 'Ed25519'), x25519: await supports(subtle, 'X25519') };
  const xchacha = options.xchachaFallback === true;
  const cache = new CryptoKeyCache(options.maxCachedKeys ?? 128);
  const jsHashBelow = options.jsHashBelow ?? JS_HASH_BELOW;
  /** Cached, non-extractable private key (the extractable import below is only for deriving public keys). */
  const privateKey = (name: 'Ed25519' | 'X25519', sk: Uint8Array, usages: KeyUsage[]) =>
    cache.get(name, checkSecret(sk), () => subtle.importKey('pkcs8', bs(concatBytes(PKCS8_PREFIX[name], sk)), { name }, false, usages));

  const importPrivate = (name: 'Ed25519' | 'X25519', sk: Uint8Array, usages: KeyUsage[]) =>
    subtle.importKey('pkcs8', bs(concatBytes(PKCS8_PREFIX[name], checkSecret(sk))), { name }, true, usages);

  /** The public key of a private CryptoKey, via its JWK `x` member. */
  async function publicOf(key: CryptoKey): Promise<Uint8Array> {
    const jwk = await subtle.exportKey('jwk', key);
    const pk = fromBase64Url(jwk.x ?? '');
    if (!pk.ok || pk.value.length !== 32) throw new Error('WebCrypto gaf geen geldige publieke sleutel');
    return pk.value;
  }

  const gcmKey = (key: Uint8Array, usage: KeyUsage, options: AeadCallOptions | undefined) => {
    const load = () => subtle.importKey('raw', bs(key), { name: 'AES-GCM' }, false, [usage]);
    return options?.singleUse === true ? load() : cache.get(`AES-GCM/${usage}`, key, load);
  };
  const unsupported = (alg: AeadAlgorithm): never => {
    throw new Error(`WebCrypto kan ${alg} niet; gebruik de noble-provider`);
  };

  return {
    name: 'webcrypto',
    native,
    aeadAlgorithms: xchacha ? ['aes256gcm', 'xchacha20poly1305'] : ['aes256gcm'],
    clearKeyCache: () => cache.clear(),
    keyCacheStats: () => cache.stats(),
    randomBytes: (length) => nobleProvider.randomBytes(length),

    aeadSeal: async (alg, key, nonce, plaintext, aad, options) => {
      if (alg === 'xchacha20poly1305' && xchacha) return nobleProvider.aeadSeal(alg, key, nonce, plaintext, aad);
      if (alg !== 'aes256gcm') return unsupported(alg);
      checkAeadInputs(alg, key, nonce);
      const ct = await subtle.encrypt(
        { name: 'AES-GCM', iv: bs(nonce), additionalData: bs(aad), tagLength: 128 },
        await gcmKey(key, 'encrypt', options),
        bs(plaintext),
      );
      return new Uint8Array(ct);
    },
    aeadOpen: async (alg, key, nonce, ciphertext, aad, options) => {
      if (alg === 'xchacha20poly1305' && xchacha) return nobleProvider.aeadOpen(alg, key, nonce, ciphertext, aad);
      if (alg !== 'aes256gcm') return fail('algorithm-unsupported', 'Dit apparaat ondersteunt het versleutelalgoritme niet.');
      checkAeadInputs(alg, key, nonce);
      const k = await gcmKey(key, 'decrypt', options);
      try {
        const pt = await subtle.decrypt({ name: 'AES-GCM', iv: bs(nonce), additionalData: bs(aad), tagLength: 128 }, k, bs(ciphertext));
        return ok(new Uint8Array(pt));
      } catch {
        return fail('aead-open-failed', 'De gegevens konden niet worden ontsleuteld of zijn gewijzigd.');
      }
    },

    ed25519KeyPair: async (seed) => {
      if (!native.ed25519) return nobleProvider.ed25519KeyPair(seed);
      const secretKey = seed ?? nobleProvider.randomBytes(32);
      return { secretKey, publicKey: await publicOf(await importPrivate('Ed25519', secretKey, ['sign'])) };
    },
    ed25519Sign: async (secretKey, message) => {
      if (!native.ed25519) return nobleProvider.ed25519Sign(secretKey, message);
      const key = await privateKey('Ed25519', secretKey, ['sign']);
      return new Uint8Array(await subtle.sign({ name: 'Ed25519' }, key, bs(message)));
    },
    ed25519Verify: async (publicKey, message, signature) => {
      if (!native.ed25519) return nobleProvider.ed25519Verify(publicKey, message, signature);
      if (publicKey.length !== 32 || signature.length !== 64) return false;
      try {
        const key = await cache.get(
          'Ed25519/public',
          publicKey,
          () => subtle.importKey('raw', bs(publicKey), { name: 'Ed25519' }, false, ['verify']),
          'public',
        );
        return await subtle.verify({ name: 'Ed25519' }, key, bs(signature), bs(message));
      } catch {
        return false;
      }
    },

    x25519KeyPair: async (secretKey): Promise<KeyPair> => {
      if (!native.x25519) return nobleProvider.x25519KeyPair(secretKey);
      const sk = secretKey ?? nobleProvider.randomBytes(32);
      return { secretKey: sk, publicKey: await publicOf(await importPrivate('X25519', sk, ['deriveBits'])) };
    },
    x25519SharedSecret: async (secretKey, peerPublicKey) => {
      if (!native.x25519) return nobleProvider.x25519SharedSecret(secretKey, peerPublicKey);
      if (peerPublicKey.length !== 32) throw new Error('X25519: publieke sleutel moet 32 bytes zijn');
      const own = await privateKey('X25519', secretKey, ['deriveBits']);
      let shared: Uint8Array;
      try {
        const peer = await subtle.importKey('raw', bs(peerPublicKey), { name: 'X25519' }, false, []);
        shared = new Uint8Array(await subtle.deriveBits({ name: 'X25519', public: peer }, own, 256));
      } catch {
        shared = new Uint8Array(32); // runtimes that refuse low-order points themselves
      }
      return checkSharedSecret(shared);
    },

    sha256: async (data) =>
      data.length < jsHashBelow ? nobleProvider.sha256(data) : new Uint8Array(await subtle.digest('SHA-256', bs(data))),
    hmacSha256: async (key, data) => {
      if (data.length < jsHashBelow) return nobleProvider.hmacSha256(key, data);
      const k = await cache.get('HMAC-SHA-256', key, () =>
        subtle.importKey('raw', bs(key), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']),
      );
      return new Uint8Array(await subtle.sign('HMAC', k, bs(data)));
    },
    hkdfSha256: async (ikm, salt, info, length) => {
      if (length <= 255 * 32 && jsHashBelow > 0) return nobleProvider.hkdfSha256(ikm, salt, info, length);
      const k = await cache.get('HKDF', ikm, () => subtle.importKey('raw', bs(ikm), 'HKDF', false, ['deriveBits']));
      return new Uint8Array(await subtle.deriveBits({ name: 'HKDF', hash: 'SHA-256', salt: bs(salt), info: bs(info) }, k, length * 8));
    },
  };
}
