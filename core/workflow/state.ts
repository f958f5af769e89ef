// The state the engine folds status events into, and the hulpvraag facts it needs
// to decide whether an actor's role counts (owning school, coördinator, behandelaars).
import type { IsoDateTime } from '../model/dates.js';
import type { HulpvraagId, OrganisationId, UserId } from '../model/ids.js';
import type { TlvAfgifte } from '../model/tlv-verklaring.js';
import type { ProcessDefinition, SwvProcessConfig } from './definition.js';
import type { Relatie } from './selector.js';

export interface HulpvraagContext {
  readonly hulpvraagId: HulpvraagId;
  /** The organisation owning the hulpvraag (the school; for Jonge Kind possibly the SWV). */
  readonly schoolId: OrganisationId;
  readonly aanvrager: UserId;
  readonly coordinator: UserId | null;
  readonly behandelaars: readonly UserId[];
  readonly betrokkenOrganisaties: readonly { readonly organisationId: OrganisationId; readonly relatie: Relatie }[];
}

/** One accepted status change, as shown in the Statushistorie. */
export interface AppliedStatusChange {
  readonly eventId: string;
  readonly from: string;
  readonly to: string;
  readonly at: IsoDateTime;
  readonly by: UserId;
  readonly omschrijving?: string;
  /** True when a bijlage moved the status (002). */
  readonly automatic: boolean;
}

export interface WorkflowState {
  readonly definition: ProcessDefinition;
  readonly config: SwvProcessConfig;
  readonly context: HulpvraagContext;
  readonly titel: string;
  readonly status: string;
  readonly history: readonly AppliedStatusChange[];
  /** Ids of every event already processed (accepted, or accepted without change), for idempotence. */
  readonly seenEventIds: readonly string[];
  /** The TLV recorded by the last status that records one. */
  readonly tlv: TlvAfgifte | null;
}
