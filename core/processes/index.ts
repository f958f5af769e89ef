// Every process of the seed manuals, validated once at load; lookup by titel and id.
import type { ProcessId } from '../model/ids.js';
import { fail, ok, type KkError, type Result } from '../result.js';
import { ProcessDefinitionSchema, parseProcessDefinition, type ProcessDefinition } from '../workflow/definition.js';
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

export { BAG, BAO_BAO, FINANCIEEL_ARRANGEMENT, JONGE_KIND, PO_TLV, PRAKTIJKONDERWIJS, SCHAKELVOORZIENING, TEAM_SCHOOLONDERSTEUNING, TLV_VSO };

/** The built-in definitions, parsed by the same schema an SWV's own definition goes through (a bad one fails loudly at load). */
export const PROCESS_DEFINITIONS: readonly ProcessDefinition[] = [
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
].map((d) => ProcessDefinitionSchema.parse(d));

/** The hulpvraag titels a user can choose from, in list order. */
export const titelsOf = (defs: readonly ProcessDefinition[] = PROCESS_DEFINITIONS): string[] => defs.flatMap((d) => d.starts.map((s) => s.titel));

export function processForTitel(titel: string, defs: readonly ProcessDefinition[] = PROCESS_DEFINITIONS): Result<ProcessDefinition, KkError<'onbekende-titel'>> {
  const def = defs.find((d) => d.starts.some((s) => s.titel === titel));
  return def === undefined ? fail('onbekende-titel', `Er is geen proces voor de titel '${titel}'. Kies een titel uit de lijst.`) : ok(def);
}

export function processById(id: ProcessId | string, defs: readonly ProcessDefinition[] = PROCESS_DEFINITIONS): Result<ProcessDefinition, KkError<'onbekend-proces'>> {
  const def = defs.find((d) => d.id === id);
  return def === undefined ? fail('onbekend-proces', `Het proces '${id}' bestaat niet bij dit samenwerkingsverband.`) : ok(def);
}

/** The process a stored hulpvraag runs: by its processId, falling back to its titel. */
export function processOfHulpvraag(h: { readonly processId: string; readonly titel: string }, defs: readonly ProcessDefinition[] = PROCESS_DEFINITIONS): Result<ProcessDefinition, KkError<'onbekend-proces' | 'onbekende-titel'>> {
  const byId = processById(h.processId, defs);
  return byId.ok ? byId : processForTitel(h.titel, defs);
}

/**
 * Parses an SWV's own set of definitions (beheer page, import): each must be valid, and ids and
 * titels must be unique across the set, or a titel would start two processes.
 */
export function parseProcessSet(input: readonly unknown[]): Result<ProcessDefinition[]> {
  const defs: ProcessDefinition[] = [];
  for (const [i, item] of input.entries()) {
    const r = parseProcessDefinition(item);
    if (!r.ok) return fail('procesdefinitie-ongeldig', `Proces ${i + 1}: ${r.error.message}`);
    defs.push(r.value);
  }
  const ids = new Set<string>();
  const titels = new Map<string, string>();
  for (const d of defs) {
    if (ids.has(d.id)) return fail('proces-dubbel', `Het proces '${d.id}' komt twee keer voor.`);
    ids.add(d.id);
    for (const s of d.starts) {
      const other = titels.get(s.titel);
      if (other !== undefined) return fail('titel-dubbel', `De titel '${s.titel}' start zowel '${other}' als '${d.naam}'; een titel mag maar één proces starten.`);
      titels.set(s.titel, d.naam);
    }
  }
  return ok(defs);
}
