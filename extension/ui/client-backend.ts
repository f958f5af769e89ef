// UiBackend over the core/client facade running in this page with the
// browser's IndexedDB. Several pages (and the background) share one database;
// the unlocked session lives in chrome.storage.session (memory only) so a page
// opened later resumes without asking for the passphrase again.
import { browser } from 'wxt/browser';
import type { AanpakInput, HulpvraagView, KindkluisClient, Me, TlvInvoer, ToestemmingVoor } from '../../core/client/api.js';
import { asId, type BijlageSoort, type DeviceId, type DossierId, type FormulierId, type FormValue, type HulpvraagId, type MessageId, type OrganisationKind, type OverlegrondeId, type Role, type UserId } from '../../core/model/index.js';
import { titelsOf } from '../../core/processes/index.js';
import { meldingenVan } from '../../core/client/views/meldingen.js';
import { leesOverlegGezien, markeerOnderwerpGezien, type Onderwerp, type OverlegGezien } from '../../core/client/views/overleg-onderwerpen.js';
import { hulpvraagRijenVan } from '../../core/client/views/hulpvragen-lijst.js';
import { dossierDetailVan, isGekoppeldeOuder, naamIn } from '../../core/client/views/dossier-detail.js';
import { formulierExport } from '../../core/client/views/formulier-export.js';
import { bewaarRegelsVan, privacyDossiersVan } from '../../core/client/views/bewaar-overzicht.js';
import { leesGelezen, noteerGelezen, type Gelezen } from '../../core/client/views/gelezen.js';
import { popupOverzichtVan, type PopupOverzicht } from '../../core/client/views/popup-overzicht.js';
import { dossierOfDraftKey } from '../../core/client/client-drafts.js';
import { scanDatabaseForMarker, findMarkerInBytes } from '../../core/store/marker-scan.js';
import { ok, type Result } from '../../core/result.js';
import { utf8Encode } from '../../core/crypto/bytes.js';
import { Dexie } from 'dexie';
import type { CurrentUser, DossierDetail, HulpvraagRij, Melding, ScanRapport, SessionState, UiBackend, Uitnodiging } from './backend.js';
import { markeerIngesteld, RELAY_KEY, relayUrl, SESSION_KEY, swvNaam, SUMMARY_KEY } from './settings.js';

export type { PopupOverzicht } from '../../core/client/views/popup-overzicht.js';

export class ClientBackend implements UiBackend {
  private listeners = new Set<() => void>();
  private gelezen: Gelezen | null = null;

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
    this.client.setRelay(url);
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

  /** What this person has seen (core/client/views/gelezen.ts), read once per session of this page. */
  private async leesGelezen(): Promise<Gelezen> {
    this.gelezen ??= await leesGelezen(this.client);
    return this.gelezen;
  }

  /** What the user has on screen now is seen: remembered, and the badge and popup summary follow. No change event (the screen is current). */
  async markGelezen(ids: readonly string[]): Promise<void> {
    if (this.client.lockState() !== 'ontgrendeld') return;
    this.gelezen = await noteerGelezen(this.client, await this.leesGelezen(), ids, new Date().toISOString());
    await this.publishOverzicht();
  }

  listHulpvragen(): Promise<Result<readonly HulpvraagRij[]>> {
    return this.leesGelezen().then((g) => hulpvraagRijenVan(this.client, g));
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
    const overzicht = popupOverzichtVan(rows.ok ? rows.value : [], meldingen, new Date().toISOString());
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
    const r = await this.client.createDossierWithHulpvraag(input.leerling, { titel: input.titel, omschrijving: input.omschrijving });
    if (!r.ok) return r;
    await this.publishOverzicht();
    return ok({ dossierId: r.value.dossierId as string, hulpvraagId: r.value.hulpvraagId as string });
  }

  async addHulpvraag(dossierId: string, titel: string, omschrijving: string) {
    const h = await (this.client.createHulpvraag(asId<DossierId>(dossierId), { titel, omschrijving }));
    return h.ok ? ok({ hulpvraagId: h.value as string }) : h;
  }

  dossier(dossierId: string): Promise<Result<DossierDetail>> {
    return dossierDetailVan(this.client, asId<DossierId>(dossierId));
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

  vraagOndertekening(dossierId: string, hulpvraagId: string, formulierId: string) {
    return this.client.requestFormSignature(asId<DossierId>(dossierId), asId<HulpvraagId>(hulpvraagId), asId<FormulierId>(formulierId));
  }

  exportFormulier(dossierId: string, hulpvraagId: string, formulierId: string): Promise<Result<{ naam: string; bytes: Uint8Array }>> {
    return formulierExport(this.client, asId<DossierId>(dossierId), asId<HulpvraagId>(hulpvraagId), asId<FormulierId>(formulierId), new Date());
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
    return ok({ code: r.value.code, voor: naamIn(this.client.directory(), userId) ?? '', geldigTot: '' });
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
    return privacyDossiersVan(this.client.listDossiers());
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
    return isGekoppeldeOuder(this.client, asId<DossierId>(dossierId));
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
    return bewaarRegelsVan(this.client);
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
    await this.client.saveDraft(key, dossierOfDraftKey(key), value);
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
