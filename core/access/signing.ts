// Domain-separated signatures over canonical encodings: every signed object in
// core/access is signed as `context || 0x00 || encodeCanonical(body)`, so a
// signature made for one purpose can never be replayed as another.
import type { CryptoProvider } from '../crypto/provider.js';
import { concatBytes, toHex, utf8Encode } from '../crypto/bytes.js';
import { encodeCanonical, type CanonicalValue } from '../crypto/canonical.js';
import { SIGNING_CONTEXTS as C } from '../crypto/signing-contexts.js';

/** The contexts of core/access, from the one table in crypto/signing-contexts.ts. */
export const SIGNING_CONTEXT = {
  organisation: C.organisation,
  user: C.user,
  device: C.device,
  revocation: C.revocation,
  userEnd: C.userEnd,
  form: C.form,
  profile: C.profile,
  memberList: C.memberList,
  directoryPage: C.directoryPage,
  directoryKeyDelivery: C.directoryKeyDelivery,
  keyRenewal: C.keyRenewal,
  retentionPolicy: C.retentionPolicy,
  keyBox: C.keyBox,
  previousKey: C.previousKey,
} as const;
export type SigningContext = (typeof SIGNING_CONTEXT)[keyof typeof SIGNING_CONTEXT];

export const signedMessage = (context: SigningContext, body: CanonicalValue): Uint8Array =>
  concatBytes(utf8Encode(context), new Uint8Array([0]), encodeCanonical(body));

export const signBody = (
  provider: CryptoProvider,
  secretKey: Uint8Array,
  context: SigningContext,
  body: CanonicalValue,
): Promise<Uint8Array> => provider.ed25519Sign(secretKey, signedMessage(context, body));

/**
 * Every ACL record carries its signer's chain, so folding a log verifies the
 * same certificates again and again. Verification is deterministic, so a
 * successful check is remembered (keyed by key, signature and message hash;
 * failures are never cached). Bounded, oldest entries dropped first.
 */
const VERIFIED_CACHE_MAX = 4096;
const verified = new Set<string>();

export async function verifyBody(
  provider: CryptoProvider,
  publicKey: Uint8Array,
  context: SigningContext,
  body: CanonicalValue,
  signature: Uint8Array,
): Promise<boolean> {
  const message = signedMessage(context, body);
  const key = `${toHex(publicKey)}.${toHex(signature)}.${toHex(await provider.sha256(message))}`;
  if (verified.has(key)) return true;
  const good = await provider.ed25519Verify(publicKey, message, signature);
  if (good) {
    if (verified.size >= VERIFIED_CACHE_MAX) {
      const oldest = verified.values().next();
      if (oldest.done !== true) verified.delete(oldest.value);
    }
    verified.add(key);
  }
  return good;
}

/** A domain-separated hash of a canonical value (member lists, profiles, form content). */
export const hashBody = (provider: CryptoProvider, context: SigningContext, body: CanonicalValue): Promise<Uint8Array> =>
  provider.sha256(signedMessage(context, body));
