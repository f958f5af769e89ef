// The signed retention records in a dossier's access list (issue 20) [R80, R81]:
// `bewaartermijn` fixes the day the retention period (WPO 18a lid 13) ends,
// `bewaarplicht` (the FG's hold: bezwaar, juridische procedure) postpones it.
// From these the relay and every client derive the same moment of deletion:
// the later of the two days plus a notice period the FG sees coming. On that
// moment clients purge their copy and keys, the relay deletes the dossier and
// keeps a tombstone (docs/PROTOCOL.md P60).
import type { DossierAccess } from './dossier-access.js';

/** Days between the end of retention (or hold) and the deletion: the FG's window to place a hold. */
export const BEWAAR_OPZEGTERMIJN_DAGEN = 28;
/** No SWV policy keeps a dossier shorter than this (RetentionPolicySchema: 1–20 years). */
export const MIN_BEWAAR_JAREN = 1;
export const MAX_BEWAAR_JAREN = 20;

const DAY_MS = 24 * 3600_000;

/** UTC midnight of an ISO day, in ms; NaN when it is no real day. */
export function dayStart(day: string): number {
  const t = Date.parse(`${day}T00:00:00Z`);
  return Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== day ? Number.NaN : t;
}

export const dayOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

export const plusYearsDay = (ms: number, years: number): string => {
  const d = new Date(ms);
  return dayOf(Date.UTC(d.getUTCFullYear() + years, d.getUTCMonth(), d.getUTCDate()));
};

export interface Vernietiging {
  /** The day retention ends (the signed record), or null while none is fixed. */
  readonly bewaarTot: string | null;
  /** The latest end of a hold, if any. */
  readonly bewaarplichtTot: string | null;
  /** When the dossier is deleted (ms): the later day plus the notice period; undefined while no date is fixed. */
  readonly vernietigOp: number | undefined;
}

export function vernietiging(access: DossierAccess): Vernietiging {
  const tot = access.bewaren?.tot ?? null;
  const plicht = access.bewaren?.plichtTot ?? null;
  if (tot === null) return { bewaarTot: null, bewaarplichtTot: plicht, vernietigOp: undefined };
  const day = plicht !== null && plicht > tot ? plicht : tot;
  return { bewaarTot: tot, bewaarplichtTot: plicht, vernietigOp: dayStart(day) + (BEWAAR_OPZEGTERMIJN_DAGEN + 1) * DAY_MS };
}

/** Has the deletion moment of this dossier passed at `now` (ms)? */
export const vernietigd = (access: DossierAccess, now: number): boolean => {
  const op = vernietiging(access).vernietigOp;
  return op !== undefined && op <= now;
};
