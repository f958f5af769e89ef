// Betrokken organisaties of a hulpvraag (001: the voorschoolse voorziening, the school van
// voorkeur; 000: the BaO-BaO partnerschool): the process's access, meldingen and status moves
// reach the organisations named here.
import { useState } from 'preact/hooks';
import { RELATIES, type Relatie } from '../../../core/workflow/selector.js';
import type { HulpvraagDetail } from '../../../core/client/port.js';
import { ActieMelding, useActie } from '../components/busy.js';
import { Field } from '../components/field.js';
import { useBackend, useLoad } from '../context.js';
import { Select } from '../components/controls.js';

const RELATIE_LABEL: Record<Relatie, string> = {
  'voorschoolse-voorziening': 'Voorschoolse voorziening',
  'school-van-voorkeur': 'School van voorkeur',
  partnerschool: 'Partnerschool',
  zorgpartner: 'Zorgpartner',
};

export function BetrokkenOrganisaties(props: { readonly hv: HulpvraagDetail; readonly alleenLezen: boolean }) {
  const backend = useBackend();
  const actie = useActie();
  const v = props.hv.view;
  // The certified list is the beheerder's alone; everyone else knows organisations from the signed
  // ledenlijst, so the contactpersoon JK can name the voorschoolse voorziening of a member (001).
  const { data } = useLoad((b) => b.organisations(), []);
  const organisaties = [
    ...new Map([
      ...backend.directory().map((p) => [p.organisationId as string, p.organisatieNaam] as const),
      ...(data?.ok ? data.value.map((o) => [o.id, o.naam] as const) : []),
    ]),
  ]
    .map(([id, naam]) => ({ id, naam }))
    .sort((a, b) => a.naam.localeCompare(b.naam, 'nl'));
  const naam = (id: string): string => organisaties.find((o) => o.id === id)?.naam ?? 'onbekende organisatie';
  const [org, setOrg] = useState('');
  const [relatie, setRelatie] = useState<Relatie>('voorschoolse-voorziening');
  const opslaan = (lijst: HulpvraagDetail['view']['betrokkenOrganisaties']) =>
    void actie.run(
      () => backend.updateHulpvraag(v.dossierId, v.id, { betrokkenOrganisaties: lijst }),
      'Betrokken organisaties bijgewerkt; de toegang volgt de status.',
    );
  return (
    <section aria-labelledby="betrokken-kop">
      <h3 id="betrokken-kop">Betrokken organisaties</h3>
      {v.betrokkenOrganisaties.length === 0 ? <p>Geen.</p> : null}
      <ul>
        {v.betrokkenOrganisaties.map((b) => (
          <li key={`${b.organisationId}-${b.relatie}`}>
            {naam(b.organisationId)} ({RELATIE_LABEL[b.relatie]}){' '}
            {!props.alleenLezen ? (
              <button type="button" class="secundair" onClick={() => opslaan(v.betrokkenOrganisaties.filter((x) => x !== b))}>
                Ontkoppelen<span class="sr-only"> {naam(b.organisationId)}</span>
              </button>
            ) : null}
          </li>
        ))}
      </ul>
      {!props.alleenLezen ? (
        <div class="kk-rij">
          <Field id="betrokken-org" label="Organisatie">
            <Select id="betrokken-org" value={org} onChange={(e) => setOrg(e.currentTarget.value)}>
              <option value="">– kies –</option>
              {organisaties.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.naam}
                </option>
              ))}
            </Select>
          </Field>
          <Field id="betrokken-relatie" label="Als">
            <Select id="betrokken-relatie" value={relatie} onChange={(e) => setRelatie(e.currentTarget.value as Relatie)}>
              {RELATIES.map((r) => (
                <option key={r} value={r}>
                  {RELATIE_LABEL[r]}
                </option>
              ))}
            </Select>
          </Field>
          <button
            type="button"
            disabled={actie.bezig || org === ''}
            onClick={() =>
              opslaan([
                ...v.betrokkenOrganisaties,
                { organisationId: org as HulpvraagDetail['view']['betrokkenOrganisaties'][number]['organisationId'], relatie },
              ])
            }
          >
            Koppelen
          </button>
        </div>
      ) : null}
      <ActieMelding actie={actie} />
    </section>
  );
}
