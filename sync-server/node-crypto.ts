// A CryptoProvider for the relay process: native Ed25519 verification and
// SHA-256 from node:crypto (tens of microseconds instead of milliseconds, so a
// flood of signed appends costs little CPU); everything else from noble.
import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { nobleProvider } from '../core/crypto/noble-provider.js';
import type { CryptoProvider } from '../core/crypto/provider.js';

const SPKI_ED25519 = Buffer.from('302a300506032b6570032100', 'hex');

/**
 * Parsed public keys by their bytes, most recently used last. Parsing a key (createPublicKey) cost as
 * much as the verification itself (measured on the dev machine: 198–221 µs per verify with a fresh
 * key, 114–124 µs with a parsed one); a relay sees the same few hundred devices over and over.
 * Bounded, so a flood of made-up authors cannot grow it.
 */
const parsedKeys = new Map<string, KeyObject>();
export const PARSED_KEY_CACHE_SIZE = 4096;

function publicKeyObject(publicKey: Uint8Array): KeyObject {
  const id = Buffer.from(publicKey).toString('hex');
  const hit = parsedKeys.get(id);
  if (hit) {
    parsedKeys.delete(id);
    parsedKeys.set(id, hit);
    return hit;
  }
  const key = createPublicKey({ key: Buffer.concat([SPKI_ED25519, publicKey]), format: 'der', type: 'spki' });
  parsedKeys.set(id, key);
  if (parsedKeys.size > PARSED_KEY_CACHE_SIZE) parsedKeys.delete(parsedKeys.keys().next().value as string);
  return key;
}

/** How many parsed keys are kept (tests check the bound). */
export const parsedKeyCount = (): number => parsedKeys.size;

export function ed25519VerifyNative(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (publicKey.length !== 32 || signature.length !== 64) return false;
  try {
    return verify(null, message, publicKeyObject(publicKey), signature);
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
