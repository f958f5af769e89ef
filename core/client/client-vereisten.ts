// What a hulpvraag holds that a transition may require (core/workflow/vereisten.ts):
// the verified signature under its own form and the kinds of its bijlagen.
import { formForHulpvraagTitel } from '../forms/definitions/form-set.js';
import { asId, type DossierId, type FormulierId, type HulpvraagId } from '../model/ids.js';
import type { BijlageSoort } from '../model/hulpvraag.js';
import type { AanwezigVoorOvergang, Ondertekening } from '../workflow/vereisten.js';
import type { ClientCore } from './client-core.js';
import { formSignature } from './client-forms.js';
import * as docs from './dossier-docs.js';
import type { DossierState } from './dossier-state.js';

export async function aanwezigVoorOvergang(
  c: ClientCore,
  st: DossierState,
  dossierId: DossierId,
  hulpvraagId: HulpvraagId,
  titel: string,
): Promise<AanwezigVoorOvergang> {
  const form = formForHulpvraagTitel(titel);
  let ondertekening: Ondertekening = 'geen-formulier';
  if (form) {
    const sig = await formSignature(c, dossierId, hulpvraagId, asId<FormulierId>(form.id));
    // A signature that does not verify (forged, another school's) counts as none.
    ondertekening = !sig.ok || sig.value === null ? 'ontbreekt' : sig.value.geldig ? 'geldig' : 'vervallen';
  }
  const doc = st.docs.get(`hulpvraag:${hulpvraagId}`)?.doc;
  const bijlageSoorten: BijlageSoort[] = doc ? docs.readBijlagen(doc).flatMap((b) => (b.soort === undefined ? [] : [b.soort])) : [];
  return { ondertekening, bijlageSoorten };
}
