// The access log in the spirit of NEN 7513: opening a dossier (or a scope, an
// export) appends a signed `access` envelope to `toegang`, sealed under the
// toegang key. The relay sees only that a member device appended one; the
// privacy view lists them, verified, in order (R25).
import { z } from 'zod';
import type { CryptoProvider } from '../crypto/provider.js';
import type { DeviceId, DossierId, OrganisationId, SwvId, UserId } from '../model/ids.js';
import { encodeCanonical, decodeCanonical } from '../crypto/canonical.js';
import { openEnvelope, sealEnvelope, type Envelope } from '../crypto/envelope.js';
import { ok, fail, type Result, type KkError } from '../result.js';
import { organisationIdSchema, roleSchema, timeSchema } from './certificate.js';
import type { DeviceSigner } from './build-record.js';
import { deviceChainFromValue, deviceChainSchema, deviceChainValue, verifyDeviceChain, type VerifiedDevice } from './device-chain.js';
import { currentEpoch, type DossierAccess } from './dossier-access.js';
import { preferredAead } from '../crypto/aead-choice.js';
import { keyringGet, type Keyring } from './keyring.js';
import type { Role } from './roles.js';
import { roomOf, type Scope } from './rooms.js';
import { scopeSchema } from './acl-record.js';

export const ACCESS_ACTIONS = ['dossier-geopend', 'onderdeel-geopend', 'bijlage-geopend', 'geexporteerd', 'afgedrukt'] as const;
export type AccessAction = (typeof ACCESS_ACTIONS)[number];

const accessEventSchema = z.strictObject({
  v: z.literal(1),
  action: z.enum(ACCESS_ACTIONS),
  at: timeSchema,
  /** null = the dossier as a whole. */
  scope: scopeSchema.nullable(),
  role: roleSchema,
  /** The responsible organisation ("namens"): normally the user's own. */
  onBehalfOf: organisationIdSchema,
  /** Why, when the user gave a reason (e.g. a break-glass style look-up). */
  reason: z.string().max(500).nullable(),
  /** The device chain with profile: names stay inside the sealed event. */
  actor: deviceChainSchema,
});

export interface AccessEventInput {
  readonly action: AccessAction;
  readonly at: Date;
  readonly scope: Scope | null;
  /** The role the user acts in; must be one of its certified roles. */
  readonly role: Role;
  readonly onBehalfOf?: OrganisationId;
  readonly reason?: string;
}

export type AccessLogErrorCode = 'sleutel-ontbreekt' | 'rol-onbekend' | 'logregel-ongeldig';
export type AccessLogError = KkError<AccessLogErrorCode>;

export async function createAccessEvent(
  provider: CryptoProvider,
  access: DossierAccess,
  input: { signer: DeviceSigner; keyring: Keyring; counter: number; event: AccessEventInput },
): Promise<Result<Envelope, AccessLogError>> {
  const chain = input.signer.chain;
  if (!chain.user.body.roles.includes(input.event.role)) return fail('rol-onbekend', 'U heeft deze rol niet in dit samenwerkingsverband.');
  const epoch = currentEpoch(access.scopes.get('toegang'))?.epoch;
  const key = epoch === undefined ? undefined : keyringGet(input.keyring, 'toegang', epoch);
  if (epoch === undefined || key === undefined) return fail('sleutel-ontbreekt', 'Dit apparaat heeft de sleutel van de toegangslijst niet.');
  const plaintext = encodeCanonical({
    v: 1,
    action: input.event.action,
    at: input.event.at.getTime(),
    scope: input.event.scope,
    role: input.event.role,
    onBehalfOf: input.event.onBehalfOf ?? chain.user.body.organisation,
    reason: input.event.reason ?? null,
    actor: deviceChainValue(chain),
  });
  return ok(
    await sealEnvelope(provider, {
      header: { v: 1, kind: 'access', room: roomOf(access.dossier, 'toegang'), epoch, author: chain.device.body.device, counter: input.counter, alg: preferredAead(provider) },
      key,
      plaintext,
      signingSecretKey: input.signer.deviceSecretKey,
    }),
  );
}

/** One line of the privacy view's access log. */
export interface AccessLogEntry {
  /** The dossier (one leerling); bound by the envelope's room, which is covered by the signature. */
  readonly dossier: DossierId;
  readonly action: AccessAction;
  readonly at: Date;
  readonly scope: Scope | null;
  readonly userId: UserId;
  readonly naam: string | null;
  readonly functie: string | null;
  readonly organisationId: OrganisationId;
  readonly organisatie: string;
  readonly role: Role;
  readonly onBehalfOf: OrganisationId;
  readonly deviceId: DeviceId;
  readonly reason: string | null;
}

/**
 * Opens, verifies and lists access events, oldest first. Events that do not
 * open, do not verify, or claim a role or device the chain does not carry are
 * reported, not shown as fact.
 */
export async function listAccessEvents(
  provider: CryptoProvider,
  envelopes: readonly Envelope[],
  input: { access: DossierAccess; keyring: Keyring; roots: ReadonlyMap<SwvId, Uint8Array> },
): Promise<{ entries: AccessLogEntry[]; rejected: { index: number; error: KkError }[] }> {
  const entries: AccessLogEntry[] = [];
  const rejected: { index: number; error: KkError }[] = [];
  const room = roomOf(input.access.dossier, 'toegang');
  for (const [index, env] of envelopes.entries()) {
    const entry = await openAccessEvent(provider, env, room, input);
    if (entry.ok) entries.push(entry.value);
    else rejected.push({ index, error: entry.error });
  }
  entries.sort((a, b) => a.at.getTime() - b.at.getTime());
  return { entries, rejected };
}

async function openAccessEvent(
  provider: CryptoProvider,
  env: Envelope,
  room: ReturnType<typeof roomOf>,
  input: { access: DossierAccess; keyring: Keyring; roots: ReadonlyMap<SwvId, Uint8Array> },
): Promise<Result<AccessLogEntry, KkError>> {
  const bad = (message: string) => fail('logregel-ongeldig', message);
  if (env.header.kind !== 'access') return bad('Dit is geen logregel.');
  const key = keyringGet(input.keyring, 'toegang', env.header.epoch);
  if (key === undefined) return fail('sleutel-ontbreekt', 'De sleutel voor deze logregel ontbreekt op dit apparaat.');
  const plain = await openEnvelope(provider, env, { key, room, epoch: env.header.epoch, kind: 'access' });
  if (!plain.ok) return plain;
  const decoded = decodeCanonical(plain.value);
  const parsed = decoded.ok ? accessEventSchema.safeParse(decoded.value) : undefined;
  if (parsed === undefined || !parsed.success) return bad('De logregel is beschadigd.');
  const e = parsed.data;
  const chain = deviceChainFromValue(e.actor);
  if (!chain.ok) return chain;
  const verified = await verifyDeviceChain(provider, chain.value, input.roots, new Date(e.at), input.access.revocations);
  if (!verified.ok) return verified;
  const v: VerifiedDevice = verified.value;
  if (v.deviceId !== env.header.author) return bad('De logregel is ondertekend door een ander apparaat dan erin staat.');
  if (!v.roles.includes(e.role)) return bad('De logregel noemt een rol die de gebruiker niet heeft.');
  return ok({
    dossier: input.access.dossier,
    action: e.action,
    at: new Date(e.at),
    scope: e.scope,
    userId: v.userId,
    naam: v.profile === undefined ? null : `${v.profile.voornaam} ${v.profile.achternaam}`,
    functie: v.profile?.functie ?? null,
    organisationId: v.organisationId,
    organisatie: v.profile?.organisatie ?? v.organisationNaam,
    role: e.role,
    onBehalfOf: e.onBehalfOf,
    deviceId: v.deviceId,
    reason: e.reason,
  });
}
