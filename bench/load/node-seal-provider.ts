// A CryptoProvider for the load generator only: the primitives sealEnvelope
// uses (random nonce, HKDF, AES-256-GCM, HMAC, SHA-256, Ed25519 sign) from
// node:crypto (XChaCha20-Poly1305 from noble, as in the clients), synchronous and native, so pre-sealing tens of thousands of
// benchmark appends takes seconds, not minutes. The envelopes are produced by
// core's own sealEnvelope and are byte-for-byte valid; the relay checks them
// like any other. Everything the load generator does not need throws.
import { createCipheriv, createHash, createHmac, createPrivateKey, hkdfSync, randomFillSync, sign, type KeyObject } from 'node:crypto';
import type { CryptoProvider } from '../../core/crypto/provider.js';
import { nobleProvider } from '../../core/crypto/noble-provider.js';

const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex');
const keys = new Map<string, KeyObject>();

function signingKey(seed: Uint8Array): KeyObject {
  const id = Buffer.from(seed).toString('hex');
  let key = keys.get(id);
  if (!key) {
    key = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519, seed]), format: 'der', type: 'pkcs8' });
    keys.set(id, key);
  }
  return key;
}

const unsupported = (what: string) => (): never => {
  throw new Error(`node-seal-provider: ${what} is not needed by the load generator`);
};

export const nodeSealProvider: CryptoProvider = {
  name: 'webcrypto',
  aeadAlgorithms: ['aes256gcm', 'xchacha20poly1305'],
  randomBytes(length) {
    return randomFillSync(new Uint8Array(length));
  },
  async aeadSeal(alg, key, nonce, plaintext, aad) {
    // node:crypto has no XChaCha20 (only the 12-byte-nonce ChaCha20-Poly1305): noble's, as the clients use.
    if (alg === 'xchacha20poly1305') return nobleProvider.aeadSeal(alg, key, nonce, plaintext, aad);
    if (alg !== 'aes256gcm') throw new Error(`node-seal-provider kan ${alg} niet`);
    const cipher = createCipheriv('aes-256-gcm', key, nonce);
    cipher.setAAD(aad);
    return new Uint8Array(Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]));
  },
  aeadOpen: unsupported('aeadOpen'),
  ed25519KeyPair: (seed) => nobleProvider.ed25519KeyPair(seed),
  async ed25519Sign(secretKey, message) {
    return new Uint8Array(sign(null, message, signingKey(secretKey)));
  },
  ed25519Verify: unsupported('ed25519Verify'),
  x25519KeyPair: unsupported('x25519KeyPair'),
  x25519SharedSecret: unsupported('x25519SharedSecret'),
  async sha256(data) {
    return new Uint8Array(createHash('sha256').update(data).digest());
  },
  async hmacSha256(key, data) {
    return new Uint8Array(createHmac('sha256', key).update(data).digest());
  },
  async hkdfSha256(ikm, salt, info, length) {
    return new Uint8Array(hkdfSync('sha256', ikm, salt, info, length));
  },
};
