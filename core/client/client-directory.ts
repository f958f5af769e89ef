// The SWV's member list (ledenlijst): published sealed by the beheerder's device to the
// relay's mailboxes, fetched by every other device, cached sealed on this device.
import { decodeCanonical, encodeCanonical } from '../crypto/canonical.js';
import { asId } from '../model/ids.js';
import type { OrganisationId } from '../model/ids.js';
import { ORGANISATION_KINDS, type OrganisationKind } from '../model/organisation.js';
import { ok, fail, type Result } from '../result.js';
import { openLocal, sealLocal } from '../store/local-seal.js';
import type { DirectoryEntry, OrganisationEntry } from './api.js';
import { handleOf } from './overlegronde-messages.js';
import { loadBeheer } from './identity.js';
import { directoryBox, openDirectoryPage, sealDirectory } from './onboarding.js';
import type { ClientCore } from './client-core.js';

export async function organisations(c: ClientCore): Promise<Result<readonly OrganisationEntry[]>> {
  const id = c.id;
  if (!id) return fail('vergrendeld', 'Kindkluis is vergrendeld.');
  if (!id.beheert) return fail('geen-beheerder', 'Alleen de beheerder van het samenwerkingsverband beheert organisaties.');
  const beheer = await loadBeheer(c.provider, c.store, id.localKey);
  return ok(
    beheer.organisations.flatMap((o) => (o.kind in ORGANISATION_KINDS ? [{ id: asId<OrganisationId>(o.id), naam: o.naam, kind: o.kind as OrganisationKind }] : [])),
  );
}

export function directory(c: ClientCore): readonly DirectoryEntry[] {
  return [...c.people.values()].map((r) => ({
    userId: r.user.body.user,
    organisationId: r.user.body.organisation,
    organisatieNaam: r.organisatieNaam,
    roles: r.user.body.roles,
    profile: { voornaam: r.profile.voornaam, achternaam: r.profile.achternaam, functie: r.profile.functie, organisatieNaam: r.organisatieNaam, email: r.email },
    handle: handleOf(r.profile.voornaam, r.profile.achternaam),
  }));
}

export async function publishDirectory(c: ClientCore): Promise<void> {
  const id = c.id;
  if (!id?.beheert || !c.rootKey) return;
  const pages = await sealDirectory(c.provider, id.directoryKey, [...c.people.values()]);
  const anon = await c.mailboxConnection();
  if (!anon.ok) return;
  try {
    for (const [i, page] of pages.entries()) await anon.value.mailboxPut(await directoryBox(c.provider, id.directoryKey, id.swvId, i), page);
  } finally {
    anon.value.close();
  }
}

export async function refreshDirectory(c: ClientCore): Promise<void> {
  const id = c.id;
  if (!id || id.beheert) return;
  // Logged in: up to 64 reads per refresh from every member behind one school address stay out of the per-address budget [P29].
  const anon = await c.mailboxConnection();
  if (!anon.ok) return;
  const before = membersKey(c);
  try {
    let pages = 1;
    for (let i = 0; i < pages && i < 64; i++) {
      const got = await anon.value.mailboxGet(await directoryBox(c.provider, id.directoryKey, id.swvId, i));
      if (!got.ok || got.value === null) break;
      const page = await openDirectoryPage(c.provider, id.directoryKey, i, got.value, id.roots, c.now());
      if (!page.ok) break;
      pages = page.value.pages;
      for (const r of page.value.records) c.people.set(r.user.body.user, r);
    }
  } finally {
    anon.value.close();
  }
  await saveDirectoryCache(c);
  if (membersKey(c) !== before) c.emit({ kind: 'directory' });
}

/** Who is in the member list, with which certificate: changes when someone joins, leaves or is re-certified. */
const membersKey = (c: ClientCore): string =>
  [...c.people.values()]
    .map((r) => `${r.user.body.user}:${r.user.body.validUntil}:${r.user.body.roles.join('+')}`)
    .sort()
    .join(',');

export async function saveDirectoryCache(c: ClientCore): Promise<void> {
  const id = c.id;
  if (!id) return;
  const pages = await sealDirectory(c.provider, id.directoryKey, [...c.people.values()]);
  await c.store.putMeta('directory', await sealLocal(c.provider, id.localKey, 'directory', encodeCanonical(pages)));
}

export async function loadDirectoryCache(c: ClientCore): Promise<void> {
  const id = c.id;
  if (!id) return;
  const sealed = await c.store.getMeta('directory');
  if (!sealed) {
    c.people.set(id.userId, { user: id.chain.user, profile: id.chain.profile ?? { voornaam: '?', achternaam: '?', functie: '?', organisatie: '?', salt: new Uint8Array(16) }, organisatieNaam: id.chain.organisation.body.naam, email: id.email });
    return;
  }
  const opened = await openLocal(c.provider, id.localKey, 'directory', sealed);
  if (!opened.ok) return;
  const pages = decodeCanonical(opened.value);
  if (!pages.ok || !Array.isArray(pages.value)) return;
  for (const [i, page] of (pages.value as Uint8Array[]).entries()) {
    const r = await openDirectoryPage(c.provider, id.directoryKey, i, page, id.roots, c.now());
    if (r.ok) for (const rec of r.value.records) c.people.set(rec.user.body.user, rec);
  }
}
