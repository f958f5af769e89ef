// The application facade the extension UI (and the demo and simulation) talk
// to. One object per device context; everything below it (Dexie store, sync,
// crypto, access, workflow) stays hidden. All expected failures are Results
// with Dutch messages; views are plain immutable data, rebuilt on change.
import type { Result } from '../result.js';
import type { IndexedDbDeps } from '../store/database.js';
import type { CryptoProvider } from '../crypto/provider.js';
import type { IsoDate, IsoDateTime } from '../model/dates.js';
import type {
  BijlageId,
  DeviceId,
  DossierId,
  FormulierId,
  HulpvraagId,
  MessageId,
  OrganisationId,
  OverlegrondeId,
  SwvId,
  UserId,
} from '../model/ids.js';
import type { Role } from '../model/role.js';
import type { OrganisationKind } from '../access/roles.js';
import type { TlvAfgifte } from '../model/tlv-verklaring.js';
import type { TlvInvoer, VolgnummerStand } from './client-tlv-register.js';
import type { TlvHerinnering } from './client-tlv-herinnering.js';
import type { ToestemmingStand, ToestemmingVoor } from './client-toestemming.js';
import type { Leerling } from '../model/leerling.js';
import type { BijlageMeta, BijlageSoort } from '../model/hulpvraag.js';
import type { FormValue } from '../model/formulier.js';
import type { Right, Scope } from '../model/grant.js';
import type { MessageSignature } from '../model/message.js';

import type { BewaarStand, RetentionPolicy } from '../processes/retention.js';
import type { TermijnStand } from '../processes/bezwaar-tlv.js';
import type { WebSocketFactory } from '../sync/web-socket.js';
import type { Relatie } from '../workflow/selector.js';
import type { ServedLogView } from './client-served-log.js';
export type { WebSocketFactory, WebSocketLike } from '../sync/web-socket.js';

export interface ClientOptions {
  /** IndexedDB implementation: `{ indexedDB, IDBKeyRange }` of the browser or of fake-indexeddb. */
  readonly indexedDb: IndexedDbDeps;
  /** Database name; one per browser profile (several contexts may share it). */
  readonly dbName: string;
  readonly provider: CryptoProvider;
  readonly webSocket: WebSocketFactory;
  /** e.g. `ws://127.0.0.1:8787`, or several relays of one service separated by commas (each reconnect tries the next) [P28]; may be changed later with `setRelay`. */
  readonly relayUrl: string;
  /** Injected clock (tests, simulation); defaults to `new Date()`. */
  readonly now?: () => Date;
  /** Injected randomness for backoff jitter (seeded in the simulation). */
  readonly random?: () => number;
  /** How often an open dossier's rooms get a seen marker at most, in ms (default one minute) [R116]. */
  readonly seenMarkerIntervalMs?: number;
  /** First wait before a room whose document misses updates is fetched again, in ms (default 2 s, doubled per retry) [R120]. */
  readonly gapRetryMs?: number;
  /** The SWV's retention policy (years per process and end status); default three years (WPO 18a lid 13). */
  readonly bewaarbeleid?: RetentionPolicy;
}

/** One dossier in the FG's retention overview [R80, R81]: days as YYYY-MM-DD. */
export interface BewaarOverzichtRegel {
  readonly dossierId: DossierId;
  /** The day retention ends, as the signed record fixes it; null while a hulpvraag is open or none ended. */
  readonly bewaarTot: string | null;
  /** The latest end of a bewaarplicht (hold), if any. */
  readonly bewaarplichtTot: string | null;
  /** The day the dossier is deleted everywhere (after the notice period); null while no date is fixed. */
  readonly vernietigOp: string | null;
  /**
   * Whether this device can sign a record in the access list now (it holds the list's current key).
   * A newly joined FG sees the list before an admin's device has shared that key with her.
   */
  readonly kanVastleggen: boolean;
}

export type LockState = 'geen-identiteit' | 'vergrendeld' | 'ontgrendeld';

/** Who this device's user is, from the verified certificate. */
export interface Me {
  readonly userId: UserId;
  readonly deviceId: DeviceId;
  readonly swvId: SwvId;
  readonly organisationId: OrganisationId;
  readonly roles: readonly Role[];
  readonly profile: PersonProfile;
  /** This device holds the SWV's root key in its own slot (the beheerder's first device; a linked device does not get it) [R102]. */
  readonly basissleutel: boolean;
}

/** A new account on this device: who, and the recovery code to print (shown once, never stored). */
export type Onboarded = Me & {
  readonly recoveryCode: string;
  /** createSwv only: the recovery code of the root key's own slot (printed for the safe, never stored) [R102]. */
  readonly rootRecoveryCode?: string;
};

/** A device of this account: this one, another with its own certificate in the member list, or one seen in a dossier. */
export interface DeviceEntry {
  readonly deviceId: DeviceId;
  readonly ditApparaat: boolean;
  readonly ingetrokken: boolean;
}

export interface PersonProfile {
  readonly voornaam: string;
  readonly achternaam: string;
  readonly functie: string;
  readonly organisatieNaam: string;
  readonly email: string;
}

export interface OrganisationInput {
  readonly naam: string;
  readonly kind: OrganisationKind;
}

/** A member of the SWV as the directory knows them (for @mentions, grants, signatures). */
export interface DirectoryEntry {
  readonly userId: UserId;
  readonly organisationId: OrganisationId;
  readonly organisatieNaam: string;
  readonly roles: readonly Role[];
  readonly profile: PersonProfile;
  /** Older @mention form, e.g. `jan.devries` (still resolved); messages now mention by name: "@Jan de Vries". */
  readonly handle: string;
}

export interface CreateSwvInput {
  readonly swvNaam: string;
  readonly beheerder: PersonProfile;
  readonly passphrase: string;
  /** The SWV root key's own passphrase, different from the daily one; asked only for Beheer actions [R102]. */
  readonly rootPassphrase: string;
}

export interface InvitationInput {
  readonly profile: PersonProfile;
  readonly organisation: OrganisationInput | { readonly id: OrganisationId };
  readonly roles: readonly Role[];
  /** Certificate validity; defaults to one year. */
  readonly validUntil?: IsoDateTime;
}

/** An organisation the beheerder certified (also before its first member joined). */
export interface OrganisationEntry {
  readonly id: OrganisationId;
  readonly naam: string;
  readonly kind: OrganisationKind;
}

export interface Invitation {
  /** Printable code handed over out of band (paper, phone); never sent to the relay in the clear. */
  readonly code: string;
  readonly userId: UserId;
  readonly organisationId: OrganisationId;
}

/** Where an invitation stands, for Beheer [P80]. */
export type InvitationStatusName = 'open' | 'wacht-op-goedkeuring' | 'geblokkeerd' | 'gebruikt' | 'verlopen' | 'ingetrokken';

export interface InvitationStatus {
  readonly userId: UserId;
  readonly organisationId: OrganisationId;
  readonly organisatieNaam: string;
  readonly profile: PersonProfile;
  readonly roles: readonly Role[];
  readonly status: InvitationStatusName;
  /** The code while the invitation can still be used (to copy or print again); `null` once it ended. */
  readonly code: string | null;
  readonly geldigTot: IsoDateTime | null;
  /** The SAS of each join request waiting under the code; more than one means the code reached someone else too. */
  readonly sas: readonly string[];
  /** For another device of a member already in the SWV [R148]. */
  readonly apparaat: boolean;
}

export interface HulpvraagInput {
  /** Titel from the SWV's list: selects process, first status and form. */
  readonly titel: string;
  readonly omschrijving: string;
  readonly labels?: readonly string[];
  readonly datum?: IsoDate;
  /** Organisations involved (001: the voorschoolse voorziening; the school van voorkeur; 000: the BaO-BaO partnerschool). */
  readonly betrokkenOrganisaties?: readonly BetrokkenOrganisatie[];
}

/** An organisation linked to a hulpvraag, and how. */
export interface BetrokkenOrganisatie {
  readonly organisationId: OrganisationId;
  readonly relatie: Relatie;
}

export interface StatusHistoryEntry {
  readonly at: IsoDateTime;
  readonly from: string;
  readonly to: string;
  readonly actor: UserId;
  readonly actorNaam: string;
  readonly omschrijving?: string;
  /** Re-verified from the event's own signature and certificate (survives snapshots). */
  readonly geverifieerd: boolean;
}

export interface RejectedEntry {
  readonly at: IsoDateTime;
  readonly actor: UserId;
  readonly reden: string;
}

export interface TransitionOption {
  readonly to: string;
  readonly label: string;
}

export type { SignatureRequestView } from './client-signature-requests.js';
import type { SignatureRequestView } from './client-signature-requests.js';

export interface HulpvraagView {
  readonly id: HulpvraagId;
  readonly dossierId: DossierId;
  readonly titel: string;
  readonly processId: string;
  readonly omschrijving: string;
  readonly labels: readonly string[];
  readonly coordinator: UserId | null;
  readonly status: string;
  readonly statusLabel: string;
  readonly history: readonly StatusHistoryEntry[];
  readonly rejected: readonly RejectedEntry[];
  readonly bijlagen: readonly BijlageMeta[];
  readonly overlegronden: readonly OverlegrondeId[];
  readonly aangemaaktOp: IsoDateTime;
  /** The TLV recorded by the last verified status that records one (*TLV afgegeven*), else `null`. */
  readonly tlv: TlvAfgifte | null;
  /** Schoolgegevens (002): who filed it and who the school's contact is; changed by a staff change. */
  readonly school: { readonly naam: string; readonly aanvrager: UserId; readonly contactpersoon: string; readonly email: string };
  /** Aanpak (003): who works on the hulpvraag as behandelaar (regierolhouder), in order of adding. */
  readonly aanpak: readonly AanpakEntry[];
  /** Organisations linked to the hulpvraag (voorschoolse voorziening, school van voorkeur, partnerschool). */
  readonly betrokkenOrganisaties: readonly BetrokkenOrganisatie[];
}

/** One aanpak (003): the behandelaar invited to take up the hulpvraag, with what and until when. */
export interface AanpakEntry {
  readonly id: string;
  readonly behandelaar: UserId;
  readonly behandelaarNaam: string;
  readonly omschrijving: string;
  readonly startdatum: IsoDate;
  readonly einddatum: IsoDate | null;
  readonly toegevoegdDoor: UserId;
  readonly toegevoegdOp: IsoDateTime;
}

export interface AanpakInput {
  readonly behandelaar: UserId;
  readonly omschrijving: string;
  readonly startdatum: IsoDate;
  readonly einddatum?: IsoDate | null;
}

/** The bevoegd gezag's digital signature under a form (002), verified when read. */
export interface FormSignatureView {
  readonly formulierId: FormulierId;
  readonly door: UserId;
  /** From the signer's certificate, never typed. */
  readonly naam: string;
  readonly functie: string;
  readonly organisatie: string;
  readonly op: IsoDateTime;
  /** False once an answer changed after signing: the signature no longer covers the form and the bevoegd gezag signs again. */
  readonly geldig: boolean;
}

/** What a staff change did (000: "wisseling van personeel"). */
export interface StaffChangeReport {
  /** Changes made to open hulpvragen: aanvrager/contactpersoon (schoolgegevens) and coördinator each count once. */
  readonly hulpvragen: number;
  /** Dossiers in which the successor got the departing person's own access. */
  readonly dossiers: number;
  /** Dossiers of the departing person this device cannot change (no access or no right to grant); someone with access does those. */
  readonly nietBereikbaar: number;
  /** Dossiers in which the departing person's own access was removed (with key rotation), when asked. */
  readonly ingetrokken: number;
}

export interface StaffChangeOptions {
  /** Also remove the departing person's own access (keys rotate), after the successor has it. Default: keep. */
  readonly toegangIntrekken?: boolean;
}

export interface DossierSummary {
  readonly id: DossierId;
  readonly leerlingNaam: string | null;
  readonly hulpvragen: readonly HulpvraagId[];
  readonly overlegronden: readonly OverlegrondeId[];
  /** What this device noticed about the relay or the writers (Dutch, for the dossier header) [R40, R41]. */
  readonly waarschuwingen: readonly string[];
}

/** One line of the hulpvragen list, read from the sealed local index. */
export interface HulpvraagListItem {
  readonly hulpvraagId: HulpvraagId;
  readonly dossierId: DossierId;
  readonly titel: string;
  readonly status: string;
  readonly statusLabel: string;
  readonly leerlingNaam: string | null;
  readonly school: string;
  readonly coordinator: string | null;
  readonly aangemaaktOp: IsoDateTime;
  readonly gewijzigdOp: IsoDateTime;
  readonly labels: readonly string[];
}

export interface OverlegrondeInput {
  readonly titel: string;
  readonly omschrijving: string;
  readonly einddatum: IsoDateTime;
  readonly deelnemers: readonly UserId[];
}

/** One version of a message, as written at `geschrevenOp`. */
export interface MessageVersionView {
  readonly titel: string;
  readonly tekst: string;
  readonly mentions: readonly UserId[];
  readonly geschrevenOp: IsoDateTime;
}

/** A message in its current version; `titel`, `tekst` and `mentions` are those of the last version. */
export interface MessageView {
  readonly id: MessageId;
  /** The author the message claims; proven only when `geverifieerd`. */
  readonly auteur: UserId;
  /** Empty when not `geverifieerd`: the claimed author is never named for an unproven message. */
  readonly auteurNaam: string;
  /**
   * The author's device signed this message (and every edit shown), its chain
   * was valid then and names `auteur`. False for forged or altered messages and
   * for those written before messages were signed: show "afzender niet te verifiëren".
   */
  readonly geverifieerd: boolean;
  readonly titel: string;
  readonly tekst: string;
  /** Participants mentioned in the current version. */
  readonly mentions: readonly UserId[];
  /** Everyone the message has mentioned in any version, with the moment of the first version that did (for "u bent genoemd"). */
  readonly genoemd: readonly { readonly userId: UserId; readonly sinds: IsoDateTime }[]; // empty when not `geverifieerd`
  readonly geplaatstOp: IsoDateTime;
  /** The signature block from the author's profile (000); `null` for messages written before it was stored, or not `geverifieerd`. */
  readonly ondertekening: MessageSignature | null;
  /** True once the author changed the message ("bewerkt"). */
  readonly bewerkt: boolean;
  /** Moment of the last edit, `null` if never edited. */
  readonly bewerktOp: IsoDateTime | null;
  /** Every version, oldest first; the last one is the current text. */
  readonly versies: readonly MessageVersionView[];
  /** A reactie: the message that opened its onderwerp (signed with it); `null` for a message that opens one. */
  readonly antwoordOp: MessageId | null;
}

/** A proven participant marked an onderwerp afgehandeld (or reopened it: `afgehandeld` false). */
export interface AfhandelingView {
  readonly id: string;
  readonly onderwerp: MessageId;
  readonly afgehandeld: boolean;
  readonly door: UserId;
  readonly doorNaam: string;
  readonly op: IsoDateTime;
}

export interface OverlegrondeView {
  readonly id: OverlegrondeId;
  readonly hulpvraagId: HulpvraagId;
  readonly titel: string;
  readonly omschrijving: string;
  readonly einddatum: IsoDateTime;
  readonly deelnemers: readonly UserId[];
  readonly berichten: readonly MessageView[];
  /** Only those signed by a participant's device and verified; the latest per onderwerp counts (views/overleg-onderwerpen). */
  readonly afhandelingen: readonly AfhandelingView[];
  readonly gesloten: boolean;
}

export interface GrantInput {
  readonly userId: UserId;
  readonly scopes: readonly Scope[];
  readonly rights: readonly Right[];
  /** `null` = until revoked. */
  readonly expiresAt: IsoDateTime | null;
  /** Why (kept in the encrypted part of the access record). */
  readonly reden?: string;
}

export interface ReaderEntry {
  readonly userId: UserId;
  readonly naam: string;
  readonly organisatie: string;
  readonly scopes: readonly Scope[];
  readonly rights: readonly Right[];
  readonly expiresAt: IsoDateTime | null;
}

export type { ServedLogRow, ServedLogSignature, ServedLogView } from './client-served-log.js';
export type { TlvInvoer, VolgnummerStand } from './client-tlv-register.js';
export type { TlvHerinnering } from './client-tlv-herinnering.js';
export type { ToestemmingStand, ToestemmingVoor } from './client-toestemming.js';

export interface AccessLogEntry {
  readonly at: IsoDateTime;
  readonly actor: UserId;
  readonly actorNaam: string;
  readonly action:
    | 'toegang-gegeven'
    | 'toegang-gewijzigd'
    | 'toegang-ingetrokken'
    | 'geopend'
    | 'geëxporteerd'
    | 'toestemming-gegeven'
    | 'toestemming-ingetrokken'
    | 'sleutel-vernieuwd'
    | 'bewaartermijn-vastgelegd'
    | 'bewaarplicht-vastgelegd';
  readonly subject?: UserId;
  readonly scopes?: readonly Scope[];
}

/** An inzage-export (AVG art. 15): a zip of plaintext with index.html, manifest.json and handtekening.json. */
export interface DossierExport {
  /** Never names the leerling (download history, R32). */
  readonly naam: string;
  readonly bytes: Uint8Array;
  /** The files in the zip besides manifest.json and handtekening.json. */
  readonly bestanden: readonly string[];
}

export interface AwarenessEntry {
  readonly userId: UserId;
  readonly naam: string;
  readonly tab: string;
  readonly typing: boolean;
}

export interface SyncState {
  readonly connected: boolean;
  /** Sealed local changes the relay has not yet acknowledged. */
  readonly pending: number;
  /** Received records that failed verification and were kept aside. */
  readonly quarantined: number;
  /**
   * Followed rooms known to have records this device has not fetched yet, or not yet confirmed by
   * the relay (P45): 0 when everything is current. A device following many dossiers shows progress here.
   */
  readonly behind: number;
  readonly lastError: string | null;
}

/** What changed; the UI re-reads the views it shows. */
export type ClientChange =
  | { readonly kind: 'lock'; readonly state: LockState }
  | { readonly kind: 'dossier'; readonly dossierId: DossierId }
  | { readonly kind: 'index' }
  | { readonly kind: 'awareness'; readonly dossierId: DossierId }
  | { readonly kind: 'sync'; readonly state: SyncState }
  | { readonly kind: 'access-lost'; readonly dossierId: DossierId }
  /** The member list changed (someone joined or left): lists of people in open screens are stale. */
  | { readonly kind: 'directory' }
  /** Beheerder: an invitation's status changed (a join request waits for approval, used, withdrawn). */
  | { readonly kind: 'invitations' }
  /** Joiner: the SAS to read back to the beheerder. */
  | { readonly kind: 'join-sas'; readonly sas: string };

export interface KindkluisClient {
  // ---- session ----
  lockState(): LockState;
  /** Opens the wrapped identity with the passphrase; starts syncing. */
  unlock(passphrase: string): Promise<Result<Me>>;
  /** Lost passphrase: the printed recovery code sets a new one and unlocks. */
  resetPassphrase(recoveryCode: string, newPassphrase: string): Promise<Result<Me>>;
  /**
   * While unlocked: a token (the keystore's data key) that a browser session may keep in memory-only
   * storage so other pages resume without the passphrase, which is never kept. `null` when locked.
   */
  sessionToken(): string | null;
  /** Resumes with a token from `sessionToken`; a stale or foreign token → `sessie-ongeldig`. */
  resumeSession(token: string): Promise<Result<Me>>;
  /** Forgets keys in memory (the session token stops working in this context); drafts stay sealed on disk. */
  lock(): Promise<void>;
  me(): Me | null;
  close(): Promise<void>;

  // ---- onboarding ----
  /** Creates an SWV: this user becomes its beheerder and holds the root key. */
  /** The recovery code is shown once (the user prints it) and never stored. */
  createSwv(input: CreateSwvInput): Promise<Result<Onboarded>>;
  /** Beheerder: invite a person (their certificate is issued when they join). */
  createInvitation(input: InvitationInput): Promise<Result<Invitation>>;
  /**
   * Joiner: post a sealed join request and wait for the beheerder's approval; `onSas` gets the six digits
   * to read back to the beheerder once their device has seen the request [P80, R100].
   */
  joinWithInvitation(code: string, passphrase: string, timeoutMs?: number, onSas?: (sas: string) => void): Promise<Result<Onboarded>>;
  /** On a browser without an account: a join entered before still waits for the beheerder. */
  hasPendingJoin(): Promise<boolean>;
  /** Beheerder: every invitation with its status, its code while usable and the SAS of waiting requests. */
  invitations(): Promise<Result<readonly InvitationStatus[]>>;
  /** Beheerder: approve the join whose SAS the invitee read back; issues the certificate (root unlocked) [R100]. */
  approveJoin(userId: UserId, sas: string): Promise<Result<void>>;
  /** Beheerder: withdraw an open invitation; the relay deletes its offer. */
  withdrawInvitation(userId: UserId): Promise<Result<void>>;
  /** Beheerder: unlock the SWV root key (own passphrase) for Beheer actions, in memory until lockRoot or lock [R102]. */
  unlockRoot(rootPassphrase: string): Promise<Result<void>>;
  /** Lost root passphrase: the root slot's own recovery code (from the safe) sets a new one. */
  resetRootPassphrase(rootRecoveryCode: string, newRootPassphrase: string): Promise<Result<void>>;
  lockRoot(): void;
  rootUnlocked(): boolean;
  /**
   * Beheerder: an invitation for another device of a member (root unlocked to approve). The new browser joins
   * with the code through `joinWithInvitation` and gets its own keys and its own certificate for the same
   * person; nothing is copied from the member's other devices [R145, R148, P90].
   */
  inviteDevice(userId: UserId): Promise<Result<Invitation>>;
  /** This device and the other devices of this account seen in the dossiers. */
  devices(): readonly DeviceEntry[];
  /** Revokes a lost device of this account in every dossier it follows (the relay then refuses it). */
  revokeDevice(deviceId: DeviceId): Promise<Result<{ readonly dossiers: number }>>;
  /**
   * Beheerder: ends a person in the SWV as of now (uit dienst, rol beëindigd), signed by the SWV root.
   * The relay refuses them from then on; no device shares keys with them again, and every dossier
   * they held keys in records the end and rotates them out [R56, R57].
   */
  endPerson(userId: UserId, reason: 'uit-dienst' | 'rol-beeindigd'): Promise<Result<void>>;
  /** Beheerder: answer pending join requests (also done automatically while online). */
  processJoinRequests(): Promise<Result<number>>;
  directory(): readonly DirectoryEntry[];
  /** Beheerder: every organisation certified so far, with its kind (which roles fit). */
  organisations(): Promise<Result<readonly OrganisationEntry[]>>;

  // ---- dossiers ----
  createDossier(leerling: Omit<Leerling, 'id'>): Promise<Result<DossierId>>;
  listDossiers(): readonly DossierSummary[];
  /** Loads the dossier's rooms and keeps them in sync until `closeDossier`. */
  openDossier(dossierId: DossierId): Promise<Result<DossierSummary>>;
  closeDossier(dossierId: DossierId): void;
  getLeerling(dossierId: DossierId): Result<Leerling>;
  updateLeerling(dossierId: DossierId, patch: Partial<Omit<Leerling, 'id'>>): Promise<Result<void>>;

  // ---- hulpvragen ----
  createHulpvraag(dossierId: DossierId, input: HulpvraagInput): Promise<Result<HulpvraagId>>;
  /** A new leerling's dossier with its first hulpvraag (002); if the hulpvraag fails, the dossier stays without one. */
  createDossierWithHulpvraag(
    leerling: Omit<Leerling, 'id'>,
    input: HulpvraagInput,
  ): Promise<Result<{ readonly dossierId: DossierId; readonly hulpvraagId: HulpvraagId }>>;
  getHulpvraag(dossierId: DossierId, hulpvraagId: HulpvraagId): Result<HulpvraagView>;
  allowedTransitions(dossierId: DossierId, hulpvraagId: HulpvraagId): Result<readonly TransitionOption[]>;
  /** What the hulpvraag holds that a move may require (signature, bijlagen): the same reading indienen checks (R48). */
  presentForTransition(
    dossierId: DossierId,
    hulpvraagId: HulpvraagId,
  ): Promise<Result<import('../workflow/vereisten.js').AanwezigVoorOvergang>>;
  /**
   * `tlv` is required for a status that records a TLV (e.g. *TLV afgegeven*), without a volgnummer: the
   * client draws it from the SWV's register once the change is allowed, so it needs the relay [P71].
   */
  changeStatus(
    dossierId: DossierId,
    hulpvraagId: HulpvraagId,
    to: string,
    omschrijving?: string,
    extra?: { readonly tlv?: TlvInvoer },
  ): Promise<Result<string>>;
  /** Whether the register gave the TLV's volgnummer to this hulpvraag; online only [P71, R117]. */
  checkVolgnummer(dossierId: DossierId, hulpvraagId: HulpvraagId): Promise<Result<VolgnummerStand>>;
  updateHulpvraag(
    dossierId: DossierId,
    hulpvraagId: HulpvraagId,
    patch: {
      readonly omschrijving?: string;
      readonly labels?: readonly string[];
      readonly coordinator?: UserId | null;
      /** The full list of involved organisations (replaces the previous one). */
      readonly betrokkenOrganisaties?: readonly BetrokkenOrganisatie[];
    },
  ): Promise<Result<void>>;
  addBijlage(
    dossierId: DossierId,
    hulpvraagId: HulpvraagId,
    /** `soort`: what the bijlage is, where a process requires one kind (OPP, the ouders' signed aanvraagformulier). */
    file: { readonly bestandsnaam: string; readonly mediaType: string; readonly bytes: Uint8Array; readonly soort?: BijlageSoort },
  ): Promise<Result<BijlageMeta>>;
  readBijlage(dossierId: DossierId, hulpvraagId: HulpvraagId, bijlageId: BijlageId): Promise<Result<Uint8Array>>;
  /** The sealed local index: opens without decrypting every dossier. */
  listHulpvragen(): Promise<Result<readonly HulpvraagListItem[]>>;

  // ---- overlegronde, notities, forms, LVS ----
  startOverlegronde(dossierId: DossierId, hulpvraagId: HulpvraagId, input: OverlegrondeInput): Promise<Result<OverlegrondeId>>;
  getOverlegronde(dossierId: DossierId, overlegrondeId: OverlegrondeId): Result<OverlegrondeView>;
  /** Running overlegronden of the dossier (that this person reads) and seed 000's advice when there are many. */
  overlegrondenStand(dossierId: DossierId): Result<{ readonly lopend: number; readonly advies: string | null }>;
  /**
   * @mentions by name as typed ("@Ilse", "@Jan de Vries", "@Zoe" for Zoë; the old `@voornaam.achternaam`
   * handle too) resolve against the participants; an ambiguous or unknown mention, a link or leerling
   * data refuses the message. The signature block comes from the author's profile.
   */
  postMessage(
    dossierId: DossierId,
    overlegrondeId: OverlegrondeId,
    titel: string,
    tekst: string,
    antwoordOp?: MessageId,
  ): Promise<Result<MessageId>>;
  /**
   * A reactie in an onderwerp: only text (and @mentions); `onderwerp` is the id of the message that opened it.
   * The reference is signed with the reactie, so nobody can move it to another onderwerp.
   */
  postReactie(dossierId: DossierId, overlegrondeId: OverlegrondeId, onderwerp: MessageId, tekst: string): Promise<Result<MessageId>>;
  /** A participant marks an onderwerp afgehandeld (`false`: reopens it); signed by this device, while the ronde is open. */
  markeerAfgehandeld(
    dossierId: DossierId,
    overlegrondeId: OverlegrondeId,
    onderwerp: MessageId,
    afgehandeld: boolean,
  ): Promise<Result<void>>;
  /** Author only, while the overlegronde is open; earlier versions stay readable, newly mentioned people are notified. */
  editMessage(
    dossierId: DossierId,
    overlegrondeId: OverlegrondeId,
    messageId: MessageId,
    titel: string,
    tekst: string,
  ): Promise<Result<void>>;
  getNotities(dossierId: DossierId): Result<string>;
  setNotities(dossierId: DossierId, tekst: string): Promise<Result<void>>;
  getForm(dossierId: DossierId, hulpvraagId: HulpvraagId): Result<Readonly<Record<string, FormValue>>>;
  /** Answers the form can take from the leerling tab, schoolgegevens, aanvrager and hulpvraag (002), for fields not answered yet; not stored. */
  formVoorinvulling(dossierId: DossierId, hulpvraagId: HulpvraagId): Result<Readonly<Record<string, FormValue>>>;
  setFormValues(
    dossierId: DossierId,
    hulpvraagId: HulpvraagId,
    formulierId: FormulierId,
    values: Readonly<Record<string, FormValue>>,
  ): Promise<Result<void>>;
  /** Bevoegd gezag of the hulpvraag's own school: signs the complete form with this device's key. */
  signForm(dossierId: DossierId, hulpvraagId: HulpvraagId, formulierId: FormulierId): Promise<Result<FormSignatureView>>;
  /** The signature under the form, verified now; `null` when unsigned; a forged or broken one is a failure. */
  formSignature(dossierId: DossierId, hulpvraagId: HulpvraagId, formulierId: FormulierId): Promise<Result<FormSignatureView | null>>;
  /** The school asks its bevoegd gezag to sign (content-free notification; the request is encrypted beside the answers). */
  requestFormSignature(dossierId: DossierId, hulpvraagId: HulpvraagId, formulierId: FormulierId): Promise<Result<SignatureRequestView>>;
  /** The latest request to sign this form, `open` until a valid signature made after it. */
  signatureRequest(dossierId: DossierId, hulpvraagId: HulpvraagId, formulierId: FormulierId): Promise<Result<SignatureRequestView | null>>;
  /** Open requests addressed to this user (the bevoegd gezag's meldingen). */
  openSignatureRequests(): Promise<SignatureRequestView[]>;
  /** Adds an aanpak: the behandelaar gets read access to the hulpvraag and a content-free notification (003). */
  addAanpak(dossierId: DossierId, hulpvraagId: HulpvraagId, input: AanpakInput): Promise<Result<string>>;
  getLvs(dossierId: DossierId, hulpvraagId: HulpvraagId): Result<Readonly<Record<string, FormValue>>>;
  setLvs(dossierId: DossierId, hulpvraagId: HulpvraagId, values: Readonly<Record<string, FormValue>>): Promise<Result<void>>;

  // ---- access ----
  grant(dossierId: DossierId, input: GrantInput): Promise<Result<void>>;
  /** Links an ouder/verzorger to their own child's dossier: read on the leerling and its hulpvragen, nothing else (000) [R46]. */
  linkOuder(dossierId: DossierId, userId: UserId): Promise<Result<void>>;
  changeExpiry(dossierId: DossierId, userId: UserId, expiresAt: IsoDateTime | null): Promise<Result<void>>;
  /** Removes the user from every scope and rotates the keys they had. */
  revoke(dossierId: DossierId, userId: UserId, reden?: string): Promise<Result<void>>;
  whoCanRead(dossierId: DossierId): Result<readonly ReaderEntry[]>;
  /**
   * Staff change: in every dossier this device holds, the successor gets the
   * departing person's own access, and open hulpvragen name the successor as
   * aanvrager/contactpersoon and coördinator where the departing person was.
   * Grants and schoolgegevens need the dossier's admin right (the owning school),
   * the coördinator field write access to the hulpvraag; what this device may not
   * change is counted in `nietBereikbaar`. Both people must be of one organisation.
   * The departing person keeps their own access unless `toegangIntrekken` asks to remove it
   * (per dossier, only after the successor got theirs; keys rotate). Access through a role of
   * their organisation ends when the beheerder's certificate for them does.
   */
  staffChange(van: UserId, naar: UserId, options?: StaffChangeOptions): Promise<Result<StaffChangeReport>>;
  accessLog(dossierId: DossierId): Result<readonly AccessLogEntry[]>;
  /**
   * What the relay served of this dossier, per person, device, part and hour (P52, R115): evidence
   * beside the self-reported "geopend" entries. Online only; for members and the FG. Signed by the
   * relay and verified here, its key pinned per SWV, with the signed answer as an evidence file (P83, R119).
   */
  servedLog(dossierId: DossierId): Promise<Result<ServedLogView>>;
  /**
   * Exports what this person may read of the dossier as one signed zip (core/export) and logs
   * "geëxporteerd" in the access log first. `lbt`: only what the Landelijke Bezwaaradviescommissie needs.
   */
  exportDossier(dossierId: DossierId, soort?: 'inzage' | 'lbt'): Promise<Result<DossierExport>>;
  /** Until when the dossier may be kept (WPO 18a lid 13), from its hulpvragen' end statuses; `onvolledig` for someone who cannot read them all. */
  bewaartermijn(dossierId: DossierId): Result<BewaarStand>;
  /** The 6-week and 14-day deadlines of a bezwaar tegen een TLV-besluit, from the dossier's own dates (for reminders). */
  bezwaarTermijnen(dossierId: DossierId, hulpvraagId: HulpvraagId): Result<readonly TermijnStand[]>;
  /**
   * A linked ouder gives or withdraws the digitale toestemming to share hulpvraag `hulpvraagId` with the
   * organisation of relatie `voor` (seed 001: the school van voorkeur); signed by this device [R118].
   */
  geefToestemming(dossierId: DossierId, hulpvraagId: HulpvraagId, voor: ToestemmingVoor, gegeven: boolean): Promise<Result<void>>;
  /** The linked ouders' last word on that sharing, and whether it stands. */
  toestemming(dossierId: DossierId, hulpvraagId: HulpvraagId, voor: ToestemmingVoor): Result<ToestemmingStand>;
  /** TLVs ending within the SWV's reminder period that concern this person (school or coördinator), soonest first. */
  tlvHerinneringen(): readonly TlvHerinnering[];
  /** The FG places a signed hold (bezwaar, juridische procedure) that postpones deletion until after `tot` [R81]. */
  plaatsBewaarplicht(dossierId: DossierId, input: { readonly reden: string; readonly tot: string }): Promise<Result<void>>;
  /** Per dossier: the fixed retention date, any hold, and the day of deletion; soonest first [R80]. */
  bewaarOverzicht(): readonly BewaarOverzichtRegel[];
  /** The retention policy this device fixes dates with: the SWV's signed one, else the default (three years) [R156]. */
  bewaarbeleid(): RetentionPolicy;
  /** Beheerder, SWV root unlocked: sets the SWV's retention policy for every member (signed by the root, P50) [R156]. */
  stelBewaarbeleidIn(beleid: RetentionPolicy): Promise<Result<RetentionPolicy>>;
  /** Beheerder: devices waiting for a certificate on their new agreement key; they get it while the SWV key is unlocked [R155]. */
  wachtendeSleutelvernieuwingen(): Promise<Result<number>>;

  // ---- drafts, awareness, sync ----
  /** Seals a draft locally; `dossierId` null for drafts of no dossier (filters, read markers): those are never purged with a dossier. */
  saveDraft(key: string, dossierId: DossierId | null, text: string): Promise<void>;
  loadDraft(key: string): Promise<string | null>;
  setAwareness(dossierId: DossierId, state: { readonly tab: string; readonly typing: boolean } | null): void;
  awareness(dossierId: DossierId): readonly AwarenessEntry[];
  /** Verifies status events not yet verified, of one dossier or of all; views show only verified events. */
  refreshViews(dossierId?: DossierId): Promise<void>;
  /** Support view of the sync state (ids, counts, the step in progress); never content. */
  diagnostics(): Readonly<Record<string, unknown>>;
  syncState(): SyncState;
  /** Resolves when every local change is acknowledged (or the timeout passes: then a Result failure). */
  flush(timeoutMs?: number): Promise<Result<void>>;
  /** Background tick: applies expiry (purges dossiers whose access ended), snapshots, retries. */
  tick(): Promise<void>;
  /** Go offline / online on purpose (tests, the simulation, a user's "offline werken"). */
  setOnline(online: boolean): void;
  /** Another relay address (or comma-separated list); reconnects now when online [P28]. */
  setRelay(url: string): void;
  subscribe(listener: (change: ClientChange) => void): () => void;
}
