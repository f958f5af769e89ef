// After the beheerder ends someone, that person still holds the directory key (and, as staff, the
// staff key) and could keep reading the member list from the relay's mailboxes without logging in.
// So the beheerder's device makes new keys, delivers them to every remaining member device, each
// sealed to that device's own agreement key and signed by the root, and republishes the list under
// them; member devices pick their delivery up before they read the list (`pickUpDirectoryKeys` in
// client-directory.ts) [R151, PROTOCOL P48].
import { deviceOfCertificate } from '../access/certificate.js';
import { isOuderOnly } from '../model/role.js';
import { ok, fail, type Result } from '../result.js';
import type { ClientCore } from './client-core.js';
import { publishDirectory, saveDirectoryCache } from './client-directory.js';
import { directoryKeyBox, sealDirectoryKeyDelivery } from './directory-key-delivery.js';
import { loadDirectoryKeys, saveDirectoryKeys, type DirectoryKeys } from './identity.js';
import { directoryBox } from './onboarding.js';
import { locked } from './state/session.js';

/**
 * Beheerder, root unlocked: rotates the directory and staff keys when someone was ended after the current
 * keys were made. Retried from every tick until every delivery reached the relay: until then the old keys
 * stay in use, so no member is left without the list.
 */
export async function rotateDirectoryKeysIfDue(c: ClientCore): Promise<Result<void>> {
  const id = c.id;
  const root = c.session.rootKey;
  if (!id?.beheert) return ok(undefined);
  const loaded = await loadDirectoryKeys(c.provider, c.store, id.localKey);
  if (!loaded.ok) return loaded;
  // Keys from the SWV's creation count as made before every end: an end from before this rule rotates too.
  const current: DirectoryKeys = loaded.value ?? {
    directoryKey: id.directoryKey,
    staffKey: id.staffKey,
    directoryEpoch: id.directoryEpoch,
    since: -1,
  };
  const now = c.now().getTime();
  if (!c.directory.ends().some((e) => e.endedAt > current.since && e.endedAt <= now)) return ok(undefined);
  if (!root)
    return fail(
      'basissleutel-vergrendeld',
      'Ontgrendel de basissleutel van het samenwerkingsverband om de sleutel van de ledenlijst te vernieuwen.',
    );
  const p = c.provider;
  // An attempt that stopped halfway left its keys pending: deliver those again, never new ones.
  const next = current.pending ?? { directoryKey: p.randomBytes(32), staffKey: p.randomBytes(32), since: now };
  if (!current.pending) await saveDirectoryKeys(p, c.store, id.localKey, { ...current, pending: next });
  const epoch = id.directoryEpoch + 1;
  const conn = await c.mailboxConnection();
  if (!conn.ok) return fail('offline', 'Geen verbinding met de relay: de sleutel van de ledenlijst is nog niet vernieuwd.');
  try {
    // Ended people and revoked devices are not in `certificates()`: they get no delivery [R57, R149].
    for (const cert of c.directory.certificates()) {
      const device = deviceOfCertificate(cert);
      if (device === id.deviceId) continue;
      const sealed = await sealDirectoryKeyDelivery(p, root.secretKey, cert.body.agreementKey, {
        swv: id.swvId,
        epoch,
        device,
        directoryKey: next.directoryKey,
        // Ouders get the new directory key only, as at their join [R103].
        staffKey: isOuderOnly(cert.body.roles) ? null : next.staffKey,
      });
      const put = await conn.value.mailboxPut(await directoryKeyBox(p, id.directoryKey, id.swvId, epoch, device), sealed);
      if (!put.ok)
        return fail(
          'ledenlijst-sleutel-niet-vernieuwd',
          'De relay nam de nieuwe sleutel van de ledenlijst niet aan; het wordt opnieuw geprobeerd.',
        );
    }
  } finally {
    conn.value.close();
  }
  // Locked meanwhile: the identity must not come back; the next unlocked tick delivers the pending keys again.
  if (c.id !== id) return locked();
  // `since` is when the keys were made: someone ended after that may hold a pending delivery, so rotates again.
  await saveDirectoryKeys(p, c.store, id.localKey, {
    directoryKey: next.directoryKey,
    staffKey: next.staffKey,
    directoryEpoch: epoch,
    since: next.since,
  });
  c.session.replaceIdentity({ ...id, directoryKey: next.directoryKey, staffKey: next.staffKey, directoryEpoch: epoch });
  await saveDirectoryCache(c);
  await publishDirectory(c);
  await dropPagesUnder(c, id.directoryKey, id.staffKey);
  return ok(undefined);
}

/** The pages under the old keys are taken off the relay: nobody reads them any more, and the ended person could. */
async function dropPagesUnder(c: ClientCore, directoryKey: Uint8Array, staffKey: Uint8Array | null): Promise<void> {
  const id = c.id;
  if (!id) return;
  const conn = await c.mailboxConnection();
  if (!conn.ok) return;
  try {
    const parts: [Uint8Array, string][] = [[directoryKey, id.swvId]];
    if (staffKey) parts.push([staffKey, `${id.swvId}/ouders`]);
    for (const [key, label] of parts) {
      for (let i = 0; i < 64; i++) {
        const taken = await conn.value.mailboxTake(await directoryBox(c.provider, key, label, i));
        if (!taken.ok || taken.value === null || taken.value.length === 0) break;
      }
    }
  } finally {
    conn.value.close();
  }
}
