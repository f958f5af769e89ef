// Joining an SWV without an account on the relay: the invitation code is the
// shared secret. The joiner seals a join request under a key derived from the
// code and posts it to a mailbox named by a hash of the code; the beheerder's
// client opens it, issues the user certificate and posts it back the same way.
// The member directory (certificates + names, sealed with an SWV-wide key that
// only members get) is published in mailbox pages named with that key too.
import { z } from 'zod';
import type { CryptoProvider } from '../crypto/provider.js';
import { concatBytes, utf8Encode } from '../crypto/bytes.js';
import { decodeCanonical, encodeCanonical, type CanonicalValue } from '../crypto/canonical.js';
import {
  organisationBodySchema,
  profileCommitment,
  profileSchema,
  userBodySchema,
  type OrganisationCertificate,
  type UserCertificate,
  type UserProfile,
} from '../access/certificate.js';
import { verifyUserCertificate } from '../access/device-chain.js';
import { signBody, verifyBody, SIGNING_CONTEXT } from '../access/signing.js';
import type { SwvId } from '../model/ids.js';
import { equalBytes } from '../crypto/bytes.js';
import { ok, fail, type Result } from '../result.js';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** 100 random bits as 5 groups of 4 Crockford base32 characters. */
export function newInvitationCode(provider: CryptoProvider): string {
  const bytes = provider.randomBytes(20);
  let out = '';
  for (let i = 0; i < 20; i++) {
    out += ALPHABET[(bytes[i] ?? 0) % 32];
    if (i % 4 === 3 && i < 19) out += '-';
  }
  return out;
}

/** Tolerates case, spaces and the usual look-alikes (O→0, I/L→1). */
export function normaliseInvitationCode(raw: string): Result<string> {
  const s = raw.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (s.length !== 20 || [...s].some((c) => !ALPHABET.includes(c))) {
    return fail('code-ongeldig', 'De uitnodigingscode is niet geldig: controleer de 20 tekens.');
  }
  return ok(s.match(/.{4}/g)?.join('-') ?? s);
}

const derive = (provider: CryptoProvider, code: string, what: string): Promise<Uint8Array> =>
  provider.hkdfSha256(utf8Encode(code), utf8Encode('kindkluis/uitnodiging/v1'), utf8Encode(what), 32);

export const joinRequestBox = (provider: CryptoProvider, code: string): Promise<Uint8Array> => derive(provider, code, 'postvak-verzoek');
export const joinResponseBox = (provider: CryptoProvider, code: string): Promise<Uint8Array> => derive(provider, code, 'postvak-antwoord');

/** Seals a canonical value under a key derived from a one-time code (XChaCha20-Poly1305, `what` as associated data). */
export async function sealWith(provider: CryptoProvider, key: Uint8Array, what: string, value: CanonicalValue): Promise<Uint8Array> {
  const nonce = provider.randomBytes(24);
  return concatBytes(nonce, await provider.aeadSeal('xchacha20poly1305', key, nonce, encodeCanonical(value), utf8Encode(what)));
}

export async function openWith(provider: CryptoProvider, key: Uint8Array, what: string, sealed: Uint8Array): Promise<Result<unknown>> {
  if (sealed.length < 24 + 16) return fail('postvak-ongeldig', 'Het antwoord in het postvak is beschadigd.');
  const opened = await provider.aeadOpen('xchacha20poly1305', key, sealed.subarray(0, 24), sealed.subarray(24), utf8Encode(what));
  if (!opened.ok) return fail('postvak-ongeldig', 'Het bericht in het postvak past niet bij deze code.');
  return decodeCanonical(opened.value);
}

// ---- invitation offer (beheerder → relay): the code exists and until when [P43] ----

/** An invitation is open this long by default; the relay drops its offer then. */
export const INVITATION_VALID_MS = 7 * 24 * 3600_000;
export const invitationOfferBox = (provider: CryptoProvider, code: string): Promise<Uint8Array> => derive(provider, code, 'postvak-aanbod');
const offerSchema = z.strictObject({ v: z.literal(1), expiresAt: z.number().int().nonnegative() });

export async function sealInvitationOffer(provider: CryptoProvider, code: string, expiresAt: number): Promise<Uint8Array> {
  return sealWith(provider, await derive(provider, code, 'aanbod'), 'kindkluis/aanbod/v1', { v: 1, expiresAt });
}

export async function openInvitationOffer(
  provider: CryptoProvider,
  code: string,
  sealed: Uint8Array,
): Promise<Result<{ readonly expiresAt: number }>> {
  const v = await openWith(provider, await derive(provider, code, 'aanbod'), 'kindkluis/aanbod/v1', sealed);
  if (!v.ok) return v;
  const p = offerSchema.safeParse(v.value);
  return p.success ? ok(p.data) : fail('postvak-ongeldig', 'De uitnodiging is beschadigd.');
}

// ---- a join waiting for the beheerder (joiner's own device) ----

/**
 * The joiner's fresh keys while the beheerder has not answered, sealed under a
 * key derived from the code (which is not stored), so a join can be picked up
 * again after closing the browser: the answer is for these keys [R59].
 */
const pendingSchema = z.strictObject({ v: z.literal(1), signing: z.instanceof(Uint8Array), agreement: z.instanceof(Uint8Array) });
export async function sealPendingJoin(
  provider: CryptoProvider,
  code: string,
  keys: { signing: Uint8Array; agreement: Uint8Array },
): Promise<Uint8Array> {
  return sealWith(provider, await derive(provider, code, 'wachtend'), 'kindkluis/wachtend/v1', {
    v: 1,
    signing: keys.signing,
    agreement: keys.agreement,
  });
}
export async function openPendingJoin(
  provider: CryptoProvider,
  code: string,
  sealed: Uint8Array,
): Promise<Result<{ readonly signing: Uint8Array; readonly agreement: Uint8Array }>> {
  const v = await openWith(provider, await derive(provider, code, 'wachtend'), 'kindkluis/wachtend/v1', sealed);
  if (!v.ok) return v;
  const p = pendingSchema.safeParse(v.value);
  return p.success ? ok(p.data) : fail('postvak-ongeldig', 'De wachtende aanmelding is beschadigd.');
}

// ---- join request (joiner → beheerder) ----

const requestSchema = z.strictObject({ signingKey: z.instanceof(Uint8Array), agreementKey: z.instanceof(Uint8Array) });
export interface JoinRequest {
  readonly signingKey: Uint8Array;
  readonly agreementKey: Uint8Array;
}

export async function sealJoinRequest(provider: CryptoProvider, code: string, req: JoinRequest): Promise<Uint8Array> {
  return sealWith(provider, await derive(provider, code, 'verzoek'), 'kindkluis/verzoek/v1', { ...req });
}

export async function openJoinRequest(provider: CryptoProvider, code: string, sealed: Uint8Array): Promise<Result<JoinRequest>> {
  const v = await openWith(provider, await derive(provider, code, 'verzoek'), 'kindkluis/verzoek/v1', sealed);
  if (!v.ok) return v;
  const p = requestSchema.safeParse(v.value);
  return p.success && p.data.signingKey.length === 32 && p.data.agreementKey.length === 32
    ? ok(p.data)
    : fail('postvak-ongeldig', 'Het aanmeldverzoek is ongeldig.');
}

// ---- approval: short authentication string (SAS) [P80, R100] ----

/**
 * The beheerder's device answers each distinct join request it sees under a code with a fresh random
 * nonce (a *challenge*), in a box only that request's keys name. Both screens then show the same six
 * digits, derived from the code, the joiner's public keys and that nonce; the invitee reads them back
 * and only then does the beheerder approve. The nonce is chosen after the request's keys are fixed, so
 * someone who intercepted the code cannot grind keys to a SAS they saw elsewhere: each try costs a
 * new request, which the beheerder's list shows.
 */
export const joinChallengeBox = async (provider: CryptoProvider, code: string, signingKey: Uint8Array): Promise<Uint8Array> =>
  provider.hmacSha256(await derive(provider, code, 'postvak-uitdaging'), signingKey);

const challengeSchema = z.strictObject({ v: z.literal(1), signingKey: z.instanceof(Uint8Array), nonce: z.instanceof(Uint8Array) });

export async function sealJoinChallenge(
  provider: CryptoProvider,
  code: string,
  signingKey: Uint8Array,
  nonce: Uint8Array,
): Promise<Uint8Array> {
  return sealWith(provider, await derive(provider, code, 'uitdaging'), 'kindkluis/uitdaging/v1', { v: 1, signingKey, nonce });
}

export async function openJoinChallenge(
  provider: CryptoProvider,
  code: string,
  sealed: Uint8Array,
): Promise<Result<{ readonly signingKey: Uint8Array; readonly nonce: Uint8Array }>> {
  const v = await openWith(provider, await derive(provider, code, 'uitdaging'), 'kindkluis/uitdaging/v1', sealed);
  if (!v.ok) return v;
  const p = challengeSchema.safeParse(v.value);
  return p.success && p.data.nonce.length === 16 ? ok(p.data) : fail('postvak-ongeldig', 'De controlecode van de beheerder is beschadigd.');
}

/** Six digits as `123 456`, the same on the joiner's and the beheerder's screen for one request and challenge. */
export async function joinSas(provider: CryptoProvider, code: string, req: JoinRequest, nonce: Uint8Array): Promise<string> {
  const mac = await provider.hmacSha256(
    await derive(provider, code, 'sas'),
    concatBytes(utf8Encode('kindkluis/sas/v1'), req.signingKey, req.agreementKey, nonce),
  );
  const n = (((mac[0] ?? 0) << 24) | ((mac[1] ?? 0) << 16) | ((mac[2] ?? 0) << 8) | (mac[3] ?? 0)) >>> 0;
  const digits = String(n % 1_000_000).padStart(6, '0');
  return `${digits.slice(0, 3)} ${digits.slice(3)}`;
}

/** What someone types when reading the SAS back: digits only. */
export const normaliseSas = (raw: string): string => raw.replace(/\D/g, '');

// ---- join response (beheerder → joiner) ----

const signed = <T extends z.ZodType>(body: T) => z.strictObject({ b: body, s: z.instanceof(Uint8Array) });
export const responseSchema = z.strictObject({
  swvId: z.string(),
  swvNaam: z.string(),
  root: z.instanceof(Uint8Array),
  org: signed(organisationBodySchema),
  user: signed(userBodySchema),
  profile: profileSchema,
  directoryKey: z.instanceof(Uint8Array),
  email: z.string(),
  /** Staff only: the key of the ouders' directory pages, so ouders are not listed to one another [R103]. */
  staffKey: z.instanceof(Uint8Array).optional(),
  /** Which directory keys these are (absent: 0, the SWV's first), so the newcomer finds the next rotation's box [P48]. */
  directoryEpoch: z.number().int().nonnegative().optional(),
});

export interface JoinResponse {
  readonly swvId: SwvId;
  readonly swvNaam: string;
  readonly root: Uint8Array;
  readonly org: OrganisationCertificate;
  readonly user: UserCertificate;
  readonly profile: UserProfile;
  readonly directoryKey: Uint8Array;
  readonly email: string;
  readonly staffKey?: Uint8Array;
  readonly directoryEpoch?: number;
}

/** The canonical form of a join response's fields. */
export const joinResponseValue = (r: JoinResponse) => ({
  swvId: r.swvId,
  swvNaam: r.swvNaam,
  root: r.root,
  org: { b: r.org.body, s: r.org.signature },
  user: { b: r.user.body, s: r.user.signature },
  profile: { ...r.profile },
  directoryKey: r.directoryKey,
  email: r.email,
  ...(r.staffKey ? { staffKey: r.staffKey } : {}),
  ...(r.directoryEpoch ? { directoryEpoch: r.directoryEpoch } : {}),
});

/** The fields of a parsed join response (the inverse of `joinResponseValue`). */
export const joinResponseFrom = (d: z.infer<typeof responseSchema>): JoinResponse => ({
  swvId: d.swvId as SwvId,
  swvNaam: d.swvNaam,
  root: d.root,
  org: { body: d.org.b, signature: d.org.s },
  user: { body: d.user.b, signature: d.user.s },
  profile: d.profile,
  directoryKey: d.directoryKey,
  email: d.email,
  ...(d.staffKey ? { staffKey: d.staffKey } : {}),
  ...(d.directoryEpoch ? { directoryEpoch: d.directoryEpoch } : {}),
});

/**
 * The beheerder's answer is sealed under a key from both the code and an X25519 agreement between a fresh
 * ephemeral key and the joiner's own agreement key (from its request): whoever holds the code and a copy
 * of the relay's mailbox still cannot open it, also not afterwards [R150]. Form: `eph (32) || sealed`.
 */
async function responseKey(
  provider: CryptoProvider,
  code: string,
  shared: Uint8Array,
  eph: Uint8Array,
  to: Uint8Array,
): Promise<Uint8Array> {
  return provider.hkdfSha256(shared, concatBytes(eph, to), await derive(provider, code, 'antwoord'), 32);
}

export async function sealJoinResponse(
  provider: CryptoProvider,
  code: string,
  joinerAgreementKey: Uint8Array,
  r: JoinResponse,
): Promise<Uint8Array> {
  const eph = await provider.x25519KeyPair();
  const shared = await provider.x25519SharedSecret(eph.secretKey, joinerAgreementKey);
  const key = await responseKey(provider, code, shared, eph.publicKey, joinerAgreementKey);
  shared.fill(0);
  eph.secretKey.fill(0);
  return concatBytes(
    eph.publicKey,
    await sealWith(provider, key, 'kindkluis/antwoord/v2', joinResponseValue(r) as unknown as CanonicalValue),
  );
}

export async function openJoinResponse(
  provider: CryptoProvider,
  code: string,
  agreement: { readonly publicKey: Uint8Array; readonly secretKey: Uint8Array },
  sealed: Uint8Array,
): Promise<Result<JoinResponse>> {
  if (sealed.length < 32 + 24 + 16) return fail('postvak-ongeldig', 'Het antwoord van de beheerder is beschadigd.');
  const eph = sealed.subarray(0, 32);
  let shared: Uint8Array;
  try {
    shared = await provider.x25519SharedSecret(agreement.secretKey, eph);
  } catch {
    return fail('postvak-ongeldig', 'Het antwoord van de beheerder is beschadigd.');
  }
  const key = await responseKey(provider, code, shared, eph, agreement.publicKey);
  shared.fill(0);
  const v = await openWith(provider, key, 'kindkluis/antwoord/v2', sealed.subarray(32));
  if (!v.ok) return v;
  const p = responseSchema.safeParse(v.value);
  if (!p.success) return fail('postvak-ongeldig', 'Het antwoord van de beheerder is ongeldig.');
  return ok(joinResponseFrom(p.data));
}

// ---- directory ----

export interface DirectoryRecord {
  readonly user: UserCertificate;
  readonly profile: UserProfile;
  readonly organisatieNaam: string;
  readonly email: string;
  /**
   * The person's other devices: each its own root-signed certificate for the same person (same user,
   * organisation, roles and profile), so each gets its own key boxes [R145, R148].
   */
  readonly apparaten?: readonly UserCertificate[];
}

/** At most this many devices per person in the member list (a page must fit a mailbox, P21). */
export const MAX_APPARATEN = 4;

const directorySchema = z.array(
  z.strictObject({
    user: signed(userBodySchema),
    profile: profileSchema,
    organisatieNaam: z.string(),
    email: z.string(),
    apparaten: z.array(signed(userBodySchema)).max(MAX_APPARATEN).optional(),
  }),
);
type DirectoryItem = z.infer<typeof directorySchema>[number];

const directoryItem = (r: DirectoryRecord) => ({
  user: { b: r.user.body, s: r.user.signature },
  profile: { ...r.profile },
  organisatieNaam: r.organisatieNaam,
  email: r.email,
  ...(r.apparaten !== undefined && r.apparaten.length > 0 ? { apparaten: r.apparaten.map((a) => ({ b: a.body, s: a.signature })) } : {}),
});

/**
 * One member-list entry, or null when its certificate or profile does not check out. Another device's
 * certificate counts only when the root signed it for the same person, organisation, roles and profile.
 */
async function recordOfItem(
  provider: CryptoProvider,
  it: DirectoryItem,
  roots: ReadonlyMap<SwvId, Uint8Array>,
  now: Date,
): Promise<DirectoryRecord | null> {
  const user: UserCertificate = { body: it.user.b, signature: it.user.s };
  if (!(await verifyUserCertificate(provider, user, roots, now)).ok) return null;
  if (!equalBytes(await profileCommitment(provider, it.profile), user.body.profileCommitment)) return null;
  const apparaten: UserCertificate[] = [];
  for (const a of it.apparaten ?? []) {
    const cert: UserCertificate = { body: a.b, signature: a.s };
    const same =
      cert.body.user === user.body.user &&
      cert.body.swv === user.body.swv &&
      cert.body.organisation === user.body.organisation &&
      cert.body.roles.join() === user.body.roles.join() &&
      equalBytes(cert.body.profileCommitment, user.body.profileCommitment);
    if (same && (await verifyUserCertificate(provider, cert, roots, now)).ok) apparaten.push(cert);
  }
  return {
    user,
    profile: it.profile,
    organisatieNaam: it.organisatieNaam,
    email: it.email,
    ...(apparaten.length > 0 ? { apparaten } : {}),
  };
}

/** Mailbox pages of the directory; named with the directory key so only members can find (or overwrite) them. */
export async function directoryBox(provider: CryptoProvider, directoryKey: Uint8Array, swvId: string, page: number): Promise<Uint8Array> {
  return provider.hmacSha256(directoryKey, utf8Encode(`kindkluis/ledenlijst/${swvId}/${page}`));
}

/** Splits the directory into sealed pages that each fit a mailbox (16 KiB). */
export async function sealDirectory(
  provider: CryptoProvider,
  directoryKey: Uint8Array,
  records: readonly DirectoryRecord[],
): Promise<Uint8Array[]> {
  const perPage = 12;
  const pages: Uint8Array[] = [];
  const count = Math.max(1, Math.ceil(records.length / perPage));
  for (let i = 0; i < count; i++) {
    const slice = records.slice(i * perPage, (i + 1) * perPage).map(directoryItem);
    pages.push(
      await sealWith(provider, directoryKey, `kindkluis/ledenlijst/v1/${i}/${count}`, {
        pages: count,
        items: slice,
      } as unknown as CanonicalValue),
    );
  }
  return pages;
}

/** Opens one page; returns the total page count and the entries whose certificate and profile check out. */
export async function openDirectoryPage(
  provider: CryptoProvider,
  directoryKey: Uint8Array,
  page: number,
  sealed: Uint8Array,
  roots: ReadonlyMap<SwvId, Uint8Array>,
  now: Date,
): Promise<Result<{ pages: number; records: DirectoryRecord[] }>> {
  for (let count = page + 1; count <= 64; count++) {
    const v = await openWith(provider, directoryKey, `kindkluis/ledenlijst/v1/${page}/${count}`, sealed);
    if (!v.ok) continue;
    const shape = z.object({ pages: z.number().int(), items: directorySchema }).safeParse(v.value);
    if (!shape.success) return fail('ledenlijst-ongeldig', 'De ledenlijst is beschadigd.');
    const records: DirectoryRecord[] = [];
    for (const it of shape.data.items) {
      const r = await recordOfItem(provider, it, roots, now);
      if (r !== null) records.push(r);
    }
    return ok({ pages: shape.data.pages, records });
  }
  return fail('ledenlijst-ongeldig', 'De ledenlijst kon niet worden geopend.');
}

// ---- directory pages on the relay: root-signed, versioned [P82, R103] ----

/**
 * What the relay holds: each page `{ b: { swv, version, page, pages, items }, s }`, `s` the SWV root's
 * signature, sealed under the directory key. Every member holds that key (and can overwrite a box); only
 * the root can sign, so a forged page is refused, and a page with a version below the highest this device
 * accepted (a replay of an old list) is refused too. (`sealDirectory` above stays the local cache's form.)
 */
const signedPageSchema = z.strictObject({
  b: z.strictObject({
    swv: z.string(),
    deel: z.enum(['personeel', 'ouders']),
    version: z.number().int().nonnegative(),
    page: z.number().int().nonnegative(),
    pages: z.number().int().positive().max(64),
    items: directorySchema,
  }),
  s: z.instanceof(Uint8Array),
});
const PAGE_AD = 'kindkluis/ledenlijst/v2';
/** Staff pages (directory key, every member) and ouders' pages (staff key, staff only). */
export type DirectoryPart = 'personeel' | 'ouders';

export async function sealSignedDirectory(
  provider: CryptoProvider,
  directoryKey: Uint8Array,
  rootSecret: Uint8Array,
  swvId: SwvId,
  version: number,
  records: readonly DirectoryRecord[],
  deel: DirectoryPart = 'personeel',
): Promise<Uint8Array[]> {
  // Eight people with up to four devices each stay well under a mailbox's 16 KiB [P21].
  const perPage = 8;
  const count = Math.max(1, Math.ceil(records.length / perPage));
  const pages: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const items = records.slice(i * perPage, (i + 1) * perPage).map(directoryItem);
    const b = { swv: swvId, deel, version, page: i, pages: count, items } as unknown as CanonicalValue;
    const s = await signBody(provider, rootSecret, SIGNING_CONTEXT.directoryPage, b);
    pages.push(await sealWith(provider, directoryKey, PAGE_AD, { b, s }));
  }
  return pages;
}

export async function openSignedDirectoryPage(
  provider: CryptoProvider,
  directoryKey: Uint8Array,
  swvId: SwvId,
  page: number,
  sealed: Uint8Array,
  roots: ReadonlyMap<SwvId, Uint8Array>,
  now: Date,
  deel: DirectoryPart = 'personeel',
): Promise<Result<{ version: number; pages: number; records: DirectoryRecord[] }>> {
  const v = await openWith(provider, directoryKey, PAGE_AD, sealed);
  if (!v.ok) return fail('ledenlijst-ongeldig', 'De ledenlijst kon niet worden geopend.');
  const shape = signedPageSchema.safeParse(v.value);
  if (!shape.success) return fail('ledenlijst-ongeldig', 'De ledenlijst is beschadigd.');
  const root = roots.get(swvId);
  const { b, s } = shape.data;
  if (
    !root ||
    b.swv !== swvId ||
    b.deel !== deel ||
    b.page !== page ||
    !(await verifyBody(provider, root, SIGNING_CONTEXT.directoryPage, b as unknown as CanonicalValue, s))
  ) {
    return fail(
      'ledenlijst-niet-ondertekend',
      'Een pagina van de ledenlijst is niet door het samenwerkingsverband ondertekend en is genegeerd.',
    );
  }
  const records: DirectoryRecord[] = [];
  for (const it of b.items) {
    const r = await recordOfItem(provider, it, roots, now);
    if (r !== null) records.push(r);
  }
  return ok({ version: b.version, pages: b.pages, records });
}
