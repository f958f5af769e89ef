// A dossier: everything about one leerling in one SWV, owned by the school that filed it (000).
import type { IsoDateTime } from './dates.js';
import type { DossierId, HulpvraagId, LeerlingId, OrganisationId, OverlegrondeId, SwvId } from './ids.js';

export interface Dossier {
  readonly id: DossierId;
  readonly swvId: SwvId;
  readonly leerlingId: LeerlingId;
  /**
   * The owning organisation: the school that filed it (000 "Is eigenaar van het dossier").
   * For Jonge Kind the SWV creates the dossier before a school is involved, so the SWV may own it (001).
   */
  readonly eigenaar: OrganisationId;
  readonly aangemaaktOp: IsoDateTime;
  readonly hulpvragen: readonly HulpvraagId[];
  readonly overlegronden: readonly OverlegrondeId[];
}
