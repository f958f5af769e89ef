// Who wrote a received record: the author's device certificate, checked against the
// access list, and whether the author was a member with the right at that point.
import { equalBytes } from '../crypto/bytes.js';
import { decodeCanonical } from '../crypto/canonical.js';
import { openEnvelope, type Envelope } from '../crypto/envelope.js';
import { deviceBodySchema, type DeviceCertificate, type UserCertificate } from '../access/certificate.js';
import { keyringGet } from '../access/keyring.js';
import { authorOfCertificate, checkRecordAuthor } from '../access/record-author.js';
import { roomOf, type Scope } from '../access/rooms.js';
import { SIGNING_CONTEXT, verifyBody } from '../access/signing.js';
import type { DeviceId, UserId } from '../model/ids.js';
import { fail, type Result } from '../result.js';
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
  if (actor)
    st.accessEvents.push({ at: ev.at, actor, action: ev.action, ...(ev.toestemming === undefined ? {} : { toestemming: ev.toestemming }) });
}

/** The user a device belongs to, from the device certificates we have seen. */
export function userOfDevice(c: ClientCore, st: DossierState, device: DeviceId): UserId | null {
  if (c.id && device === c.id.deviceId) return c.id.userId;
  const cert = c.directory.deviceCert(device);
  if (cert) return cert.body.user;
  const rec = st.access?.records.find((r) => r.signerDevice === device);
  return rec?.signerUser ?? null;
}

/** Checks the device certificate carried in an update against the access list's recipients. */
export async function authorDevice(
  c: ClientCore,
  st: DossierState,
  env: Envelope,
  certValue: Uint8Array | null,
): Promise<UserCertificate | null> {
  const author = env.header.author;
  const cached = c.directory.deviceCert(author);
  if (cached) return cached;
  if (c.id && author === c.id.deviceId) return c.id.chain.user;
  if (!st.access) return null;
  // No certificate in the payload (a snapshot made before P30): a device that signed an access record was verified when
  // that record was folded; its user's newest certificate in the list stands in.
  if (!certValue) return aclSigner(st, author);
  const v = decodeCanonical(certValue);
  if (!v.ok) return null;
  const shape = v.value as { b?: unknown; s?: unknown };
  const body = deviceBodySchema.safeParse(shape.b);
  if (!body.success || !(shape.s instanceof Uint8Array) || body.data.device !== author) return null;
  const user = [...st.access.recipients.values()].find(
    (c) => c.body.user === body.data.user && equalBytes(c.body.signingKey, body.data.userSigningKey),
  );
  if (!user) return null;
  const cert: DeviceCertificate = { body: body.data, signature: shape.s };
  if (!(await verifyBody(c.provider, user.body.signingKey, SIGNING_CONTEXT.device, cert.body, cert.signature))) return null;
  c.directory.learnDeviceCert(author, user);
  return user;
}

function aclSigner(st: DossierState, device: DeviceId): UserCertificate | null {
  const user = st.access?.records.find((r) => r.signerDevice === device)?.signerUser;
  if (user === undefined || !st.access) return null;
  const certs = [...st.access.recipients.values()].filter((c) => c.body.user === user);
  return certs.sort((a, b) => b.body.validFrom - a.body.validFrom)[0] ?? null;
}

/**
 * Whether the author may have written this record at its position: the one
 * check of core/access/record-author, in 'history' mode (the relay runs it
 * 'live' at append) [R35, R36, R37].
 */
export function authorise(st: DossierState, scope: Scope, env: Envelope, user: UserCertificate, now: Date): Result<void> {
  const access = st.access;
  if (!access) return fail('geen-toegangslijst', 'De toegangslijst van dit dossier ontbreekt.');
  const kind = env.header.kind;
  if (kind !== 'update' && kind !== 'snapshot' && kind !== 'keybox')
    return fail('soort-niet-toegestaan', 'Dit soort bericht hoort niet in dit dossierdeel.');
  return checkRecordAuthor(
    access,
    authorOfCertificate(user, env.header.author, user.body.validUntil),
    roomOf(access.dossier, scope),
    kind,
    env.header.epoch,
    now,
    'history',
  );
}
