// The LVS tab's answers as stored in the dossier (002, PrO zij-instroom): which
// keys exist, what each may hold, and how they become the calculator's input.
// One place for the UI (live advice) and the client facade (what it accepts).
import { z } from 'zod';
import type { FormValue } from '../model/formulier.js';
import { fail, ok, type Result } from '../result.js';
import type { ProInput } from './advies.js';
import { PRO_DOMAINS, type ProDomain } from './domains.js';

export type LvsFormValues = Readonly<Record<string, FormValue>>;

const DATE_KEYS = ['iq-testdatum', 'toetsdatum'] as const;
const NUMBER_KEYS = ['iq', 'groep', 'doublures', 'dl', ...PRO_DOMAINS.map((d) => `dle-${d}`)] as const;
const TEXT_KEYS = ['iq-toelichting'] as const;
const FLAG_KEYS = ['sociaal-emotioneel'] as const;

/** Free text that could repeat leerling data: checked for PII like every text outside the Leerling tab. */
export const LVS_FREE_TEXT_KEYS: readonly string[] = TEXT_KEYS;

const blank = (v: unknown): boolean => v === null || v === undefined || (typeof v === 'string' && v.trim() === '');
const numberLike = z.union([
  z.number().finite(),
  z
    .string()
    .max(20)
    .regex(/^\s*-?\d+([.,]\d+)?\s*$/),
]);
const dateLike = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/**
 * Saving: incomplete is fine; unknown keys, non-numbers in number fields and
 * malformed dates are refused in Dutch; empty answers are dropped (so clearing
 * a field removes it). Numbers typed with a comma are kept as typed.
 */
export function checkLvsValues(
  values: LvsFormValues,
): Result<{ readonly set: Readonly<Record<string, FormValue>>; readonly cleared: readonly string[] }> {
  const set: Record<string, FormValue> = {};
  const cleared: string[] = [];
  const problems: string[] = [];
  for (const [key, v] of Object.entries(values)) {
    if (blank(v)) {
      cleared.push(key);
      continue;
    }
    if ((DATE_KEYS as readonly string[]).includes(key)) {
      if (dateLike.safeParse(v).success) set[key] = v;
      else problems.push(`${key}: geen geldige datum (JJJJ-MM-DD)`);
    } else if ((NUMBER_KEYS as readonly string[]).includes(key)) {
      if (numberLike.safeParse(v).success) set[key] = typeof v === 'string' ? v.trim() : v;
      else problems.push(`${key}: geen getal`);
    } else if ((TEXT_KEYS as readonly string[]).includes(key)) {
      if (typeof v === 'string' && v.length <= 5_000) set[key] = v;
      else problems.push(`${key}: tekst te lang (hooguit 5.000 tekens)`);
    } else if ((FLAG_KEYS as readonly string[]).includes(key)) {
      if (typeof v === 'boolean') set[key] = v;
      else problems.push(`${key}: ja of nee`);
    } else problems.push(`"${key}" is geen LVS-gegeven`);
  }
  if (problems.length > 0)
    return fail('lvs-ongeldig', `De LVS-gegevens kunnen niet worden opgeslagen: ${problems.join('; ')}.`, { velden: problems });
  return ok({ set, cleared });
}

const text = (w: LvsFormValues, k: string): string => {
  const v = w[k];
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
};
const number = (s: string): number | undefined => {
  if (s.trim() === '') return undefined;
  const n = Number(s.replace(',', '.'));
  return Number.isFinite(n) ? n : undefined;
};

/** The calculator's input from the LVS answers, or in Dutch what is still needed for it. */
export function proInputFromLvsForm(w: LvsFormValues): ProInput | string {
  const toetsdatum = text(w, 'toetsdatum');
  if (toetsdatum === '') return 'Vul de toetsdatum in om DL en LA te berekenen.';
  const dl = number(text(w, 'dl'));
  const groep = number(text(w, 'groep'));
  const doublures = number(text(w, 'doublures')) ?? 0;
  const dlBron: ProInput['dlBron'] | undefined =
    dl !== undefined ? { kind: 'direct', dl } : groep !== undefined ? { kind: 'groep', groep, doublures } : undefined;
  if (!dlBron) return 'Vul de groep en het aantal doublures in (of de didactische leeftijd) om de DL te berekenen.';
  const dle: Partial<Record<ProDomain, number>> = {};
  for (const d of PRO_DOMAINS) {
    const v = number(text(w, `dle-${d}`));
    if (v !== undefined) dle[d] = v;
  }
  const iqScore = number(text(w, 'iq'));
  const iqDatum = text(w, 'iq-testdatum');
  return {
    toetsdatum,
    dlBron,
    dle,
    sociaalEmotioneleProblematiek: w['sociaal-emotioneel'] === true,
    ...(iqScore !== undefined && iqDatum !== '' ? { iq: { score: iqScore, testdatum: iqDatum } } : {}),
  };
}
