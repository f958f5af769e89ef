// Renewing this device's agreement key after crypto-shredding (PROTOCOL P49) [R84, R155].
//
// Key boxes are sealed to agreement keys, so a copy of the relay's files taken before a dossier was
// shredded opens again with the agreement secret of any device that was a recipient. Destroying the
// dossier's epoch keys is therefore not enough: each device that purged it also replaces its agreement
// key and destroys the old secret.
//
//  1. `startKeyRenewal` (after a retention purge): a fresh X25519 key, kept in the keystore beside the
//     current one. No certificate names it yet, so nothing of the shredded dossier is ever sealed to it.
//  2. `pursueKeyRenewal` (every tick): the device's own signed request goes to the relay's register; once
//     the member list carries the root-signed certificate on the new key and every dossier's current key
//     periods have a box for it (admins share keys with it as with a newcomer), the device switches to
//     it and rewrites its keystore without the old secret.
//  3. `processKeyRenewals` (the beheerder's device, SWV root unlocked): issues those certificates, same
//     person, organisation, roles, profile and device key, and publishes them in the member list.
import type { KeyPair } from '../crypto/provider.js';
import { equalBytes } from '../crypto/bytes.js';
import { deviceOfCertificate, issueUserCertificate, type UserCertificate } from '../access/certificate.js';
import { encodeKeyRenewal, signKeyRenewal, verifyKeyRenewal, type KeyRenewalBody } from '../access/key-renewal.js';
import type { DirectoryRecord } from './onboarding.js';
import { currentEpoch, type DossierAccess } from '../access/dossier-access.js';
import { encodeDeviceChain, stripProfile } from '../access/device-chain.js';
import { ok, type Result } from '../result.js';
import type { ClientCore } from './client-core.js';
import { changeKeystoreSecrets, savePublicState, type Identity } from './identity.js';
import { publishDirectory, saveDirectoryCache } from './client-directory.js';

/** A request is posted again after this long without a certificate (the relay keeps the newest per device). */
const REPOST_MS = 3600_000;
/** The beheerder asks the relay's register at most this often (each ask is a short logged-in connection). */
const REGISTER_MS = 15_000;

/** The agreement keys this device opens key boxes with: the certified one and, while renewing, the new one. */
export const ownAgreementKeys = (id: Identity): KeyPair[] =>
  id.pendingAgreement ? [id.userAgreement, id.pendingAgreement] : [id.userAgreement];

/** After a retention purge: a fresh agreement key, stored in the keystore (a renewal already under way covers this purge too). */
export async function startKeyRenewal(c: ClientCore): Promise<void> {
  const id = c.id;
  if (!id || id.pendingAgreement || !c.session.sessionKey) return;
  const fresh = await c.provider.x25519KeyPair();
  const saved = await changeKeystoreSecrets(c.provider, c.store, c.session.sessionKey, (s) => ({
    ...s,
    pendingAgreement: fresh.secretKey,
  }));
  if (!saved.ok) return;
  c.session.replaceIdentity({ ...id, pendingAgreement: fresh });
  c.keyRenewalPace.forgetPosted();
}

/** Every tick while renewing: ask for the certificate, and switch once it is there and every dossier has keys for it. */
export async function pursueKeyRenewal(c: ClientCore): Promise<void> {
  const id = c.id;
  const pending = id?.pendingAgreement;
  if (!id || !pending) return;
  const renewed = renewedCertificate(c, id, pending);
  if (renewed === undefined) {
    await postRequest(c, id, pending);
    return;
  }
  if ([...c.dossiers.values()].every((st) => covered(st.confirmed, id, pending) && covered(st.access, id, pending)))
    await adopt(c, id, pending, renewed);
}

async function postRequest(c: ClientCore, id: Identity, pending: KeyPair): Promise<void> {
  const now = c.now().getTime();
  if (!c.keyRenewalPace.mayPost(now, REPOST_MS)) return;
  const conn = await c.mailboxConnection();
  if (!conn.ok) return;
  try {
    const request = await signKeyRenewal(c.provider, id.device.secretKey, {
      swv: id.swvId,
      user: id.userId,
      device: id.deviceId,
      agreementKey: pending.publicKey,
      at: now,
    });
    const put = await conn.value.putKeyRenewal(encodeKeyRenewal(request));
    if (put.ok) c.keyRenewalPace.posted(now);
  } finally {
    conn.value.close();
  }
}

/** This device's certificate in the member list, if the root has certified the new key. */
function renewedCertificate(c: ClientCore, id: Identity, pending: KeyPair): UserCertificate | undefined {
  const person = c.directory.person(id.userId);
  if (!person) return undefined;
  return [person.user, ...(person.apparaten ?? [])].find(
    (cert) =>
      deviceOfCertificate(cert) === id.deviceId &&
      equalBytes(cert.body.agreementKey, pending.publicKey) &&
      equalBytes(cert.body.signingKey, id.device.publicKey),
  );
}

/** Every scope whose current key period has a box for the old key has one for the new key too (nothing is lost by switching). */
function covered(access: DossierAccess | undefined, id: Identity, pending: KeyPair): boolean {
  if (!access) return true;
  for (const info of access.scopes.values()) {
    const cur = currentEpoch(info);
    if (!cur) continue;
    const hasOld = cur.boxes.some((b) => equalBytes(b.to, id.userAgreement.publicKey));
    if (hasOld && !cur.boxes.some((b) => equalBytes(b.to, pending.publicKey))) return false;
  }
  return true;
}

/** Switches to the new key: the keystore is rewritten without the old secret, and the old secret is wiped from memory. */
async function adopt(c: ClientCore, id: Identity, pending: KeyPair, renewed: UserCertificate): Promise<void> {
  if (!c.session.sessionKey) return;
  const saved = await changeKeystoreSecrets(c.provider, c.store, c.session.sessionKey, (s) => {
    const { pendingAgreement: _gone, ...rest } = s;
    return { ...rest, userAgreement: pending.secretKey };
  });
  if (!saved.ok) return;
  const chain = { ...id.chain, user: renewed };
  const { pendingAgreement: _old, ...withoutPending } = id;
  const next: Identity = { ...withoutPending, userAgreement: pending, chain, publicChainBytes: encodeDeviceChain(stripProfile(chain)) };
  await savePublicState(c.provider, c.store, next);
  const oldSecret = id.userAgreement.secretKey;
  c.session.replaceIdentity(next);
  oldSecret.fill(0);
  c.emit({ kind: 'directory' });
}

interface OpenRenewal {
  readonly request: KeyRenewalBody;
  readonly person: DirectoryRecord;
  readonly old: UserCertificate;
}

/** The requests in the relay's register that still need a certificate: verified, of a current member's device, on a new key. */
async function openRenewals(c: ClientCore): Promise<Result<OpenRenewal[]>> {
  const id = c.id;
  if (!id) return ok([]);
  const conn = await c.mailboxConnection();
  if (!conn.ok) return conn;
  let records: readonly Uint8Array[];
  try {
    const got = await conn.value.keyRenewals();
    if (!got.ok) return got;
    records = got.value;
  } finally {
    conn.value.close();
  }
  const now = c.now().getTime();
  const open: OpenRenewal[] = [];
  for (const bytes of records) {
    const req = await verifyKeyRenewal(c.provider, bytes);
    if (!req.ok || req.value.body.swv !== id.swvId) continue;
    const b = req.value.body;
    const person = c.directory.person(b.user);
    if (!person || (c.directory.endOf(b.user)?.endedAt ?? Infinity) <= now) continue;
    const old = [person.user, ...(person.apparaten ?? [])].find((cert) => deviceOfCertificate(cert) === b.device);
    if (!old || c.directory.deviceRevoked(old, now) || equalBytes(old.body.agreementKey, b.agreementKey) || old.body.validUntil <= now)
      continue;
    open.push({ request: b, person, old });
  }
  return ok(open);
}

/** Beheerder: how many devices wait for a certificate on their new agreement key (they get it once the SWV key is unlocked). */
export async function wachtendeSleutelvernieuwingen(c: ClientCore): Promise<Result<number>> {
  if (!c.id?.beheert) return ok(0);
  // Beheer re-renders on every change: the register is asked at most every REGISTER_MS.
  const cached = c.keyRenewalPace.waitingSeen(c.now().getTime(), REGISTER_MS);
  if (cached !== undefined) return ok(cached);
  const open = await openRenewals(c);
  if (open.ok) c.keyRenewalPace.rememberWaiting(c.now().getTime(), open.value.length);
  return open.ok ? ok(open.value.length) : open;
}

/**
 * Beheerder, SWV root unlocked: certifies every open request whose device is in the member list (not
 * ended, not revoked) and not yet certified on that key, then publishes the member list [R155].
 */
export async function processKeyRenewals(c: ClientCore): Promise<Result<number>> {
  const id = c.id;
  const root = c.session.rootKey;
  if (!id || !id.beheert || !root) return ok(0);
  const now = c.now().getTime();
  // Every tick while the SWV key is unlocked would open a connection each time: at most every REGISTER_MS.
  if (!c.keyRenewalPace.claimProcessing(now, REGISTER_MS)) return ok(0);
  const open = await openRenewals(c);
  if (!open.ok) return open;
  let issued = 0;
  for (const { request: b, person, old } of open.value) {
    const { certificate } = await issueUserCertificate(c.provider, root.secretKey, {
      swv: old.body.swv,
      user: old.body.user,
      organisation: old.body.organisation,
      roles: old.body.roles,
      signingKey: old.body.signingKey,
      agreementKey: b.agreementKey,
      // The very same salted profile: the same commitment, so it is the same person to everyone [R148].
      profile: person.profile,
      // Later than the certificate it replaces: per device the newest certificate is the recipient [R146].
      validFrom: new Date(Math.max(now - 60_000, old.body.validFrom + 1)),
      validUntil: new Date(old.body.validUntil),
    });
    c.directory.putPerson(
      b.user,
      person.user === old
        ? { ...person, user: certificate }
        : { ...person, apparaten: (person.apparaten ?? []).map((a) => (a === old ? certificate : a)) },
    );
    issued++;
  }
  // Beheer asks the register again for the count of devices still waiting.
  if (issued > 0) c.keyRenewalPace.forgetWaiting();
  if (issued > 0) {
    await saveDirectoryCache(c);
    await publishDirectory(c);
    c.emit({ kind: 'directory' });
  }
  return ok(issued);
}
