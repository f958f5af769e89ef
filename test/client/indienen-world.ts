// What TLV VSO (and FA) ask before indienen, for client tests (002 stap 5–7): the form
// filled in completely, signed by the bevoegd gezag, and the OPP and the ouders' signed
// aanvraagformulier added as bijlagen.
import type { FormDefinition } from '../../core/forms/form-definition.js';
import { formForHulpvraagTitel } from '../../core/forms/definitions/form-set.js';
import { completeAnswers } from '../../scripts/form-answers.js';
import { asId, type DossierId, type FormulierId, type HulpvraagId } from '../../core/model/ids.js';
import { eventually, type Member, type WorldSpec } from '../sync/harness.js';

export { completeAnswers };

/** The bevoegd gezag of a school, who signs its forms (only those of its own school). */
export const bestuurVan = (school: string): WorldSpec => ({
  naam: 'Bert Bestuur',
  functie: 'bestuurder',
  organisation: { naam: school, kind: 'school' },
  roles: ['bevoegd-gezag'],
});

/** The school board of OBS De Linde, the school of most client tests. */
export const BESTUUR: WorldSpec = bestuurVan('OBS De Linde');

export function formOf(titel: string): { def: FormDefinition; id: FormulierId } {
  const def = formForHulpvraagTitel(titel);
  if (!def) throw new Error(`${titel} heeft geen formulier`);
  return { def, id: asId<FormulierId>(def.id) };
}

/** The IB fills in the form and the bevoegd gezag signs it (once the form reached the board's client). */
export async function fillAndSign(ib: Member, bestuur: Member, dossier: DossierId, hv: HulpvraagId, titel = 'TLV VSO'): Promise<void> {
  const { def, id } = formOf(titel);
  const antwoorden = completeAnswers(def);
  const w = await ib.tc.client.setFormValues(dossier, hv, id, antwoorden);
  if (!w.ok) throw new Error(w.error.message);
  await eventually(async () => {
    await bestuur.tc.client.tick();
    const f = bestuur.tc.client.getForm(dossier, hv);
    return f.ok && Object.keys(antwoorden).every((k) => JSON.stringify(f.value[k]) === JSON.stringify(antwoorden[k]));
  }, 'volledig formulier bij het bevoegd gezag');
  const s = await bestuur.tc.client.signForm(dossier, hv, id);
  if (!s.ok) throw new Error(s.error.message);
  await eventually(async () => {
    await ib.tc.client.tick();
    const v = await ib.tc.client.formSignature(dossier, hv, id);
    return v.ok && v.value !== null && v.value.geldig;
  }, 'handtekening bij de IB');
}

/** The two bijlagen 002 names "in ieder geval". */
export async function addRequiredBijlagen(
  ib: Member,
  dossier: DossierId,
  hv: HulpvraagId,
  which: readonly ('opp' | 'aanvraagformulier-ouders')[] = ['opp', 'aanvraagformulier-ouders'],
): Promise<void> {
  for (const soort of which) {
    const r = await ib.tc.client.addBijlage(dossier, hv, {
      bestandsnaam: `${soort}.pdf`,
      mediaType: 'application/pdf',
      bytes: new TextEncoder().encode(`inhoud ${soort}`),
      soort,
    });
    if (!r.ok) throw new Error(r.error.message);
  }
}

/** Everything TLV VSO asks before indienen. */
export async function readyToSubmit(ib: Member, bestuur: Member, dossier: DossierId, hv: HulpvraagId, titel = 'TLV VSO'): Promise<void> {
  await fillAndSign(ib, bestuur, dossier, hv, titel);
  await addRequiredBijlagen(ib, dossier, hv);
}
