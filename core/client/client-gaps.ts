// Persistent Yjs gaps are fetched again [R120]. A room's updates can all be
// accepted while its document still misses what they build on (Yjs keeps them
// as pending structs or delete sets): a relay skipped a record, or one was lost
// on the way. Such a document is incomplete, not merely late: nothing shows it
// unless the client looks. After each batch the client notes the gap; if it is
// still there after a short delay it fetches the room again from the first seq
// this device is missing, a bounded number of times with backoff, and the
// dossier says so meanwhile, and says so differently once the retries failed.
import type * as Y from 'yjs';
import type { Scope } from '../access/rooms.js';
import type { ClientCore } from './client-core.js';
import type { DossierState } from './dossier-state.js';
import { missingSeqs } from './client-seen.js';

/** First wait before a gap counts as persistent; doubled after each refetch. */
export const GAP_RETRY_MS = 2_000;
/** Refetches per gap before the dossier says the relay does not deliver everything. */
export const GAP_RETRIES = 4;

export const GAP_WARNING = 'Er ontbreken wijzigingen in dit dossierdeel; Kindkluis haalt ze opnieuw op.';
export const GAP_FAILED_WARNING =
  'De server levert niet alle wijzigingen van dit dossierdeel; vraag een ander lid of zijn kopie volledig is.';

export interface RoomGap {
  readonly scope: Scope;
  /** Refetches made for this gap so far. */
  attempts: number;
  /** All refetches made and the document still misses updates. */
  failed: boolean;
  timer: ReturnType<typeof setTimeout> | null;
}

/** Whether a document misses updates that others it holds build on (Yjs could not integrate them yet). */
const docHasGap = (doc: Y.Doc): boolean => doc.store.pendingStructs !== null || doc.store.pendingDs !== null;

/**
 * After a batch of `room` was applied (its records up to `batchHead`): a complete document ends any gap
 * noted before; an incomplete one is noted, and checked again after a delay (the refetch happens then).
 */
export function noteDocGap(c: ClientCore, st: DossierState, scope: Scope, room: string, doc: Y.Doc, batchHead: number): void {
  const gap = st.trust.yjsGaps.get(room);
  if (!docHasGap(doc)) {
    if (batchHead > (st.trust.completeUpTo.get(room) ?? 0)) st.trust.completeUpTo.set(room, batchHead);
    if (gap) endGap(c, st, room, gap);
    return;
  }
  if (gap) return;
  const fresh: RoomGap = { scope, attempts: 0, failed: false, timer: null };
  st.trust.yjsGaps.set(room, fresh);
  c.diagnostics.report(GAP_WARNING);
  schedule(c, st, room, fresh);
}

/** The first seq to fetch again: the lowest seq the relay skipped for this device, else the one after the last complete state. */
export function refetchFrom(st: DossierState, room: string): number {
  const after = (st.trust.completeUpTo.get(room) ?? 0) + 1;
  const skipped = missingSeqs(st, room)[0];
  return skipped === undefined ? after : Math.min(skipped, after);
}

/** The dossier's warnings for gaps: being fetched again, or the relay failed to deliver them. */
export function gapWarnings(st: DossierState): string[] {
  const gaps = [...st.trust.yjsGaps.values()];
  const out: string[] = [];
  if (gaps.some((g) => !g.failed)) out.push(GAP_WARNING);
  if (gaps.some((g) => g.failed)) out.push(GAP_FAILED_WARNING);
  return out;
}

/** Timers end with the session (the engine that would refetch is gone). */
export function stopGapTimers(st: DossierState): void {
  for (const g of st.trust.yjsGaps.values()) {
    if (g.timer !== null) clearTimeout(g.timer);
    g.timer = null;
  }
}

function schedule(c: ClientCore, st: DossierState, room: string, gap: RoomGap): void {
  gap.timer = setTimeout(() => checkGap(c, st, room, gap), c.gapRetryMs * 2 ** gap.attempts);
}

function checkGap(c: ClientCore, st: DossierState, room: string, gap: RoomGap): void {
  gap.timer = null;
  if (st.trust.yjsGaps.get(room) !== gap) return;
  const doc = st.docs.get(gap.scope);
  if (doc === undefined || !docHasGap(doc.doc)) {
    endGap(c, st, room, gap);
    return;
  }
  if (gap.attempts >= GAP_RETRIES) {
    gap.failed = true;
    c.diagnostics.report(GAP_FAILED_WARNING);
    c.emit({ kind: 'dossier', dossierId: st.id });
    c.emit({ kind: 'sync', state: c.syncState() });
    return;
  }
  gap.attempts += 1;
  c.background(c.relay.engine?.refetch(room, refetchFrom(st, room)));
  schedule(c, st, room, gap);
}

function endGap(c: ClientCore, st: DossierState, room: string, gap: RoomGap): void {
  if (gap.timer !== null) clearTimeout(gap.timer);
  st.trust.yjsGaps.delete(room);
  c.diagnostics.clearIfOneOf(GAP_WARNING, GAP_FAILED_WARNING);
  c.emit({ kind: 'dossier', dossierId: st.id });
}
