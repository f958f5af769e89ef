// The ouders' digitale toestemming on the Hulpvraag tab (seed 001, R118): a linked ouder
// gives or withdraws it here, signed by her own device; everyone else sees whether it stands
// and from whom. Shown only for processes that wait for it (`toestemmingOuders`).
import { processForTitel } from '../../../core/processes/process-set.js';
import type { Relatie } from '../../../core/workflow/selector.js';
import type { HulpvraagDetail } from '../../../core/client/port.js';
import { ActieMelding, useActie } from '../components/busy.js';
import { useBackend, useLoad } from '../context.js';
import { formatDatum } from '../format.js';

const MET: Record<Relatie, string> = {
  'voorschoolse-voorziening': 'de voorschoolse voorziening',
  'school-van-voorkeur': 'de school van voorkeur',
  partnerschool: 'de partnerschool',
  zorgpartner: 'de zorgpartner',
};

export function ToestemmingOuders(props: { readonly hv: HulpvraagDetail }) {
  const v = props.hv.view;
  const p = processForTitel(v.titel);
  const voor = p.ok ? (p.value.toestemmingOuders ?? []) : [];
  if (voor.length === 0) return null;
  return (
    <section aria-labelledby="toestemming-kop">
      <h3 id="toestemming-kop">Toestemming van ouders</h3>
      {voor.map((r) => (
        <Toestemming key={r} hv={props.hv} voor={r} />
      ))}
    </section>
  );
}

function Toestemming(props: { readonly hv: HulpvraagDetail; readonly voor: Relatie }) {
  const backend = useBackend();
  const actie = useActie();
  const v = props.hv.view;
  const { data: stand } = useLoad((b) => Promise.resolve(b.toestemming(v.dossierId, v.id, props.voor)), [v.dossierId, v.id, props.voor]);
  const { data: ikBenOuder } = useLoad((b) => Promise.resolve(b.isGekoppeldeOuder(v.dossierId)), [v.dossierId]);
  const s = stand?.ok ? stand.value : null;
  const geef = (gegeven: boolean) =>
    void actie.run(
      () => backend.geefToestemming(v.dossierId, v.id, props.voor, gegeven),
      gegeven ? 'Toestemming gegeven en ondertekend.' : 'Toestemming ingetrokken; het delen stopt.',
    );
  return (
    <div class="kk-kaart" data-testid="toestemming">
      <p>
        Delen met {MET[props.voor]}: <strong>{s?.gegeven === true ? 'toestemming gegeven' : 'geen toestemming (nog niet gedeeld)'}</strong>
      </p>
      {s && s.ouders.length > 0 ? (
        <ul>
          {s.ouders.map((o) => (
            <li key={o.ouder}>
              {o.naam}: {o.gegeven ? 'gegeven' : 'ingetrokken'} op {formatDatum(o.at)}
            </li>
          ))}
        </ul>
      ) : null}
      {ikBenOuder === true ? (
        <div class="kk-rij">
          <button type="button" onClick={() => geef(true)} disabled={s?.gegeven === true}>
            Toestemming geven
          </button>
          <button type="button" class="secundair" onClick={() => geef(false)}>
            Toestemming intrekken
          </button>
        </div>
      ) : null}
      <ActieMelding actie={actie} />
    </div>
  );
}
