// The append-only status log of a hulpvraag. The current status is never stored:
// it is the fold of these events (DESIGN §3), see core/workflow/fold.ts.
import type { IsoDateTime } from './dates.js';
import type { BijlageId, StatusEventId } from './ids.js';
import type { TlvAfgifte } from './tlv-verklaring.js';
import type { Actor } from './user.js';

/** A person chose a new status (the "Status wijzigen" button). */
export interface StatusChangeEvent {
  readonly kind: 'status-change';
  readonly id: StatusEventId;
  readonly at: IsoDateTime;
  /** The status the actor saw when choosing; an event based on a stale status is rejected. */
  readonly from: string;
  readonly to: string;
  /** Instructions, meeting date, reason (002: "In de omschrijving bij een status kunnen instructies staan"). */
  readonly omschrijving?: string;
  /** Required when `to` is a status that records a TLV (e.g. *TLV afgegeven*). */
  readonly tlv?: TlvAfgifte;
}

/** A bijlage was added; in some statuses this moves the status automatically (002). */
export interface BijlageAddedEvent {
  readonly kind: 'bijlage-toegevoegd';
  readonly id: StatusEventId;
  readonly at: IsoDateTime;
  readonly bijlageId: BijlageId;
}

export type StatusEvent = StatusChangeEvent | BijlageAddedEvent;

/**
 * An event as stored in the log: with the actor from the author's verified certificate and,
 * once the relay has acknowledged the update that carried it, the relay's sequence number.
 * The sequence number (not the author's clock) then decides the order, so nobody can slip a
 * back-dated event in front of a decision.
 */
export type RecordedStatusEvent = StatusEvent & { readonly actor: Actor; readonly relaySeq?: number };
