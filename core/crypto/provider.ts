// The one interface every cryptographic primitive goes through. Two
// implementations (WebCrypto where the runtime has the algorithm, @noble/* as
// the portable fallback) pass the same known-answer and round-trip suite.
// All methods are async because WebCrypto is.
import type { Result, KkError } from '../result.js';

export type AeadAlgorithm = 'xchacha20poly1305' | 'aes256gcm';

/**
 * The AEAD for everything newly sealed (new epochs, key boxes, envelopes,
 * attachments): AES-256-GCM, because every WebCrypto has it natively (fast,
 * constant-time, off the main thread). Envelopes and attachments derive a fresh
 * key per message/file, which keeps GCM's 96-bit random nonces far from their
 * limits. XChaCha20-Poly1305 stays supported for reading what was sealed with it.
 */
export const DEFAULT_AEAD: AeadAlgorithm = 'aes256gcm';

/** Nonce length per AEAD: XChaCha20-Poly1305 24 bytes, AES-256-GCM 12 bytes. */
export const AEAD_NONCE_LENGTH: Readonly<Record<AeadAlgorithm, number>> = {
  xchacha20poly1305: 24,
  aes256gcm: 12,
};

/** Raw 32-byte keys: `secretKey` is the Ed25519 seed or X25519 scalar. */
export interface KeyPair {
  readonly publicKey: Uint8Array;
  readonly secretKey: Uint8Array;
}

export type CryptoErrorCode = 'aead-open-failed' | 'algorithm-unsupported' | 'invalid-key';
export type CryptoError = KkError<CryptoErrorCode>;

export interface AeadCallOptions {
  /**
   * The key serves this one call only (an envelope's HKDF subkey): a provider with a
   * key cache skips it, since fingerprinting and remembering a key that never comes
   * back costs time and keeps secret-derived ids around for nothing.
   */
  readonly singleUse?: boolean;
}

export interface CryptoProvider {
  readonly name: 'webcrypto' | 'noble';
  /** The AEADs this provider can run; the noble provider has both. */
  readonly aeadAlgorithms: readonly AeadAlgorithm[];

  randomBytes(length: number): Uint8Array;

  aeadSeal(
    alg: AeadAlgorithm,
    key: Uint8Array,
    nonce: Uint8Array,
    plaintext: Uint8Array,
    aad: Uint8Array,
    options?: AeadCallOptions,
  ): Promise<Uint8Array>;
  aeadOpen(
    alg: AeadAlgorithm,
    key: Uint8Array,
    nonce: Uint8Array,
    ciphertext: Uint8Array,
    aad: Uint8Array,
    options?: AeadCallOptions,
  ): Promise<Result<Uint8Array, CryptoError>>;

  ed25519KeyPair(seed?: Uint8Array): Promise<KeyPair>;
  ed25519Sign(secretKey: Uint8Array, message: Uint8Array): Promise<Uint8Array>;
  ed25519Verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): Promise<boolean>;

  x25519KeyPair(secretKey?: Uint8Array): Promise<KeyPair>;
  x25519SharedSecret(secretKey: Uint8Array, peerPublicKey: Uint8Array): Promise<Uint8Array>;

  sha256(data: Uint8Array): Promise<Uint8Array>;
  hmacSha256(key: Uint8Array, data: Uint8Array): Promise<Uint8Array>;
  hkdfSha256(ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): Promise<Uint8Array>;
}
