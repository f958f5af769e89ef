// Builds the calculator input from the LVS tab and schoolgegevens, as the seed
// describes (002: "toetsdatum (hieruit worden DL en LA automatisch berekend mits
// leerjaar en doublures correct zijn ingevuld in schoolgegevens)").
import type { Schoolgegevens } from '../model/hulpvraag.js';
import type { LvsGegevens } from '../model/lvs.js';
import { fail, ok, type Result } from '../result.js';
import type { ProInput } from './advies.js';
import type { DlSource } from './didactische-leeftijd.js';
import type { ProDomain } from './domains.js';

/** Uses the most recent score per domain; each keeps its own toetsdatum, so its LA uses the DL of that day. */
export function proInputFromLvs(lvs: LvsGegevens, school?: Pick<Schoolgegevens, 'leerjaar' | 'doublures'>): Result<ProInput> {
  const latest = new Map<ProDomain, { dle: number; toetsdatum: string }>();
  for (const s of lvs.toetsscores) {
    const prev = latest.get(s.domein);
    if (!prev || s.toetsdatum > prev.toetsdatum) latest.set(s.domein, { dle: s.dle, toetsdatum: s.toetsdatum });
  }
  if (latest.size === 0) return fail('pro-geen-toetsgegevens', 'Er zijn nog geen toetsscores (DLE) ingevuld op het tabblad LVS.');
  const toetsdatum =
    [...latest.values()]
      .map((v) => v.toetsdatum)
      .sort()
      .at(-1) ?? '';
  let dlBron: DlSource;
  if (lvs.didactischeLeeftijd !== undefined) dlBron = { kind: 'direct', dl: lvs.didactischeLeeftijd };
  else if (lvs.startGroep3 !== undefined) dlBron = { kind: 'startGroep3', startGroep3: lvs.startGroep3 };
  else if (school?.leerjaar !== undefined)
    dlBron = { kind: 'groep', groep: school.leerjaar, doublures: school.doublures ?? lvs.doublures ?? 0 };
  else
    return fail(
      'pro-geen-dl',
      'De didactische leeftijd kan niet worden berekend: vul de DL in, de startdatum van groep 3, of het leerjaar en het aantal doublures bij de schoolgegevens.',
    );
  const dle: Partial<Record<ProDomain, number>> = {};
  const toetsdatumPerDomein: Partial<Record<ProDomain, string>> = {};
  for (const [domain, v] of latest) {
    dle[domain] = v.dle;
    if (v.toetsdatum !== toetsdatum) toetsdatumPerDomein[domain] = v.toetsdatum;
  }
  const base = { toetsdatum, dlBron, sociaalEmotioneleProblematiek: lvs.sociaalEmotioneleProblematiek ?? false, dle, toetsdatumPerDomein };
  return ok(lvs.iq ? { ...base, iq: { score: lvs.iq.totaal, testdatum: lvs.iq.testdatum } } : base);
}
