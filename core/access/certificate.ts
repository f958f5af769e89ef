// Certificates: the SWV root certifies organisations and users; a user
// certificate belongs to exactly one device (its signing key is that device's
// key, made there and never copied [R145, P90]), so a second device of the same
// person is a second root-signed certificate; a device can be revoked by
// another live device of its user or by the SWV root. Bodies are canonical values signed with a
// per-kind context (signing.ts); names live in a separate salted profile that the
// user certificate only commits to, so the relay never sees them.
import { z } from 'zod';
import type { CryptoProvider, KeyPair } from '../crypto/provider.js';
import type { DeviceId, OrganisationId, SwvId, UserId } from '../model/ids.js';
import { asId } from '../model/ids.js';
import { parseDeviceId, deviceIdFromPublicKey } from '../crypto/device-id.js';
import { ID_PATTERN } from './rooms.js';
import { ALL_ROLES, ORGANISATION_KINDS, type OrganisationKind, type Role } from './roles.js';
import { SIGNING_CONTEXT, hashBody, signBody } from './signing.js';

// ---------- schemas (untrusted input is parsed with these) ----------

export const bytesSchema = (length?: number) =>
  z.custom<Uint8Array>((v) => v instanceof Uint8Array && (length === undefined || v.length === length), {
    message: length === undefined ? 'verwacht bytes' : `verwacht ${length} bytes`,
  });
export const swvIdSchema = z
  .string()
  .regex(ID_PATTERN)
  .transform((s) => asId<SwvId>(s));
export const organisationIdSchema = z
  .string()
  .regex(ID_PATTERN)
  .transform((s) => asId<OrganisationId>(s));
export const userIdSchema = z
  .string()
  .regex(ID_PATTERN)
  .transform((s) => asId<UserId>(s));
export const deviceIdSchema = z.string().transform((s, ctx) => {
  const parsed = parseDeviceId(s);
  if (!parsed.ok) {
    ctx.addIssue({ code: 'custom', message: 'apparaat-id ongeldig' });
    return z.NEVER;
  }
  return parsed.value;
});
export const roleSchema = z.enum(ALL_ROLES as [Role, ...Role[]]);
export const organisationKindSchema = z.enum(
  ORGANISATION_KINDS as readonly OrganisationKind[] as [OrganisationKind, ...OrganisationKind[]],
);
/** Milliseconds since 1970, as in every signed body. */
export const timeSchema = z.number().int().nonnegative();

const validity = { validFrom: timeSchema, validUntil: timeSchema };

export const organisationBodySchema = z.strictObject({
  t: z.literal('organisatie'),
  v: z.literal(1),
  swv: swvIdSchema,
  organisation: organisationIdSchema,
  /** An organisation's name is public (a school, an SWV office), not personal data. */
  naam: z.string().min(1).max(200),
  soort: organisationKindSchema,
  ...validity,
});
export type OrganisationCertificateBody = z.infer<typeof organisationBodySchema>;

export const userBodySchema = z.strictObject({
  t: z.literal('gebruiker'),
  v: z.literal(1),
  swv: swvIdSchema,
  user: userIdSchema,
  organisation: organisationIdSchema,
  roles: z.array(roleSchema).min(1).max(ALL_ROLES.length),
  signingKey: bytesSchema(32),
  agreementKey: bytesSchema(32),
  /** Hash of the salted profile (names, functie): names stay off the relay. */
  profileCommitment: bytesSchema(32),
  ...validity,
});
export type UserCertificateBody = z.infer<typeof userBodySchema>;

export const deviceBodySchema = z.strictObject({
  t: z.literal('apparaat'),
  v: z.literal(1),
  user: userIdSchema,
  /** The user's signing key this device belongs to (independent of SWV, so one device serves every SWV). */
  userSigningKey: bytesSchema(32),
  device: deviceIdSchema,
  ...validity,
});
export type DeviceCertificateBody = z.infer<typeof deviceBodySchema>;

export const revocationBodySchema = z.strictObject({
  t: z.literal('intrekking'),
  v: z.literal(1),
  swv: swvIdSchema,
  user: userIdSchema,
  device: deviceIdSchema,
  revokedAt: timeSchema,
  by: z.enum(['gebruiker', 'swv']),
});
export type DeviceRevocationBody = z.infer<typeof revocationBodySchema>;

export const profileSchema = z.strictObject({
  voornaam: z.string().min(1).max(100),
  achternaam: z.string().min(1).max(100),
  functie: z.string().min(1).max(100),
  organisatie: z.string().min(1).max(200),
  salt: bytesSchema(16),
});
/** What a message signature shows ("ondertekening"); filled from the certificate, never typed. */
export type UserProfile = z.infer<typeof profileSchema>;

export interface Signed<B> {
  readonly body: B;
  readonly signature: Uint8Array;
}
export type OrganisationCertificate = Signed<OrganisationCertificateBody>;
export type UserCertificate = Signed<UserCertificateBody>;
export type DeviceCertificate = Signed<DeviceCertificateBody>;
export type DeviceRevocation = Signed<DeviceRevocationBody>;

// ---------- issuing ----------

export interface Validity {
  readonly validFrom: Date;
  readonly validUntil: Date;
}

const ms = (d: Date): number => {
  const t = d.getTime();
  if (!Number.isSafeInteger(t) || t < 0) throw new Error('Ongeldige datum in certificaat');
  return t;
};

export const profileCommitment = (provider: CryptoProvider, profile: UserProfile): Promise<Uint8Array> =>
  hashBody(provider, SIGNING_CONTEXT.profile, { ...profile });

export async function issueOrganisationCertificate(
  provider: CryptoProvider,
  rootSecretKey: Uint8Array,
  input: { swv: SwvId; organisation: OrganisationId; naam: string; soort: OrganisationKind } & Validity,
): Promise<OrganisationCertificate> {
  const body: OrganisationCertificateBody = organisationBodySchema.parse({
    t: 'organisatie',
    v: 1,
    swv: input.swv,
    organisation: input.organisation,
    naam: input.naam,
    soort: input.soort,
    validFrom: ms(input.validFrom),
    validUntil: ms(input.validUntil),
  });
  return { body, signature: await signBody(provider, rootSecretKey, SIGNING_CONTEXT.organisation, body) };
}

/** A user identity: one signing and one agreement key pair, usable in several SWVs. */
export interface UserIdentity {
  readonly user: UserId;
  readonly signing: KeyPair;
  readonly agreement: KeyPair;
}

export async function createUserIdentity(provider: CryptoProvider, user: UserId): Promise<UserIdentity> {
  return { user, signing: await provider.ed25519KeyPair(), agreement: await provider.x25519KeyPair() };
}

export async function issueUserCertificate(
  provider: CryptoProvider,
  rootSecretKey: Uint8Array,
  input: {
    swv: SwvId;
    user: UserId;
    organisation: OrganisationId;
    roles: readonly Role[];
    signingKey: Uint8Array;
    agreementKey: Uint8Array;
    /** With `salt`: another device of a person certified before, under the very same profile commitment. */
    profile: Omit<UserProfile, 'salt'> & { readonly salt?: Uint8Array };
  } & Validity,
): Promise<{ certificate: UserCertificate; profile: UserProfile }> {
  // 16 random bytes of salt: names are low-entropy, so an unsalted hash could be brute-forced.
  const profile = profileSchema.parse({ ...input.profile, salt: input.profile.salt ?? provider.randomBytes(16) });
  const body: UserCertificateBody = userBodySchema.parse({
    t: 'gebruiker',
    v: 1,
    swv: input.swv,
    user: input.user,
    organisation: input.organisation,
    roles: [...new Set(input.roles)].sort(),
    signingKey: input.signingKey,
    agreementKey: input.agreementKey,
    profileCommitment: await profileCommitment(provider, profile),
    validFrom: ms(input.validFrom),
    validUntil: ms(input.validUntil),
  });
  return { certificate: { body, signature: await signBody(provider, rootSecretKey, SIGNING_CONTEXT.user, body) }, profile };
}

/**
 * The device certificate of the device whose key is `identity.signing`: the device id is that key, so a
 * user certificate certifies one device and nobody holding its key can certify another [R145, P90].
 */
export async function issueDeviceCertificate(
  provider: CryptoProvider,
  identity: Pick<UserIdentity, 'user' | 'signing'>,
  input: Validity,
): Promise<DeviceCertificate> {
  const body: DeviceCertificateBody = deviceBodySchema.parse({
    t: 'apparaat',
    v: 1,
    user: identity.user,
    userSigningKey: identity.signing.publicKey,
    device: deviceIdFromPublicKey(identity.signing.publicKey),
    validFrom: ms(input.validFrom),
    validUntil: ms(input.validUntil),
  });
  return { body, signature: await signBody(provider, identity.signing.secretKey, SIGNING_CONTEXT.device, body) };
}

/** The one device a user certificate belongs to: the device named by its signing key [R145]. */
export const deviceOfCertificate = (cert: UserCertificate): DeviceId => deviceIdFromPublicKey(cert.body.signingKey);

/** Revokes a lost or stolen device; signed by another device of the same user (`by: 'gebruiker'`) or the SWV root (`by: 'swv'`). */
export async function issueDeviceRevocation(
  provider: CryptoProvider,
  signerSecretKey: Uint8Array,
  input: { swv: SwvId; user: UserId; device: DeviceId; revokedAt: Date; by: 'gebruiker' | 'swv' },
): Promise<DeviceRevocation> {
  const body: DeviceRevocationBody = revocationBodySchema.parse({
    t: 'intrekking',
    v: 1,
    swv: input.swv,
    user: input.user,
    device: input.device,
    revokedAt: ms(input.revokedAt),
    by: input.by,
  });
  return { body, signature: await signBody(provider, signerSecretKey, SIGNING_CONTEXT.revocation, body) };
}
