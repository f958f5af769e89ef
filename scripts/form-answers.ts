// A complete set of answers for any form definition: every field gets a value its type
// accepts. Used by the demo and the client tests to reach a form the bevoegd gezag can sign.
import type { FormDefinition } from '../core/forms/form-definition.js';
import type { FormValue } from '../core/model/formulier.js';

/** Every field answered with a value its type accepts: a complete form whatever the definition holds. */
export function completeAnswers(def: FormDefinition): Record<string, FormValue> {
  const out: Record<string, FormValue> = {};
  for (const s of def.secties)
    for (const f of s.velden) {
      switch (f.type) {
        case 'datum':
          out[f.key] = '2026-08-01';
          break;
        case 'getal':
          out[f.key] = f.min ?? 1;
          break;
        case 'email':
          out[f.key] = 'school@voorbeeld.nl';
          break;
        case 'telefoon':
          out[f.key] = '0201234567';
          break;
        case 'keuze':
          out[f.key] = f.options?.[0] ?? 'x';
          break;
        case 'meerkeuze':
          out[f.key] = [f.options?.[0] ?? 'x'];
          break;
        case 'ja-nee':
          out[f.key] = true;
          break;
        default:
          out[f.key] = 'Beschreven in het OPP';
      }
    }
  return out;
}
