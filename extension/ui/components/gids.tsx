// The guided hulpvraag (issue 21) on the dossier page: the step bar of the process, the
// checklist before the next move (what indienen will check, with a link to where to fix
// it) and the one primary button. The derivation is core/client/views/next-step.ts.
import type { Role } from '../../../core/model/role.js';
import { processOfHulpvraag } from '../../../core/processes/process-set.js';
import { volgendeStap, type DossierTab, type VolgendeStap } from '../../../core/client/views/next-step.js';
import type { HulpvraagDetail } from '../../../core/client/port.js';
import { useBackend } from '../context.js';
import { formatDatumTijd } from '../format.js';
import { ActieMelding, useActie } from './busy.js';

/** The guided view of a hulpvraag for this person, or null when its process is unknown here. */
export function gidsVoor(hv: HulpvraagDetail, roles: readonly Role[]): VolgendeStap | null {
  const def = processOfHulpvraag(hv.view);
  if (!def.ok || hv.aanwezig === null) return null;
  const f = hv.formulieren[0];
  return volgendeStap({
    definition: def.value,
    status: hv.view.status,
    mogelijk: hv.overgangen.map((o) => o.to),
    aanwezig: hv.aanwezig,
    formulierOntbrekend: f ? f.ontbrekend : [],
    heeftFormulier: f !== undefined,
    roles,
    ondertekeningGevraagd: hv.ondertekenverzoek?.open === true,
  });
}

export function Gids(props: {
  readonly hv: HulpvraagDetail;
  readonly gids: VolgendeStap;
  readonly tab: string;
  readonly kies: (tab: DossierTab) => void;
}) {
  const backend = useBackend();
  const actie = useActie();
  const { gids, hv } = props;
  const v = hv.view;
  // On the Formulier tab the bevoegd gezag's own sign button is the action; no second one up here.
  const a = gids.actie?.soort === 'ondertekenen' && props.tab === 'formulier' ? null : gids.actie;
  const doe = async () => {
    if (!a) return;
    switch (a.soort) {
      case 'tab':
        props.kies(a.tab);
        return;
      case 'ondertekenen':
        props.kies('formulier');
        return;
      case 'ondertekening-vragen': {
        const f = hv.formulieren[0];
        if (f)
          await actie.run(
            () => backend.requestFormSignature(v.dossierId, v.id, f.id),
            'Het bevoegd gezag heeft een melding gekregen en kan nu ondertekenen.',
          );
        return;
      }
      case 'status':
        await actie.run(() => backend.changeStatus(v.dossierId, v.id, a.naar, ''), `De status is nu "${a.naar}".`);
        return;
    }
  };
  const verzoek = hv.ondertekenverzoek;
  return (
    <section class="kk-gids" aria-label="Voortgang van de hulpvraag" data-testid="gids">
      <ol class="kk-stappen" aria-label="Stappen">
        {gids.stappen.map((s, i) => (
          <li key={s.status} class={`kk-stap kk-stap-${s.stand}`} aria-current={s.stand === 'nu' ? 'step' : undefined}>
            <span class="kk-stap-nr" aria-hidden="true">
              {s.stand === 'gedaan' ? '✓' : i + 1}
            </span>{' '}
            {s.status}
            <span class="sr-only">{s.stand === 'gedaan' ? ' (gedaan)' : s.stand === 'nu' ? ' (huidige stap)' : ''}</span>
          </li>
        ))}
      </ol>
      {gids.checklist.length > 0 ? (
        <div class="kk-checklist">
          <h2 id="checklist-kop">Nodig voor "{gids.volgende}"</h2>
          <ul aria-labelledby="checklist-kop" data-testid="checklist">
            {gids.checklist.map((c) => (
              <li key={c.id} data-klaar={c.klaar ? 'ja' : 'nee'}>
                <span aria-hidden="true">{c.klaar ? '✓' : '○'}</span> {c.label}
                {c.klaar ? <span class="sr-only"> (in orde)</span> : null}
                {!c.klaar && c.ontbreekt ? (
                  <>
                    {' – '}
                    <button type="button" class="kk-link" onClick={() => props.kies(c.tab)}>
                      {c.ontbreekt}
                    </button>
                  </>
                ) : null}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {verzoek ? (
        <p class="kk-onderschrift" data-testid="ondertekenverzoek">
          {verzoek.open
            ? `Ondertekening gevraagd aan ${verzoek.aanNamen.join(', ')} op ${formatDatumTijd(verzoek.op)}.`
            : `Ondertekend na het verzoek van ${formatDatumTijd(verzoek.op)}.`}
        </p>
      ) : null}
      <ActieMelding actie={actie} />
      {a ? (
        <div class="kk-rij">
          <button type="button" class="primair" data-testid="volgende-stap" disabled={actie.bezig} onClick={() => void doe()}>
            {a.label}
          </button>
        </div>
      ) : gids.wachtOp ? (
        <p data-testid="wacht-op">{gids.wachtOp}</p>
      ) : null}
    </section>
  );
}
