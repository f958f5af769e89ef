// Tabblad LVS (002, PrO zij-instroom): IQ with testdatum, toetsdatum, DL source
// (groep and doublures, or DL directly) and DLE per domain; core/pro computes
// DL, leerachterstand per domain and the berekend advies, shown with its reasoning.
import { useMemo, useState } from 'preact/hooks';
import type { FormValue } from '../../../core/model/formulier.js';
import { berekenProAdvies } from '../../../core/pro/advies.js';
import { PRO_DOMAINS, PRO_DOMAIN_LABELS } from '../../../core/pro/domains.js';
import { proInputFromLvsForm } from '../../../core/pro/lvs-form.js';
import type { HulpvraagDetail } from '../../../core/client/port.js';
import { ActieMelding, useActie } from '../components/busy.js';
import { Field } from '../components/field.js';
import { Legenda } from '../components/legenda.js';
import { useBackend } from '../context.js';
import { Input, TextArea } from '../components/controls.js';

type Waarden = Record<string, FormValue>;
const tekst = (w: Waarden, k: string): string => {
  const v = w[k];
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
};
export function LvsTab(props: { readonly hv: HulpvraagDetail }) {
  const backend = useBackend();
  const actie = useActie();
  const [w, setW] = useState<Waarden>({ ...(props.hv.lvs ?? {}) });
  const zet = (k: string, v: FormValue) => setW({ ...w, [k]: v });
  const advies = useMemo(() => {
    const invoer = proInputFromLvsForm(w);
    if (typeof invoer === 'string') return { fout: invoer };
    const r = berekenProAdvies(invoer, { now: new Date() });
    return r.ok ? { advies: r.value } : { fout: r.error.message };
  }, [w]);
  const veld = (k: string, label: string, opts: { type?: string; hulp?: string; verplicht?: boolean; optioneel?: boolean } = {}) => (
    <Field
      id={`lvs-${k}`}
      label={label}
      hulp={opts.hulp}
      verplicht={opts.verplicht ?? false}
      alleenIndienVanToepassing={opts.optioneel ?? false}
    >
      <Input
        id={`lvs-${k}`}
        type={opts.type ?? 'text'}
        inputMode={opts.type ? undefined : 'decimal'}
        value={tekst(w, k)}
        onInput={(e) => zet(k, e.currentTarget.value)}
      />
    </Field>
  );
  return (
    <form
      aria-label="LVS-gegevens"
      onSubmit={(e) => {
        e.preventDefault();
        void actie.run(() => backend.setLvs(props.hv.view.dossierId, props.hv.view.id, w), 'LVS-gegevens opgeslagen.');
      }}
    >
      <Legenda />
      <fieldset class="kk-kaart">
        <legend>IQ</legend>
        {veld('iq-testdatum', 'Testdatum', { type: 'date', verplicht: true })}
        {veld('iq', 'Totaalscore IQ', { verplicht: true, hulp: 'Het advies wordt berekend over de totaalscore.' })}
        <Field id="lvs-iq-toelichting" label="Toelichting (interval IQ, verschil verbaal/performaal)" alleenIndienVanToepassing>
          <TextArea
            id="lvs-iq-toelichting"
            value={tekst(w, 'iq-toelichting')}
            onInput={(e) => zet('iq-toelichting', e.currentTarget.value)}
          />
        </Field>
      </fieldset>
      <fieldset class="kk-kaart">
        <legend>Toetsscores</legend>
        {veld('toetsdatum', 'Toetsdatum', {
          type: 'date',
          verplicht: true,
          hulp: 'Hieruit worden DL en LA berekend, mits groep en doublures kloppen.',
        })}
        {veld('groep', 'Groep (3–8)', { verplicht: true })}
        {veld('doublures', 'Aantal doublures vanaf groep 3', { hulp: 'Zie ook het tabblad Schoolgegevens.' })}
        {veld('dl', 'Didactische leeftijd (DL) direct', {
          optioneel: true,
          hulp: 'Alleen invullen als het leerlingvolgsysteem de DL zelf geeft; dan wordt de groep niet gebruikt.',
        })}
        {PRO_DOMAINS.map((d) => veld(`dle-${d}`, `DLE ${PRO_DOMAIN_LABELS[d]}`, { hulp: 'Didactisch leeftijdsequivalent in maanden.' }))}
        <label>
          <Input
            type="checkbox"
            checked={w['sociaal-emotioneel'] === true}
            onChange={(e) => zet('sociaal-emotioneel', e.currentTarget.checked)}
          />{' '}
          Relevante sociaal-emotionele problematiek ^
        </label>
      </fieldset>
      <section class="kk-kaart" aria-labelledby="advies-kop" aria-live="polite">
        <h3 id="advies-kop">Berekend advies</h3>
        {'advies' in advies && advies.advies ? (
          <>
            <p data-testid="berekend-advies">
              <strong>{advies.advies.label}</strong> — DL {advies.advies.dl}
            </p>
            <table>
              <caption class="sr-only">Leerachterstand per domein</caption>
              <thead>
                <tr>
                  <th scope="col">Domein</th>
                  <th scope="col">DLE</th>
                  <th scope="col">LA</th>
                </tr>
              </thead>
              <tbody>
                {advies.advies.domeinen.map((d) => (
                  <tr key={d.domain}>
                    <td>{d.label}</td>
                    <td>{d.dle}</td>
                    <td>{d.la.toFixed(2).replace('.', ',')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <p>{advies.advies.regel}</p>
            {advies.advies.waarschuwingen.map((x, i) => (
              <p key={i} class="kk-waarschuwing">
                {x}
              </p>
            ))}
            <details>
              <summary>Berekening stap voor stap</summary>
              <ul>
                {advies.advies.uitleg.map((u, i) => (
                  <li key={i}>{u}</li>
                ))}
              </ul>
            </details>
          </>
        ) : (
          <p>{'fout' in advies ? advies.fout : ''}</p>
        )}
      </section>
      <ActieMelding actie={actie} />
      <button type="submit" disabled={actie.bezig}>
        Opslaan
      </button>
    </form>
  );
}
