// Forms and the LVS data of a hulpvraag: values checked against the form definition,
// the bevoegd gezag's signature.
import { asId } from '../model/ids.js';
import type { DossierId, FormulierId, HulpvraagId, LeerlingId, OrganisationId } from '../model/ids.js';
import type { FormValue } from '../model/formulier.js';
import { ok, fail, type Result } from '../result.js';
import { FORM_DEFINITIONS, formForHulpvraagTitel } from '../forms/definitions/form-set.js';
import { checkFormPrivacy } from '../forms/privacy.js';
import { createPiiDetector } from '../privacy/detector.js';
import { privacyLeerlingFrom } from '../privacy/from-leerling.js';
import { saveFormValues } from '../forms/validate.js';
import { prefillForm, type PrefillSources } from '../forms/prefill.js';
import { allFields, type FormDefinition } from '../forms/form-definition.js';
import { berekenProAdvies } from '../pro/advies.js';
import { getHulpvraag } from './client-hulpvragen.js';
import { checkLvsValues, LVS_FREE_TEXT_KEYS, proInputFromLvsForm } from '../pro/lvs-form.js';
import type { FormSignatureView } from './api.js';
import * as docs from './dossier-docs.js';
import type { DossierState } from './dossier-state.js';
import { formSignatureIn, signFormIn } from './form-signing.js';
import type { ClientCore } from './client-core.js';
import { leerlingOf } from './client-dossiers.js';
import { dossierSession } from './dossier-session.js';
import { locked } from './state/session.js';
import { unknownDossier } from './state/dossier-registry.js';

export function getForm(c: ClientCore, dossierId: DossierId, hulpvraagId: HulpvraagId): Result<Readonly<Record<string, FormValue>>> {
  const d = c.doc(dossierId, `formulieren:${hulpvraagId}`);
  return d.ok ? ok(docs.readValues(d.value.doc)) : d;
}

export async function setFormValues(
  c: ClientCore,
  dossierId: DossierId,
  hulpvraagId: HulpvraagId,
  formulierId: FormulierId,
  values: Readonly<Record<string, FormValue>>,
): Promise<Result<void>> {
  const st = c.dossiers.get(dossierId);
  if (!st) return unknownDossier();
  // The form the hulpvraag's titel attaches (core/forms): its fields and types decide what is stored.
  const def = FORM_DEFINITIONS.find((d) => d.id === formulierId);
  const hv = st.docs.get(`hulpvraag:${hulpvraagId}`);
  const meta = hv ? docs.readHulpvraagMeta(hv.doc) : null;
  if (!def || (meta && formForHulpvraagTitel(meta.titel)?.id !== def.id))
    return fail('formulier-onbekend', 'Dit formulier hoort niet bij deze hulpvraag.');
  const saved = saveFormValues(def, values);
  if (!saved.ok) return saved;
  const advies = checkBerekendAdvies(c, dossierId, hulpvraagId, def, saved.value.values);
  if (!advies.ok) return advies;
  // Free-text answers must not repeat leerling data; the prefilled leerling fields belong on the form (core/forms/privacy).
  const leerling = leerlingOf(st);
  const bevindingen = leerling ? checkFormPrivacy(def, saved.value.values, createPiiDetector(privacyLeerlingFrom(leerling))) : [];
  if (bevindingen.length > 0) {
    return fail(
      'persoonsgegevens',
      `Persoonsgegevens van de leerling in: ${bevindingen.map((b) => b.label).join(', ')}. Die horen alleen in het tabblad Leerling.`,
    );
  }
  const cleared = Object.keys(values).filter((k) => !(k in saved.value.values));
  return dossierSession(c, st).write(`formulieren:${hulpvraagId}`, (doc) => docs.writeValues(doc, saved.value.values, cleared));
}

export async function signForm(
  c: ClientCore,
  dossierId: DossierId,
  hulpvraagId: HulpvraagId,
  formulierId: FormulierId,
): Promise<Result<FormSignatureView>> {
  const id = c.id;
  if (!id) return locked();
  const d = c.doc(dossierId, `formulieren:${hulpvraagId}`);
  if (!d.ok) return d;
  const school = schoolOf(d.value.st);
  if (!id.roles.includes('bevoegd-gezag'))
    return fail('geen-bevoegd-gezag', 'Alleen het bevoegd gezag van de school kan dit formulier ondertekenen.');
  if (school !== null && school !== id.organisationId)
    return fail('verkeerde-ondertekenaar', 'U bent bevoegd gezag van een andere school dan die van deze hulpvraag.');
  const ref = { dossierId, hulpvraagId, formulierId };
  const signer = { chain: id.chain, deviceSecretKey: id.device.secretKey };
  const w = await signFormIn(c.provider, d.value.doc, ref, signer, c.now(), (fn) =>
    dossierSession(c, d.value.st).write(`formulieren:${hulpvraagId}`, fn),
  );
  if (!w.ok) return w;
  const v = await formSignature(c, dossierId, hulpvraagId, formulierId);
  if (!v.ok) return v;
  return v.value ? ok(v.value) : fail('niet-opgeslagen', 'De handtekening is niet opgeslagen.');
}

export async function formSignature(
  c: ClientCore,
  dossierId: DossierId,
  hulpvraagId: HulpvraagId,
  formulierId: FormulierId,
): Promise<Result<FormSignatureView | null>> {
  const id = c.id;
  if (!id) return locked();
  const d = c.doc(dossierId, `formulieren:${hulpvraagId}`);
  if (!d.ok) return d;
  return formSignatureIn(
    c.provider,
    d.value.doc,
    { dossierId, hulpvraagId, formulierId },
    id.roots,
    schoolOf(d.value.st),
    d.value.st.access?.revocations,
  );
}

/**
 * The school that owns a hulpvraag: the dossier's owner in the signed access list, the only bevoegd
 * gezag that may sign its forms. Not the document's `schoolId`, which any writer of the hulpvraag can
 * change (a partnerschool would otherwise let its own bevoegd gezag sign) [R126].
 */
export function schoolOf(st: DossierState): OrganisationId | null {
  return st.access ? st.access.owner : null;
}

export function getLvs(c: ClientCore, dossierId: DossierId, hulpvraagId: HulpvraagId): Result<Readonly<Record<string, FormValue>>> {
  const d = c.doc(dossierId, `lvs:${hulpvraagId}`);
  return d.ok ? ok(docs.readValues(d.value.doc)) : d;
}

export async function setLvs(
  c: ClientCore,
  dossierId: DossierId,
  hulpvraagId: HulpvraagId,
  values: Readonly<Record<string, FormValue>>,
): Promise<Result<void>> {
  const st = c.dossiers.get(dossierId);
  if (!st) return unknownDossier();
  const checked = checkLvsValues(values);
  if (!checked.ok) return checked;
  const vrij = LVS_FREE_TEXT_KEYS.map((k) => checked.value.set[k]).filter((v): v is string => typeof v === 'string');
  return dossierSession(c, st).write(
    `lvs:${hulpvraagId}`,
    (doc) => docs.writeValues(doc, checked.value.set, checked.value.cleared),
    vrij.join('\n'),
  );
}

/**
 * What the form of a hulpvraag can fill in from what is already known (002 "wordt automatisch
 * ingevuld"): the leerling tab, the schoolgegevens, the aanvrager's profile and the hulpvraag.
 * Only the answers not given yet; nothing is stored until the user saves the form.
 */
export function formVoorinvulling(
  c: ClientCore,
  dossierId: DossierId,
  hulpvraagId: HulpvraagId,
): Result<Readonly<Record<string, FormValue>>> {
  const st = c.dossiers.get(dossierId);
  if (!st) return unknownDossier();
  const hv = getHulpvraag(c, dossierId, hulpvraagId);
  if (!hv.ok) return hv;
  const def = formForHulpvraagTitel(hv.value.titel);
  if (!def) return ok({});
  const stored = getForm(c, dossierId, hulpvraagId);
  const existing = stored.ok ? stored.value : {};
  const leerling = leerlingOf(st);
  const aanvrager = c.directory.person(hv.value.school.aanvrager)?.profile;
  const filled = prefillForm(
    def,
    {
      ...(leerling ? { leerling: { ...leerling, id: asId<LeerlingId>(dossierId) } } : {}),
      school: { naam: hv.value.school.naam },
      schoolgegevens: { contactpersoon: hv.value.school.contactpersoon, email: hv.value.school.email },
      ...(aanvrager ? { aanvrager: { voornaam: aanvrager.voornaam, achternaam: aanvrager.achternaam, functie: aanvrager.functie } } : {}),
      hulpvraag: { titel: hv.value.titel, datum: hv.value.aangemaaktOp.slice(0, 10) },
      ...proUitLvs(c, dossierId, hulpvraagId),
    },
    existing,
  );
  return ok(
    Object.fromEntries(Object.entries(filled).filter(([k]) => existing[k] === undefined || existing[k] === null || existing[k] === '')),
  );
}

/** The calculator's outcome from the hulpvraag's LVS data (core/pro), for the PrO form; nothing while the LVS data do not suffice. */
function proUitLvs(c: ClientCore, dossierId: DossierId, hulpvraagId: HulpvraagId): Pick<PrefillSources, 'pro'> {
  const lvs = getLvs(c, dossierId, hulpvraagId);
  if (!lvs.ok) return {};
  const invoer = proInputFromLvsForm(lvs.value);
  if (typeof invoer === 'string') return {};
  const advies = berekenProAdvies(invoer, { now: c.now() });
  if (!advies.ok) return {};
  return {
    pro: { advies: advies.value.advies, dl: advies.value.dl, toetsdatum: invoer.toetsdatum, ...(invoer.iq ? { iq: invoer.iq.score } : {}) },
  };
}

/**
 * The PrO form's berekend advies is the calculator's (core/pro), not a free choice (issue 17): a different
 * answer is refused while the LVS data give one. Without enough LVS data the field is not checked.
 */
function checkBerekendAdvies(
  c: ClientCore,
  dossierId: DossierId,
  hulpvraagId: HulpvraagId,
  def: FormDefinition,
  values: Readonly<Record<string, FormValue>>,
): Result<void> {
  const veld = allFields(def).find((f) => f.prefill === 'pro.advies');
  const gegeven = veld ? values[veld.key] : undefined;
  if (!veld || gegeven === undefined || gegeven === null || gegeven === '') return ok(undefined);
  const pro = proUitLvs(c, dossierId, hulpvraagId).pro;
  if (pro?.advies === undefined) return ok(undefined);
  const berekend = prefillForm(def, { pro }, {})[veld.key];
  if (berekend === undefined || berekend === gegeven) return ok(undefined);
  return fail(
    'advies-wijkt-af',
    `Het berekend advies volgt uit de LVS-gegevens van deze hulpvraag: ${String(berekend)}. Pas zo nodig de LVS-gegevens aan; vraagt u toch praktijkonderwijs aan, licht dat dan toe in het formulier.`,
  );
}
