// The bevoegd gezag's signature slot (002: "Het bevoegd gezag moet vervolgens de
// aanvraag digitaal ondertekenen"). Here: when a form may be signed, the exact
// value that is signed: a later change gives other bytes, so the signature no
// longer verifies (core/client/form-signing.ts shows it as 'vervallen').
import { SIGNING_CONTEXTS } from '../crypto/signing-contexts.js';
import type { FormulierId, HulpvraagId } from '../model/ids.js';
import type { Formulier, FormValue } from '../model/formulier.js';
import { fail, ok, type Result } from '../result.js';
import type { FormDefinition } from './form-definition.js';
import { checkForm, type FormValues } from './validate.js';

/** All required fields filled and valid: only then can the bevoegd gezag sign. */
export function checkReadyToSign(def: FormDefinition, values: FormValues): Result<void> {
  if (def.ondertekening === null) return fail('formulier-zonder-ondertekening', `Het formulier "${def.naam}" wordt niet ondertekend.`);
  const check = checkForm(def, values);
  if (!check.complete)
    return fail('formulier-onvolledig', `Het formulier kan nog niet worden ondertekend. ${check.message}`, {
      ontbreekt: check.missing.map((m) => m.key),
    });
  return ok(undefined);
}

export type SignableValue = string | boolean | null | readonly string[];

/**
 * The plain value the signature covers (for encodeCanonical): which form and
 * version, which formulier and hulpvraag, and every answer. Numbers become
 * strings because the canonical encoding carries integers only.
 */
export function signingPayload(
  def: FormDefinition,
  formulier: Pick<Formulier, 'id' | 'hulpvraagId' | 'waarden'>,
): {
  readonly context: typeof SIGNING_CONTEXTS.formContent;
  readonly definitie: string;
  readonly versie: number;
  readonly formulier: FormulierId;
  readonly hulpvraag: HulpvraagId;
  readonly waarden: Readonly<Record<string, SignableValue>>;
} {
  const waarden: Record<string, SignableValue> = {};
  for (const key of Object.keys(formulier.waarden).sort()) {
    const v: FormValue | undefined = formulier.waarden[key];
    if (v === undefined) continue;
    waarden[key] = typeof v === 'number' ? String(v) : v;
  }
  return {
    context: SIGNING_CONTEXTS.formContent,
    definitie: def.id,
    versie: def.versie,
    formulier: formulier.id,
    hulpvraag: formulier.hulpvraagId,
    waarden,
  };
}
