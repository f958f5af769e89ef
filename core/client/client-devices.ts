// The devices of this account and revoking a lost one. Each device has its own
// keys and its own certificate from the SWV (R145); the beheerder links another
// one (inviteDevice). Another device of the user signs the revocation and puts
// it in the access list of every dossier the account follows, after which the
// relay refuses that device, readers refuse what it signs after the revocation
// time (R29), and the keys it held are rotated before anything new is written
// under them (R146).
import { deviceOfCertificate, issueDeviceRevocation } from '../access/certificate.js';
import { revocationKey, verifyDeviceRevocation } from '../access/device-chain.js';
import { decodeRevocationRecord, encodeRevocationRecord } from '../access/device-revocation-record.js';
import type { DeviceId } from '../model/ids.js';
import { ok, fail, type Result } from '../result.js';
import type { DeviceEntry } from './api.js';
import type { ClientCore } from './client-core.js';
import { rotateDueKeys } from './client-access.js';
import { purge, submitAccess } from './client-rooms.js';
import { locked } from './state/session.js';

/** This device, the others the SWV certified for this user (member list), and any seen signing in a dossier. */
export function devices(c: ClientCore): readonly DeviceEntry[] {
  const id = c.id;
  if (!id) return [];
  const seen = new Set<DeviceId>([id.deviceId]);
  const me = c.directory.person(id.userId);
  for (const cert of me ? [me.user, ...(me.apparaten ?? [])] : []) seen.add(deviceOfCertificate(cert));
  for (const [device, cert] of c.directory.deviceCerts()) if (cert?.body.user === id.userId) seen.add(device);
  for (const st of c.dossiers.values()) for (const r of st.access?.records ?? []) if (r.signerUser === id.userId) seen.add(r.signerDevice);
  const revoked = (device: DeviceId) =>
    c.directory.isRevoked(id.userId, device) ||
    [...c.dossiers.values()].some((st) => st.access?.revocations.has(revocationKey(id.userId, device)) === true);
  return [...seen].map((deviceId) => ({ deviceId, ditApparaat: deviceId === id.deviceId, ingetrokken: revoked(deviceId) }));
}

/**
 * Revokes another device of this user as of now in every dossier this account follows, then rotates the
 * keys it held where this device may (admin: all; writer: the parts it writes, R42); any other writer
 * rotates before its next write. Returns in how many dossiers the revocation was recorded.
 */
export async function revokeDevice(c: ClientCore, deviceId: DeviceId): Promise<Result<{ readonly dossiers: number }>> {
  const id = c.id;
  if (!id) return locked();
  if (deviceId === id.deviceId)
    return fail('dit-apparaat', 'Dit apparaat kunt u hier niet intrekken; doe dat vanaf een ander apparaat van uw account.');
  if (!devices(c).some((d) => d.deviceId === deviceId))
    return fail('onbekend-apparaat', 'Dit apparaat hoort niet (zichtbaar) bij uw account.');
  // Signed with this device's own key: the revocation record must come from this device's chain [R147].
  const revocation = await issueDeviceRevocation(c.provider, id.userSigning.secretKey, {
    swv: id.swvId,
    user: id.userId,
    device: deviceId,
    revokedAt: c.now(),
    by: 'gebruiker',
  });
  // First the relay's register: from then on the device logs in nowhere in the SWV and is nobody's key recipient,
  // also in dossiers made later [P47, R149]. Without the relay nothing is revoked, so say so and change nothing.
  // A short logged-in connection of its own: the page may not have its live connection yet.
  const conn = await c.mailboxConnection();
  if (!conn.ok)
    return fail('offline', 'Geen verbinding met de relay: het apparaat is niet ingetrokken. Probeer het opnieuw zodra u online bent.');
  let registered;
  try {
    registered = await conn.value.revokeDevice(encodeRevocationRecord({ revocation, userCertificate: id.chain.user }));
  } finally {
    conn.value.close();
  }
  if (!registered.ok) return fail('intrekking-mislukt', 'De relay heeft de intrekking niet vastgelegd; probeer het opnieuw.');
  c.directory.recordRevocation(revocationKey(id.userId, deviceId), revocation.body.revokedAt);
  let dossiers = 0;
  for (const st of [...c.dossiers.values()]) {
    if (!st.access || !c.hasAnyAccess(st) || st.access.revocations.has(revocationKey(id.userId, deviceId))) continue;
    const r = await submitAccess(c, st, st.id, 'device-revocation', {
      revocation: { revocation, userCertificate: id.chain.user },
      reason: 'Apparaat ingetrokken (kwijt of gestolen)',
    });
    if (!r.ok) continue;
    dossiers++;
    await rotateDueKeys(c, st, id, c.now());
  }
  return ok({ dossiers });
}

/** Fetches the SWV's revoked devices from the relay and keeps the ones whose signatures check out [P47]. */
export async function syncDeviceRevocations(c: ClientCore): Promise<void> {
  const id = c.id;
  const conn = c.relay.conn;
  if (!id || !conn?.ready) return;
  const got = await conn.revokedDevices();
  if (!got.ok) return;
  for (const bytes of got.value) {
    const decoded = decodeRevocationRecord(bytes);
    if (!decoded.ok) continue;
    const { revocation, userCertificate } = decoded.value;
    const v = await verifyDeviceRevocation(c.provider, revocation, id.roots, userCertificate ?? undefined);
    if (v.ok && revocation.body.swv === id.swvId) c.directory.recordRevocation(v.value.key, v.value.revokedAt);
  }
}

/**
 * The relay closed this device's session for good because it was revoked (P47) or its person ended (P40):
 * an honest device deletes every dossier's ciphertext and keys it holds, as when access to one dossier ends.
 * (A thief's modified client keeps them, but reads nothing written after the revocation, R146.)
 */
export async function onLockedOut(c: ClientCore, code: string): Promise<void> {
  if (code !== 'apparaat-ingetrokken' && code !== 'gebruiker-beeindigd') return;
  for (const st of [...c.dossiers.values()]) {
    c.emit({ kind: 'access-lost', dossierId: st.id });
    await purge(c, st.id);
  }
}
