// Every form definition the seeds mention, and lookup by hulpvraag titel.
import type { FormDefinition } from '../form-definition.js';
import { aanvraagBag, aanvraagSchakelvoorziening } from './bag-sv.js';
import { aanvraagFinancieelArrangement } from './financieel-arrangement.js';
import { groeidocumentTeamSchoolondersteuning } from './groeidocument.js';
import { aanvraagOnderwijsadviesJongeKind } from './jonge-kind.js';
import { aanvraagPraktijkonderwijs } from './praktijkonderwijs.js';
import { aanvraagTlvVso } from './tlv-vso.js';

export const FORM_DEFINITIONS: readonly FormDefinition[] = [
  aanvraagTlvVso,
  aanvraagFinancieelArrangement,
  aanvraagPraktijkonderwijs,
  aanvraagOnderwijsadviesJongeKind,
  groeidocumentTeamSchoolondersteuning,
  aanvraagBag,
  aanvraagSchakelvoorziening,
];

/** The form attached automatically when a hulpvraag gets this titel (002), if any. */
export function formForHulpvraagTitel(
  titel: string,
  definitions: readonly FormDefinition[] = FORM_DEFINITIONS,
): FormDefinition | undefined {
  const t = titel.trim().toLowerCase();
  return definitions.find((d) => d.hulpvraagTitels.some((h) => h.toLowerCase() === t));
}
