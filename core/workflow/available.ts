// The status changes an actor may make right now: the UI offers only these.
import type { Actor } from '../model/user.js';
import { actorHoldsAnyRole } from './actor-role.js';
import { statusDefinition, transitionsFrom } from './engine.js';
import type { WorkflowState } from './state.js';

export interface AvailableTransition {
  readonly to: string;
  readonly isEnd: boolean;
  readonly isWithdrawal: boolean;
  /** What the omschrijving must contain, when one is required. */
  readonly omschrijvingVerplicht: string | null;
  /** The change needs the TLV fields (volgnummer, categorie, period, deskundigen). */
  readonly requiresTlv: boolean;
}

export function availableTransitions(state: WorkflowState, actor: Actor): AvailableTransition[] {
  const seen = new Set<string>();
  const out: AvailableTransition[] = [];
  for (const option of transitionsFrom(state.definition, state.status)) {
    if (seen.has(option.to) || !actorHoldsAnyRole(actor, option.by, state.context)) continue;
    const target = statusDefinition(state.definition, option.to);
    if (target === undefined) continue;
    seen.add(option.to);
    out.push({
      to: target.status,
      isEnd: target.end,
      isWithdrawal: option.withdrawal,
      omschrijvingVerplicht: target.omschrijvingVerplicht ?? null,
      requiresTlv: target.recordsTlv === true,
    });
  }
  return out;
}

/** True while the hulpvraag has not reached an end status ("openstaand", 002). */
export const isOpen = (state: WorkflowState): boolean => statusDefinition(state.definition, state.status)?.end !== true;
