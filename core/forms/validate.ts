// Form validation: lists every missing required (yellow) field in Dutch, and
// rejects values of the wrong type. Saving an incomplete form is allowed;
// only the signature needs every required field.
import type { FormValue } from '../model/formulier.js';
import { fail, ok, type Result } from '../result.js';
import { parseIsoDate } from '../pro/calendar-date.js';
import type { FormDefinition, FormField } from './form-definition.js';

export type FormValues = Readonly<Record<string, FormValue>>;

export interface FormIssue {
  readonly key: string;
  readonly label: string;
  readonly sectie: string;
  readonly message: string;
}

export interface FormCheck {
  readonly complete: boolean;
  readonly missing: readonly FormIssue[];
  readonly invalid: readonly FormIssue[];
  /** Dutch summary for the UI: what still has to be filled in or corrected. */
  readonly message: string;
}

export const isEmptyValue = (v: FormValue | undefined): boolean =>
  v === undefined || v === null || (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0);

/** Required = yellow, or required because of another answer (requiredWhen). "^" fields never are. */
export function isRequired(field: FormField, values: FormValues): boolean {
  if (field.onlyIfApplicable) return false;
  if (field.required) return true;
  const w = field.requiredWhen;
  if (!w) return false;
  const other = values[w.field];
  if (w.equals !== undefined) return other === w.equals;
  if (w.notEquals !== undefined) return !isEmptyValue(other) && other !== w.notEquals;
  return false;
}

function typeProblem(field: FormField, v: FormValue): string | undefined {
  const label = `"${field.label}"`;
  switch (field.type) {
    case 'tekst':
    case 'lange-tekst':
      return typeof v === 'string' ? undefined : `${label} moet tekst zijn.`;
    case 'datum':
      return typeof v === 'string' && parseIsoDate(v) ? undefined : `${label} is geen geldige datum.`;
    case 'getal':
      if (typeof v !== 'number' || !Number.isFinite(v)) return `${label} moet een getal zijn.`;
      if (field.min !== undefined && v < field.min) return `${label} moet minstens ${field.min} zijn.`;
      if (field.max !== undefined && v > field.max) return `${label} mag hoogstens ${field.max} zijn.`;
      return undefined;
    case 'ja-nee':
      return typeof v === 'boolean' ? undefined : `${label} moet ja of nee zijn.`;
    case 'keuze':
      return typeof v === 'string' && (field.options ?? []).includes(v)
        ? undefined
        : `${label}: kies een van de mogelijkheden (${(field.options ?? []).join(', ')}).`;
    case 'meerkeuze':
      return Array.isArray(v) && v.every((x) => (field.options ?? []).includes(x))
        ? undefined
        : `${label}: kies uit ${(field.options ?? []).join(', ')}.`;
    case 'email':
      return typeof v === 'string' && /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/.test(v.trim()) ? undefined : `${label} is geen geldig e-mailadres.`;
    case 'telefoon':
      return typeof v === 'string' && /^\+?[\d\s().-]{8,20}$/.test(v.trim()) ? undefined : `${label} is geen geldig telefoonnummer.`;
  }
}

export function checkForm(def: FormDefinition, values: FormValues): FormCheck {
  const missing: FormIssue[] = [];
  const invalid: FormIssue[] = [];
  const known = new Set<string>();
  for (const sectie of def.secties) {
    for (const field of sectie.velden) {
      known.add(field.key);
      const v = values[field.key];
      if (isEmptyValue(v)) {
        if (isRequired(field, values))
          missing.push({
            key: field.key,
            label: field.label,
            sectie: sectie.titel,
            message: `"${field.label}" (${sectie.titel}) is verplicht.`,
          });
        continue;
      }
      const problem = typeProblem(field, v as FormValue);
      if (problem) invalid.push({ key: field.key, label: field.label, sectie: sectie.titel, message: problem });
    }
  }
  for (const key of Object.keys(values))
    if (!known.has(key))
      invalid.push({ key, label: key, sectie: '', message: `Het veld "${key}" hoort niet bij het formulier "${def.naam}".` });
  const parts: string[] = [];
  if (missing.length > 0)
    parts.push(
      `Nog ${missing.length} verplicht${missing.length === 1 ? ' veld' : 'e velden'} in te vullen: ${missing.map((m) => m.label).join(', ')}.`,
    );
  if (invalid.length > 0) parts.push(invalid.map((i) => i.message).join(' '));
  return {
    complete: missing.length === 0 && invalid.length === 0,
    missing,
    invalid,
    message: parts.length === 0 ? 'Alle verplichte velden zijn ingevuld.' : parts.join(' '),
  };
}

/** Saving: incomplete is fine (the result says what is missing); wrong types or unknown fields are refused. */
export function saveFormValues(def: FormDefinition, values: FormValues): Result<{ values: FormValues; check: FormCheck }> {
  const check = checkForm(def, values);
  if (check.invalid.length > 0)
    return fail(
      'formulier-ongeldige-waarden',
      `Het formulier kan niet worden opgeslagen: ${check.invalid.map((i) => i.message).join(' ')}`,
      { velden: check.invalid.map((i) => i.key) },
    );
  // Empty strings are stored as absent, so "filled" always means a real answer.
  const cleaned: Record<string, FormValue> = {};
  for (const [k, v] of Object.entries(values)) if (!isEmptyValue(v)) cleaned[k] = typeof v === 'string' ? v.trim() : v;
  return ok({ values: cleaned, check });
}
