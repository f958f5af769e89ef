// A CryptoProvider for the relay process: native Ed25519 verification and
// SHA-256 from node:crypto (tens of microseconds instead of milliseconds, so a
// flood of signed appends costs little CPU); everything else from noble.
import { createHash, createPublicKey, verify } from 'node:crypto';
import { nobleProvider } from '../core/crypto/noble-provider.js';
import type { CryptoProvider } from '../core/crypto/provider.js';

const SPKI_ED25519 = Buffer.from('302a300506032b6570032100', 'hex');

export function ed25519VerifyNative(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (publicKey.length !== 32 || signature.length !== 64) return false;
  try {
    const key = createPublicKey({ key: Buffer.concat([SPKI_ED25519, publicKey]), format: 'der', type: 'spki' });
    return verify(null, message, key, signature);
  } catch {
    return false;
  }
}

export const sha256Native = (data: Uint8Array): Uint8Array => new Uint8Array(createHash('sha256').update(data).digest());

export const relayCryptoProvider: CryptoProvider = {
  ...nobleProvider,
  ed25519Verify: (pk, msg, sig) => Promise.resolve(ed25519VerifyNative(pk, msg, sig)),
  sha256: (data) => Promise.resolve(sha256Native(data)),
};
