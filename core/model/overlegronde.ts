// An overlegronde: a time-boxed consultation with invited participants (000, 003).
// Participants see the hulpvraag and bijlagen, not the forms; they may react until the einddatum.
import type { IsoDateTime } from './dates.js';
import type { HulpvraagId, MessageId, OverlegrondeId, UserId } from './ids.js';

export const MAX_OVERLEGRONDE_DAGEN = 14;

export interface Overlegronde {
  readonly id: OverlegrondeId;
  readonly hulpvraagId: HulpvraagId;
  readonly titel: string;
  /** What is expected of the participants (003). */
  readonly omschrijving: string;
  readonly aangemaaktDoor: UserId;
  readonly startdatum: IsoDateTime;
  /** At most 14 days after the start (003). */
  readonly einddatum: IsoDateTime;
  readonly deelnemers: readonly UserId[];
  readonly berichten: readonly MessageId[];
  /** Set when the process closed it early (e.g. end status reached). */
  readonly geslotenOp?: IsoDateTime;
}
