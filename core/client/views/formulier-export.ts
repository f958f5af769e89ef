// A hulpvraag's form as a Word file (002 "formulier exporteren"), over the client API: the saved
// answers, and the bevoegd gezag's signature only when it is verified and still covers them.
// The file name carries the form, never the leerling.
import type { DossierId, FormulierId, HulpvraagId } from '../../model/ids.js';
import { FORM_DEFINITIONS } from '../../forms/definitions/form-set.js';
import { fail, ok, type Result } from '../../result.js';
import type { KindkluisClient } from '../api.js';

export async function formulierExport(
  client: KindkluisClient,
  dossierId: DossierId,
  hulpvraagId: HulpvraagId,
  formulierId: FormulierId,
  nu: Date,
): Promise<Result<{ naam: string; bytes: Uint8Array }>> {
  const hv = client.getHulpvraag(dossierId, hulpvraagId);
  if (!hv.ok) return hv;
  const def = FORM_DEFINITIONS.find((d) => d.id === formulierId);
  if (!def) return fail('formulier-onbekend', 'Dit formulier bestaat niet (meer).');
  const waarden = client.getForm(dossierId, hulpvraagId);
  const sig = await client.formSignature(dossierId, hulpvraagId, formulierId);
  // Only a verified signature that still covers these answers goes on paper.
  const geldig = sig.ok && sig.value?.geldig ? sig.value : null;
  // docx is large: loaded only when someone exports.
  const { exportFormToDocx } = await import('../../forms/export-docx.js');
  const bytes = await exportFormToDocx({
    definition: def,
    waarden: waarden.ok ? waarden.value : {},
    ondertekening: geldig
      ? { door: geldig.door, functie: [geldig.functie, geldig.organisatie].filter(Boolean).join(', '), op: geldig.op, handtekening: '' }
      : null,
    ...(geldig ? { ondertekenaarNaam: geldig.naam } : {}),
    hulpvraagTitel: hv.value.titel,
    exportedAt: nu,
  });
  return ok({ naam: `${def.naam}.docx`, bytes });
}
