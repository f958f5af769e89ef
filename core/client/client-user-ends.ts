// Ending a person (uit dienst, rol beëindigd): the beheerder signs the end with
// the SWV root and hands it to the relay, which refuses that user from then on
// [R56, P40]. Every device learns the ends from the relay (root-signed, so the
// relay cannot forge one), never shares keys with an ended person, and a member
// device carries the end into each dossier the person held keys in, after which
// the next admin device rotates them out [R57].
import { issueUserEnd, decodeUserEnd, encodeUserEnd, verifyUserEnd, type UserEndReason } from '../access/user-end.js';
import { isEnded } from '../access/dossier-access.js';
import type { UserId } from '../model/ids.js';
import { ok, fail, type Result } from '../result.js';
import type { ClientCore } from './client-core.js';
import { submitAccess } from './client-rooms.js';
import { rotateDirectoryKeysIfDue } from './client-directory-keys.js';
import { locked } from './state/session.js';

/** Beheerder: ends a person in the SWV as of now. */
export async function endPerson(c: ClientCore, userId: UserId, reason: UserEndReason): Promise<Result<void>> {
  const id = c.id;
  if (!id) return locked();
  if (!id.beheert) return fail('geen-beheerder', 'Alleen de beheerder van het samenwerkingsverband kan iemand uit dienst melden.');
  // Ending a person is a Beheer action: the root is unlocked for it with its own passphrase [R102].
  if (!c.session.rootKey)
    return fail(
      'basissleutel-vergrendeld',
      'Ontgrendel eerst de basissleutel van het samenwerkingsverband (Beheer) met het wachtwoord van de basissleutel.',
    );
  if (userId === id.userId) return fail('niet-toegestaan', 'U kunt uzelf niet uit dienst melden.');
  const end = await issueUserEnd(c.provider, c.session.rootKey.secretKey, { swv: id.swvId, user: userId, endedAt: c.now(), reason });
  const conn = c.relay.conn;
  if (!conn?.ready) return fail('offline', 'Geen verbinding met de relay; probeer het opnieuw zodra u online bent.');
  const r = await conn.endUser(encodeUserEnd(end));
  if (!r.ok) return fail('beeindiging-mislukt', 'De relay heeft het einde niet vastgelegd; probeer het opnieuw.');
  const verified = await verifyUserEnd(c.provider, end, id.roots);
  if (verified.ok) c.directory.recordEnd(userId, verified.value);
  c.emit({ kind: 'directory' });
  // The person still holds the directory (and staff) key: new keys for everyone else, the list republished under them [R151].
  const rotated = await c.serialBeheer(() => rotateDirectoryKeysIfDue(c));
  if (!rotated.ok) return fail(rotated.error.code, `Uit dienst gemeld. ${rotated.error.message}`);
  return ok(undefined);
}

/** Fetches the SWV's ends from the relay, keeps the ones the root signed, and records them in the dossiers. */
export async function syncUserEnds(c: ClientCore): Promise<void> {
  const id = c.id;
  const conn = c.relay.conn;
  if (!id || !conn?.ready) return;
  const got = await conn.endedUsers();
  if (!got.ok) return;
  for (const bytes of got.value) {
    const decoded = decodeUserEnd(bytes);
    if (!decoded.ok) continue;
    const v = await verifyUserEnd(c.provider, decoded.value, id.roots);
    if (v.ok && v.value.swv === id.swvId && v.value.user !== id.userId) c.directory.recordEnd(v.value.user, v.value);
  }
  await recordUserEnds(c);
}

/** In every dossier where an ended person holds (or was given) keys, a member device records the end once. */
async function recordUserEnds(c: ClientCore): Promise<void> {
  const id = c.id;
  if (!id) return;
  const now = c.now().getTime();
  for (const st of [...c.dossiers.values()]) {
    const access = st.access;
    if (!access || !c.hasAnyAccess(st)) continue;
    for (const e of c.directory.ends()) {
      if (e.endedAt > now || isEnded(access, e.user, now)) continue;
      const known = [...access.recipients.values()].some((cert) => cert.body.user === e.user);
      if (!known) continue;
      await submitAccess(c, st, st.id, 'user-end', {
        revocation: { revocation: e.end, userCertificate: null },
        reason: 'Uit dienst gemeld door het samenwerkingsverband',
      });
    }
  }
}
