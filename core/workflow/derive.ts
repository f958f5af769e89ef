// The status of a stored hulpvraag: its titel picks the initial state, its status log is folded.
import type { Hulpvraag } from '../model/hulpvraag.js';
import type { KkError, Result } from '../result.js';
import { ok } from '../result.js';
import type { ProcessDefinition, SwvProcessConfig } from './definition.js';
import { initialState } from './engine.js';
import { foldStatusEvents, type FoldResult } from './fold.js';
import { contextOfHulpvraag } from './state.js';

export function deriveHulpvraagStatus(h: Hulpvraag, definition: ProcessDefinition, config: SwvProcessConfig): Result<FoldResult, KkError<'onbekende-titel'>> {
  const init = initialState(definition, h.titel, contextOfHulpvraag(h), config);
  if (!init.ok) return init;
  return ok(foldStatusEvents(init.value, h.statusEvents));
}
