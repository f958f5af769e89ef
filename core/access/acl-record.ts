// The shape of an access-list record (an `acl` envelope in `<dossier>/toegang`):
// a signed public part the relay checks without any key, and an encrypted part
// (sealed under the toegang epoch key) with everything a relay does not need.
import { z } from 'zod';
import type { DossierId } from '../model/ids.js';
import { asId } from '../model/ids.js';
import { encodeCanonical, decodeCanonical, type CanonicalValue } from '../crypto/canonical.js';
import { ok, fail, type Result, type KkError } from '../result.js';
import {
  bytesSchema,
  organisationIdSchema,
  profileSchema,
  revocationBodySchema,
  timeSchema,
  userBodySchema,
  type UserCertificate,
} from './certificate.js';
import { deviceChainSchema, deviceChainValue, type DeviceChain } from './device-chain.js';
import { keyBoxSchema, sealedKeySchema } from './key-box.js';
import { principalSchema, rightSchema } from './principal.js';
import { userEndBodySchema } from './user-end.js';
import { ID_PATTERN, parseScope, type Scope } from './rooms.js';

export const ACL_RECORD_TYPES = [
  'genesis',
  'grant',
  'revoke',
  'rotate',
  'device-revocation',
  'user-end',
  'bewaartermijn',
  'bewaarplicht',
] as const;
export type AclRecordType = (typeof ACL_RECORD_TYPES)[number];

export const scopeSchema = z.string().transform((s, ctx): Scope => {
  const parsed = parseScope(s);
  if (!parsed.ok) {
    ctx.addIssue({ code: 'custom', message: 'scope ongeldig' });
    return z.NEVER;
  }
  return parsed.value;
});
export const dossierIdSchema = z
  .string()
  .regex(ID_PATTERN)
  .transform((s) => asId<DossierId>(s));

export const grantSpecSchema = z.strictObject({
  principal: principalSchema,
  scope: scopeSchema,
  right: rightSchema,
  /** ms since 1970; null = until revoked. */
  expiresAt: timeSchema.nullable(),
});
export type GrantSpec = z.infer<typeof grantSpecSchema>;

export const revokeSpecSchema = z.strictObject({ principal: principalSchema, scope: scopeSchema });
export type RevokeSpec = z.infer<typeof revokeSpecSchema>;

/** Limits that keep a hostile record from costing the relay much (a dossier has 5–20 members). */
export const ACL_LIMITS = { grants: 200, revokes: 200, recipients: 200, epochs: 200, boxesPerEpoch: 500 } as const;

export const epochEntrySchema = z.strictObject({
  scope: scopeSchema,
  epoch: z.number().int().nonnegative(),
  /** Hash of the member list that holds this epoch's key after the record (memberListHash). */
  members: bytesSchema(32),
  boxes: z.array(keyBoxSchema).max(ACL_LIMITS.boxesPerEpoch),
  /** For a new epoch of an existing scope: the previous epoch key sealed under the new one. */
  previous: sealedKeySchema.nullable(),
});
export type EpochEntry = z.infer<typeof epochEntrySchema>;

const sig = bytesSchema(64);
export const userCertValueSchema = z.strictObject({ b: userBodySchema, s: sig });
/** A device revocation (`device-revocation`), or the SWV's end of a person (`user-end`, t = 'einde', no user certificate). */
export const revocationValueSchema = z.strictObject({
  b: z.discriminatedUnion('t', [revocationBodySchema, userEndBodySchema]),
  s: sig,
  u: userCertValueSchema.nullable(),
});

export const aclPublicPartSchema = z.strictObject({
  v: z.literal(1),
  type: z.enum(ACL_RECORD_TYPES),
  dossier: dossierIdSchema,
  /** sha256 of the previous record's encoded envelope; null only for genesis. */
  prev: bytesSchema(32).nullable(),
  /** When the signer made the record (ms); chains are verified at this time. */
  at: timeSchema,
  /** The signer's device chain without profile (names stay in the encrypted part). */
  signer: deviceChainSchema.refine((c) => c.p === undefined, { message: 'geen profiel in publiek deel' }),
  /** Genesis only: the owning school. */
  owner: organisationIdSchema.nullable(),
  grants: z.array(grantSpecSchema).max(ACL_LIMITS.grants),
  revokes: z.array(revokeSpecSchema).max(ACL_LIMITS.revokes),
  /** Certificates (without profile) of key-box recipients this record introduces. */
  recipients: z.array(userCertValueSchema).max(ACL_LIMITS.recipients),
  epochs: z.array(epochEntrySchema).max(ACL_LIMITS.epochs),
  revocation: revocationValueSchema.nullable(),
  /**
   * `bewaartermijn` and `bewaarplicht` only [R80, R81]: the day the retention period ends (null:
   * a hulpvraag is open again, no date), or the day a hold ends. Public, because the relay deletes
   * the dossier on its own clock; the reason stays in the encrypted part.
   */
  bewaren: z
    .strictObject({
      tot: z
        .string()
        .regex(/^\d{4}-\d{2}-\d{2}$/)
        .nullable(),
    })
    .optional(),
});
export type AclPublicPart = z.infer<typeof aclPublicPartSchema>;

/** The encrypted part: who the people are and why (never seen by the relay). */
export const aclDetailsSchema = z.strictObject({
  signerProfile: profileSchema.nullable(),
  reason: z.string().max(2000).nullable(),
  remarks: z.string().max(10_000).nullable(),
  /** Display names per principal key (principalKey → name), for the Toegang tab. */
  names: z.record(z.string(), z.string().max(300)),
});
export type AclDetails = z.infer<typeof aclDetailsSchema>;

export type AclRecordErrorCode = 'acl-ongeldig';
export type AclRecordError = KkError<AclRecordErrorCode>;

const userCertValue = (c: UserCertificate): CanonicalValue => ({ b: c.body, s: c.signature });

export interface AclPublicPartInput {
  readonly type: AclRecordType;
  readonly dossier: DossierId;
  readonly prev: Uint8Array | null;
  readonly at: number;
  readonly signer: DeviceChain;
  readonly owner: AclPublicPart['owner'];
  readonly grants: readonly GrantSpec[];
  readonly revokes: readonly RevokeSpec[];
  readonly recipients: readonly UserCertificate[];
  readonly epochs: readonly EpochEntry[];
  readonly revocation: {
    readonly revocation: { body: CanonicalValue; signature: Uint8Array };
    readonly userCertificate: UserCertificate | null;
  } | null;
  /** Retention records only; absent (not encoded) on every other record, so older records keep their bytes. */
  readonly bewaren?: { readonly tot: string | null } | undefined;
}

export function encodeAclPublicPart(input: AclPublicPartInput): Uint8Array {
  const signer = deviceChainValue({ organisation: input.signer.organisation, user: input.signer.user, device: input.signer.device });
  return encodeCanonical({
    v: 1,
    type: input.type,
    dossier: input.dossier,
    prev: input.prev,
    at: input.at,
    signer,
    owner: input.owner,
    grants: input.grants.map((g) => ({ ...g, principal: { ...g.principal } })),
    revokes: input.revokes.map((r) => ({ ...r, principal: { ...r.principal } })),
    recipients: input.recipients.map(userCertValue),
    epochs: input.epochs.map((e) => ({
      ...e,
      boxes: e.boxes.map((b) => ({ ...b })),
      previous: e.previous === null ? null : { ...e.previous },
    })),
    revocation:
      input.revocation === null
        ? null
        : {
            b: input.revocation.revocation.body,
            s: input.revocation.revocation.signature,
            u: input.revocation.userCertificate === null ? null : userCertValue(input.revocation.userCertificate),
          },
    ...(input.bewaren === undefined ? {} : { bewaren: { tot: input.bewaren.tot } }),
  });
}

export function decodeAclPublicPart(bytes: Uint8Array): Result<AclPublicPart, AclRecordError> {
  const decoded = decodeCanonical(bytes);
  if (!decoded.ok) return fail('acl-ongeldig', 'Het toegangsrecord is niet correct gecodeerd.');
  const parsed = aclPublicPartSchema.safeParse(decoded.value);
  if (!parsed.success)
    return fail('acl-ongeldig', 'Het toegangsrecord heeft een ongeldige vorm.', { issue: parsed.error.issues[0]?.path.join('.') ?? '' });
  return ok(parsed.data);
}

export const encodeAclDetails = (d: AclDetails): Uint8Array =>
  encodeCanonical({ ...d, signerProfile: d.signerProfile === null ? null : { ...d.signerProfile }, names: { ...d.names } });

export function decodeAclDetails(bytes: Uint8Array): Result<AclDetails, AclRecordError> {
  const decoded = decodeCanonical(bytes);
  if (!decoded.ok) return fail('acl-ongeldig', 'De toelichting bij het toegangsrecord is niet correct gecodeerd.');
  const parsed = aclDetailsSchema.safeParse(decoded.value);
  return parsed.success ? ok(parsed.data) : fail('acl-ongeldig', 'De toelichting bij het toegangsrecord heeft een ongeldige vorm.');
}
