// A device revocation as the relay's register keeps it (P47): the signed
// revocation and, for a user's own revocation, the certificate of the device
// that signed it. Canonical `{ r: { b, s }, u: { b, s } | null }`.
import { z } from 'zod';
import { decodeCanonical, encodeCanonical, type CanonicalValue } from '../crypto/canonical.js';
import { ok, fail, type Result } from '../result.js';
import { bytesSchema, type DeviceRevocation, type UserCertificate } from './certificate.js';
import type { ChainError } from './device-chain.js';

export interface RevocationRecord {
  readonly revocation: DeviceRevocation;
  readonly userCertificate: UserCertificate | null;
}

const signedSchema = z.strictObject({ b: z.record(z.string(), z.unknown()), s: bytesSchema(64) });
const recordSchema = z.strictObject({ r: signedSchema, u: signedSchema.nullable() });

export const encodeRevocationRecord = (r: RevocationRecord): Uint8Array =>
  encodeCanonical({
    r: { b: { ...r.revocation.body } as CanonicalValue, s: r.revocation.signature },
    u:
      r.userCertificate === null ? null : { b: { ...r.userCertificate.body } as unknown as CanonicalValue, s: r.userCertificate.signature },
  });

/** Parses the shape only; `verifyDeviceRevocation` checks the bodies and signatures. */
export function decodeRevocationRecord(bytes: Uint8Array): Result<RevocationRecord, ChainError> {
  const decoded = decodeCanonical(bytes);
  const parsed = decoded.ok ? recordSchema.safeParse(decoded.value) : undefined;
  if (!parsed?.success) return fail('keten-ongeldig', 'De intrekking van een apparaat is niet correct gecodeerd.');
  const { r, u } = parsed.data;
  return ok({
    revocation: { body: r.b as unknown as DeviceRevocation['body'], signature: r.s },
    userCertificate: u === null ? null : { body: u.b as unknown as UserCertificate['body'], signature: u.s },
  });
}
