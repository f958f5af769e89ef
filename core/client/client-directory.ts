// The SWV's member list (ledenlijst): published sealed by the beheerder's device to the
// relay's mailboxes, fetched by every other device, cached sealed on this device.
import { haalBewaarbeleidOp, loadBewaarbeleid, publiceerBewaarbeleid } from './client-bewaarbeleid.js';
import { decodeCanonical, encodeCanonical } from '../crypto/canonical.js';
import { asId } from '../model/ids.js';
import type { OrganisationId } from '../model/ids.js';
import { ORGANISATION_KINDS, type OrganisationKind } from '../model/organisation.js';
import { ok, fail, type Result } from '../result.js';
import { openLocal, sealLocal } from '../store/local-seal.js';
import type { DirectoryEntry, OrganisationEntry } from './api.js';
import { handleOf } from './overlegronde-messages.js';
import { loadBeheer, saveDirectoryKeys, type DirectoryKeys, type Identity } from './identity.js';
import { directoryKeyBox, openDirectoryKeyDelivery } from './directory-key-delivery.js';
import type { RelayConnection } from '../sync/relay-connection.js';
import {
  directoryBox,
  openDirectoryPage,
  openSignedDirectoryPage,
  sealDirectory,
  sealSignedDirectory,
  type DirectoryPart,
  type DirectoryRecord,
} from './onboarding.js';
import { isOuderOnly } from '../model/role.js';
import type { ClientCore } from './client-core.js';
import { locked } from './state/session.js';

export async function organisations(c: ClientCore): Promise<Result<readonly OrganisationEntry[]>> {
  const id = c.id;
  if (!id) return locked();
  if (!id.beheert) return fail('geen-beheerder', 'Alleen de beheerder van het samenwerkingsverband beheert organisaties.');
  const beheer = await loadBeheer(c.provider, c.store, id.localKey);
  return ok(
    beheer.organisations.flatMap((o) =>
      o.kind in ORGANISATION_KINDS ? [{ id: asId<OrganisationId>(o.id), naam: o.naam, kind: o.kind as OrganisationKind }] : [],
    ),
  );
}

export function directory(c: ClientCore): readonly DirectoryEntry[] {
  return c.directory.people().map((r) => ({
    userId: r.user.body.user,
    organisationId: r.user.body.organisation,
    organisatieNaam: r.organisatieNaam,
    roles: r.user.body.roles,
    profile: {
      voornaam: r.profile.voornaam,
      achternaam: r.profile.achternaam,
      functie: r.profile.functie,
      organisatieNaam: r.organisatieNaam,
      email: r.email,
    },
    handle: handleOf(r.profile.voornaam, r.profile.achternaam),
  }));
}

/** Meta key of the highest directory version this device published (beheerder) or accepted (member) [R103]. */
const VERSION_KEY = 'ledenlijst-versie';

async function loadVersion(c: ClientCore, localKey: Uint8Array): Promise<number> {
  const sealed = await c.store.getMeta(VERSION_KEY);
  if (!sealed) return 0;
  const opened = await openLocal(c.provider, localKey, VERSION_KEY, sealed);
  const v = opened.ok ? decodeCanonical(opened.value) : undefined;
  return v?.ok && typeof v.value === 'number' ? v.value : 0;
}

const saveVersion = async (c: ClientCore, localKey: Uint8Array, version: number): Promise<void> =>
  c.store.putMeta(VERSION_KEY, await sealLocal(c.provider, localKey, VERSION_KEY, encodeCanonical(version)));

/** The directory's two parts: staff for every member, ouders only for staff (staff key) [R103]. */
function parts(id: Identity): { deel: DirectoryPart; key: Uint8Array; label: string }[] {
  const out: { deel: DirectoryPart; key: Uint8Array; label: string }[] = [{ deel: 'personeel', key: id.directoryKey, label: id.swvId }];
  if (id.staffKey) out.push({ deel: 'ouders', key: id.staffKey, label: `${id.swvId}/ouders` });
  return out;
}

/**
 * Beheerder, root unlocked: publishes the member list as root-signed pages with a new version, higher
 * than any before (so members refuse the older lists a relay or a member could put back) [P82, R103].
 * Ouders go only in the part sealed with the staff key, which ouders never get.
 */
export async function publishDirectory(c: ClientCore): Promise<void> {
  const id = c.id;
  const root = c.session.rootKey;
  if (!id?.beheert || !root) return;
  const version = Math.max((await loadVersion(c, id.localKey)) + 1, c.now().getTime());
  const all = c.directory.people();
  const anon = await c.mailboxConnection();
  if (!anon.ok) return;
  try {
    for (const part of parts(id)) {
      const records = all.filter((r) => isOuderOnly(r.user.body.roles) === (part.deel === 'ouders'));
      const pages = await sealSignedDirectory(c.provider, part.key, root.secretKey, id.swvId, version, records, part.deel);
      for (const [i, page] of pages.entries()) {
        const put = await anon.value.mailboxPut(await directoryBox(c.provider, part.key, part.label, i), page);
        if (!put.ok) return;
      }
    }
    // Under the current directory key, also after a rotation [R156].
    await publiceerBewaarbeleid(c, anon.value);
  } finally {
    anon.value.close();
  }
  await saveVersion(c, id.localKey, version);
}

/**
 * Member: reads the signed pages. A page the root did not sign, pages of mixed versions, or a version below
 * the highest accepted before is refused whole: the list on this device stays as it was [R103].
 */
export async function refreshDirectory(c: ClientCore): Promise<Result<void>> {
  const id = c.id;
  if (!id || id.beheert) return ok(undefined);
  // Logged in: up to 64 reads per refresh from every member behind one school address stay out of the per-address budget [P29].
  const anon = await c.mailboxConnection();
  if (!anon.ok) return anon;
  const before = membersKey(c);
  const seen = await loadVersion(c, id.localKey);
  const records: DirectoryRecord[] = [];
  let highest = seen;
  try {
    // Newer keys first: after an end the list is published only under keys the ended person lacks [R151].
    const keys = await pickUpDirectoryKeys(c, anon.value);
    if (!keys.ok) return keys;
    await haalBewaarbeleidOp(c, anon.value);
    for (const part of parts(c.id ?? id)) {
      let version = -1;
      let pages = 1;
      for (let i = 0; i < pages && i < 64; i++) {
        const got = await anon.value.mailboxGet(await directoryBox(c.provider, part.key, part.label, i));
        if (!got.ok || got.value === null || got.value.length === 0) {
          if (i === 0) break;
          return fail('ledenlijst-onvolledig', 'De ledenlijst is onvolledig; het apparaat houdt de vorige.');
        }
        const page = await openSignedDirectoryPage(c.provider, part.key, id.swvId, i, got.value, id.roots, c.now(), part.deel);
        if (!page.ok) return page;
        if (version >= 0 && page.value.version !== version)
          return fail('ledenlijst-gemengd', "De pagina's van de ledenlijst horen niet bij elkaar; het apparaat houdt de vorige.");
        version = page.value.version;
        if (version < seen)
          return fail('ledenlijst-verouderd', 'De relay gaf een oudere ledenlijst dan dit apparaat al kende; die is genegeerd.');
        pages = page.value.pages;
        records.push(...page.value.records);
      }
      highest = Math.max(highest, version);
    }
  } finally {
    anon.value.close();
  }
  for (const r of records) c.directory.putPerson(r.user.body.user, r);
  await saveVersion(c, id.localKey, highest);
  await saveDirectoryCache(c);
  if (membersKey(c) !== before) c.emit({ kind: 'directory' });
  return ok(undefined);
}

/** A device that missed rotations follows them one by one; more than this many at once is not expected. */
const MAX_EPOCHS_PER_REFRESH = 16;

/**
 * Member: takes the deliveries of newer directory keys meant for this device, one epoch after the other,
 * before the list is read. A delivery the root did not sign for this device is refused
 * (`ledenlijst-sleutel-ongeldig`) and the device keeps its keys.
 */
export async function pickUpDirectoryKeys(c: ClientCore, conn: RelayConnection): Promise<Result<void>> {
  for (let step = 0; step < MAX_EPOCHS_PER_REFRESH; step++) {
    const id = c.id;
    if (!id) return ok(undefined);
    const epoch = id.directoryEpoch + 1;
    const got = await conn.mailboxGet(await directoryKeyBox(c.provider, id.directoryKey, id.swvId, epoch, id.deviceId));
    if (!got.ok || got.value === null || got.value.length === 0) return ok(undefined);
    const root = id.roots.get(id.swvId);
    if (!root) return ok(undefined);
    // While renewing, a delivery may already be sealed to the newly certified agreement key [R155].
    let d = await openDirectoryKeyDelivery(c.provider, id.userAgreement, root, { swv: id.swvId, epoch, device: id.deviceId }, got.value);
    if (!d.ok && id.pendingAgreement)
      d = await openDirectoryKeyDelivery(c.provider, id.pendingAgreement, root, { swv: id.swvId, epoch, device: id.deviceId }, got.value);
    if (!d.ok) return d;
    const keys: DirectoryKeys = {
      directoryKey: d.value.directoryKey,
      staffKey: d.value.staffKey,
      directoryEpoch: epoch,
      since: c.now().getTime(),
    };
    // Locked meanwhile: the identity must not come back; the next refresh takes the delivery again.
    if (c.id !== id) return ok(undefined);
    await saveDirectoryKeys(c.provider, c.store, id.localKey, keys);
    c.session.replaceIdentity({ ...id, directoryKey: keys.directoryKey, staffKey: keys.staffKey, directoryEpoch: epoch });
    // The cached list is sealed with the directory key: re-seal it, or the next unlock could not open it.
    await saveDirectoryCache(c);
  }
  return ok(undefined);
}

/** Who is in the member list, with which certificate: changes when someone joins, leaves or is re-certified. */
const membersKey = (c: ClientCore): string =>
  c.directory
    .people()
    .map(
      (r) =>
        `${r.user.body.user}:${[r.user, ...(r.apparaten ?? [])].map((u) => `${u.body.validFrom}/${u.body.validUntil}`).join(';')}:${r.user.body.roles.join('+')}`,
    )
    .sort()
    .join(',');

export async function saveDirectoryCache(c: ClientCore): Promise<void> {
  const id = c.id;
  if (!id) return;
  const pages = await sealDirectory(c.provider, id.directoryKey, c.directory.people());
  await c.store.putMeta('directory', await sealLocal(c.provider, id.localKey, 'directory', encodeCanonical(pages)));
}

export async function loadDirectoryCache(c: ClientCore): Promise<void> {
  const id = c.id;
  if (!id) return;
  await loadBewaarbeleid(c);
  const sealed = await c.store.getMeta('directory');
  if (!sealed) {
    c.directory.putPerson(id.userId, {
      user: id.chain.user,
      profile: id.chain.profile ?? { voornaam: '?', achternaam: '?', functie: '?', organisatie: '?', salt: new Uint8Array(16) },
      organisatieNaam: id.chain.organisation.body.naam,
      email: id.email,
    });
    return;
  }
  const opened = await openLocal(c.provider, id.localKey, 'directory', sealed);
  if (!opened.ok) return;
  const pages = decodeCanonical(opened.value);
  if (!pages.ok || !Array.isArray(pages.value)) return;
  for (const [i, page] of (pages.value as Uint8Array[]).entries()) {
    const r = await openDirectoryPage(c.provider, id.directoryKey, i, page, id.roots, c.now());
    if (r.ok) for (const rec of r.value.records) c.directory.putPerson(rec.user.body.user, rec);
  }
}
