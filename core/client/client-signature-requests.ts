// Signing as a request (issue 21): the school asks its bevoegd gezag to sign the hulpvraag's
// form; the request lives encrypted beside the answers, the bevoegd gezag gets a content-free
// notification, and "open" means: asked, and no valid signature made after the request.
import { FORM_DEFINITIONS, formForHulpvraagTitel } from '../forms/definitions/form-set.js';
import { checkReadyToSign } from '../forms/signature-slot.js';
import { asId, type DossierId, type FormulierId, type HulpvraagId, type UserId } from '../model/ids.js';
import { fail, ok, type Result } from '../result.js';
import type { ClientCore } from './client-core.js';
import { formSignature, schoolOf } from './client-forms.js';
import { roomOf } from '../access/rooms.js';
import { dossierSession } from './dossier-session.js';
import * as docs from './dossier-docs.js';
import { locked } from './state/session.js';

export interface SignatureRequestView {
  readonly dossierId: DossierId;
  readonly hulpvraagId: HulpvraagId;
  readonly formulierId: FormulierId;
  readonly door: UserId;
  readonly doorNaam: string;
  readonly aan: readonly UserId[];
  readonly aanNamen: readonly string[];
  readonly op: string;
  /** Asked and not yet answered by a valid signature made after the request. */
  readonly open: boolean;
}

/** The school asks its bevoegd gezag (everyone holding that role at the hulpvraag's school) to sign. */
export async function requestFormSignature(
  c: ClientCore,
  dossierId: DossierId,
  hulpvraagId: HulpvraagId,
  formulierId: FormulierId,
): Promise<Result<SignatureRequestView>> {
  const id = c.id;
  if (!id) return locked();
  const d = c.doc(dossierId, `formulieren:${hulpvraagId}`);
  if (!d.ok) return d;
  const def = FORM_DEFINITIONS.find((f) => f.id === formulierId);
  const meta = d.value.st.docs.get(`hulpvraag:${hulpvraagId}`);
  const titel = meta ? docs.readHulpvraagMeta(meta.doc)?.titel : undefined;
  if (!def || (titel !== undefined && formForHulpvraagTitel(titel)?.id !== def.id))
    return fail('formulier-onbekend', 'Dit formulier hoort niet bij deze hulpvraag.');
  // Only a complete form can be signed, so only a complete form is worth asking for.
  const ready = checkReadyToSign(def, docs.readValues(d.value.doc));
  if (!ready.ok)
    return fail(
      'formulier-onvolledig',
      `U kunt nog niet om ondertekening vragen. ${ready.error.message.replace(/^Het formulier kan nog niet worden ondertekend\. /, '')}`,
    );
  const school = schoolOf(d.value.st);
  if (school !== id.organisationId)
    return fail('niet-toegestaan', 'Alleen de school van deze hulpvraag kan het bevoegd gezag om ondertekening vragen.');
  const bestuur = c.directory
    .certificates()
    .filter((cert) => cert.body.organisation === school && cert.body.roles.includes('bevoegd-gezag') && cert.body.user !== id.userId);
  if (bestuur.length === 0)
    return fail(
      'geen-bevoegd-gezag',
      'Er is nog niemand met de rol bevoegd gezag van uw school aangesloten bij Kindkluis. Vraag de beheerder van het samenwerkingsverband om een uitnodiging voor uw bestuurder.',
    );
  const verzoek = { door: id.userId, aan: bestuur.map((b) => b.body.user), op: c.now().toISOString() };
  const w = await dossierSession(c, d.value.st).write(`formulieren:${hulpvraagId}`, (doc) =>
    docs.writeSignatureRequest(doc, formulierId, verzoek),
  );
  if (!w.ok) return w;
  // Content-free: the relay learns only that these people have something new in this dossier.
  c.notifyLater('status', roomOf(dossierId, 'toegang'), verzoek.aan);
  const v = await signatureRequest(c, dossierId, hulpvraagId, formulierId);
  if (!v.ok) return v;
  return v.value ? ok(v.value) : fail('niet-opgeslagen', 'Het verzoek om ondertekening is niet opgeslagen.');
}

/** The latest request to sign this form, with whether it is still open, or null. */
export async function signatureRequest(
  c: ClientCore,
  dossierId: DossierId,
  hulpvraagId: HulpvraagId,
  formulierId: FormulierId,
): Promise<Result<SignatureRequestView | null>> {
  const d = c.doc(dossierId, `formulieren:${hulpvraagId}`);
  if (!d.ok) return d;
  const r = docs.readSignatureRequest(d.value.doc, formulierId);
  if (r === null) return ok(null);
  const sig = await formSignature(c, dossierId, hulpvraagId, formulierId);
  const beantwoord = sig.ok && sig.value !== null && sig.value.geldig && sig.value.op >= r.op;
  return ok({
    dossierId,
    hulpvraagId,
    formulierId,
    door: asId<UserId>(r.door),
    doorNaam: c.directory.nameOf(r.door),
    aan: r.aan.map((u) => asId<UserId>(u)),
    aanNamen: r.aan.map((u) => c.directory.nameOf(u)),
    op: r.op,
    open: !beantwoord,
  });
}

/** Open requests addressed to me, in every dossier this device holds: the bevoegd gezag's meldingen. */
export async function openSignatureRequestsForMe(c: ClientCore): Promise<SignatureRequestView[]> {
  const id = c.id;
  if (!id) return [];
  const out: SignatureRequestView[] = [];
  for (const st of c.dossiers.values()) {
    const dossierId = st.id;
    for (const [scope] of st.docs) {
      if (!scope.startsWith('formulieren:')) continue;
      const hulpvraagId = asId<HulpvraagId>(scope.slice('formulieren:'.length));
      const meta = st.docs.get(`hulpvraag:${hulpvraagId}`);
      const titel = meta ? docs.readHulpvraagMeta(meta.doc)?.titel : undefined;
      const def = titel === undefined ? undefined : formForHulpvraagTitel(titel);
      if (!def) continue;
      const r = await signatureRequest(c, dossierId, hulpvraagId, asId<FormulierId>(def.id));
      if (r.ok && r.value !== null && r.value.open && r.value.aan.includes(id.userId)) out.push(r.value);
    }
  }
  return out;
}
