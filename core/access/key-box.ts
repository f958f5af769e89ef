// Key boxes: an epoch key sealed to one member's X25519 agreement key
// (ephemeral X25519 + HKDF-SHA256 + AEAD), bound to dossier, scope and epoch.
// The box itself is not signed: it sits in an ACL record's signed public part,
// so the granter's device signature authenticates it.
import { z } from 'zod';
import type { CryptoProvider } from '../crypto/provider.js';
import { AEAD_NONCE_LENGTH } from '../crypto/provider.js';
import type { DossierId } from '../model/ids.js';
import { concatBytes } from '../crypto/bytes.js';
import { ok, fail, type Result, type KkError } from '../result.js';
import { bytesSchema } from './certificate.js';
import type { Scope } from './rooms.js';
import { SIGNING_CONTEXT, signedMessage } from './signing.js';

export const EPOCH_KEY_LENGTH = 32;

export const aeadSchema = z.enum(['xchacha20poly1305', 'aes256gcm']);

export const keyBoxSchema = z.strictObject({
  /** The recipient's agreement public key: the only "key id" the relay sees. */
  to: bytesSchema(32),
  eph: bytesSchema(32),
  alg: aeadSchema,
  nonce: bytesSchema(),
  ct: bytesSchema(),
});
export type KeyBox = z.infer<typeof keyBoxSchema>;

export const sealedKeySchema = z.strictObject({ alg: aeadSchema, nonce: bytesSchema(), ct: bytesSchema() });
/** The previous epoch key sealed under the new one, so members keep history. */
export type SealedPreviousKey = z.infer<typeof sealedKeySchema>;

export type KeyBoxErrorCode = 'sleuteldoos-ongeldig';
export type KeyBoxError = KkError<KeyBoxErrorCode>;

import { preferredAead } from '../crypto/aead-choice.js';

interface BoxContext {
  readonly dossier: DossierId;
  readonly scope: Scope;
  readonly epoch: number;
}

const boxInfo = (c: BoxContext, to: Uint8Array): Uint8Array =>
  signedMessage(SIGNING_CONTEXT.keyBox, { dossier: c.dossier, scope: c.scope, epoch: c.epoch, to });

export async function sealKeyBox(
  provider: CryptoProvider,
  input: BoxContext & { recipientAgreementKey: Uint8Array; epochKey: Uint8Array },
): Promise<KeyBox> {
  if (input.epochKey.length !== EPOCH_KEY_LENGTH) throw new Error('Een epochsleutel is 32 bytes');
  const eph = await provider.x25519KeyPair();
  const shared = await provider.x25519SharedSecret(eph.secretKey, input.recipientAgreementKey);
  const info = boxInfo(input, input.recipientAgreementKey);
  const wrapKey = await provider.hkdfSha256(shared, concatBytes(eph.publicKey, input.recipientAgreementKey), info, 32);
  const alg = preferredAead(provider);
  const nonce = provider.randomBytes(AEAD_NONCE_LENGTH[alg]);
  const ct = await provider.aeadSeal(alg, wrapKey, nonce, input.epochKey, info);
  shared.fill(0);
  wrapKey.fill(0);
  eph.secretKey.fill(0);
  return { to: input.recipientAgreementKey, eph: eph.publicKey, alg, nonce, ct };
}

export async function openKeyBox(
  provider: CryptoProvider,
  box: KeyBox,
  input: BoxContext & { agreementSecretKey: Uint8Array },
): Promise<Result<Uint8Array, KeyBoxError>> {
  const bad = fail('sleuteldoos-ongeldig', 'De sleutel voor dit dossierdeel kon niet worden geopend.');
  if (!provider.aeadAlgorithms.includes(box.alg) || box.nonce.length !== AEAD_NONCE_LENGTH[box.alg]) return bad;
  let shared: Uint8Array;
  try {
    // A hostile ephemeral key (low-order point) makes the provider throw: treat as a bad box.
    shared = await provider.x25519SharedSecret(input.agreementSecretKey, box.eph);
  } catch {
    return bad;
  }
  const info = boxInfo(input, box.to);
  const wrapKey = await provider.hkdfSha256(shared, concatBytes(box.eph, box.to), info, 32);
  const opened = await provider.aeadOpen(box.alg, wrapKey, box.nonce, box.ct, info);
  shared.fill(0);
  wrapKey.fill(0);
  if (!opened.ok || opened.value.length !== EPOCH_KEY_LENGTH) return bad;
  return ok(opened.value);
}

const previousAad = (c: BoxContext): Uint8Array =>
  signedMessage(SIGNING_CONTEXT.previousKey, { dossier: c.dossier, scope: c.scope, epoch: c.epoch });

/** Seals epoch `epoch - 1`'s key under epoch `epoch`'s key. */
export async function sealPreviousKey(
  provider: CryptoProvider,
  input: BoxContext & { newKey: Uint8Array; previousKey: Uint8Array },
): Promise<SealedPreviousKey> {
  const alg = preferredAead(provider);
  const nonce = provider.randomBytes(AEAD_NONCE_LENGTH[alg]);
  return { alg, nonce, ct: await provider.aeadSeal(alg, input.newKey, nonce, input.previousKey, previousAad(input)) };
}

export async function openPreviousKey(
  provider: CryptoProvider,
  sealed: SealedPreviousKey,
  input: BoxContext & { newKey: Uint8Array },
): Promise<Result<Uint8Array, KeyBoxError>> {
  const bad = fail('sleuteldoos-ongeldig', 'De vorige sleutel van dit dossierdeel kon niet worden geopend.');
  if (!provider.aeadAlgorithms.includes(sealed.alg) || sealed.nonce.length !== AEAD_NONCE_LENGTH[sealed.alg]) return bad;
  const opened = await provider.aeadOpen(sealed.alg, input.newKey, sealed.nonce, sealed.ct, previousAad(input));
  if (!opened.ok || opened.value.length !== EPOCH_KEY_LENGTH) return bad;
  return ok(opened.value);
}
