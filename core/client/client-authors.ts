// Who wrote a received record: the author's device certificate, checked against the
// access list, and whether the author was a member with the right at that point.
import { equalBytes } from '../crypto/bytes.js';
import { decodeCanonical } from '../crypto/canonical.js';
import { openEnvelope, type Envelope } from '../crypto/envelope.js';
import { deviceBodySchema, type DeviceCertificate, type UserCertificate } from '../access/certificate.js';
import { currentEpoch, effectiveRight, keyHex } from '../access/dossier-access.js';
import { keyringGet } from '../access/keyring.js';
import { atLeast, principalKey } from '../access/principal.js';
import type { Scope } from '../access/rooms.js';
import { SIGNING_CONTEXT, verifyBody } from '../access/signing.js';
import type { DeviceId, UserId } from '../model/ids.js';
import { ok, fail, type Result } from '../result.js';
import { decodeAccessEvent, type DossierState } from './dossier-state.js';
import type { ClientCore } from './client-core.js';

export async function applyAccessEvent(c: ClientCore, st: DossierState, env: Envelope): Promise<void> {
  const key = keyringGet(st.keyring, 'toegang', env.header.epoch);
  if (!key) return;
  const plain = await openEnvelope(c.provider, env, { key, room: env.header.room, epoch: env.header.epoch });
  if (!plain.ok) return;
  const ev = decodeAccessEvent(plain.value);
  if (!ev) return;
  const actor = userOfDevice(c, st, env.header.author) ?? (await authorDevice(c, st, env, ev.chain))?.body.user ?? null;
  if (actor) st.accessEvents.push({ at: ev.at, actor, action: ev.action });
}

/** The user a device belongs to, from the device certificates we have seen. */
export function userOfDevice(c: ClientCore, st: DossierState, device: DeviceId): UserId | null {
  if (c.id && device === c.id.deviceId) return c.id.userId;
  const cert = c.deviceCerts.get(device);
  if (cert) return cert.body.user;
  const rec = st.access?.records.find((r) => r.signerDevice === device);
  return rec?.signerUser ?? null;
}

/** Checks the device certificate carried in an update against the access list's recipients. */
export async function authorDevice(c: ClientCore, st: DossierState, env: Envelope, certValue: Uint8Array | null): Promise<UserCertificate | null> {
  const author = env.header.author;
  const cached = c.deviceCerts.get(author);
  if (cached) return cached;
  if (c.id && author === c.id.deviceId) return c.id.chain.user;
  if (!certValue || !st.access) return null;
  const v = decodeCanonical(certValue);
  if (!v.ok) return null;
  const shape = v.value as { b?: unknown; s?: unknown };
  const body = deviceBodySchema.safeParse(shape.b);
  if (!body.success || !(shape.s instanceof Uint8Array) || body.data.device !== author) return null;
  const user = [...st.access.recipients.values()].find((c) => c.body.user === body.data.user && equalBytes(c.body.signingKey, body.data.userSigningKey));
  if (!user) return null;
  const cert: DeviceCertificate = { body: body.data, signature: shape.s };
  if (!(await verifyBody(c.provider, user.body.signingKey, SIGNING_CONTEXT.device, cert.body, cert.signature))) return null;
  c.deviceCerts.set(author, user);
  return user;
}

/** Membership at that point: the author held this epoch's key, and (for the current epoch) may still write. */
export function authorise(c: ClientCore, st: DossierState, scope: Scope, env: Envelope, user: UserCertificate): Result<void> {
  const access = st.access;
  if (!access) return fail('geen-toegangslijst', 'De toegangslijst van dit dossier ontbreekt.');
  const info = access.scopes.get(scope);
  const epoch = info?.epochs.find((e) => e.epoch === env.header.epoch);
  if (!info || !epoch) return fail('epoch-onbekend', 'Onbekende sleutelperiode.');
  if (!epoch.holders.includes(keyHex(user.body.agreementKey))) return fail('geen-lid', 'De auteur was op dat moment geen deelnemer.');
  if (currentEpoch(info)?.epoch === epoch.epoch) {
    const right = effectiveRight(access, { userId: user.body.user, organisationId: user.body.organisation, roles: user.body.roles }, scope, c.now().getTime());
    const expired = access.grants.some((g) => g.expiresAt !== null && principalKey(g.principal) === `user:${user.body.user}`);
    if (!atLeast(right, 'write') && !expired) return fail('geen-schrijfrecht', 'De auteur mocht hier niet schrijven.');
  }
  return ok(undefined);
}
