// Beheer (for the SWV beheerder): the root key (own passphrase, unlocked only
// here, R102), an overview of organisations and members, every invitation with
// its status (open, waiting for approval with its controlecode, used, expired,
// withdrawn), approving a join with the controlecode the invitee reads back
// (R100), withdrawing, copying and printing a code with a handover text (R101),
// inviting, staff change (screens/personeelswisseling.tsx) and the processes.
import { useState } from 'preact/hooks';
import type { InvitationStatus, InvitationStatusName } from '../../../core/client/api.js';
import { ALL_ROLES, roleLabel, rolesNotFitting, type Role } from '../../../core/model/role.js';
import { ORGANISATION_KINDS } from '../../../core/model/organisation.js';
import { PROCESS_DEFINITIONS } from '../../../core/processes/process-set.js';
import type { Uitnodiging } from '../../../core/client/port.js';
import { ActieMelding, useActie } from '../components/busy.js';
import { Field } from '../components/field.js';
import { Legenda } from '../components/legenda.js';
import { useBackend, useLoad } from '../context.js';
import { Personeelswisseling } from './personeelswisseling.js';
import { Input, Select, WachtwoordVeld } from '../components/controls.js';
import { formatDatum } from '../format.js';
import { uitnodigingsRegel } from '../../../core/client/uitnodiging.js';

export function Beheer() {
  return (
    <section aria-labelledby="beheer-kop">
      <h1 id="beheer-kop">Beheer</h1>
      <Basissleutel />
      <Overzicht />
      <Uitnodigingen />
      <Uitnodigen />
      <Personeelswisseling />
      <Bewaarbeleid />
      <Processen />
    </section>
  );
}

function Uitnodigen() {
  const backend = useBackend();
  const actie = useActie();
  const personen = backend.directory();
  // Ouders are invited under their own organisation, never as a role of a school or the SWV [R45].
  const SOORTEN: Record<string, string> = { ...ORGANISATION_KINDS, ouders: 'Ouders/verzorgers' };
  const [uitnodigingen, setUitnodigingen] = useState<Uitnodiging[]>([]);
  // Certified organisations, also those whose first member has not joined yet (the directory only knows members).
  const { data: gecertificeerd } = useLoad((b) => b.organisations(), [uitnodigingen.length]);
  const bekend = gecertificeerd?.ok ? gecertificeerd.value : [];
  const organisaties = [
    ...new Map([
      ...personen.map((p) => [p.organisationId as string, p.organisatieNaam] as const),
      ...bekend.map((o) => [o.id, o.naam] as const),
    ]).entries(),
  ];
  const soortVan = (id: string): string | undefined => bekend.find((o) => o.id === id)?.kind;
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
          .run(
            () => backend.invite({ ...v, organisatie: org === 'nieuw' ? { naam: orgNaam, soort: orgSoort } : { id: org }, roles: gekozen }),
            'Uitnodiging gemaakt. Geef de code op papier of telefonisch door.',
          )
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
      <Legenda vraagteken={false} />
      <Field id="uit-org" label="Organisatie" verplicht>
        <Select id="uit-org" value={org} onChange={(e) => setOrg(e.currentTarget.value)}>
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
            <Select id="uit-org-soort" value={orgSoort} onChange={(e) => setOrgSoort(e.currentTarget.value)}>
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
              <Input
                type="checkbox"
                checked={rollen.includes(r)}
                onChange={(e) => setRollen(e.currentTarget.checked ? [...rollen, r] : rollen.filter((x) => x !== r))}
              />{' '}
              {roleLabel(r)}
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

/** The SWV root key: unlocked with its own passphrase for certify, approve, end; never by the daily unlock [R102]. */
function Basissleutel() {
  const backend = useBackend();
  const actie = useActie();
  const [ww, setWw] = useState('');
  // Re-rendered on every backend change, so a lock elsewhere shows here at once.
  const wachtend = useLoad((b) => b.wachtendeSleutelvernieuwingen(), []).data;
  const open = backend.rootUnlocked();
  return (
    <section class="kk-kaart" aria-labelledby="basissleutel-kop">
      <h2 id="basissleutel-kop">Sleutel van het samenwerkingsverband</h2>
      {open ? (
        <>
          <p>
            De sleutel van het samenwerkingsverband is ontgrendeld: u kunt aanmeldingen goedkeuren, organisaties toevoegen en mensen uit
            dienst melden.
          </p>
          <button type="button" class="secundair" onClick={() => backend.lockRoot()}>
            Sleutel van het SWV vergrendelen
          </button>
        </>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void actie.run(() => backend.unlockRoot(ww), 'Sleutel van het SWV ontgrendeld.').then(() => setWw(''));
          }}
        >
          <p>
            Goedkeuren, een nieuwe organisatie uitnodigen en uit dienst melden vragen de sleutel van het samenwerkingsverband. Die heeft een
            eigen wachtwoordzin, los van uw dagelijkse.
          </p>
          {wachtend?.ok === true && wachtend.value > 0 && (
            <p class="waarschuwing" data-testid="wachtende-sleutels">
              {wachtend.value === 1 ? '1 apparaat wacht' : `${wachtend.value} apparaten wachten`} op een nieuwe sleutel, na het vernietigen
              van dossiers waarvan de bewaartermijn verstreken is. Ontgrendel de sleutel van het SWV: dan krijgen ze die vanzelf, en opent
              niemand meer een oude kopie van die dossiers.
            </p>
          )}
          <Field id="basiswachtwoord" label="Wachtwoordzin van de sleutel van het SWV" verplicht>
            <WachtwoordVeld soort="huidig" id="basiswachtwoord" value={ww} onInput={(e) => setWw(e.currentTarget.value)} />
          </Field>
          <ActieMelding actie={actie} />
          <button type="submit" disabled={actie.bezig || ww === ''}>
            Sleutel van het SWV ontgrendelen
          </button>
        </form>
      )}
    </section>
  );
}

/**
 * How long dossiers are kept after each end status (WPO 18a lid 13: three years unless the SWV sets
 * otherwise). Saved for every member, signed with the SWV key [R156].
 */
function Bewaarbeleid() {
  const backend = useBackend();
  const actie = useActie();
  useLoad(() => Promise.resolve(null), []);
  const huidig = backend.bewaarbeleid();
  const [standaard, setStandaard] = useState(String(huidig.standaardJaren));
  const [per, setPer] = useState<Record<string, string>>(() =>
    Object.fromEntries(
      Object.entries(huidig.perProces).flatMap(([p, s]) => Object.entries(s).map(([status, jaren]) => [`${p}|${status}`, String(jaren)])),
    ),
  );
  const einden = PROCESS_DEFINITIONS.flatMap((d) =>
    d.statuses.filter((s) => s.end === true).map((s) => ({ proces: d.id, naam: d.naam, status: s.status })),
  );
  const open = backend.rootUnlocked();
  const opslaan = () => {
    const perProces: Record<string, Record<string, number>> = {};
    for (const [k, v] of Object.entries(per)) {
      if (v.trim() === '') continue;
      const [p, status] = k.split('|') as [string, string];
      perProces[p] = { ...(perProces[p] ?? {}), [status]: Number(v) };
    }
    return backend.stelBewaarbeleidIn({ standaardJaren: Number(standaard), perProces });
  };
  return (
    <section class="kk-kaart" aria-labelledby="bewaarbeleid-kop">
      <h2 id="bewaarbeleid-kop">Bewaartermijnen</h2>
      <p>
        Na een eindstatus wordt een dossier zo lang bewaard en daarna vernietigd. De wet (WPO artikel 18a lid 13) noemt drie jaar; u kunt
        per proces en eindstatus een andere termijn kiezen, in hele jaren van 1 tot en met 20. Het geldt voor alle leden.
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void actie.run(opslaan, 'Bewaartermijnen opgeslagen voor alle leden.');
        }}
      >
        <Field id="bewaar-standaard" label="Standaard bewaartermijn (jaren)" verplicht>
          <Input
            id="bewaar-standaard"
            type="number"
            min={1}
            max={20}
            value={standaard}
            onInput={(e) => setStandaard(e.currentTarget.value)}
          />
        </Field>
        <details>
          <summary>Afwijkende termijn per proces</summary>
          {einden.map((e) => (
            <Field
              key={`${e.proces}|${e.status}`}
              id={`bewaar-${e.proces}-${e.status}`}
              label={`${e.naam}: ${e.status} (jaren, leeg = standaard)`}
            >
              <Input
                id={`bewaar-${e.proces}-${e.status}`}
                type="number"
                min={1}
                max={20}
                value={per[`${e.proces}|${e.status}`] ?? ''}
                onInput={(ev) => {
                  const v = ev.currentTarget.value;
                  setPer((p) => ({ ...p, [`${e.proces}|${e.status}`]: v }));
                }}
              />
            </Field>
          ))}
        </details>
        <ActieMelding actie={actie} />
        {!open && (
          <p class="hint">Ontgrendel eerst de sleutel van het samenwerkingsverband (bovenaan) om de bewaartermijnen te wijzigen.</p>
        )}
        <button type="submit" disabled={actie.bezig || !open}>
          Bewaartermijnen opslaan
        </button>
      </form>
    </section>
  );
}

/** Organisations the SWV certified, each with the members the directory knows. */
function Overzicht() {
  const backend = useBackend();
  const actie = useActie();
  // A koppelcode for another device of a member: it shows up under Uitnodigingen until it is used [R148].
  const [koppel, setKoppel] = useState<{ voor: string; code: string } | null>(null);
  const personen = backend.directory();
  const { data } = useLoad((b) => b.organisations(), []);
  const orgs = data?.ok ? data.value : [];
  const alle = [
    ...new Map([
      ...orgs.map((o) => [o.id, o.naam] as const),
      ...personen.map((p) => [p.organisationId as string, p.organisatieNaam] as const),
    ]).entries(),
  ];
  return (
    <section class="kk-kaart" aria-labelledby="overzicht-kop">
      <h2 id="overzicht-kop">Organisaties en leden</h2>
      <p class="kk-onderschrift">
        Werkt iemand ook op een tweede apparaat? Maak met «Extra apparaat koppelen» een koppelcode; dat apparaat krijgt eigen sleutels en u
        keurt het goed met de controlecode, net als een nieuwe aanmelding.
      </p>
      <ActieMelding actie={actie} />
      {koppel ? (
        <p role="status">
          Koppelcode voor een extra apparaat van {koppel.voor}: <strong data-testid="koppelcode">{koppel.code}</strong>. De code staat ook
          onder Uitnodigingen.
        </p>
      ) : null}
      {alle.length === 0 ? <p>Nog geen organisaties.</p> : null}
      <ul aria-label="Organisaties">
        {alle.map(([id, naam]) => {
          const leden = personen.filter((p) => p.organisationId === id);
          return (
            <li key={id}>
              <strong>{naam}</strong> ({leden.length === 1 ? '1 lid' : `${leden.length} leden`})
              {leden.length ? (
                <ul>
                  {leden.map((p) => (
                    <li key={p.userId} data-testid="lid">
                      {p.profile.voornaam} {p.profile.achternaam} – {p.roles.map(roleLabel).join(', ')}{' '}
                      <button
                        type="button"
                        class="secundair"
                        disabled={actie.bezig}
                        onClick={() =>
                          void actie
                            .run(() => backend.apparaatUitnodigen(p.userId))
                            .then((r) => {
                              if (r) setKoppel({ voor: r.voor, code: r.code });
                            })
                        }
                      >
                        Extra apparaat koppelen
                      </button>
                    </li>
                  ))}
                </ul>
              ) : null}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

const STATUS: Record<InvitationStatusName, string> = {
  open: 'Open',
  'wacht-op-goedkeuring': 'Wacht op goedkeuring',
  geblokkeerd: 'Geblokkeerd: code uitgelekt',
  gebruikt: 'Gebruikt',
  verlopen: 'Verlopen',
  ingetrokken: 'Ingetrokken',
};

/** Every invitation with its status; approve with the controlecode, withdraw, copy or print a code [R100, R101]. */
function Uitnodigingen() {
  const backend = useBackend();
  const actie = useActie();
  const [afdruk, setAfdruk] = useState<{ inv: InvitationStatus; relay: string } | null>(null);
  const { data, reload } = useLoad((b) => b.invitations(), []);
  const lijst = data?.ok ? data.value : [];
  const wachtend = lijst.filter((u) => u.status === 'wacht-op-goedkeuring').length;
  const naam = (u: InvitationStatus) => `${u.profile.voornaam} ${u.profile.achternaam}`.trim();
  return (
    <section class="kk-kaart" aria-labelledby="uitnodigingen-kop">
      <h2 id="uitnodigingen-kop">
        Uitnodigingen{' '}
        {wachtend ? (
          <>
            <span class="kk-badge">{wachtend}</span>
            <span class="sr-only"> wachten op goedkeuring</span>
          </>
        ) : null}
      </h2>
      <p>
        Wacht een aanmelding op goedkeuring? Bel de genodigde op een nummer dat u al kende en laat de controlecode op haar of zijn scherm
        voorlezen. Keur alleen goed als die gelijk is aan de code hieronder.
      </p>
      <ActieMelding actie={actie} />
      {lijst.length === 0 ? <p>Nog geen uitnodigingen.</p> : null}
      <table>
        <caption class="sr-only">Uitnodigingen en hun status</caption>
        <thead>
          <tr>
            <th scope="col">Voor</th>
            <th scope="col">Organisatie</th>
            <th scope="col">Status</th>
            <th scope="col">Geldig tot</th>
            <th scope="col">Acties</th>
          </tr>
        </thead>
        <tbody>
          {lijst.map((u, i) => (
            <tr key={`${u.userId}-${i}`}>
              <td>
                {naam(u)}
                {u.apparaat ? ' (extra apparaat)' : ''}
              </td>
              <td>{u.organisatieNaam}</td>
              <td>
                {STATUS[u.status]}
                {u.sas.length > 1 ? (
                  <p class="kk-waarschuwing">
                    Onder deze code kwamen {u.sas.length} aanmeldingen binnen: de code is mogelijk bij iemand anders terechtgekomen.
                  </p>
                ) : null}
              </td>
              <td>{u.geldigTot ? formatDatum(u.geldigTot) : ''}</td>
              <td>
                {u.status === 'wacht-op-goedkeuring'
                  ? u.sas.map((sas) => (
                      <button
                        key={sas}
                        type="button"
                        data-testid="goedkeuren"
                        disabled={actie.bezig}
                        onClick={() => void actie.run(() => backend.approveJoin(u.userId, sas), `${naam(u)} is aangemeld.`).then(reload)}
                      >
                        Controlecode <code data-testid="controlecode-beheer">{sas}</code> klopt: goedkeuren
                      </button>
                    ))
                  : null}
                {u.code ? (
                  <>
                    <button
                      type="button"
                      class="secundair"
                      onClick={() =>
                        void backend.relayAdres().then((relay) => navigator.clipboard.writeText(uitnodigingsRegel(u.code ?? '', relay)))
                      }
                    >
                      Code met serveradres kopiëren
                    </button>
                    <button
                      type="button"
                      class="secundair"
                      onClick={() =>
                        void backend.relayAdres().then((relay) => {
                          setAfdruk({ inv: u, relay });
                          setTimeout(() => {
                            print();
                            // The letter (with the code) leaves the page once printed.
                            setAfdruk(null);
                          }, 50);
                        })
                      }
                    >
                      Overdrachtsbrief printen
                    </button>
                    <button
                      type="button"
                      class="secundair"
                      disabled={actie.bezig}
                      onClick={() => void actie.run(() => backend.withdrawInvitation(u.userId), 'Uitnodiging ingetrokken.').then(reload)}
                    >
                      Intrekken
                    </button>
                  </>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {afdruk ? <Overdrachtsbrief inv={afdruk.inv} relay={afdruk.relay} /> : null}
    </section>
  );
}

/** One page to hand over with the code: how to install, which address, what happens next. Printed only. */
function Overdrachtsbrief(props: { readonly inv: InvitationStatus; readonly relay: string }) {
  const u = props.inv;
  return (
    <div class="kk-afdruk" aria-hidden="true">
      <h1>Uitnodiging voor Kindkluis</h1>
      <p>
        Voor: {u.profile.voornaam} {u.profile.achternaam}, {u.organisatieNaam}
      </p>
      <ol>
        <li>Installeer de extensie Kindkluis in Chrome of Edge, zoals uw ICT-beheerder aangeeft.</li>
        <li>Open Kindkluis en kies Aansluiten met uitnodigingscode.</li>
        <li>
          Typ of plak deze regel bij Uitnodigingscode: de code, met daarachter het adres van de server. Kindkluis stelt de server dan zelf
          in.
        </li>
      </ol>
      <p style={{ fontSize: '1.5rem', fontFamily: 'monospace' }} data-testid="uitnodigingsregel">
        {uitnodigingsRegel(u.code ?? '', props.relay)}
      </p>
      <p>
        Alleen de code typen ({u.code}) mag ook; kies dan onder Geavanceerd het serveradres {props.relay}.
      </p>
      <ol start={4}>
        <li>Kies een wachtwoordzin en print uw herstelkit.</li>
        <li>
          Uw scherm toont een controlecode van zes cijfers. De beheerder belt u; lees die code voor. Pas daarna kunt u Kindkluis gebruiken.
        </li>
      </ol>
      <p>
        De code is geldig tot {u.geldigTot ? formatDatum(u.geldigTot) : 'zeven dagen na het maken'}. Geef hem aan niemand anders: wie de
        code heeft, kan zich in uw naam aanmelden.
      </p>
    </div>
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
