// Every process of the seed manuals, validated once at load; lookup by titel and id.
import type { ProcessId } from '../model/ids.js';
import { fail, ok, type KkError, type Result } from '../result.js';
import { parseProcessSet, type ProcessDefinition } from '../workflow/definition.js';
import { BAG } from './bag.js';
import { BAO_BAO } from './bao-bao.js';
import { BEZWAAR_TLV } from './bezwaar-tlv.js';
import { FINANCIEEL_ARRANGEMENT } from './financieel-arrangement.js';
import { JONGE_KIND } from './jonge-kind.js';
import { PO_TLV } from './po-tlv.js';
import { PRAKTIJKONDERWIJS } from './praktijkonderwijs.js';
import { SCHAKELVOORZIENING } from './schakelvoorziening.js';
import { TEAM_SCHOOLONDERSTEUNING } from './team-schoolondersteuning.js';
import { TLV_VSO } from './tlv-vso.js';

const BUILT_IN = parseProcessSet([
  TLV_VSO,
  FINANCIEEL_ARRANGEMENT,
  PRAKTIJKONDERWIJS,
  SCHAKELVOORZIENING,
  BAG,
  JONGE_KIND,
  TEAM_SCHOOLONDERSTEUNING,
  PO_TLV,
  BAO_BAO,
  BEZWAAR_TLV,
]);
if (!BUILT_IN.ok) throw new Error(BUILT_IN.error.message);

/**
 * The built-in definitions, checked as the set an SWV's own definitions would be (each by the schema,
 * ids and titels unique, so `processForTitel` finds exactly one): a bad one fails loudly at load.
 */
export const PROCESS_DEFINITIONS: readonly ProcessDefinition[] = BUILT_IN.value;

/** The hulpvraag titels a user can choose from, in list order. */
export const titelsOf = (defs: readonly ProcessDefinition[] = PROCESS_DEFINITIONS): string[] =>
  defs.flatMap((d) => d.starts.map((s) => s.titel));

export function processForTitel(
  titel: string,
  defs: readonly ProcessDefinition[] = PROCESS_DEFINITIONS,
): Result<ProcessDefinition, KkError<'onbekende-titel'>> {
  const def = defs.find((d) => d.starts.some((s) => s.titel === titel));
  return def === undefined ? fail('onbekende-titel', `Er is geen proces voor de titel '${titel}'. Kies een titel uit de lijst.`) : ok(def);
}

export function processById(
  id: ProcessId | string,
  defs: readonly ProcessDefinition[] = PROCESS_DEFINITIONS,
): Result<ProcessDefinition, KkError<'onbekend-proces'>> {
  const def = defs.find((d) => d.id === id);
  return def === undefined ? fail('onbekend-proces', `Het proces '${id}' bestaat niet bij dit samenwerkingsverband.`) : ok(def);
}

/** The process a stored hulpvraag runs: by its processId, falling back to its titel. */
export function processOfHulpvraag(
  h: { readonly processId: string; readonly titel: string },
  defs: readonly ProcessDefinition[] = PROCESS_DEFINITIONS,
): Result<ProcessDefinition, KkError<'onbekend-proces' | 'onbekende-titel'>> {
  const byId = processById(h.processId, defs);
  return byId.ok ? byId : processForTitel(h.titel, defs);
}
