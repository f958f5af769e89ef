// A device's request for a certificate on a fresh agreement key (PROTOCOL P49)
// [R84, R155]. Key boxes on the relay are sealed to agreement keys; a copy of
// the relay's files taken before a dossier was crypto-shredded therefore opens
// with any agreement secret that was a recipient then. So a device that purged
// a dossier makes a new agreement key, asks the SWV for a certificate on it
// (same person, organisation, roles, profile and device key: only the agreement
// key differs) and, once it has that certificate, destroys the old secret.
//
// The request is signed with the device's own signing key: the device id *is*
// that key (R145), so the relay and the beheerder check it without any other
// certificate. Canonical `{ b: { t, swv, user, device, agreementKey, at }, s }`.
import { z } from 'zod';
import type { CryptoProvider } from '../crypto/provider.js';
import { decodeCanonical, encodeCanonical } from '../crypto/canonical.js';
import { publicKeyFromDeviceId } from '../crypto/device-id.js';
import type { DeviceId, SwvId, UserId } from '../model/ids.js';
import { ok, fail, type KkError, type Result } from '../result.js';
import { bytesSchema } from './certificate.js';
import { SIGNING_CONTEXT, signBody, verifyBody } from './signing.js';

export interface KeyRenewalBody {
  readonly t: 'sleutelvernieuwing';
  readonly swv: SwvId;
  readonly user: UserId;
  readonly device: DeviceId;
  /** The fresh X25519 public key the certificate should name. */
  readonly agreementKey: Uint8Array;
  /** ms; a later request of the same device replaces an earlier one. */
  readonly at: number;
}

export interface KeyRenewalRequest {
  readonly body: KeyRenewalBody;
  readonly signature: Uint8Array;
}

export type KeyRenewalError = KkError<'vernieuwing-ongeldig'>;
const invalid = (why: string): Result<never, KeyRenewalError> => fail('vernieuwing-ongeldig', why);

const bodySchema = z.strictObject({
  t: z.literal('sleutelvernieuwing'),
  swv: z.string().min(1).max(100),
  user: z.string().min(1).max(100),
  device: z.string().min(1).max(100),
  agreementKey: bytesSchema(32),
  at: z.number().int().nonnegative(),
});
const recordSchema = z.strictObject({ b: bodySchema, s: bytesSchema(64) });

export async function signKeyRenewal(
  provider: CryptoProvider,
  deviceSecretKey: Uint8Array,
  body: Omit<KeyRenewalBody, 't'>,
): Promise<KeyRenewalRequest> {
  const full: KeyRenewalBody = { t: 'sleutelvernieuwing', ...body };
  return { body: full, signature: await signBody(provider, deviceSecretKey, SIGNING_CONTEXT.keyRenewal, { ...full }) };
}

export const encodeKeyRenewal = (r: KeyRenewalRequest): Uint8Array => encodeCanonical({ b: { ...r.body }, s: r.signature });

/** Shape and signature: the device named in the request signed it. Who the device belongs to is the caller's check. */
export async function verifyKeyRenewal(provider: CryptoProvider, bytes: Uint8Array): Promise<Result<KeyRenewalRequest, KeyRenewalError>> {
  const decoded = decodeCanonical(bytes);
  const parsed = decoded.ok ? recordSchema.safeParse(decoded.value) : undefined;
  if (!parsed?.success) return invalid('Het verzoek om een nieuwe sleutel is niet correct gecodeerd.');
  const body = parsed.data.b as unknown as KeyRenewalBody;
  const key = publicKeyFromDeviceId(body.device);
  if (!key.ok) return invalid('Het verzoek om een nieuwe sleutel noemt geen geldig apparaat.');
  if (!(await verifyBody(provider, key.value, SIGNING_CONTEXT.keyRenewal, { ...body }, parsed.data.s))) {
    return invalid('Het verzoek om een nieuwe sleutel is niet ondertekend door het apparaat dat het noemt.');
  }
  return ok({ body, signature: parsed.data.s });
}
