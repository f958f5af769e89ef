// The portable CryptoProvider: audited pure-JS @noble/* primitives. Runs where
// WebCrypto lacks an algorithm (XChaCha20-Poly1305 everywhere, Ed25519/X25519
// in older browsers) and is the reference the WebCrypto provider is tested against.
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { gcm } from '@noble/ciphers/aes.js';
import { ed25519, x25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { hmac } from '@noble/hashes/hmac.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { randomBytes } from '@noble/hashes/utils.js';
import { ok, fail } from '../result.js';
import { AEAD_NONCE_LENGTH, type AeadAlgorithm, type CryptoProvider } from './provider.js';

const cipherFor = (alg: AeadAlgorithm, key: Uint8Array, nonce: Uint8Array, aad: Uint8Array) => {
  checkAeadInputs(alg, key, nonce);
  return alg === 'xchacha20poly1305' ? xchacha20poly1305(key, nonce, aad) : gcm(key, nonce, aad);
};

/** Wrong key or nonce sizes are programming errors, not bad input: throw. */
export function checkAeadInputs(alg: AeadAlgorithm, key: Uint8Array, nonce: Uint8Array): void {
  if (key.length !== 32) throw new Error(`AEAD-sleutel moet 32 bytes zijn, niet ${key.length}`);
  if (nonce.length !== AEAD_NONCE_LENGTH[alg]) throw new Error(`Nonce voor ${alg} moet ${AEAD_NONCE_LENGTH[alg]} bytes zijn`);
}

/** An all-zero X25519 output means the peer sent a low-order point (RFC 7748 §6.1): refuse it. */
export function checkSharedSecret(shared: Uint8Array): Uint8Array {
  if (shared.every((b) => b === 0)) throw new Error('X25519: ongeldige publieke sleutel van de andere partij');
  return shared;
}

/** getRandomValues gives at most 64 KiB per call; callers may ask for more. */
function random(length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let at = 0; at < length; at += 65536) out.set(randomBytes(Math.min(65536, length - at)), at);
  return out;
}

const checkSeed = (seed: Uint8Array | undefined): Uint8Array => {
  const s = seed ?? random(32);
  if (s.length !== 32) throw new Error('Geheime sleutel moet 32 bytes zijn');
  return s;
};

export const nobleProvider: CryptoProvider = {
  name: 'noble',
  aeadAlgorithms: ['xchacha20poly1305', 'aes256gcm'],

  randomBytes: random,

  aeadSeal: async (alg, key, nonce, plaintext, aad) => cipherFor(alg, key, nonce, aad).encrypt(plaintext),

  aeadOpen: async (alg, key, nonce, ciphertext, aad) => {
    const cipher = cipherFor(alg, key, nonce, aad);
    try {
      return ok(cipher.decrypt(ciphertext));
    } catch {
      return fail('aead-open-failed', 'De gegevens konden niet worden ontsleuteld of zijn gewijzigd.');
    }
  },

  ed25519KeyPair: async (seed) => {
    const secretKey = checkSeed(seed);
    return { secretKey, publicKey: ed25519.getPublicKey(secretKey) };
  },
  ed25519Sign: async (secretKey, message) => ed25519.sign(message, checkSeed(secretKey)),
  ed25519Verify: async (publicKey, message, signature) => {
    if (publicKey.length !== 32 || signature.length !== 64) return false;
    try {
      // zip215: false = strict RFC 8032 / FIPS 186-5 rules, the same verdicts as WebCrypto.
      return ed25519.verify(signature, message, publicKey, { zip215: false });
    } catch {
      return false;
    }
  },

  x25519KeyPair: async (secretKey) => {
    const sk = checkSeed(secretKey);
    return { secretKey: sk, publicKey: x25519.getPublicKey(sk) };
  },
  x25519SharedSecret: async (secretKey, peerPublicKey) => {
    if (peerPublicKey.length !== 32) throw new Error('X25519: publieke sleutel moet 32 bytes zijn');
    let shared: Uint8Array;
    try {
      shared = x25519.getSharedSecret(checkSeed(secretKey), peerPublicKey);
    } catch {
      shared = new Uint8Array(32);
    }
    return checkSharedSecret(shared);
  },

  sha256: async (data) => sha256(data),
  hmacSha256: async (key, data) => hmac(sha256, key, data),
  hkdfSha256: async (ikm, salt, info, length) => hkdf(sha256, ikm, salt, info, length),
};
