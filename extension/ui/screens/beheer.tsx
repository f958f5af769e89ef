// Beheer (for the SWV beheerder): invite organisations and people (a printable
// invitation code), staff change (screens/personeelswisseling.tsx) and the
// process definitions.
import { useState } from 'preact/hooks';
import { ALL_ROLES, ORGANISATION_KINDS, roleLabel, rolesNotFitting, type Role } from '../../../core/model/index.js';
import { PROCESS_DEFINITIONS } from '../../../core/processes/index.js';
import type { Uitnodiging } from '../backend.js';
import { ActieMelding, useActie } from '../components/busy.js';
import { Field } from '../components/field.js';
import { useBackend, useLoad } from '../context.js';
import { Personeelswisseling } from './personeelswisseling.js';
import { Input, Select } from '../components/controls.js';

export function Beheer() {
  return (
    <section aria-labelledby="beheer-kop">
      <h1 id="beheer-kop">Beheer</h1>
      <Uitnodigen />
      <Personeelswisseling />
      <Processen />
    </section>
  );
}

function Uitnodigen() {
  const backend = useBackend();
  const actie = useActie();
  const personen = backend.personen();
  // Ouders are invited under their own organisation, never as a role of a school or the SWV [R45].
  const SOORTEN: Record<string, string> = { ...ORGANISATION_KINDS, ouders: 'Ouders/verzorgers' };
  const [uitnodigingen, setUitnodigingen] = useState<Uitnodiging[]>([]);
  // Certified organisations, also those whose first member has not joined yet (the directory only knows members).
  const { data: gecertificeerd } = useLoad((b) => b.organisaties(), [uitnodigingen.length]);
  const bekend = gecertificeerd?.ok ? gecertificeerd.value : [];
  const organisaties = [...new Map([...personen.map((p) => [p.organisationId as string, p.organisatieNaam] as const), ...bekend.map((o) => [o.id, o.naam] as const)]).entries()];
  const soortVan = (id: string): string | undefined => bekend.find((o) => o.id === id)?.soort;
  const [v, setV] = useState({ voornaam: '', achternaam: '', functie: '', email: '' });
  const [org, setOrg] = useState<string>('nieuw');
  const [orgNaam, setOrgNaam] = useState('');
  const [orgSoort, setOrgSoort] = useState<string>('school');
  const [rollen, setRollen] = useState<Role[]>(['intern-begeleider']);
  // Only roles that fit the chosen organisation are shown, and only those are sent: a ticked role that
  // became hidden (another organisation chosen) is never part of the invitation.
  const soort = org === 'nieuw' ? orgSoort : soortVan(org);
  const passend = ALL_ROLES.filter((r) => soort === undefined || rolesNotFitting([r], soort).length === 0);
  const gekozen = rollen.filter((r) => passend.includes(r));
  const veld = (k: keyof typeof v, label: string, type = 'text') => (
    <Field id={`uit-${k}`} label={label} verplicht>
      <Input id={`uit-${k}`} type={type} value={v[k]} required onInput={(e) => setV({ ...v, [k]: e.currentTarget.value })} />
    </Field>
  );
  return (
    <form
      class="kk-kaart"
      aria-labelledby="uitnodigen-kop"
      onSubmit={(e) => {
        e.preventDefault();
        void actie
          .run(() => backend.invite({ ...v, organisatie: org === 'nieuw' ? { naam: orgNaam, soort: orgSoort } : { id: org }, roles: gekozen }), 'Uitnodiging gemaakt. Geef de code op papier of telefonisch door.')
          .then((r) => {
            if (r) {
              setUitnodigingen([r, ...uitnodigingen]);
              setV({ voornaam: '', achternaam: '', functie: '', email: '' });
              // Roles decide what someone may decrypt: the next person starts with none ticked.
              setRollen([]);
            }
          });
      }}
    >
      <h2 id="uitnodigen-kop">Organisatie of persoon uitnodigen</h2>
      <Field id="uit-org" label="Organisatie" verplicht>
        <Select
          id="uit-org"
          value={org}
          onChange={(e) => setOrg(e.currentTarget.value)}
        >
          <option value="nieuw">Nieuwe organisatie…</option>
          {organisaties.map(([id, naam]) => (
            <option key={id} value={id}>
              {naam}
            </option>
          ))}
        </Select>
      </Field>
      {org === 'nieuw' ? (
        <>
          <Field id="uit-org-naam" label="Naam van de organisatie" verplicht>
            <Input id="uit-org-naam" value={orgNaam} required onInput={(e) => setOrgNaam(e.currentTarget.value)} />
          </Field>
          <Field id="uit-org-soort" label="Soort organisatie" verplicht>
            <Select
              id="uit-org-soort"
              value={orgSoort}
              onChange={(e) => setOrgSoort(e.currentTarget.value)}
            >
              {Object.entries(SOORTEN).map(([k, l]) => (
                <option key={k} value={k}>
                  {l}
                </option>
              ))}
            </Select>
          </Field>
        </>
      ) : null}
      {veld('voornaam', 'Voornaam')}
      {veld('achternaam', 'Achternaam')}
      {veld('functie', 'Functie')}
      {veld('email', 'E-mailadres', 'email')}
      <fieldset>
        <legend>Rollen</legend>
        <div style={{ columns: '2 18rem' }}>
          {passend.map((r) => (
            <label key={r} style={{ display: 'block' }}>
              <Input type="checkbox" checked={rollen.includes(r)} onChange={(e) => setRollen(e.currentTarget.checked ? [...rollen, r] : rollen.filter((x) => x !== r))} /> {roleLabel(r)}
            </label>
          ))}
        </div>
      </fieldset>
      <ActieMelding actie={actie} />
      <button type="submit" disabled={actie.bezig || gekozen.length === 0}>
        Uitnodiging maken
      </button>
      {uitnodigingen.length ? (
        <ul aria-label="Gemaakte uitnodigingen">
          {uitnodigingen.map((u) => (
            <li key={u.code}>
              {u.voor}: <code data-testid="uitnodigingscode">{u.code}</code>
            </li>
          ))}
        </ul>
      ) : null}
      <button type="button" class="secundair" onClick={() => void actie.run(() => backend.processJoinRequests(), 'Aanmeldingen verwerkt.')}>
        Aanmeldingen nu verwerken
      </button>
    </form>
  );
}

function Processen() {
  return (
    <section class="kk-kaart" aria-labelledby="processen-kop">
      <h2 id="processen-kop">Processen</h2>
      {PROCESS_DEFINITIONS.map((p) => (
        <details key={p.id}>
          <summary>
            {p.naam} <span class="kk-onderschrift">(titels: {p.starts.map((s) => s.titel).join(', ')})</span>
          </summary>
          <p>{p.omschrijving}</p>
          <h3>Statussen</h3>
          <ul>
            {p.statuses.map((s) => (
              <li key={s.status}>
                <strong>{s.status}</strong>
                {s.end ? ' (eindstatus)' : ''} – {s.betekenis}
              </li>
            ))}
          </ul>
          <h3>Overgangen</h3>
          <table>
            <caption class="sr-only">Overgangen van {p.naam}</caption>
            <thead>
              <tr>
                <th scope="col">Van</th>
                <th scope="col">Naar</th>
                <th scope="col">Door</th>
              </tr>
            </thead>
            <tbody>
              {p.transitions.map((tr, i) => (
                <tr key={i}>
                  <td>{tr.from.join(', ')}</td>
                  <td>{tr.to}</td>
                  <td>{tr.by.map((r) => roleLabel(r)).join(', ')}</td>
                </tr>
              ))}
              {p.automatic.map((a, i) => (
                <tr key={`a${i}`}>
                  <td>{a.in.join(', ')}</td>
                  <td>{a.to}</td>
                  <td>automatisch bij een bijlage</td>
                </tr>
              ))}
              {p.withdrawal ? (
                <tr>
                  <td>elke niet-eindstatus</td>
                  <td>{p.withdrawal.to}</td>
                  <td>{p.withdrawal.by.map((r) => roleLabel(r)).join(', ')}</td>
                </tr>
              ) : null}
            </tbody>
          </table>
        </details>
      ))}
    </section>
  );
}
