// The device chain (device → user → SWV root, plus the user's organisation) and
// its verification: one function, coded Dutch errors. The chain is what a device
// shows the relay at login and what it embeds in every ACL record it signs.
import { z } from 'zod';
import type { CryptoProvider } from '../crypto/provider.js';
import type { DeviceId, OrganisationId, SwvId, UserId } from '../model/ids.js';
import { encodeCanonical, decodeCanonical, type CanonicalValue } from '../crypto/canonical.js';
import { equalBytes } from '../crypto/bytes.js';
import { ok, fail, type Result, type KkError } from '../result.js';
import {
  deviceBodySchema,
  organisationBodySchema,
  profileCommitment,
  profileSchema,
  revocationBodySchema,
  userBodySchema,
  bytesSchema,
  deviceOfCertificate,
  type DeviceCertificate,
  type DeviceRevocation,
  type OrganisationCertificate,
  type UserCertificate,
  type UserProfile,
} from './certificate.js';
import type { OrganisationKind, Role } from './roles.js';
import { SIGNING_CONTEXT, verifyBody } from './signing.js';

export interface DeviceChain {
  readonly organisation: OrganisationCertificate;
  readonly user: UserCertificate;
  readonly device: DeviceCertificate;
  /** The opening of the user's profile commitment; absent in chains shown to the relay. */
  readonly profile?: UserProfile;
}

export interface VerifiedDevice {
  readonly swvId: SwvId;
  readonly userId: UserId;
  readonly organisationId: OrganisationId;
  readonly organisationKind: OrganisationKind;
  readonly organisationNaam: string;
  readonly roles: readonly Role[];
  readonly deviceId: DeviceId;
  readonly userSigningPublicKey: Uint8Array;
  readonly userAgreementPublicKey: Uint8Array;
  /** The earliest end of the three certificates. */
  readonly validUntil: Date;
  /** Present only when the chain carried the profile and it matched the commitment. */
  readonly profile: UserProfile | undefined;
}

export type ChainErrorCode = 'verlopen' | 'nog-niet-geldig' | 'ingetrokken' | 'verkeerde-ondertekenaar' | 'onbekend-swv' | 'keten-ongeldig';
export type ChainError = KkError<ChainErrorCode>;

/**
 * Verified device revocations, keyed by `revocationKey(user, device)` → revokedAt (ms).
 * Keyed by user too, so one user can never revoke another user's device.
 */
export type DeviceRevocations = ReadonlyMap<string, number>;
export const revocationKey = (user: UserId, device: DeviceId): string => `${user}|${device}`;

/** Drops the profile: what the relay and ACL public parts get. */
export const stripProfile = (chain: DeviceChain): DeviceChain => ({
  organisation: chain.organisation,
  user: chain.user,
  device: chain.device,
});

const signedValue = (s: { body: CanonicalValue; signature: Uint8Array }): CanonicalValue => ({ b: s.body, s: s.signature });

export function deviceChainValue(chain: DeviceChain): CanonicalValue {
  return {
    o: signedValue(chain.organisation),
    u: signedValue(chain.user),
    d: signedValue(chain.device),
    p: chain.profile === undefined ? undefined : { ...chain.profile },
  };
}

/** Compact binary form: the canonical encoding (about 700 bytes without profile). */
export const encodeDeviceChain = (chain: DeviceChain): Uint8Array => encodeCanonical(deviceChainValue(chain));

const sig = bytesSchema(64);
export const deviceChainSchema = z.strictObject({
  o: z.strictObject({ b: organisationBodySchema, s: sig }),
  u: z.strictObject({ b: userBodySchema, s: sig }),
  d: z.strictObject({ b: deviceBodySchema, s: sig }),
  p: profileSchema.optional(),
});

export function deviceChainFromValue(value: unknown): Result<DeviceChain, ChainError> {
  const parsed = deviceChainSchema.safeParse(value);
  if (!parsed.success) return fail('keten-ongeldig', 'De certificaatketen van het apparaat is ongeldig.');
  const v = parsed.data;
  const chain: DeviceChain = {
    organisation: { body: v.o.b, signature: v.o.s },
    user: { body: v.u.b, signature: v.u.s },
    device: { body: v.d.b, signature: v.d.s },
  };
  return ok(v.p === undefined ? chain : { ...chain, profile: v.p });
}

export function decodeDeviceChain(bytes: Uint8Array): Result<DeviceChain, ChainError> {
  const decoded = decodeCanonical(bytes);
  if (!decoded.ok) return fail('keten-ongeldig', 'De certificaatketen van het apparaat is niet correct gecodeerd.');
  return deviceChainFromValue(decoded.value);
}

const wrongSigner = (what: string): Result<never, ChainError> =>
  fail('verkeerde-ondertekenaar', `Het ${what} is niet ondertekend door de juiste sleutel.`);

function checkValidity(what: string, from: number, until: number, now: number): Result<void, ChainError> {
  if (now < from) return fail('nog-niet-geldig', `Het ${what} is nog niet geldig.`);
  if (now >= until) return fail('verlopen', `Het ${what} is verlopen.`);
  return ok(undefined);
}

/** Verifies a user certificate against the SWV roots (used for key-box recipients and revocations). */
export async function verifyUserCertificate(
  provider: CryptoProvider,
  cert: UserCertificate,
  roots: ReadonlyMap<SwvId, Uint8Array>,
  now: Date,
): Promise<Result<void, ChainError>> {
  const root = roots.get(cert.body.swv);
  if (root === undefined) return fail('onbekend-swv', 'Dit samenwerkingsverband is op dit apparaat niet bekend.');
  if (!(await verifyBody(provider, root, SIGNING_CONTEXT.user, cert.body, cert.signature))) return wrongSigner('gebruikerscertificaat');
  return checkValidity('gebruikerscertificaat', cert.body.validFrom, cert.body.validUntil, now.getTime());
}

/**
 * Device → user → SWV root, plus organisation → SWV root. Checks signatures,
 * that the three certificates name each other, validity at `now`, revocation,
 * and (when present) that the profile opens the user's commitment.
 */
export async function verifyDeviceChain(
  provider: CryptoProvider,
  chain: DeviceChain,
  roots: ReadonlyMap<SwvId, Uint8Array>,
  now: Date,
  revocations?: DeviceRevocations,
): Promise<Result<VerifiedDevice, ChainError>> {
  const { organisation: org, user, device } = chain;
  const root = roots.get(user.body.swv);
  if (root === undefined) return fail('onbekend-swv', 'Dit samenwerkingsverband is op dit apparaat niet bekend.');
  if (org.body.swv !== user.body.swv || org.body.organisation !== user.body.organisation || device.body.user !== user.body.user) {
    return fail('keten-ongeldig', 'De certificaten in de keten horen niet bij elkaar.');
  }
  if (!(await verifyBody(provider, root, SIGNING_CONTEXT.organisation, org.body, org.signature)))
    return wrongSigner('organisatiecertificaat');
  if (!(await verifyBody(provider, root, SIGNING_CONTEXT.user, user.body, user.signature))) return wrongSigner('gebruikerscertificaat');
  if (!equalBytes(device.body.userSigningKey, user.body.signingKey)) return wrongSigner('apparaatcertificaat');
  // One certificate, one device: the device is the one whose key the SWV certified, so whoever holds that key
  // (a thief of a revoked laptop) cannot certify a fresh device under it [R145, P90].
  if (device.body.device !== deviceOfCertificate(user))
    return fail(
      'keten-ongeldig',
      'Dit apparaat hoort niet bij het gebruikerscertificaat: elk apparaat heeft een eigen certificaat van het samenwerkingsverband.',
    );
  if (!(await verifyBody(provider, user.body.signingKey, SIGNING_CONTEXT.device, device.body, device.signature)))
    return wrongSigner('apparaatcertificaat');

  const t = now.getTime();
  for (const [what, b] of [
    ['organisatiecertificaat', org.body],
    ['gebruikerscertificaat', user.body],
    ['apparaatcertificaat', device.body],
  ] as const) {
    const valid = checkValidity(what, b.validFrom, b.validUntil, t);
    if (!valid.ok) return valid;
  }
  const revokedAt = revocations?.get(revocationKey(user.body.user, device.body.device));
  if (revokedAt !== undefined && revokedAt <= t) return fail('ingetrokken', 'Dit apparaat is ingetrokken.');

  let profile: UserProfile | undefined;
  if (chain.profile !== undefined) {
    if (!equalBytes(await profileCommitment(provider, chain.profile), user.body.profileCommitment)) {
      return fail('keten-ongeldig', 'De naamgegevens horen niet bij het gebruikerscertificaat.');
    }
    profile = chain.profile;
  }
  return ok({
    swvId: user.body.swv,
    userId: user.body.user,
    organisationId: org.body.organisation,
    organisationKind: org.body.soort,
    organisationNaam: org.body.naam,
    roles: user.body.roles,
    deviceId: device.body.device,
    userSigningPublicKey: user.body.signingKey,
    userAgreementPublicKey: user.body.agreementKey,
    validUntil: new Date(Math.min(org.body.validUntil, user.body.validUntil, device.body.validUntil)),
    profile,
  });
}

export interface VerifiedRevocation {
  readonly key: string;
  readonly user: UserId;
  readonly device: DeviceId;
  readonly revokedAt: number;
}

/**
 * Checks a device revocation: signed by the SWV root, or by the identity key of
 * the user (whose certificate must be given and verify) that owns the device.
 */
export async function verifyDeviceRevocation(
  provider: CryptoProvider,
  revocation: DeviceRevocation,
  roots: ReadonlyMap<SwvId, Uint8Array>,
  userCertificate?: UserCertificate,
): Promise<Result<VerifiedRevocation, ChainError>> {
  const parsed = revocationBodySchema.safeParse(revocation.body);
  if (!parsed.success) return fail('keten-ongeldig', 'De intrekking is ongeldig.');
  const body = parsed.data;
  const root = roots.get(body.swv);
  if (root === undefined) return fail('onbekend-swv', 'Dit samenwerkingsverband is op dit apparaat niet bekend.');
  let signer: Uint8Array;
  if (body.by === 'swv') {
    signer = root;
  } else {
    if (userCertificate === undefined || userCertificate.body.user !== body.user || userCertificate.body.swv !== body.swv) {
      return wrongSigner('intrekkingsbericht');
    }
    if (!(await verifyBody(provider, root, SIGNING_CONTEXT.user, userCertificate.body, userCertificate.signature)))
      return wrongSigner('gebruikerscertificaat');
    signer = userCertificate.body.signingKey;
  }
  if (!(await verifyBody(provider, signer, SIGNING_CONTEXT.revocation, body, revocation.signature)))
    return wrongSigner('intrekkingsbericht');
  return ok({ key: revocationKey(body.user, body.device), user: body.user, device: body.device, revokedAt: body.revokedAt });
}
