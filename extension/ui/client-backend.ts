// The port (core/client/port.ts) in a browser page: the core/client client running here on
// the browser's IndexedDB, with only what a browser adds. The unlocked session lives in
// chrome.storage.session (memory only) so a page opened later resumes without the passphrase;
// the popup summary and the toolbar badge follow every change; the relay address comes from
// the settings; a storage scan reads every database of this origin. Rules and views are in core.
import { browser } from 'wxt/browser';
import type { KindkluisClient, Me } from '../../core/client/api.js';
import { clientPort, type CurrentUser, type KindkluisPort, type ScanRapport } from '../../core/client/port.js';
import { asId, type DossierId, type FormulierId, type HulpvraagId, type OverlegrondeId, type UserId } from '../../core/model/ids.js';
import { type OrganisationKind } from '../../core/model/organisation.js';
import { titelsOf } from '../../core/processes/process-set.js';
import { meldingenVan } from '../../core/client/views/meldingen.js';
import { leesOverlegGezien, markeerOnderwerpGezien } from '../../core/client/views/overleg-onderwerpen.js';
import { hulpvraagRijenVan } from '../../core/client/views/hulpvragen-lijst.js';
import { dossierDetailVan, isGekoppeldeOuder, naamIn } from '../../core/client/views/dossier-detail.js';
import { formulierExport } from '../../core/client/views/formulier-export.js';
import { bewaarRegelsVan, privacyDossiersVan } from '../../core/client/views/bewaar-overzicht.js';
import { leesGelezen, noteerGelezen, type Gelezen } from '../../core/client/views/gelezen.js';
import { popupOverzichtVan, type PopupOverzicht } from '../../core/client/views/popup-overzicht.js';
import { dossierOfDraftKey } from '../../core/client/client-drafts.js';
import { scanDatabaseForMarker, findMarkerInBytes } from '../../core/store/marker-scan.js';
import { ok } from '../../core/result.js';
import { utf8Encode } from '../../core/crypto/bytes.js';
import { Dexie } from 'dexie';
import { markeerIngesteld, RELAY_KEY, relayUrl, SESSION_KEY, swvNaam, SUMMARY_KEY } from './settings.js';

export type { PopupOverzicht } from '../../core/client/views/popup-overzicht.js';

/** The port plus what the page shell and the background drive: ticking, the popup summary, closing. */
export interface ClientBackend extends KindkluisPort {
  /** While unlocked, every open page ticks the client: notifications, workflow grants, key rotations, the outbox. */
  startTicking(intervalMs?: number): void;
  /** Background tick: expiry, snapshots, retries; one at a time. */
  tick(): Promise<void>;
  /** Writes the popup summary to memory-only session storage and sets the badge. */
  publishOverzicht(): Promise<PopupOverzicht | null>;
  close(): Promise<void>;
}

export function createClientBackend(client: KindkluisClient): ClientBackend {
  const port = clientPort(client);
  const listeners = new Set<() => void>();
  const aanwezigheidListeners = new Set<(dossierId: string) => void>();
  let gelezen: Gelezen | null = null;
  let ticking = false;
  let publishTimer: ReturnType<typeof setTimeout> | null = null;
  let timer: ReturnType<typeof setInterval> | null = null;

  const ontgrendeld = (): boolean => client.lockState() === 'ontgrendeld';
  const changed = (): void => {
    for (const l of listeners) l();
  };
  /** The relay may have been set a moment ago in this very page: use the stored value, not the one at start-up. */
  const useStoredRelay = async (): Promise<void> => client.setRelay(await relayUrl());
  /** Other pages resume with the session token (the keystore's data key, memory-only storage); the passphrase is never kept. */
  const remember = async (): Promise<void> => {
    await markeerIngesteld();
    const token = client.sessionToken();
    if (token !== null) await browser.storage.session.set({ [SESSION_KEY]: token });
  };
  const user = async (me: Me): Promise<CurrentUser> => ({
    userId: me.userId,
    voornaam: me.profile.voornaam,
    achternaam: me.profile.achternaam,
    functie: me.profile.functie,
    organisatieNaam: me.profile.organisatieNaam,
    email: me.profile.email,
    roles: me.roles,
    swvNaam: await swvNaam(),
    basissleutel: me.basissleutel,
  });
  /** What this person has seen (core/client/views/gelezen.ts), read once per session of this page. */
  const seen = async (): Promise<Gelezen> => (gelezen ??= await leesGelezen(client));
  const tick = async (): Promise<void> => {
    if (ticking || !ontgrendeld()) return;
    ticking = true;
    try {
      await client.tick();
    } finally {
      ticking = false;
    }
  };
  /** After a change whose effects (grants, notifications, uploads) a tick carries out. */
  const thenTick = <R extends { readonly ok: boolean }>(r: R): R => {
    if (r.ok) void tick();
    return r;
  };
  /** After a change of the session or Beheer state: the page re-reads. */
  const thenChanged = <R>(r: R): R => {
    changed();
    return r;
  };

  const backend = {
    ...port,

    // ---- session ----
    async session() {
      const state = client.lockState();
      if (state === 'geen-identiteit') return { kind: 'nieuw' };
      if (state === 'ontgrendeld') {
        const me = client.me();
        if (me) return { kind: 'ontgrendeld', user: await user(me) };
      }
      // Resume a session another page unlocked, until the browser closes or auto-lock.
      const saved = (await browser.storage.session.get(SESSION_KEY))[SESSION_KEY];
      if (typeof saved === 'string' && saved !== '') {
        const r = await client.resumeSession(saved);
        if (r.ok) return { kind: 'ontgrendeld', user: await user(r.value) };
        await browser.storage.session.remove(SESSION_KEY);
      }
      return { kind: 'vergrendeld' };
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    syncState: () => (ontgrendeld() ? client.syncState() : null),
    async unlock(passphrase) {
      const r = await client.unlock(passphrase);
      if (!r.ok) return r;
      await remember();
      return thenChanged(r);
    },
    async resetPassphrase(recoveryCode, newPassphrase) {
      const r = await client.resetPassphrase(recoveryCode, newPassphrase);
      if (!r.ok) return r;
      await remember();
      return thenChanged(r);
    },
    async lock() {
      await browser.storage.session.remove([SESSION_KEY, SUMMARY_KEY]);
      await client.lock();
      gelezen = null;
      changed();
    },
    async createSwv(input) {
      await useStoredRelay();
      const r = await client.createSwv(input);
      if (!r.ok) return r;
      await remember();
      return thenChanged(r);
    },
    async join(input, onControlecode) {
      await useStoredRelay();
      // Waits while the page is open; the request stays at the relay for as long as the invitation is valid.
      const r = await client.joinWithInvitation(input.code, input.passphrase, 10 * 60_000, onControlecode);
      if (!r.ok) return r;
      await remember();
      changed();
      return ok({ herstelcode: r.value.recoveryCode });
    },
    relayAdres: () => relayUrl(),

    // ---- views, with what this person has seen on this device ----
    hulpvragenLijst: async () => hulpvraagRijenVan(client, await seen()),
    meldingen: async () => meldingenVan(client, await seen(), Date.now()),
    // No change event: the screen is current.
    async markGelezen(ids) {
      if (!ontgrendeld()) return;
      gelezen = await noteerGelezen(client, await seen(), ids, new Date().toISOString());
      await backend.publishOverzicht();
    },
    async publishOverzicht() {
      if (!ontgrendeld()) return null;
      const rows = await backend.hulpvragenLijst();
      const overzicht = popupOverzichtVan(rows.ok ? rows.value : [], await backend.meldingen(), new Date().toISOString());
      await browser.storage.session.set({ [SUMMARY_KEY]: overzicht });
      await zetBadge(overzicht.meldingen.length);
      return overzicht;
    },
    hulpvraagTitels: () => titelsOf(),
    dossierDetail: (dossierId) => dossierDetailVan(client, asId<DossierId>(dossierId)),
    isGekoppeldeOuder: (dossierId) => isGekoppeldeOuder(client, asId<DossierId>(dossierId)),
    exportFormulier: (dossierId, hulpvraagId, formulierId) =>
      formulierExport(client, asId<DossierId>(dossierId), asId<HulpvraagId>(hulpvraagId), asId<FormulierId>(formulierId), new Date()),
    overlegGezien: (overlegrondeId) => leesOverlegGezien(client, asId<OverlegrondeId>(overlegrondeId)),
    async markeerOnderwerpGezien(dossierId, overlegrondeId, onderwerp) {
      if (ontgrendeld()) await markeerOnderwerpGezien(client, asId<DossierId>(dossierId), asId<OverlegrondeId>(overlegrondeId), onderwerp);
    },
    async privacyDossiers() {
      if (!ontgrendeld()) return [];
      await client.tick();
      return privacyDossiersVan(client.listDossiers());
    },
    async bewaarRegels() {
      if (!ontgrendeld()) return [];
      await client.tick();
      return bewaarRegelsVan(client);
    },

    // ---- client methods with a browser's follow-up ----
    devices: () => (ontgrendeld() ? client.devices() : []),
    directory: () => (ontgrendeld() ? client.directory() : []),
    awareness: (dossierId) => (ontgrendeld() ? client.awareness(asId<DossierId>(dossierId)) : []),
    setAwareness(dossierId, stand) {
      if (ontgrendeld()) client.setAwareness(asId<DossierId>(dossierId), stand);
    },
    revokeDevice: async (deviceId) => thenChanged(await port.revokeDevice(deviceId)),
    unlockRoot: async (wachtwoord) => thenChanged(await client.unlockRoot(wachtwoord)),
    lockRoot: () => thenChanged(client.lockRoot()),
    async createDossierWithHulpvraag(leerling, input) {
      const r = await client.createDossierWithHulpvraag(leerling, input);
      if (r.ok) await backend.publishOverzicht();
      return r;
    },
    async changeStatus(dossierId, hulpvraagId, to, omschrijving, extra) {
      // An empty field is no omschrijving.
      const r = await port.changeStatus(dossierId, hulpvraagId, to, omschrijving === '' ? undefined : omschrijving, extra);
      // Effects of the new status (grants to the SWV, notifications) are carried out by a tick.
      if (r.ok) void backend.publishOverzicht();
      return thenTick(r);
    },
    // Uploading the encrypted blob happens in the next tick; the user need not wait for it.
    addBijlage: async (dossierId, hulpvraagId, file) => thenTick(await port.addBijlage(dossierId, hulpvraagId, file)),
    geefToestemming: async (dossierId, hulpvraagId, voor, gegeven) =>
      thenTick(await port.geefToestemming(dossierId, hulpvraagId, voor, gegeven)),
    async plaatsBewaarplicht(dossierId, input) {
      const r = await port.plaatsBewaarplicht(dossierId, input);
      if (!r.ok) return r;
      // The hold counts once the relay has it: wait for the outbox like other access changes.
      const sent = await client.flush(15_000);
      return sent.ok ? ok(undefined) : sent;
    },

    // ---- beheer ----
    async invite(input) {
      const o = input.organisatie;
      const org = 'id' in o ? { id: asId<never>(o.id) } : { naam: o.naam, kind: o.soort as OrganisationKind };
      const orgNaam = 'id' in o ? (client.directory().find((p) => p.organisationId === o.id)?.organisatieNaam ?? '') : o.naam;
      const r = await client.createInvitation({
        profile: {
          voornaam: input.voornaam,
          achternaam: input.achternaam,
          functie: input.functie,
          organisatieNaam: orgNaam,
          email: input.email,
        },
        organisation: org,
        roles: input.roles,
      });
      if (!r.ok) return r;
      return ok({ code: r.value.code, voor: `${input.voornaam} ${input.achternaam}`, geldigTot: '' });
    },
    async apparaatUitnodigen(userId) {
      const r = await client.inviteDevice(asId<UserId>(userId));
      if (!r.ok) return r;
      return ok({ code: r.value.code, voor: naamIn(client.directory(), userId) ?? '', geldigTot: '' });
    },

    // ---- this browser ----
    scanIndexedDb: (marker) => scanBrowserStorage(marker),
    onAanwezigheid(listener) {
      aanwezigheidListeners.add(listener);
      return () => aanwezigheidListeners.delete(listener);
    },
    async saveDraft(key, value) {
      if (ontgrendeld()) await client.saveDraft(key, dossierOfDraftKey(key), value);
    },
    async loadDraft(key) {
      if (!ontgrendeld()) return null;
      const v = await client.loadDraft(key);
      return v === '' ? null : v;
    },

    // ---- page shell and background ----
    startTicking(intervalMs = 4000) {
      timer ??= setInterval(() => void tick(), intervalMs);
    },
    tick,
    async close() {
      if (timer) clearInterval(timer);
      await client.close();
    },
  } satisfies ClientBackend;

  // Support: `kindkluisDiagnose()` in this page's console shows the sync state (ids and counts, never content).
  (globalThis as Record<string, unknown>)['kindkluisDiagnose'] = () => ({ ...client.diagnostics(), tickBezig: ticking });
  // The relay can be changed on the options page while this page runs.
  browser.storage.local.onChanged.addListener((changes) => {
    const url = changes[RELAY_KEY]?.newValue;
    if (typeof url === 'string') client.setRelay(url);
  });
  client.subscribe((c) => {
    if (c.kind === 'awareness') {
      for (const l of aanwezigheidListeners) l(c.dossierId);
      return;
    }
    changed();
    // Keep the popup summary and the badge current from whichever page is open.
    publishTimer ??= setTimeout(() => {
      publishTimer = null;
      void backend.publishOverzicht();
    }, 800);
  });
  return backend;
}

/** Scans every IndexedDB database of this origin, and chrome.storage.local, for a marker. */
export async function scanBrowserStorage(marker: string): Promise<ScanRapport> {
  const opslag: { naam: string; records: number; treffers: number }[] = [];
  const treffers: { opslag: string; codering: string }[] = [];
  let bytes = 0;
  const deps = { indexedDB, IDBKeyRange };
  for (const info of await indexedDB.databases()) {
    if (!info.name) continue;
    const db = new Dexie(info.name, deps);
    await db.open();
    const tabellen = await Promise.all(db.tables.map(async (t) => ({ naam: t.name, records: await t.count() })));
    db.close();
    const rapport = await scanDatabaseForMarker(info.name, deps, marker);
    bytes += rapport.bytesScanned;
    for (const t of tabellen) {
      const hits = rapport.hits.filter((h) => h.table === t.naam);
      opslag.push({ naam: `IndexedDB ${info.name} / ${t.naam}`, records: t.records, treffers: hits.length });
      for (const h of hits) treffers.push({ opslag: `IndexedDB ${info.name} / ${t.naam}`, codering: h.encoding });
    }
  }
  const local = await browser.storage.local.get(null);
  const localBytes = utf8Encode(JSON.stringify(local));
  bytes += localBytes.length;
  const localHits = findMarkerInBytes(localBytes, marker);
  opslag.push({ naam: 'Extensie-opslag (chrome.storage.local)', records: Object.keys(local).length, treffers: localHits.length });
  for (const c of localHits) treffers.push({ opslag: 'chrome.storage.local', codering: c });
  return { opslagplaatsen: opslag, bytes, treffers };
}

/** The toolbar badge: unread @mentions, status changes and overlegronden nearing their einddatum. */
export async function zetBadge(aantal: number): Promise<void> {
  await browser.action.setBadgeBackgroundColor({ color: '#a4262c' });
  await browser.action.setBadgeText({ text: aantal > 0 ? String(Math.min(aantal, 99)) : '' });
  // The title says how many, never what (no content outside the unlocked UI).
  await browser.action.setTitle({ title: aantal > 0 ? `Kindkluis: ${aantal} nieuw` : 'Kindkluis' });
}
