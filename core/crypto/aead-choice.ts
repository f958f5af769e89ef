// Which AEAD a device seals with. Both are in the envelope format from v1 on
// (the header names the algorithm) and every Kindkluis client opens both
// (createPreferredProvider runs XChaCha20-Poly1305 with @noble/ciphers).
//
// Small plaintexts (a typed word is a Yjs update of 20–100 bytes) go to
// XChaCha20-Poly1305 in JavaScript: a WebCrypto call costs more in bookkeeping
// (an async job, a fresh CryptoKey for the per-envelope subkey) than the cipher
// itself, and ChaCha is add-rotate-xor, constant-time without table lookups.
// Large ones go to native AES-256-GCM. Measured on the 2-core dev machine
// (Node 20, open of one envelope-sized payload, 2026-11-23): 64 B 80 µs AES vs
// 29 µs XChaCha, 1 KiB 55 vs 24, 4 KiB 56 vs 71, 16 KiB 69 vs 138 (wall, many in
// flight). Opening 5,000 linked small updates: 130–160 → 88–99 µs per record.
import type { AeadAlgorithm, CryptoProvider } from './provider.js';

/** Plaintexts shorter than this are sealed with XChaCha20-Poly1305 where the provider has it. */
export const SMALL_PLAINTEXT_BELOW = 2048;

/**
 * AES-256-GCM wherever the provider has it: both providers do, so a box or
 * record sealed on one device opens on every other (a WebCrypto-only runtime
 * may lack XChaCha). Each box key is single-use and each envelope derives its
 * own subkey, so random 12-byte nonces stay far from GCM's limits.
 */
export const preferredAead = (provider: CryptoProvider): AeadAlgorithm =>
  provider.aeadAlgorithms.includes('aes256gcm') ? 'aes256gcm' : 'xchacha20poly1305';

/** The algorithm to seal `byteLength` bytes of plaintext with: see the top of this file. */
export const aeadFor = (provider: CryptoProvider, byteLength: number): AeadAlgorithm =>
  byteLength < SMALL_PLAINTEXT_BELOW && provider.aeadAlgorithms.includes('xchacha20poly1305')
    ? 'xchacha20poly1305'
    : preferredAead(provider);
