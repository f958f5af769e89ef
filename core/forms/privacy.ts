// The privacy check on a form: prefilled leerling fields (name, birth date,
// address, ouders) belong on the form, but the free-text answers must not
// repeat them (the TLV form's help: "Geen namen").
import type { PiiDetector, PiiFinding } from '../privacy/detector.js';
import { allFields, type FormDefinition, type FormField } from './form-definition.js';
import { isLeerlingVeld } from './prefill.js';
import type { FormValues } from './validate.js';

/** Free-text fields that do not carry leerling data by design. */
export const fieldNeedsPrivacyCheck = (f: FormField): boolean => (f.type === 'tekst' || f.type === 'lange-tekst') && !isLeerlingVeld(f);

export function checkFormPrivacy(
  def: FormDefinition,
  values: FormValues,
  detector: PiiDetector,
): { readonly key: string; readonly label: string; readonly findings: readonly PiiFinding[] }[] {
  const out: { key: string; label: string; findings: PiiFinding[] }[] = [];
  for (const f of allFields(def)) {
    const v = values[f.key];
    if (!fieldNeedsPrivacyCheck(f) || typeof v !== 'string' || v.trim() === '') continue;
    const findings = detector.scan(v);
    if (findings.length > 0) out.push({ key: f.key, label: f.label, findings });
  }
  return out;
}
