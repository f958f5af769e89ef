// The bevoegd gezag's digital signature under a form (002: "Het bevoegd gezag
// moet vervolgens de aanvraag digitaal ondertekenen"), between the facade and
// core/forms + core/access: what is signed, where it is kept (inside the
// encrypted formulieren doc), and the check every reader does on every read.
import type * as Y from 'yjs';
import type { CryptoProvider } from '../crypto/provider.js';
import type { CanonicalValue } from '../crypto/canonical.js';
import type { DeviceSigner } from '../access/build-record.js';
import { decodeFormSignature, encodeFormSignature, signForm, verifyFormSignature } from '../access/form-signature.js';
import type { DeviceRevocations } from '../access/device-chain.js';
import type { FormDefinition } from '../forms/form-definition.js';
import { checkReadyToSign, signingPayload } from '../forms/signature-slot.js';
import { FORM_DEFINITIONS } from '../forms/definitions/form-set.js';
import type { FormValue } from '../model/formulier.js';
import type { DossierId, FormulierId, HulpvraagId, OrganisationId, SwvId } from '../model/ids.js';
import { asId } from '../model/ids.js';
import { fail, ok, type Result } from '../result.js';
import type { FormSignatureView } from './api.js';
import { readFormSignature, readValues, writeFormSignature } from './dossier-docs.js';

export interface FormRef {
  readonly dossierId: DossierId;
  readonly hulpvraagId: HulpvraagId;
  readonly formulierId: FormulierId;
}

/** The form definition a formulier id names; only forms that are signed at all can be signed. */
export function signableDefinition(formulierId: FormulierId): Result<FormDefinition> {
  const def = FORM_DEFINITIONS.find((d) => d.id === formulierId);
  if (!def) return fail('formulier-onbekend', 'Dit formulier bestaat niet (meer).');
  if (def.ondertekening === null) return fail('formulier-zonder-ondertekening', `Het formulier "${def.naam}" wordt niet ondertekend.`);
  return ok(def);
}

/** Hulpvraag and formulier ids are in the signed value, so a signature copied to another hulpvraag no longer fits its content. */
const contentOf = (def: FormDefinition, ref: FormRef, waarden: Readonly<Record<string, FormValue>>): CanonicalValue =>
  signingPayload(def, { id: ref.formulierId, hulpvraagId: ref.hulpvraagId, waarden }) as unknown as CanonicalValue;

/** Signs the current answers (complete only) and stores the signature in the doc via `write`. */
export async function signFormIn(
  provider: CryptoProvider,
  doc: Y.Doc,
  ref: FormRef,
  signer: DeviceSigner,
  at: Date,
  write: (mutation: (doc: Y.Doc) => void) => Promise<Result<void>>,
): Promise<Result<void>> {
  const def = signableDefinition(ref.formulierId);
  if (!def.ok) return def;
  const waarden = readValues(doc);
  const ready = checkReadyToSign(def.value, waarden);
  if (!ready.ok) return ready;
  const sig = await signForm(provider, {
    dossier: ref.dossierId,
    formulier: ref.formulierId,
    content: contentOf(def.value, ref, waarden),
    signer,
    at,
  });
  if (!sig.ok) return sig;
  const bytes = encodeFormSignature(sig.value);
  return write((d) => writeFormSignature(d, ref.formulierId, bytes));
}

/**
 * Reads and verifies the signature under a form: the signer's chain at the
 * signing time, the bevoegd-gezag role, the hulpvraag's own school, this dossier
 * and formulier; `geldig` is false once an answer changed after signing.
 */
export async function formSignatureIn(
  provider: CryptoProvider,
  doc: Y.Doc,
  ref: FormRef,
  roots: ReadonlyMap<SwvId, Uint8Array>,
  school: OrganisationId | null,
  /** The dossier's device revocations: a signature its device made at or after its revocation is refused. */
  revocations?: DeviceRevocations,
): Promise<Result<FormSignatureView | null>> {
  const bytes = readFormSignature(doc, ref.formulierId);
  if (bytes === null) return ok(null);
  const def = signableDefinition(ref.formulierId);
  if (!def.ok) return def;
  const sig = decodeFormSignature(bytes);
  if (!sig.ok) return sig;
  if (sig.value.dossier !== ref.dossierId || sig.value.formulier !== ref.formulierId) {
    return fail('handtekening-ongeldig', 'De handtekening onder het formulier hoort bij een ander formulier.');
  }
  const v = await verifyFormSignature(provider, sig.value, contentOf(def.value, ref, readValues(doc)), roots, {
    ...(school === null ? {} : { expectedOrganisation: school }),
    ...(revocations === undefined ? {} : { revocations }),
  });
  if (!v.ok) return v;
  const naam = [v.value.voornaam, v.value.achternaam].filter((x) => x !== null && x !== '').join(' ');
  return ok({
    formulierId: asId<FormulierId>(ref.formulierId),
    door: v.value.userId,
    naam: naam || 'het bevoegd gezag',
    functie: v.value.functie ?? '',
    organisatie: v.value.organisatie,
    op: v.value.signedAt.toISOString(),
    geldig: v.value.unchanged,
  });
}
