// The port between the extension's screens and the application: every screen
// talks to a UiBackend. The real one wraps the core/client facade running in
// this page with the browser's IndexedDB; screens never touch storage or keys.
import type { Result } from '../../core/result.js';

import type { BewaarRegel } from '../../core/client/views/bewaar-overzicht.js';
import type { DossierDetail } from '../../core/client/views/dossier-detail.js';
export type { BewaarRegel } from '../../core/client/views/bewaar-overzicht.js';
export type { DossierDetail, FormulierView, HulpvraagDetail } from '../../core/client/views/dossier-detail.js';
import type { BijlageSoort, FormValue, Leerling, Role } from '../../core/model/index.js';
import type { InvitationStatus, TlvInvoer, ToestemmingStand, ToestemmingVoor, VolgnummerStand } from '../../core/client/api.js';
import type {
  AwarenessEntry,
  AanpakEntry,
  AanpakInput,
  AccessLogEntry,
  DirectoryEntry,
  FormSignatureView,
  HulpvraagView,
  MessageVersionView,
  MessageView,
  OverlegrondeView,
  ReaderEntry,
  ServedLogView,
  SignatureRequestView,
  StaffChangeReport,
  SyncState,
  TransitionOption,
} from '../../core/client/api.js';
import type { HulpvraagRij } from '../../core/client/views/hulpvragen-lijst.js';

export type { AwarenessEntry, AanpakEntry, AanpakInput, FormSignatureView, ServedLogView, StaffChangeReport, AccessLogEntry, DirectoryEntry, HulpvraagView, MessageVersionView, MessageView, OverlegrondeView, ReaderEntry, SignatureRequestView, SyncState, TransitionOption };

export interface CurrentUser {
  readonly userId: string;
  readonly voornaam: string;
  readonly achternaam: string;
  readonly functie: string;
  readonly organisatieNaam: string;
  readonly email: string;
  readonly roles: readonly Role[];
  readonly swvNaam: string;
  /** This browser holds the SWV's root key: only then is Beheer possible here. */
  readonly basissleutel: boolean;
}

export type SessionState =
  | { readonly kind: 'nieuw' }
  | { readonly kind: 'vergrendeld' }
  | { readonly kind: 'ontgrendeld'; readonly user: CurrentUser };

export type { HulpvraagRij } from '../../core/client/views/hulpvragen-lijst.js';

export type { Melding } from '../../core/client/views/meldingen.js';
import type { Onderwerp, OverlegGezien } from '../../core/client/views/overleg-onderwerpen.js';
import type { Melding } from '../../core/client/views/meldingen.js';

export interface ScanRapport {
  readonly opslagplaatsen: readonly { readonly naam: string; readonly records: number; readonly treffers: number }[];
  readonly bytes: number;
  readonly treffers: readonly { readonly opslag: string; readonly codering: string }[];
}

export interface NieuwDossierInvoer {
  readonly leerling: Omit<Leerling, 'id'>;
  readonly titel: string;
  readonly omschrijving: string;
}

export interface Uitnodiging {
  readonly code: string;
  readonly voor: string;
  readonly geldigTot: string;
}

export interface UiBackend {
  session(): Promise<SessionState>;
  /** Called on every change the page should re-read (lock, dossier, index, sync). */
  subscribe(listener: () => void): () => void;
  syncState(): SyncState | null;

  /** Returns the printable recovery code when the keystore made one. */
  /** `rootPassphrase`: the SWV root key's own passphrase; `basisHerstelcode`: its own recovery code for the safe [R102]. */
  createSwv(input: { swvNaam: string; organisatieNaam: string; voornaam: string; achternaam: string; functie: string; email: string; passphrase: string; rootPassphrase: string }): Promise<Result<{ herstelcode: string | null; basisHerstelcode: string | null }>>;
  /** `onControlecode`: the six digits to read back to the beheerder, once their device has seen the request [R100]. */
  join(input: { code: string; passphrase: string }, onControlecode?: (sas: string) => void): Promise<Result<{ herstelcode: string | null }>>;
  /** A join entered before on this browser still waits for the beheerder's approval. */
  aanmeldingWacht(): Promise<boolean>;
  /** This device and the account's other devices seen in the dossiers. */
  apparaten(): readonly { deviceId: string; ditApparaat: boolean; ingetrokken: boolean }[];
  /** Revokes a lost device of this account in every dossier it follows. */
  apparaatIntrekken(deviceId: string): Promise<Result<{ dossiers: number }>>;
  unlock(passphrase: string): Promise<Result<void>>;
  /** Lost passphrase: the recovery code from the herstelkit sets a new one and unlocks. */
  resetPassphrase(recoveryCode: string, newPassphrase: string): Promise<Result<void>>;
  lock(): Promise<void>;

  listHulpvragen(): Promise<Result<readonly HulpvraagRij[]>>;
  meldingen(): Promise<readonly Melding[]>;
  markGelezen(ids: readonly string[]): Promise<void>;
  hulpvraagTitels(): readonly string[];
  personen(): readonly DirectoryEntry[];

  createDossier(input: NieuwDossierInvoer): Promise<Result<{ dossierId: string; hulpvraagId: string }>>;
  addHulpvraag(dossierId: string, titel: string, omschrijving: string): Promise<Result<{ hulpvraagId: string }>>;
  dossier(dossierId: string): Promise<Result<DossierDetail>>;
  saveLeerling(dossierId: string, leerling: Partial<Omit<Leerling, 'id'>>): Promise<Result<void>>;
  saveHulpvraag(dossierId: string, hulpvraagId: string, patch: { omschrijving?: string; coordinator?: string | null; labels?: readonly string[] }): Promise<Result<void>>;
  /** The full list of organisations involved in the hulpvraag; access, meldingen and moves follow the process. */
  saveBetrokkenOrganisaties(dossierId: string, hulpvraagId: string, lijst: HulpvraagView['betrokkenOrganisaties']): Promise<Result<void>>;
  /** `tlv` without a volgnummer: the register of the SWV gives it when the change goes through [P71]. */
  changeStatus(dossierId: string, hulpvraagId: string, naar: string, omschrijving: string, tlv?: TlvInvoer): Promise<Result<string>>;
  /** The linked ouders' digitale toestemming to share a hulpvraag with the organisation of `voor` [R118]. */
  toestemming(dossierId: string, hulpvraagId: string, voor: ToestemmingVoor): Result<ToestemmingStand>;
  /** A linked ouder gives or withdraws it, signed by this device. */
  geefToestemming(dossierId: string, hulpvraagId: string, voor: ToestemmingVoor, gegeven: boolean): Promise<Result<void>>;
  /** Whether this user is an ouder linked to the dossier (who may give toestemming). */
  isGekoppeldeOuder(dossierId: string): boolean;
  /** Whether the register gave the TLV's volgnummer to this hulpvraag (online only) [R117]. */
  checkVolgnummer(dossierId: string, hulpvraagId: string): Promise<Result<VolgnummerStand>>;
  /** `soort`: what the bijlage is, where a process requires one (OPP, the ouders' signed aanvraagformulier). */
  addBijlage(dossierId: string, hulpvraagId: string, file: { naam: string; type: string; bytes: Uint8Array; soort?: BijlageSoort }): Promise<Result<void>>;
  readBijlage(dossierId: string, hulpvraagId: string, bijlageId: string): Promise<Result<Uint8Array>>;
  saveLvs(dossierId: string, hulpvraagId: string, waarden: Readonly<Record<string, FormValue>>): Promise<Result<void>>;
  saveFormulier(dossierId: string, hulpvraagId: string, formulierId: string, waarden: Readonly<Record<string, FormValue>>): Promise<Result<void>>;
  /** The bevoegd gezag signs with its own certificate: name, functie and organisatie are never typed. */
  signFormulier(dossierId: string, hulpvraagId: string, formulierId: string): Promise<Result<FormSignatureView>>;
  /** The school asks its bevoegd gezag to sign; they get a melding (badge, popup), never the content outside Kindkluis. */
  vraagOndertekening(dossierId: string, hulpvraagId: string, formulierId: string): Promise<Result<SignatureRequestView>>;
  exportFormulier(dossierId: string, hulpvraagId: string, formulierId: string): Promise<Result<{ naam: string; bytes: Uint8Array }>>;
  /** Inzage-export (AVG art. 15): a signed zip of everything this person may read; logged as "geëxporteerd". */
  exportDossier(dossierId: string, soort?: 'inzage' | 'lbt'): Promise<Result<{ naam: string; bytes: Uint8Array }>>;
  addAanpak(dossierId: string, hulpvraagId: string, aanpak: AanpakInput): Promise<Result<void>>;
  createOverlegronde(dossierId: string, hulpvraagId: string, input: { titel: string; omschrijving: string; einddatum: string; deelnemers: readonly string[] }): Promise<Result<string>>;
  /** Running overlegronden of the dossier and the advice when there are many (seed 000). */
  overlegrondenStand(dossierId: string): Result<{ readonly lopend: number; readonly advies: string | null }>;
  postMessage(dossierId: string, overlegrondeId: string, titel: string, tekst: string): Promise<Result<void>>;
  /** Author only, while the overlegronde is open; the earlier versions stay in `versies`. */
  editMessage(dossierId: string, overlegrondeId: string, messageId: string, titel: string, tekst: string): Promise<Result<void>>;
  /** A reactie in an onderwerp (the id of its opening message): only text. */
  postReactie(dossierId: string, overlegrondeId: string, onderwerp: string, tekst: string): Promise<Result<void>>;
  /** Marks an onderwerp afgehandeld, or reopens it (`false`); signed by this device. */
  markeerAfgehandeld(dossierId: string, overlegrondeId: string, onderwerp: string, afgehandeld: boolean): Promise<Result<void>>;
  /** Per onderwerp, the messages this device has shown (kept sealed on the device). */
  overlegGezien(overlegrondeId: string): Promise<OverlegGezien>;
  /** The onderwerp was on screen: its messages no longer count as new on this device. */
  markeerOnderwerpGezien(dossierId: string, overlegrondeId: string, onderwerp: Pick<Onderwerp, 'id' | 'opening' | 'reacties'>): Promise<void>;
  saveNotitie(dossierId: string, tekst: string): Promise<Result<void>>;
  grant(dossierId: string, input: { userId: string; scopes: readonly string[]; schrijven: boolean; tot: string | null; reden?: string }): Promise<Result<void>>;
  changeExpiry(dossierId: string, userId: string, tot: string | null): Promise<Result<void>>;
  /** Links an ouder/verzorger to this dossier of their own child: read only, leerling and hulpvragen. */
  linkOuder(dossierId: string, userId: string): Promise<Result<void>>;
  revoke(dossierId: string, userId: string): Promise<Result<void>>;

  invite(input: { voornaam: string; achternaam: string; functie: string; email: string; organisatie: { naam: string; soort: string } | { id: string }; roles: readonly Role[] }): Promise<Result<Uitnodiging>>;
  /** Beheerder: a code for another device of a member; the new browser joins with it and its own keys [R148]. */
  apparaatUitnodigen(userId: string): Promise<Result<Uitnodiging>>;
  processJoinRequests(): Promise<Result<number>>;
  /** Beheerder: every invitation with its status, its code while usable and the controlecodes of waiting joins [R101]. */
  uitnodigingen(): Promise<Result<readonly InvitationStatus[]>>;
  /** Beheerder: approve the join whose controlecode the invitee read back [R100]. */
  goedkeuren(userId: string, controlecode: string): Promise<Result<void>>;
  /** Beheerder: withdraw an open invitation (the relay deletes its offer). */
  intrekken(userId: string): Promise<Result<void>>;
  /** Beheerder: the SWV root key, unlocked with its own passphrase for Beheer actions only [R102]. */
  basissleutelOntgrendelen(wachtwoord: string): Promise<Result<void>>;
  basissleutelVergrendelen(): void;
  basissleutelOpen(): boolean;
  /** The relay address this extension uses (for the handover text of an invitation). */
  relayAdres(): Promise<string>;
  /** Beheerder: the organisations certified so far (also before their first member joined). */
  organisaties(): Promise<Result<readonly { readonly id: string; readonly naam: string; readonly soort: string }[]>>;
  /** `toegangIntrekken`: also remove the departing person's own access (keys rotate) once the successor has it. */
  staffChange(vanUserId: string, naarUserId: string, toegangIntrekken: boolean): Promise<Result<StaffChangeReport>>;
  /** Beheerder: the leaver is gone; the SWV ends them (no access anywhere, keys rotated) [R56, R57]. */
  endPerson(userId: string): Promise<Result<void>>;

  scanIndexedDb(marker: string): Promise<ScanRapport>;
  /** Every dossier this browser holds (the FG holds only access lists): for "Wie kan wat lezen". */
  privacyDossiers(): Promise<readonly { readonly id: string; readonly naam: string }[]>;
  /** What the server handed out of this dossier, per person, device and part (R115): beside the self-reported log. */
  servedLog(dossierId: string): Promise<Result<ServedLogView>>;
  /** Per dossier the retention date, any hold and the day of deletion, soonest first [R80, R81]. */
  bewaarOverzicht(): Promise<readonly BewaarRegel[]>;
  /** The FG places a signed hold (bezwaar, juridische procedure) until `tot` (YYYY-MM-DD) [R81]. */
  plaatsBewaarplicht(dossierId: string, reden: string, tot: string): Promise<Result<void>>;

  /** Presence (DESIGN §6): who else has this dossier open, on which tab, typing; sealed, forwarded, never stored. */
  aanwezigen(dossierId: string): readonly AwarenessEntry[];
  /** Announces (or with `null` withdraws) this page's presence; announce again every few seconds to stay visible. */
  meldAanwezigheid(dossierId: string, stand: { readonly tab: string; readonly typt: boolean } | null): void;
  onAanwezigheid(listener: (dossierId: string) => void): () => void;

  saveDraft(key: string, value: string): Promise<void>;
  loadDraft(key: string): Promise<string | null>;
}
