// The one port the extension's screens talk to (issue 14): the client's own methods where
// a screen does exactly what the client offers (ids as the plain strings routes and views
// carry), and beside them the views of core/client/views and the few things only a browser
// page has (its session, the seen markers, drafts by key, a storage scan). Each signature is
// declared once: here for what only the port has, in KindkluisClient (api.ts) for the rest.
import type { Brand } from '../model/brand.js';
import type { Role } from '../model/role.js';
import type { Result } from '../result.js';
import type { KindkluisClient, SyncState } from './api.js';
import type { BewaarRegel } from './views/bewaar-overzicht.js';
import type { DossierDetail } from './views/dossier-detail.js';
import type { HulpvraagRij } from './views/hulpvragen-lijst.js';
import type { Melding } from './views/meldingen.js';
import type { Onderwerp, OverlegGezien } from './views/overleg-onderwerpen.js';

export type {
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
} from './api.js';
export type { BewaarRegel } from './views/bewaar-overzicht.js';
export type { DossierDetail, FormulierView, HulpvraagDetail } from './views/dossier-detail.js';
export type { HulpvraagRij } from './views/hulpvragen-lijst.js';
export type { Melding } from './views/meldingen.js';

/** The client methods screens call as they are. */
export const CLIENT_PORT_METHODS = [
  'unlock',
  'resetPassphrase',
  'lock',
  'createSwv',
  'processJoinRequests',
  'invitations',
  'approveJoin',
  'withdrawInvitation',
  'hasPendingJoin',
  'unlockRoot',
  'lockRoot',
  'rootUnlocked',
  'devices',
  'revokeDevice',
  'endPerson',
  'directory',
  'organisations',
  'staffChange',
  'createDossierWithHulpvraag',
  'createHulpvraag',
  'updateLeerling',
  'updateHulpvraag',
  'changeStatus',
  'checkVolgnummer',
  'toestemming',
  'geefToestemming',
  'addBijlage',
  'readBijlage',
  'setLvs',
  'setFormValues',
  'signForm',
  'requestFormSignature',
  'exportDossier',
  'addAanpak',
  'startOverlegronde',
  'overlegrondenStand',
  'postMessage',
  'editMessage',
  'postReactie',
  'markeerAfgehandeld',
  'setNotities',
  'grant',
  'changeExpiry',
  'linkOuder',
  'revoke',
  'servedLog',
  'plaatsBewaarplicht',
  'bewaarbeleid',
  'stelBewaarbeleidIn',
  'wachtendeSleutelvernieuwingen',
  'awareness',
  'setAwareness',
  'loadDraft',
] as const satisfies readonly (keyof KindkluisClient)[];
export type ClientPortMethod = (typeof CLIENT_PORT_METHODS)[number];

/** An id a screen holds as a plain string; the client checks each against what it holds (unknown → a Result failure). */
type Loose<T> = T extends Brand<string, string> ? string : T extends readonly (infer E)[] ? readonly Loose<E>[] : T;
/** A parameter with its ids loosened, also those one level down in an input object. */
type LooseParam<T> =
  T extends Brand<string, string>
    ? string
    : T extends Uint8Array | ((...args: never[]) => unknown)
      ? T
      : T extends readonly unknown[]
        ? Loose<T>
        : T extends object
          ? { readonly [K in keyof T]: Loose<T[K]> }
          : T;
type LooseMethod<F> = F extends (...args: infer A) => infer R ? (...args: { [I in keyof A]: LooseParam<A[I]> }) => R : never;

/** The client's methods as the port offers them: the same signatures, ids as strings. */
export type ClientPort = { readonly [K in ClientPortMethod]: LooseMethod<KindkluisClient[K]> };

/**
 * The port's share of a client. Ids arrive as the strings of routes and views: a branded id is that
 * string at run time, and the client checks each against what it holds (unknown → a Result failure),
 * so the one cast is here. The client's methods are functions of one object (client.ts): no binding.
 */
export function clientPort(client: KindkluisClient): ClientPort {
  return Object.fromEntries(CLIENT_PORT_METHODS.map((m) => [m, client[m]])) as unknown as ClientPort;
}

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
  { readonly kind: 'nieuw' } | { readonly kind: 'vergrendeld' } | { readonly kind: 'ontgrendeld'; readonly user: CurrentUser };

export interface ScanRapport {
  readonly opslagplaatsen: readonly { readonly naam: string; readonly records: number; readonly treffers: number }[];
  readonly bytes: number;
  readonly treffers: readonly { readonly opslag: string; readonly codering: string }[];
}

export interface Uitnodiging {
  readonly code: string;
  readonly voor: string;
  readonly geldigTot: string;
}

export interface KindkluisPort extends ClientPort {
  // ---- session: the page's, resumed from memory-only browser storage ----
  /** Resumes a session another page unlocked, until the browser closes or auto-lock. */
  session(): Promise<SessionState>;
  /** Called on every change the page should re-read (lock, dossier, index, sync); presence has `onAanwezigheid`. */
  onChange(listener: () => void): () => void;
  /** `null` while locked. */
  syncState(): SyncState | null;
  /** Waits up to ten minutes for the beheerder; `onControlecode`: the six digits to read back [R100]. */
  join(
    input: { code: string; passphrase: string },
    onControlecode?: (sas: string) => void,
  ): Promise<Result<{ herstelcode: string | null }>>;
  /** The relay address this extension uses (for the handover text of an invitation). */
  relayAdres(): Promise<string>;

  // ---- views (core/client/views) with what this person has seen on this device ----
  hulpvragenLijst(): Promise<Result<readonly HulpvraagRij[]>>;
  meldingen(): Promise<readonly Melding[]>;
  /** What is on screen now is seen: remembered sealed on this device; badge and popup follow. */
  markGelezen(ids: readonly string[]): Promise<void>;
  hulpvraagTitels(): readonly string[];
  /** Opens the dossier (it then stays in sync) and reads its screen's view. */
  dossierDetail(dossierId: string): Promise<Result<DossierDetail>>;
  /** Whether this user is an ouder linked to the dossier (who may give toestemming) [R46]. */
  isGekoppeldeOuder(dossierId: string): boolean;
  exportFormulier(dossierId: string, hulpvraagId: string, formulierId: string): Promise<Result<{ naam: string; bytes: Uint8Array }>>;
  /** Per onderwerp, the messages this device has shown (kept sealed on the device). */
  overlegGezien(overlegrondeId: string): Promise<OverlegGezien>;
  /** The onderwerp was on screen: its messages no longer count as new on this device. */
  markeerOnderwerpGezien(
    dossierId: string,
    overlegrondeId: string,
    onderwerp: Pick<Onderwerp, 'id' | 'opening' | 'reacties'>,
  ): Promise<void>;
  /** Every dossier this browser holds (the FG holds only access lists): for "Wie kan wat lezen". */
  privacyDossiers(): Promise<readonly { readonly id: string; readonly naam: string }[]>;
  /** Per dossier the retention date, any hold and the day of deletion, soonest first [R80, R81]. */
  bewaarRegels(): Promise<readonly BewaarRegel[]>;

  // ---- beheer: an invitation as the handover text names it ----
  invite(input: {
    voornaam: string;
    achternaam: string;
    functie: string;
    email: string;
    organisatie: { naam: string; soort: string } | { id: string };
    roles: readonly Role[];
  }): Promise<Result<Uitnodiging>>;
  /** Beheerder: a code for another device of a member; the new browser joins with it and its own keys [R148]. */
  apparaatUitnodigen(userId: string): Promise<Result<Uitnodiging>>;

  // ---- this browser ----
  /** Scans every IndexedDB database of this origin, and the extension's storage, for a marker. */
  scanIndexedDb(marker: string): Promise<ScanRapport>;
  onAanwezigheid(listener: (dossierId: string) => void): () => void;
  /** Seals a draft; the dossier it belongs to (purged with it) follows from the key. */
  saveDraft(key: string, value: string): Promise<void>;
}
