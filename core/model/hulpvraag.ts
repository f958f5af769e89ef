// A hulpvraag: one support request inside a dossier, running one process selected by its titel (002).
// It holds no personal data of the leerling: omschrijving and labels are checked by core/privacy.
import type { IsoDate, IsoDateTime } from './dates.js';
import type { AanpakId, BijlageId, DossierId, FormulierId, HulpvraagId, OrganisationId, ProcessId, UserId } from './ids.js';
import type { RecordedStatusEvent } from './status-event.js';

/** Who at the school filed the hulpvraag and gets the status e-mails (002 "personeelwijziging"). */
export interface Schoolgegevens {
  readonly schoolId: OrganisationId;
  readonly aanvrager: UserId;
  /** Name of the contactpersoon as it appears to the SWV (a staff member, not the leerling). */
  readonly contactpersoon: string;
  readonly email: string;
  /** Leerjaar and doublures feed the didactische leeftijd (PrO). */
  readonly leerjaar?: number;
  readonly doublures?: number;
}

export interface BijlageMeta {
  readonly id: BijlageId;
  readonly bestandsnaam: string;
  readonly mediaType: string;
  /** Bytes of the plaintext; at most 10 MB (002). */
  readonly grootte: number;
  readonly toegevoegdOp: IsoDateTime;
  readonly toegevoegdDoor: UserId;
  /** Content address of the encrypted blob (core/crypto/attachment.ts). */
  readonly adres: string;
  /** What the bijlage is, where a process asks for one kind (002: "in ieder geval … het OPP"). */
  readonly soort?: BijlageSoort;
}

/** Kinds of bijlage a process can require before a status (002 stap 7; 000 toestemming op papier). */
export const BIJLAGE_SOORTEN = {
  opp: 'Ontwikkelingsperspectiefplan (OPP)',
  'aanvraagformulier-ouders': 'Door ouders ondertekend aanvraagformulier',
  'toestemming-ouders': 'Toestemmingsformulier ouders (papier)',
  overig: 'Overige bijlage',
} as const;
export type BijlageSoort = keyof typeof BIJLAGE_SOORTEN;
export const BIJLAGE_SOORT_IDS = Object.keys(BIJLAGE_SOORTEN) as [BijlageSoort, ...BijlageSoort[]];

export const MAX_BIJLAGE_BYTES = 10 * 1024 * 1024;

/** Team Schoolondersteuning (003): the IB/COO records an aanpak and invites a behandelaar (the regierolhouder). */
export interface Aanpak {
  readonly id: AanpakId;
  readonly omschrijving: string;
  readonly behandelaar: { readonly userId: UserId; readonly naam: string; readonly email: string };
  readonly startdatum: IsoDate;
  readonly einddatum?: IsoDate;
  readonly aangemaaktDoor: UserId;
}

/** An organisation linked to the hulpvraag besides the owning school (voorschoolse voorziening, school van voorkeur, partner school). */
export interface BetrokkenOrganisatie {
  readonly organisationId: OrganisationId;
  readonly relatie: 'voorschoolse-voorziening' | 'school-van-voorkeur' | 'partnerschool' | 'zorgpartner';
  readonly sinds: IsoDateTime;
}

export interface Hulpvraag {
  readonly id: HulpvraagId;
  readonly dossierId: DossierId;
  /** The titel chosen from the list; selects process, first status and form (002). */
  readonly titel: string;
  /** The type shown in the list (usually equal to the titel). */
  readonly type: string;
  readonly processId: ProcessId;
  /** Hulpvraagdatum. */
  readonly datum: IsoDate;
  readonly schoolgegevens: Schoolgegevens;
  /** Short relevant explanation; never a name (002). */
  readonly omschrijving: string;
  /** SWV person responsible; the school leaves it empty (002), can change (003). */
  readonly coordinator: UserId | null;
  readonly labels: readonly string[];
  readonly bijlagen: readonly BijlageMeta[];
  readonly aanpak: readonly Aanpak[];
  readonly betrokkenOrganisaties: readonly BetrokkenOrganisatie[];
  readonly formulieren: readonly FormulierId[];
  /** Append-only; the status is derived from it. */
  readonly statusEvents: readonly RecordedStatusEvent[];
}
