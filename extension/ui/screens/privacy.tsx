// Privacy view (for the FG): per dossier who can read which part until when
// (from the key boxes of the access list), the access log, and "controleer
// versleuteling": scan this browser's IndexedDB for a typed text and show every
// store that was examined and that nothing was found.
import { useMemo, useState } from 'preact/hooks';
import type { ScanRapport, ServedLogView } from '../../../core/client/port.js';
import { Field } from '../components/field.js';
import { useBackend, useLoad } from '../context.js';
import { formatDatum, formatDatumTijd } from '../format.js';
import { t } from '../i18n.js';
import { scopeLabel } from '../tabs/toegang-tab.js';
import { Input, Select } from '../components/controls.js';

const ACTIE_LABELS: Readonly<Record<string, string>> = {
  'toegang-gegeven': 'toegang gegeven',
  'toegang-gewijzigd': 'toegang gewijzigd',
  'toegang-ingetrokken': 'toegang ingetrokken',
  geopend: 'dossier geopend',
  geëxporteerd: 'dossier geëxporteerd (inzage)',
  'sleutel-vernieuwd': 'sleutels vernieuwd',
  'bewaartermijn-vastgelegd': 'bewaartermijn vastgelegd',
  'bewaarplicht-vastgelegd': 'bewaarplicht vastgelegd',
};

export function Privacy() {
  // From the access lists this browser holds: the FG holds every dossier's list, never its content.
  const { data: lijst } = useLoad((b) => b.privacyDossiers(), []);
  const dossiers = useMemo(() => (lijst ?? []).map((d) => [d.id, d.naam] as const), [lijst]);
  const [gekozen, setGekozen] = useState('');
  return (
    <section aria-labelledby="privacy-kop">
      <h1 id="privacy-kop">Privacy</h1>
      <Scan />
      <Bewaartermijnen />
      <section class="kk-kaart" aria-labelledby="inzage-kop">
        <h2 id="inzage-kop">Wie kan wat lezen</h2>
        <Field id="privacy-dossier" label="Dossier">
          <Select id="privacy-dossier" value={gekozen} onChange={(e) => setGekozen(e.currentTarget.value)}>
            <option value="">– kies een dossier –</option>
            {dossiers.map(([id, naam]) => (
              <option key={id} value={id}>
                {naam || id.slice(0, 10)}
              </option>
            ))}
          </Select>
        </Field>
        {gekozen ? <DossierPrivacy dossierId={gekozen} /> : null}
      </section>
    </section>
  );
}

function DossierPrivacy(props: { readonly dossierId: string }) {
  const backend = useBackend();
  const { data } = useLoad((b) => b.dossierDetail(props.dossierId), [props.dossierId]);
  // A user end names the person it ended (R57): shown by name when the member list knows them.
  const naamVan = (userId: string) => {
    const p = backend.directory().find((x) => x.userId === userId);
    return p ? `${p.profile.voornaam} ${p.profile.achternaam}` : 'een medewerker';
  };
  if (!data) return <p role="status">Laden…</p>;
  if (!data.ok) return <p class="kk-fout">{data.error.message}</p>;
  const d = data.value;
  return (
    <>
      <table>
        <caption>Leesrechten volgens de sleutels in de toegangslijst</caption>
        <thead>
          <tr>
            <th scope="col">Wie</th>
            <th scope="col">Organisatie</th>
            <th scope="col">Delen</th>
            <th scope="col">Tot</th>
          </tr>
        </thead>
        <tbody>
          {d.lezers.map((l) => (
            <tr key={l.userId}>
              <td>{l.naam}</td>
              <td>{l.organisatie}</td>
              <td>{l.scopes.map((s) => scopeLabel(s, d.hulpvragen)).join(', ')}</td>
              <td>{l.expiresAt ? formatDatum(l.expiresAt) : 'onbepaald'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Toegangslog</h3>
      <table>
        <caption class="sr-only">Toegangslog van dit dossier</caption>
        <thead>
          <tr>
            <th scope="col">Wanneer</th>
            <th scope="col">Wie</th>
            <th scope="col">Wat</th>
          </tr>
        </thead>
        <tbody>
          {[...d.toegangLog].reverse().map((l, i) => (
            <tr key={i}>
              <td>{formatDatumTijd(l.at)}</td>
              <td>{l.actorNaam}</td>
              <td>
                {ACTIE_LABELS[l.action] ?? l.action}
                {l.scopes?.length ? ` (${l.scopes.map((s) => scopeLabel(s, d.hulpvragen)).join(', ')})` : ''}
                {l.subject ? `: ${naamVan(l.subject)} uit dienst gemeld door het samenwerkingsverband` : ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <Bezorgd dossierId={props.dossierId} hulpvragen={d.hulpvragen} />
    </>
  );
}

/**
 * What the server handed out (R115). "Geopend" above is what each person's own
 * Kindkluis reported; this is what the server saw it send, which a modified
 * client cannot leave out. Every member's device receives its parts in the
 * background, so receiving is not the same as reading on screen.
 */
function Bezorgd(props: { readonly dossierId: string; readonly hulpvragen: Parameters<typeof scopeLabel>[1] }) {
  const backend = useBackend();
  const [rijen, setRijen] = useState<Awaited<ReturnType<typeof backend.servedLog>> | null>(null);
  const [bezig, setBezig] = useState(false);
  return (
    <section aria-labelledby="bezorgd-kop">
      <h3 id="bezorgd-kop">Door de server bezorgd</h3>
      <p>
        Welke apparaten de (versleutelde) onderdelen van dit dossier van de server ontvingen, per uur. Anders dan &quot;dossier
        geopend&quot; hierboven meldt de server dit zelf: een aangepaste Kindkluis kan het niet weglaten. Apparaten van leden ontvangen hun
        onderdelen op de achtergrond; ontvangen is dus nog niet gelezen.
      </p>
      <button
        type="button"
        disabled={bezig}
        onClick={() => {
          setBezig(true);
          void backend
            .servedLog(props.dossierId)
            .then(setRijen)
            .finally(() => setBezig(false));
        }}
      >
        {bezig ? 'Bezig met ophalen…' : 'Haal het overzicht van de server op'}
      </button>
      {rijen && !rijen.ok ? <p class="kk-fout">{rijen.error.message}</p> : null}
      {rijen && rijen.ok ? <Ondertekening view={rijen.value} /> : null}
      {rijen && rijen.ok ? (
        rijen.value.rows.length === 0 ? (
          <p role="status">De server heeft van dit dossier nog niets aan andere apparaten bezorgd.</p>
        ) : (
          <table data-testid="bezorgd">
            <caption class="sr-only">Door de server bezorgde onderdelen van dit dossier</caption>
            <thead>
              <tr>
                <th scope="col">Wie</th>
                <th scope="col">Apparaat</th>
                <th scope="col">Onderdeel</th>
                <th scope="col">Wanneer</th>
                <th scope="col">Aantal</th>
                <th scope="col">Zelf &quot;geopend&quot; gemeld</th>
              </tr>
            </thead>
            <tbody>
              {[...rijen.value.rows].reverse().map((r, i) => (
                <tr key={i}>
                  <td>{r.naam}</td>
                  <td>{r.deviceId.slice(0, 8)}</td>
                  <td>
                    {r.onderdeel === 'bijlage' ? 'bijlage' : scopeLabel(r.onderdeel as Parameters<typeof scopeLabel>[0], props.hulpvragen)}
                  </td>
                  <td>
                    {r.eerste === r.laatste ? formatDatumTijd(r.eerste) : `${formatDatumTijd(r.eerste)} – ${formatDatumTijd(r.laatste)}`}
                  </td>
                  <td>{r.aantal}</td>
                  <td>{r.geopendGemeld ? 'ja' : 'nee'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )
      ) : null}
    </section>
  );
}

/**
 * Who signed the served log (R119): the relay key's fingerprint, a warning when it is not the key this
 * device pinned for its SWV, and the signed answer as a file the FG can keep as evidence.
 */
function Ondertekening(props: { readonly view: ServedLogView }) {
  const o = props.view.ondertekening;
  const download = () => {
    const url = URL.createObjectURL(new Blob([props.view.bewijs.inhoud], { type: 'application/json' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = props.view.bewijs.bestandsnaam;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };
  return (
    <>
      {o.andereSleutel ? (
        <p class="kk-fout" role="alert">
          {o.andereSleutel.waarschuwing}
        </p>
      ) : null}
      <p data-testid="bezorgd-ondertekend">
        Ondertekend door de server (sleutel <code>{o.vingerafdruk}</code>) op {formatDatumTijd(o.ondertekendOp)}
        {o.eerderGezien ? '.' : '. Dit apparaat zag deze sleutel nu voor het eerst en onthoudt hem.'}{' '}
        <button type="button" class="secundair" onClick={download}>
          Bezorglogboek downloaden (ondertekend)
        </button>
      </p>
    </>
  );
}

/**
 * The FG's retention overview [R80, R81]: per dossier until when it is kept, any bewaarplicht and the
 * day it is deleted everywhere (soonest first), and a form to place a bewaarplicht.
 */
function Bewaartermijnen() {
  const backend = useBackend();
  const [versie, setVersie] = useState(0);
  const { data: rijen } = useLoad((b) => b.bewaarRegels(), [versie]);
  const [dossier, setDossier] = useState('');
  const [reden, setReden] = useState('');
  const [tot, setTot] = useState('');
  const [bezig, setBezig] = useState(false);
  const [melding, setMelding] = useState<{ ok: boolean; tekst: string } | null>(null);
  const lijst = rijen ?? [];
  const gekozen = lijst.find((r) => r.id === dossier);
  const wachtOpSleutel = gekozen !== undefined && !gekozen.kanVastleggen;
  return (
    <section class="kk-kaart" aria-labelledby="bewaar-kop">
      <h2 id="bewaar-kop">Bewaartermijnen</h2>
      <p>
        Een dossier wordt bewaard tot de bewaartermijn (standaard drie jaar na de laatste eindstatus, WPO art. 18a lid 13) of een later
        eindigende bewaarplicht, en daarna nog vier weken. Op de dag van vernietiging wissen alle apparaten en de server het dossier en alle
        sleutels; alleen een kaal bewijs van de vernietiging blijft op de server.
      </p>
      <table data-testid="bewaar-overzicht">
        <caption class="sr-only">Bewaartermijnen per dossier</caption>
        <thead>
          <tr>
            <th scope="col">Dossier</th>
            <th scope="col">Bewaartermijn tot</th>
            <th scope="col">Bewaarplicht tot</th>
            <th scope="col">Wordt vernietigd op</th>
          </tr>
        </thead>
        <tbody>
          {lijst.map((r) => (
            <tr key={r.id} data-testid="bewaar-rij">
              <td>{r.naam}</td>
              <td>{r.bewaarTot ? formatDatum(r.bewaarTot) : 'nog lopend'}</td>
              <td>{r.bewaarplichtTot ? formatDatum(r.bewaarplichtTot) : 'geen'}</td>
              <td>{r.vernietigOp ? formatDatum(r.vernietigOp) : 'nog geen datum'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <form
        aria-labelledby="bewaarplicht-kop"
        onSubmit={(e) => {
          e.preventDefault();
          setBezig(true);
          setMelding(null);
          void backend
            .plaatsBewaarplicht(dossier, { reden, tot })
            .then((r) => {
              setMelding(
                r.ok ? { ok: true, tekst: `Bewaarplicht vastgelegd tot ${formatDatum(tot)}.` } : { ok: false, tekst: r.error.message },
              );
              if (r.ok) setVersie((v) => v + 1);
            })
            .finally(() => setBezig(false));
        }}
      >
        <h3 id="bewaarplicht-kop">Bewaarplicht vastleggen</h3>
        <Field id="bewaarplicht-dossier" label="Dossier">
          <Select id="bewaarplicht-dossier" value={dossier} onChange={(e) => setDossier(e.currentTarget.value)}>
            <option value="">– kies een dossier –</option>
            {lijst.map((r) => (
              <option key={r.id} value={r.id}>
                {r.kanVastleggen ? r.naam : `${r.naam} (wacht op sleutel)`}
              </option>
            ))}
          </Select>
        </Field>
        <Field id="bewaarplicht-reden" label="Reden (bijvoorbeeld bezwaar of juridische procedure)">
          <Input id="bewaarplicht-reden" value={reden} onInput={(e) => setReden(e.currentTarget.value)} />
        </Field>
        <Field id="bewaarplicht-tot" label="Bewaren tot en met">
          <Input id="bewaarplicht-tot" type="date" value={tot} onInput={(e) => setTot(e.currentTarget.value)} />
        </Field>
        {wachtOpSleutel ? (
          <p class="kk-onderschrift" data-testid="bewaarplicht-wacht">
            Dit apparaat heeft de sleutel van de toegangslijst van dit dossier nog niet. Die wordt gedeeld zodra een beheerder van het
            dossier online is; daarna kunt u de bewaarplicht vastleggen.
          </p>
        ) : null}
        <button type="submit" disabled={bezig || dossier === '' || wachtOpSleutel || reden.trim() === '' || tot === ''}>
          {bezig ? 'Bezig…' : 'Bewaarplicht vastleggen'}
        </button>
        {melding ? (
          <p class={melding.ok ? 'kk-ok' : 'kk-fout'} role={melding.ok ? 'status' : 'alert'} data-testid="bewaarplicht-melding">
            {melding.tekst}
          </p>
        ) : null}
      </form>
    </section>
  );
}

function Scan() {
  const backend = useBackend();
  const [tekst, setTekst] = useState('');
  const [bezig, setBezig] = useState(false);
  const [rapport, setRapport] = useState<{ tekstLengte: number; r: ScanRapport } | null>(null);
  return (
    <form
      class="kk-kaart"
      aria-labelledby="scan-kop"
      onSubmit={(e) => {
        e.preventDefault();
        if (tekst.trim() === '') return;
        setBezig(true);
        void backend
          .scanIndexedDb(tekst)
          .then((r) => setRapport({ tekstLengte: tekst.length, r }))
          .finally(() => setBezig(false));
      }}
    >
      <h2 id="scan-kop">{t('Controleer versleuteling')}</h2>
      <p>
        Typ een tekst die in een dossier staat (bijvoorbeeld de naam van een leerling). Kindkluis doorzoekt zijn eigen opslag in deze
        browser (alle IndexedDB-databases van Kindkluis en de extensie-opslag) op die tekst, als UTF-8 en UTF-16.
      </p>
      <p data-testid="scan-grenzen">
        Wat deze controle niet kan zien: de andere bestanden van het browserprofiel op de schijf (zoals de sessiebestanden waarmee de
        browser tabbladen herstelt, de geschiedenis en de caches van de browser zelf). Van binnenuit de browser kan Kindkluis die niet
        lezen. Kindkluis zorgt ervoor dat de browser wat u in Kindkluis typt daar niet bewaart; dat wordt bij elke versie getest door na
        afloop alle bestanden van het profiel te doorzoeken. Bestanden die u zelf downloadt (bijlagen, het Word-formulier) staan wél
        leesbaar in uw map Downloads: verwijder ze als u ze niet meer nodig hebt. Versleuteling van de hele schijf (BitLocker of FileVault)
        beschermt ook wat buiten Kindkluis staat.
      </p>
      <Field id="scan-tekst" label="Te zoeken tekst">
        <Input id="scan-tekst" type="search" value={tekst} onInput={(e) => setTekst(e.currentTarget.value)} />
      </Field>
      <button type="submit" disabled={bezig || tekst.trim() === ''}>
        {bezig ? 'Bezig met doorzoeken…' : 'Doorzoek opslag'}
      </button>
      {rapport ? (
        <div aria-live="polite">
          {rapport.r.treffers.length === 0 ? (
            <p class="kk-ok" role="status" data-testid="scan-resultaat">
              {t('Niets gevonden')}: de tekst ({rapport.tekstLengte} tekens) staat nergens leesbaar in de opslag van Kindkluis in deze
              browser. {rapport.r.opslagplaatsen.length} opslagplaatsen en {rapport.r.bytes.toLocaleString('nl-NL')} bytes doorzocht.
            </p>
          ) : (
            <p class="kk-fout" role="alert" data-testid="scan-resultaat">
              Gevonden in: {rapport.r.treffers.map((x) => `${x.opslag} (${x.codering})`).join(', ')}
            </p>
          )}
          <table>
            <caption>Doorzochte opslag</caption>
            <thead>
              <tr>
                <th scope="col">Opslag</th>
                <th scope="col">Records</th>
                <th scope="col">Treffers</th>
              </tr>
            </thead>
            <tbody>
              {rapport.r.opslagplaatsen.map((o) => (
                <tr key={o.naam} data-testid="scan-opslag">
                  <td>{o.naam}</td>
                  <td>{o.records}</td>
                  <td>{o.treffers}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </form>
  );
}
