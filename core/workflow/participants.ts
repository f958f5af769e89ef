// Access for someone linked to a hulpvraag mid-process (a new behandelaar, a second school
// van voorkeur): the status' visibility speaks of roles and relations, so the newcomer gets
// what that selector holds in the current status.
import type { AccessEntry } from './definition.js';
import type { WorkflowEffect } from './effects.js';
import { statusDefinition } from './engine.js';
import { selectorKey, type PrincipalSelector } from './selector.js';
import type { WorkflowState } from './state.js';

/** The visibility of the current status. */
export const currentAccess = (state: WorkflowState): readonly AccessEntry[] => statusDefinition(state.definition, state.status)?.access ?? [];

/** Grant effects that give a newly linked participant what its selector holds in the current status. */
export function grantsForNewParticipant(state: WorkflowState, selector: PrincipalSelector): WorkflowEffect[] {
  const key = selectorKey(selector);
  return currentAccess(state)
    .filter((e) => selectorKey(e.to) === key)
    .flatMap((e) =>
      e.scopes.map((scope): WorkflowEffect => ({ kind: 'grant-scope', hulpvraagId: state.context.hulpvraagId, to: e.to, scope, rights: e.rights, expiresAt: null })),
    );
}

/** Whether a selector may see the hulpvraag itself in the current status. */
export const canSeeHulpvraag = (state: WorkflowState, selector: PrincipalSelector): boolean =>
  currentAccess(state).some((e) => selectorKey(e.to) === selectorKey(selector) && e.scopes.includes('hulpvraag'));
