// UiBackend over the core/client facade running in this page with the
// browser's IndexedDB. Several pages (and the background) share one database;
// the unlocked session lives in chrome.storage.session (memory only) so a page
// opened later resumes without asking for the passphrase again.
import type { RetentionPolicy } from '../../core/processes/retention.js';
import { browser } from 'wxt/browser';
import type { AanpakInput, HulpvraagListItem, HulpvraagView, KindkluisClient, Me, TlvInvoer, ToestemmingVoor } from '../../core/client/api.js';
import { asId, type BijlageSoort, type DeviceId, type DossierId, type FormulierId, type FormValue, type HulpvraagId, type MessageId, type OrganisationKind, type OverlegrondeId, type Role, type UserId } from '../../core/model/index.js';
import { titelsOf } from '../../core/processes/index.js';
import { checkForm } from '../../core/forms/validate.js';
import { FORM_DEFINITIONS, formForHulpvraagTitel } from '../../core/forms/definitions/index.js';
import type { FormulierView } from './backend.js';
import { meldingenVan } from '../../core/client/views/meldingen.js';
import { leesOverlegGezien, markeerOnderwerpGezien, type Onderwerp, type OverlegGezien } from '../../core/client/views/overleg-onderwerpen.js';
import { hulpvraagRijVan, isEindstatus } from '../../core/client/views/hulpvragen-lijst.js';
import { scanDatabaseForMarker, findMarkerInBytes } from '../../core/store/marker-scan.js';
import { fail, ok, type Result } from '../../core/result.js';
import { utf8Encode } from '../../core/crypto/bytes.js';
import { Dexie } from 'dexie';
import type { CurrentUser, DossierDetail, HulpvraagDetail, HulpvraagRij, Melding, ScanRapport, SessionState, UiBackend, Uitnodiging } from './backend.js';
import { markeerIngesteld, RELAY_KEY, relayUrl, SESSION_KEY, swvNaam, SUMMARY_KEY } from './settings.js';

const GELEZEN_KEY = 'gelezen';

/** What the popup shows without unlocking: kept in memory-only session storage by the pages and the background. */
export interface PopupOverzicht {
  readonly bijgewerkt: string;
  readonly hulpvragen: readonly Pick<HulpvraagRij, 'hulpvraagId' | 'dossierId' | 'leerling' | 'titel' | 'status' | 'laatsteDatum' | 'ongelezen'>[];
  readonly meldingen: readonly Melding[];
}

export class ClientBackend implements UiBackend {
  private listeners = new Set<() => void>();
  private gelezen: Record<string, string> | null = null;

  constructor(private readonly client: KindkluisClient) {
    // Support: `kindkluisDiagnose()` in this page's console shows the sync state (ids and counts, never content).
    (globalThis as Record<string, unknown>)['kindkluisDiagnose'] = () => ({ ...client.diagnostics(), tickBezig: this.ticking });
    // The relay can be changed on the options page while this page runs.
    browser.storage.local.onChanged.addListener((changes) => {
      const url = changes[RELAY_KEY]?.newValue;
      if (typeof url === 'string') this.setRelay(url);
    });
    client.subscribe((c) => {
      if (c.kind === 'awareness') {
        for (const l of this.aanwezigheidListeners) l(c.dossierId);
        return;
      }
      for (const l of this.listeners) l();
      // Keep the popup summary and the badge current from whichever page is open.
      if (this.publishTimer === null) {
        this.publishTimer = setTimeout(() => {
          this.publishTimer = null;
          void this.publishOverzicht();
        }, 800);
      }
    });
  }

  private ticking = false;
  private readonly aanwezigheidListeners = new Set<(dossierId: string) => void>();
  private publishTimer: ReturnType<typeof setTimeout> | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  /**
   * While unlocked, every open page ticks the facade: it pulls notifications
   * (new dossiers), applies workflow grants and key rotations, retries the outbox.
   */
  startTicking(intervalMs = 4000): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick(), intervalMs);
  }

  private setRelay(url: string): void {
    const c = this.client as KindkluisClient & { setRelay?: (u: string) => void };
    if (typeof c.setRelay === 'function') c.setRelay(url);
  }

  /** The relay may have been set a moment ago in this very page: use the stored value, not the one at start-up. */
  private async useStoredRelay(): Promise<void> {
    this.setRelay(await relayUrl());
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  private changed(): void {
    for (const l of this.listeners) l();
  }

  setOnline(online: boolean): void {
    this.client.setOnline(online);
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.client.close();
  }

  /** Background tick: expiry, snapshots, retries. */
  async tick(): Promise<void> {
    if (this.ticking || this.client.lockState() !== 'ontgrendeld') return;
    this.ticking = true;
    try {
      await this.client.tick();
    } finally {
      this.ticking = false;
    }
  }

  syncState() {
    return this.client.lockState() === 'ontgrendeld' ? this.client.syncState() : null;
  }

  private async user(me: Me): Promise<CurrentUser> {
    return {
      userId: me.userId,
      voornaam: me.profile.voornaam,
      achternaam: me.profile.achternaam,
      functie: me.profile.functie,
      organisatieNaam: me.profile.organisatieNaam,
      email: me.profile.email,
      roles: me.roles,
      swvNaam: await swvNaam(),
      basissleutel: me.basissleutel,
    };
  }

  async session(): Promise<SessionState> {
    const state = this.client.lockState();
    if (state === 'geen-identiteit') return { kind: 'nieuw' };
    if (state === 'ontgrendeld') {
      const me = this.client.me();
      if (me) return { kind: 'ontgrendeld', user: await this.user(me) };
    }
    // Resume a session another page unlocked, until the browser closes or auto-lock.
    const saved = (await browser.storage.session.get(SESSION_KEY))[SESSION_KEY];
    if (typeof saved === 'string' && saved !== '') {
      const r = await this.client.resumeSession(saved);
      if (r.ok) return { kind: 'ontgrendeld', user: await this.user(r.value) };
      await browser.storage.session.remove(SESSION_KEY);
    }
    return { kind: 'vergrendeld' };
  }

  /** Other pages resume with the session token (the keystore's data key, memory-only storage); the passphrase is never kept. */
  private async remember(): Promise<void> {
    await markeerIngesteld();
    const token = this.client.sessionToken();
    if (token !== null) await browser.storage.session.set({ [SESSION_KEY]: token });
  }

  async createSwv(input: { swvNaam: string; organisatieNaam: string; voornaam: string; achternaam: string; functie: string; email: string; passphrase: string; rootPassphrase: string }) {
    await this.useStoredRelay();
    const r = await this.client.createSwv({
      swvNaam: input.swvNaam,
      beheerder: { voornaam: input.voornaam, achternaam: input.achternaam, functie: input.functie, organisatieNaam: input.organisatieNaam, email: input.email },
      passphrase: input.passphrase,
      rootPassphrase: input.rootPassphrase,
    });
    if (!r.ok) return r;
    await this.remember();
    this.changed();
    return ok({ herstelcode: r.value.recoveryCode, basisHerstelcode: r.value.rootRecoveryCode ?? null });
  }

  async join(input: { code: string; passphrase: string }, onControlecode?: (sas: string) => void) {
    await this.useStoredRelay();
    // Waits while the page is open; the request stays at the relay for as long as the invitation is valid.
    const r = await this.client.joinWithInvitation(input.code, input.passphrase, 10 * 60_000, onControlecode);
    if (!r.ok) return r;
    await this.remember();
    this.changed();
    return ok({ herstelcode: r.value.recoveryCode });
  }

  apparaten() {
    return this.client.lockState() === 'ontgrendeld' ? this.client.devices() : [];
  }

  async apparaatIntrekken(deviceId: string) {
    const r = await this.client.revokeDevice(asId<DeviceId>(deviceId));
    this.changed();
    return r;
  }

  async resetPassphrase(recoveryCode: string, newPassphrase: string): Promise<Result<void>> {
    const r = await this.client.resetPassphrase(recoveryCode, newPassphrase);
    if (!r.ok) return r;
    await this.remember();
    this.changed();
    return ok(undefined);
  }

  async unlock(passphrase: string): Promise<Result<void>> {
    const r = await this.client.unlock(passphrase);
    if (!r.ok) return r;
    await this.remember();
    this.changed();
    return ok(undefined);
  }

  async lock(): Promise<void> {
    await browser.storage.session.remove([SESSION_KEY, SUMMARY_KEY]);
    await this.client.lock();
    this.gelezen = null;
    this.changed();
  }

  // ---- lists ----

  private async leesGelezen(): Promise<Record<string, string>> {
    if (this.gelezen) return this.gelezen;
    const raw = await this.client.loadDraft(GELEZEN_KEY);
    try {
      this.gelezen = raw ? (JSON.parse(raw) as Record<string, string>) : {};
    } catch {
      this.gelezen = {};
    }
    return this.gelezen;
  }

  /** What the user has on screen now is seen: remembered, and the badge and popup summary follow. No change event (the screen is current). */
  async markGelezen(ids: readonly string[]): Promise<void> {
    if (this.client.lockState() !== 'ontgrendeld') return;
    await this.noteerGelezen(ids);
    await this.publishOverzicht();
  }

  /** Remembers what was seen (sealed, like every draft) without a change event: opening a dossier must not reload it. */
  private async noteerGelezen(ids: readonly string[]): Promise<void> {
    const g = { ...(await this.leesGelezen()) };
    const nu = new Date().toISOString();
    for (const id of ids) g[id] = nu;
    this.gelezen = g;
    await this.client.saveDraft(GELEZEN_KEY, null, JSON.stringify(g));
  }

  async listHulpvragen(): Promise<Result<readonly HulpvraagRij[]>> {
    const r = await this.client.listHulpvragen();
    if (!r.ok) return r;
    const g = await this.leesGelezen();
    const me = this.client.me();
    // Dossiers this device learned about since the sealed index was last written are listed from memory.
    const bekend = new Set(r.value.map((h) => h.hulpvraagId as string));
    const extra: HulpvraagListItem[] = [];
    for (const d of this.client.listDossiers()) {
      for (const hid of d.hulpvragen) {
        if (bekend.has(hid)) continue;
        const v = this.client.getHulpvraag(d.id, hid);
        if (!v.ok) continue;
        const laatst = v.value.history.at(-1)?.at ?? v.value.aangemaaktOp;
        extra.push({
          hulpvraagId: hid,
          dossierId: d.id,
          titel: v.value.titel,
          status: v.value.status,
          statusLabel: v.value.statusLabel,
          leerlingNaam: d.leerlingNaam,
          school: '',
          coordinator: null,
          aangemaaktOp: v.value.aangemaaktOp,
          gewijzigdOp: laatst,
          labels: v.value.labels,
        });
      }
    }
    const rows = [...r.value, ...extra].map(
      (h) => hulpvraagRijVan(h, g, me !== null),
    );
    return ok(rows);
  }

  /** The meldingen are a view in core (core/client/views/meldingen.ts); this adds what this browser has seen. */
  async meldingen(): Promise<readonly Melding[]> {
    return meldingenVan(this.client, await this.leesGelezen(), Date.now());
  }

  /** Writes the popup summary to memory-only session storage. */
  async publishOverzicht(): Promise<PopupOverzicht | null> {
    if (this.client.lockState() !== 'ontgrendeld') return null;
    const rows = await this.listHulpvragen();
    const meldingen = await this.meldingen();
    const overzicht: PopupOverzicht = {
      bijgewerkt: new Date().toISOString(),
      hulpvragen: rows.ok
        ? [...rows.value]
            .sort((a, b) => (a.laatsteDatum < b.laatsteDatum ? 1 : -1))
            .slice(0, 8)
            .map(({ hulpvraagId, dossierId, leerling, titel, status, laatsteDatum, ongelezen }) => ({ hulpvraagId, dossierId, leerling, titel, status, laatsteDatum, ongelezen }))
        : [],
      meldingen: meldingen.slice(0, 10),
    };
    await browser.storage.session.set({ [SUMMARY_KEY]: overzicht });
    await zetBadge(overzicht.meldingen.length);
    return overzicht;
  }

  hulpvraagTitels(): readonly string[] {
    return titelsOf();
  }

  personen() {
    return this.client.lockState() === 'ontgrendeld' ? this.client.directory() : [];
  }

  // ---- dossiers ----

  async createDossier(input: { leerling: Parameters<KindkluisClient['createDossier']>[0]; titel: string; omschrijving: string }) {
    const d = await (this.client.createDossier(input.leerling));
    if (!d.ok) return d;
    const h = await (this.client.createHulpvraag(d.value, { titel: input.titel, omschrijving: input.omschrijving }));
    if (!h.ok) return h;
    await this.publishOverzicht();
    return ok({ dossierId: d.value as string, hulpvraagId: h.value as string });
  }

  async addHulpvraag(dossierId: string, titel: string, omschrijving: string) {
    const h = await (this.client.createHulpvraag(asId<DossierId>(dossierId), { titel, omschrijving }));
    return h.ok ? ok({ hulpvraagId: h.value as string }) : h;
  }

  async dossier(dossierId: string): Promise<Result<DossierDetail>> {
    const id = asId<DossierId>(dossierId);
    const opened = await (this.client.openDossier(id));
    if (!opened.ok) return opened;
    // Status events from others are verified asynchronously; views use what is verified.
    await this.client.refreshViews(id);
    const dir = this.client.directory();
    const naamVan = (u: UserId | null) => {
      if (!u) return null;
      const p = dir.find((x) => x.userId === u);
      return p ? `${p.profile.voornaam} ${p.profile.achternaam}` : null;
    };
    const leerling = this.client.getLeerling(id);
    const hulpvragen: HulpvraagDetail[] = [];
    for (const hid of opened.value.hulpvragen) {
      const v = this.client.getHulpvraag(id, hid);
      if (!v.ok) continue;
      const overgangen = this.client.allowedTransitions(id, hid);
      const lvs = this.client.getLvs(id, hid);
      hulpvragen.push({
        view: v.value,
        schoolNaam: v.value.school.naam || '–',
        aanvrager: naamVan(v.value.school.aanvrager) ?? (v.value.school.contactpersoon || '–'),
        coordinatorNaam: naamVan(v.value.coordinator),
        eindstatus: isEindstatus(v.value.titel, v.value.status),
        overgangen: overgangen.ok ? overgangen.value : [],
        formulieren: await this.formulierenVan(id, hid, v.value.titel),
        lvs: lvs.ok ? lvs.value : null,
        aanpak: v.value.aanpak,
        tlv: v.value.tlv,
        aanwezig: await this.aanwezig(id, hid),
        ondertekenverzoek: await this.ondertekenverzoek(id, hid, v.value.titel),
      });
    }
    const overlegronden = opened.value.overlegronden.flatMap((oid) => {
      const o = this.client.getOverlegronde(id, oid);
      return o.ok ? [o.value] : [];
    });
    const lezers = this.client.whoCanRead(id);
    const log = this.client.accessLog(id);
    const notities = this.client.getNotities(id);
    return ok({
      dossierId,
      leerling: leerling.ok ? leerling.value : null,
      hulpvragen,
      overlegronden,
      notitie: notities.ok ? notities.value : '',
      lezers: lezers.ok ? lezers.value : [],
      toegangLog: log.ok ? log.value : [],
      waarschuwingen: opened.value.waarschuwingen,
    });
  }

  saveLeerling(dossierId: string, leerling: Parameters<KindkluisClient['updateLeerling']>[1]) {
    return (this.client.updateLeerling(asId<DossierId>(dossierId), leerling));
  }

  saveHulpvraag(dossierId: string, hulpvraagId: string, patch: { omschrijving?: string; coordinator?: string | null; labels?: readonly string[] }) {
    return (this.client.updateHulpvraag(asId<DossierId>(dossierId), asId<HulpvraagId>(hulpvraagId), {
      ...(patch.omschrijving !== undefined ? { omschrijving: patch.omschrijving } : {}),
      ...(patch.labels !== undefined ? { labels: patch.labels } : {}),
      ...(patch.coordinator !== undefined ? { coordinator: patch.coordinator === null ? null : asId<UserId>(patch.coordinator) } : {}),
    }));
  }

  saveBetrokkenOrganisaties(dossierId: string, hulpvraagId: string, lijst: HulpvraagView['betrokkenOrganisaties']) {
    return this.client.updateHulpvraag(asId<DossierId>(dossierId), asId<HulpvraagId>(hulpvraagId), { betrokkenOrganisaties: lijst });
  }

  async changeStatus(dossierId: string, hulpvraagId: string, naar: string, omschrijving: string, tlv?: TlvInvoer) {
    const r = await this.client.changeStatus(asId<DossierId>(dossierId), asId<HulpvraagId>(hulpvraagId), naar, omschrijving === '' ? undefined : omschrijving, tlv ? { tlv } : undefined);
    if (r.ok) {
      // Effects of the new status (grants to the SWV, notifications) are carried out by a tick.
      void this.tick();
      void this.publishOverzicht();
    }
    return r;
  }

  async addBijlage(dossierId: string, hulpvraagId: string, file: { naam: string; type: string; bytes: Uint8Array; soort?: BijlageSoort }) {
    const r = await this.client.addBijlage(asId<DossierId>(dossierId), asId<HulpvraagId>(hulpvraagId), {
      bestandsnaam: file.naam,
      mediaType: file.type,
      bytes: file.bytes,
      ...(file.soort === undefined ? {} : { soort: file.soort }),
    });
    if (!r.ok) return r;
    // Uploading the encrypted blob happens in the next tick; the user need not wait for it.
    void this.tick();
    return ok(undefined);
  }

  readBijlage(dossierId: string, hulpvraagId: string, bijlageId: string) {
    return this.client.readBijlage(asId<DossierId>(dossierId), asId<HulpvraagId>(hulpvraagId), asId(bijlageId));
  }

  saveLvs(dossierId: string, hulpvraagId: string, waarden: Readonly<Record<string, FormValue>>) {
    return (this.client.setLvs(asId<DossierId>(dossierId), asId<HulpvraagId>(hulpvraagId), waarden));
  }

  saveFormulier(dossierId: string, hulpvraagId: string, formulierId: string, waarden: Readonly<Record<string, FormValue>>) {
    return (this.client.setFormValues(asId<DossierId>(dossierId), asId<HulpvraagId>(hulpvraagId), asId(formulierId), waarden));
  }

  signFormulier(dossierId: string, hulpvraagId: string, formulierId: string) {
    return this.client.signForm(asId<DossierId>(dossierId), asId<HulpvraagId>(hulpvraagId), asId<FormulierId>(formulierId));
  }

  /** The form attached by the titel, its answers, what is missing, and the signature verified now. */
  private async aanwezig(dossierId: DossierId, hulpvraagId: HulpvraagId) {
    const r = await this.client.presentForTransition(dossierId, hulpvraagId);
    return r.ok ? r.value : null;
  }

  private async ondertekenverzoek(dossierId: DossierId, hulpvraagId: HulpvraagId, titel: string) {
    const def = formForHulpvraagTitel(titel);
    if (!def?.ondertekening) return null;
    const r = await this.client.signatureRequest(dossierId, hulpvraagId, asId<FormulierId>(def.id));
    return r.ok ? r.value : null;
  }

  vraagOndertekening(dossierId: string, hulpvraagId: string, formulierId: string) {
    return this.client.requestFormSignature(asId<DossierId>(dossierId), asId<HulpvraagId>(hulpvraagId), asId<FormulierId>(formulierId));
  }

  private async formulierenVan(dossierId: DossierId, hulpvraagId: HulpvraagId, titel: string): Promise<FormulierView[]> {
    const def = formForHulpvraagTitel(titel);
    const waarden = this.client.getForm(dossierId, hulpvraagId);
    if (!def || !waarden.ok) return [];
    const check = checkForm(def, waarden.value);
    const voor = this.client.formVoorinvulling(dossierId, hulpvraagId);
    const sig = def.ondertekening ? await this.client.formSignature(dossierId, hulpvraagId, asId<FormulierId>(def.id)) : null;
    return [
      {
        id: def.id,
        definitie: def,
        waarden: waarden.value,
        voorinvulling: voor.ok ? voor.value : {},
        ontbrekend: check.missing.map((m) => m.label),
        ondertekening: sig?.ok ? sig.value : null,
        ondertekeningFout: sig && !sig.ok ? sig.error.message : null,
        opgeslagen: Object.keys(waarden.value).length > 0,
      },
    ];
  }

  async exportFormulier(dossierId: string, hulpvraagId: string, formulierId: string): Promise<Result<{ naam: string; bytes: Uint8Array }>> {
    const hv = this.client.getHulpvraag(asId<DossierId>(dossierId), asId<HulpvraagId>(hulpvraagId));
    if (!hv.ok) return hv;
    const def = FORM_DEFINITIONS.find((d) => d.id === formulierId);
    if (!def) return fail('formulier-onbekend', 'Dit formulier bestaat niet (meer).');
    const waarden = this.client.getForm(asId<DossierId>(dossierId), asId<HulpvraagId>(hulpvraagId));
    const sig = await this.client.formSignature(asId<DossierId>(dossierId), asId<HulpvraagId>(hulpvraagId), asId<FormulierId>(formulierId));
    // Only a verified signature that still covers these answers goes on paper.
    const geldig = sig.ok && sig.value?.geldig ? sig.value : null;
    // docx is large: loaded only when someone exports.
    const { exportFormToDocx } = await import('../../core/forms/export-docx.js');
    const bytes = await exportFormToDocx({
      definition: def,
      waarden: waarden.ok ? waarden.value : {},
      ondertekening: geldig ? { door: geldig.door, functie: [geldig.functie, geldig.organisatie].filter(Boolean).join(', '), op: geldig.op, handtekening: '' } : null,
      ...(geldig ? { ondertekenaarNaam: geldig.naam } : {}),
      hulpvraagTitel: hv.value.titel,
      exportedAt: new Date(),
    });
    // The file name carries the form, never the leerling.
    return ok({ naam: `${def.naam}.docx`, bytes });
  }

  async exportDossier(dossierId: string, soort: 'inzage' | 'lbt' = 'inzage'): Promise<Result<{ naam: string; bytes: Uint8Array }>> {
    const r = await this.client.exportDossier(asId<DossierId>(dossierId), soort);
    return r.ok ? ok({ naam: r.value.naam, bytes: r.value.bytes }) : r;
  }

  async addAanpak(dossierId: string, hulpvraagId: string, aanpak: AanpakInput): Promise<Result<void>> {
    const r = await this.client.addAanpak(asId<DossierId>(dossierId), asId<HulpvraagId>(hulpvraagId), aanpak);
    return r.ok ? ok(undefined) : r;
  }

  overlegrondenStand(dossierId: string) {
    return this.client.overlegrondenStand(asId<DossierId>(dossierId));
  }

  async createOverlegronde(dossierId: string, hulpvraagId: string, input: { titel: string; omschrijving: string; einddatum: string; deelnemers: readonly string[] }) {
    const r = await (this.client.startOverlegronde(asId<DossierId>(dossierId), asId<HulpvraagId>(hulpvraagId), {
        titel: input.titel,
        omschrijving: input.omschrijving,
        einddatum: input.einddatum,
        deelnemers: input.deelnemers.map((u) => asId<UserId>(u)),
      }));
    return r.ok ? ok(r.value as string) : r;
  }

  async postMessage(dossierId: string, overlegrondeId: string, titel: string, tekst: string) {
    const r = await (this.client.postMessage(asId<DossierId>(dossierId), asId<OverlegrondeId>(overlegrondeId), titel, tekst));
    return r.ok ? ok(undefined) : r;
  }

  editMessage(dossierId: string, overlegrondeId: string, messageId: string, titel: string, tekst: string): Promise<Result<void>> {
    return this.client.editMessage(asId<DossierId>(dossierId), asId<OverlegrondeId>(overlegrondeId), asId<MessageId>(messageId), titel, tekst);
  }

  async postReactie(dossierId: string, overlegrondeId: string, onderwerp: string, tekst: string) {
    const r = await this.client.postReactie(asId<DossierId>(dossierId), asId<OverlegrondeId>(overlegrondeId), asId<MessageId>(onderwerp), tekst);
    return r.ok ? ok(undefined) : r;
  }

  markeerAfgehandeld(dossierId: string, overlegrondeId: string, onderwerp: string, afgehandeld: boolean): Promise<Result<void>> {
    return this.client.markeerAfgehandeld(asId<DossierId>(dossierId), asId<OverlegrondeId>(overlegrondeId), asId<MessageId>(onderwerp), afgehandeld);
  }

  overlegGezien(overlegrondeId: string): Promise<OverlegGezien> {
    return leesOverlegGezien(this.client, asId<OverlegrondeId>(overlegrondeId));
  }

  async markeerOnderwerpGezien(dossierId: string, overlegrondeId: string, onderwerp: Pick<Onderwerp, 'id' | 'opening' | 'reacties'>): Promise<void> {
    if (this.client.lockState() !== 'ontgrendeld') return;
    await markeerOnderwerpGezien(this.client, asId<DossierId>(dossierId), asId<OverlegrondeId>(overlegrondeId), onderwerp);
  }

  saveNotitie(dossierId: string, tekst: string) {
    return (this.client.setNotities(asId<DossierId>(dossierId), tekst));
  }

  grant(dossierId: string, input: { userId: string; scopes: readonly string[]; schrijven: boolean; tot: string | null; reden?: string }) {
    return this.client.grant(asId<DossierId>(dossierId), {
      userId: asId<UserId>(input.userId),
      scopes: input.scopes as Parameters<KindkluisClient['grant']>[1]['scopes'],
      rights: input.schrijven ? ['read', 'write'] : ['read'],
      expiresAt: input.tot,
      ...(input.reden ? { reden: input.reden } : {}),
    });
  }

  linkOuder(dossierId: string, userId: string) {
    return this.client.linkOuder(asId<DossierId>(dossierId), asId<UserId>(userId));
  }

  changeExpiry(dossierId: string, userId: string, tot: string | null) {
    return (this.client.changeExpiry(asId<DossierId>(dossierId), asId<UserId>(userId), tot));
  }

  revoke(dossierId: string, userId: string) {
    return (this.client.revoke(asId<DossierId>(dossierId), asId<UserId>(userId)));
  }

  // ---- beheer ----

  async invite(input: { voornaam: string; achternaam: string; functie: string; email: string; organisatie: { naam: string; soort: string } | { id: string }; roles: readonly Role[] }): Promise<Result<Uitnodiging>> {
    const o = input.organisatie;
    const org = 'id' in o ? { id: asId<never>(o.id) } : { naam: o.naam, kind: o.soort as OrganisationKind };
    const orgNaam = 'id' in o ? (this.client.directory().find((p) => p.organisationId === o.id)?.organisatieNaam ?? '') : o.naam;
    const r = await this.client.createInvitation({
      profile: { voornaam: input.voornaam, achternaam: input.achternaam, functie: input.functie, organisatieNaam: orgNaam, email: input.email },
      organisation: org,
      roles: input.roles,
    });
    if (!r.ok) return r;
    return ok({ code: r.value.code, voor: `${input.voornaam} ${input.achternaam}`, geldigTot: '' });
  }

  processJoinRequests() {
    return this.client.processJoinRequests();
  }

  aanmeldingWacht() {
    return this.client.hasPendingJoin();
  }

  async apparaatUitnodigen(userId: string): Promise<Result<Uitnodiging>> {
    const r = await this.client.inviteDevice(asId<UserId>(userId));
    if (!r.ok) return r;
    const p = this.client.directory().find((x) => x.userId === userId);
    return ok({ code: r.value.code, voor: p ? `${p.profile.voornaam} ${p.profile.achternaam}` : '', geldigTot: '' });
  }

  uitnodigingen() {
    return this.client.invitations();
  }

  goedkeuren(userId: string, controlecode: string) {
    return this.client.approveJoin(asId<UserId>(userId), controlecode);
  }

  intrekken(userId: string) {
    return this.client.withdrawInvitation(asId<UserId>(userId));
  }

  async basissleutelOntgrendelen(wachtwoord: string) {
    const r = await this.client.unlockRoot(wachtwoord);
    this.changed();
    return r;
  }

  basissleutelVergrendelen() {
    this.client.lockRoot();
    this.changed();
  }

  basissleutelOpen() {
    return this.client.rootUnlocked();
  }

  bewaarbeleid() {
    return this.client.bewaarbeleid();
  }

  async stelBewaarbeleidIn(beleid: RetentionPolicy) {
    const r = await this.client.stelBewaarbeleidIn(beleid);
    this.changed();
    return r;
  }

  relayAdres() {
    return relayUrl();
  }

  async organisaties() {
    const r = await this.client.organisations();
    return r.ok ? ok(r.value.map((o) => ({ id: o.id as string, naam: o.naam, soort: o.kind as string }))) : r;
  }

  staffChange(vanUserId: string, naarUserId: string, toegangIntrekken: boolean) {
    return this.client.staffChange(asId<UserId>(vanUserId), asId<UserId>(naarUserId), { toegangIntrekken });
  }

  endPerson(userId: string) {
    return this.client.endPerson(asId<UserId>(userId), 'uit-dienst');
  }

  // ---- privacy ----

  async privacyDossiers() {
    if (this.client.lockState() !== 'ontgrendeld') return [];
    await this.client.tick();
    // Without inzage in the leerling (the FG) a dossier is named by its id, never by content.
    return this.client.listDossiers().map((d) => ({ id: d.id as string, naam: d.leerlingNaam ?? `Dossier ${d.id.slice(0, 8)}` }));
  }

  toestemming(dossierId: string, hulpvraagId: string, voor: ToestemmingVoor) {
    return this.client.toestemming(asId<DossierId>(dossierId), asId<HulpvraagId>(hulpvraagId), voor);
  }

  async geefToestemming(dossierId: string, hulpvraagId: string, voor: ToestemmingVoor, gegeven: boolean) {
    const r = await this.client.geefToestemming(asId<DossierId>(dossierId), asId<HulpvraagId>(hulpvraagId), voor, gegeven);
    if (r.ok) void this.tick();
    return r;
  }

  isGekoppeldeOuder(dossierId: string) {
    // An ouder reads a dossier only through being linked to it (R46): reading it as an ouder is being linked.
    const me = this.client.me();
    return me !== null && me.roles.includes('ouder') && this.client.getLeerling(asId<DossierId>(dossierId)).ok;
  }

  checkVolgnummer(dossierId: string, hulpvraagId: string) {
    return this.client.checkVolgnummer(asId<DossierId>(dossierId), asId<HulpvraagId>(hulpvraagId));
  }

  servedLog(dossierId: string) {
    return this.client.servedLog(asId<DossierId>(dossierId));
  }

  async bewaarOverzicht() {
    if (this.client.lockState() !== 'ontgrendeld') return [];
    await this.client.tick();
    const namen = new Map(this.client.listDossiers().map((d) => [d.id as string, d.leerlingNaam ?? `Dossier ${d.id.slice(0, 8)}`]));
    return this.client.bewaarOverzicht().map((r) => ({ id: r.dossierId as string, naam: namen.get(r.dossierId) ?? `Dossier ${r.dossierId.slice(0, 8)}`, bewaarTot: r.bewaarTot, bewaarplichtTot: r.bewaarplichtTot, vernietigOp: r.vernietigOp, kanVastleggen: r.kanVastleggen }));
  }

  async plaatsBewaarplicht(dossierId: string, reden: string, tot: string): Promise<Result<void>> {
    const r = await this.client.plaatsBewaarplicht(asId<DossierId>(dossierId), { reden, tot });
    if (!r.ok) return r;
    // The hold counts once the relay has it: wait for the outbox like other access changes.
    const sent = await this.client.flush(15_000);
    return sent.ok ? ok(undefined) : sent;
  }

  async scanIndexedDb(marker: string): Promise<ScanRapport> {
    return scanBrowserStorage(marker);
  }

  // ---- presence ----

  aanwezigen(dossierId: string) {
    return this.client.lockState() === 'ontgrendeld' ? this.client.awareness(asId<DossierId>(dossierId)) : [];
  }

  meldAanwezigheid(dossierId: string, stand: { readonly tab: string; readonly typt: boolean } | null): void {
    if (this.client.lockState() !== 'ontgrendeld') return;
    this.client.setAwareness(asId<DossierId>(dossierId), stand ? { tab: stand.tab, typing: stand.typt } : null);
  }

  onAanwezigheid(listener: (dossierId: string) => void): () => void {
    this.aanwezigheidListeners.add(listener);
    return () => this.aanwezigheidListeners.delete(listener);
  }

  // ---- drafts ----

  async saveDraft(key: string, value: string): Promise<void> {
    if (this.client.lockState() !== 'ontgrendeld') return;
    const dossier = /^(?:dossier|notities)\/([^/]+)/.exec(key)?.[1];
    await this.client.saveDraft(key, dossier ? asId<DossierId>(dossier) : null, value);
  }

  async loadDraft(key: string): Promise<string | null> {
    if (this.client.lockState() !== 'ontgrendeld') return null;
    const v = await this.client.loadDraft(key);
    return v === '' ? null : v;
  }
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

/** The form attached by the hulpvraag's titel (core/forms) with its saved values. */
