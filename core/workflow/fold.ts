// Status is derived: the fold of the append-only status log. Events are put in one
// canonical order first (relay sequence, then time, then id), so two clients holding the same
// events — in whatever order they received them — compute the same status and rejections.
import type { RecordedStatusEvent } from '../model/status-event.js';
import type { WorkflowEffect } from './effects.js';
import { transition, type TransitionError } from './engine.js';
import type { WorkflowState } from './state.js';

export interface AppliedEvent {
  readonly event: RecordedStatusEvent;
  readonly changed: boolean;
  readonly effects: readonly WorkflowEffect[];
}

export interface RejectedEvent {
  readonly event: RecordedStatusEvent;
  readonly error: TransitionError;
}

export interface FoldResult {
  readonly state: WorkflowState;
  readonly applied: readonly AppliedEvent[];
  /** Illegal events stay in the log (it is append-only) but are skipped and shown as rejected. */
  readonly rejected: readonly RejectedEvent[];
}

const timeKey = (at: string): number => {
  const t = Date.parse(at);
  return Number.isNaN(t) ? Number.POSITIVE_INFINITY : t;
};

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const seqKey = (e: RecordedStatusEvent): number => (e.relaySeq === undefined ? Number.POSITIVE_INFINITY : e.relaySeq);

/**
 * The canonical order of a status log (a total order on the events' data, so it does not depend
 * on arrival order): events the relay has sequenced first, by relay sequence; then events still
 * waiting for the relay (own offline changes), by time, id and content.
 */
function orderStatusEvents(events: readonly RecordedStatusEvent[]): RecordedStatusEvent[] {
  return [...events].sort(
    (a, b) =>
      seqKey(a) - seqKey(b) ||
      timeKey(a.at) - timeKey(b.at) ||
      cmp(a.at, b.at) ||
      cmp(a.id, b.id) ||
      cmp(JSON.stringify(a), JSON.stringify(b)),
  );
}

/** Folds a status log onto an initial state (from `initialState`). */
export function foldStatusEvents(initial: WorkflowState, events: readonly RecordedStatusEvent[]): FoldResult {
  let state = initial;
  const applied: AppliedEvent[] = [];
  const rejected: RejectedEvent[] = [];
  for (const event of orderStatusEvents(events)) {
    const at = Date.parse(event.at);
    // The event's own time is "now" for its checks: replay never depends on today's clock.
    const result = transition(state, event, event.actor, new Date(Number.isNaN(at) ? 0 : at));
    if (result.ok) {
      state = result.value.state;
      applied.push({ event, changed: result.value.changed, effects: result.value.effects });
    } else {
      rejected.push({ event, error: result.error });
    }
  }
  return { state, applied, rejected };
}
