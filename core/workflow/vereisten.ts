// What a transition asks to be in the hulpvraag first (signed form, bijlagen of a kind),
// checked against what the client found, with the missing items in Dutch for the screen.
import { BIJLAGE_SOORTEN, type BijlageSoort } from '../model/hulpvraag.js';
import { fail, ok, type Result } from '../result.js';
import type { ProcessDefinition, TransitionVereist } from './definition.js';

/** The state of the hulpvraag's form signature, as the client verified it. */
export type Ondertekening = 'geldig' | 'vervallen' | 'ontbreekt' | 'geen-formulier';

export interface AanwezigVoorOvergang {
  readonly ondertekening: Ondertekening;
  readonly bijlageSoorten: readonly BijlageSoort[];
}

/** What the definition requires for the move `from` → `to`, or null. */
export function vereistVoor(def: ProcessDefinition, from: string, to: string): TransitionVereist | null {
  return def.transitions.find((t) => t.to === to && t.from.includes(from))?.vereist ?? null;
}

/** Each missing item as a Dutch sentence part; empty when the move may go ahead. */
export function ontbrekendVoorOvergang(vereist: TransitionVereist, aanwezig: AanwezigVoorOvergang): string[] {
  const out: string[] = [];
  if (vereist.ondertekendFormulier) {
    switch (aanwezig.ondertekening) {
      case 'geldig':
        break;
      case 'vervallen':
        out.push(
          'de handtekening van het bevoegd gezag is vervallen omdat het formulier na ondertekening is gewijzigd; laat het bevoegd gezag opnieuw ondertekenen',
        );
        break;
      case 'ontbreekt':
        out.push('het formulier is nog niet digitaal ondertekend door het bevoegd gezag');
        break;
      case 'geen-formulier':
        out.push('het aanvraagformulier ontbreekt');
        break;
    }
  }
  for (const soort of vereist.bijlagen) {
    if (!aanwezig.bijlageSoorten.includes(soort)) out.push(`de bijlage "${BIJLAGE_SOORTEN[soort]}" ontbreekt`);
  }
  return out;
}

/** The refusal the client gives (code `vereisten-ontbreken`), or ok. */
export function checkVereisten(to: string, vereist: TransitionVereist | null, aanwezig: AanwezigVoorOvergang): Result<void> {
  if (vereist === null) return ok(undefined);
  const mist = ontbrekendVoorOvergang(vereist, aanwezig);
  if (mist.length === 0) return ok(undefined);
  return fail('vereisten-ontbreken', `De status "${to}" kan nog niet worden gekozen: ${mist.join('; ')}.`);
}
