// First run on the options page: create a new SWV (this user becomes its
// beheerder and holds the root key) or join one with an invitation code from
// the beheerder; choose a passphrase; print the recovery kit.
import { useEffect, useState } from 'preact/hooks';
import { ActieMelding, useActie } from '../components/busy.js';
import { Field } from '../components/field.js';
import { Legenda } from '../components/legenda.js';
import { useBackend, useLoad } from '../context.js';
import { fail, type Result } from '../../../core/result.js';
import { formatDatum, vandaagIso } from '../format.js';
import { t } from '../i18n.js';
import { setRelayUrl, setSwvNaam, vraagRelayToestemming } from '../settings.js';
import { leesUitnodiging } from '../../../core/client/uitnodiging.js';
import { RelayInstelling } from './instellingen.js';
import { Input, WachtwoordVeld } from '../components/controls.js';

const MIN = 12;

function Wachtwoord(props: {
  readonly waarde: string;
  readonly herhaal: string;
  readonly onWaarde: (v: string) => void;
  readonly onHerhaal: (v: string) => void;
}) {
  const teKort = props.waarde.length > 0 && props.waarde.length < MIN;
  const anders = props.herhaal.length > 0 && props.herhaal !== props.waarde;
  return (
    <>
      <Field
        id="wachtwoord"
        label="Kies een wachtwoordzin"
        verplicht
        hulp={`Minstens ${MIN} tekens; een zin van een paar woorden is sterk en goed te onthouden. Niemand anders, ook de beheerder niet, kan hem herstellen; daarvoor is de herstelkit.`}
      >
        <WachtwoordVeld
          soort="nieuw"
          id="wachtwoord"
          value={props.waarde}
          onInput={(e) => props.onWaarde(e.currentTarget.value)}
          aria-invalid={teKort}
        />
      </Field>
      {teKort ? <p class="kk-waarschuwing">De wachtwoordzin is nog te kort (minstens {MIN} tekens).</p> : null}
      <Field id="wachtwoord-herhaal" label="Herhaal de wachtwoordzin" verplicht>
        <WachtwoordVeld
          soort="nieuw"
          id="wachtwoord-herhaal"
          value={props.herhaal}
          onInput={(e) => props.onHerhaal(e.currentTarget.value)}
          aria-invalid={anders}
        />
      </Field>
      {anders ? <p class="kk-waarschuwing">De twee wachtwoordzinnen zijn niet gelijk.</p> : null}
    </>
  );
}

export function Onboarding() {
  // Keep the onboarding on screen (for the recovery kit) after the session unlocks.
  useEffect(() => {
    if (!location.hash.startsWith('#/welkom')) location.replace('#/welkom');
  }, []);
  const [keuze, setKeuze] = useState<'nieuw' | 'aansluiten' | 'koppelen' | null>(null);
  const [herstel, setHerstel] = useState<{ code: string | null; wie: string; basis?: string | null } | null>(null);
  // The server address read from a pasted invitation: shown under Geavanceerd before it is saved at joining.
  const [adresUitUitnodiging, setAdresUitUitnodiging] = useState<string | null>(null);
  if (herstel) return <Herstelkit code={herstel.code} wie={herstel.wie} basisCode={herstel.basis ?? null} />;
  return (
    <section aria-labelledby="welkom-kop">
      <h1 id="welkom-kop">{t('Welkom bij Kindkluis')}</h1>
      <p>
        Kindkluis bewaart dossiers versleuteld op dit apparaat. Alleen mensen die toegang krijgen, kunnen ze lezen; de server ziet alleen
        versleutelde gegevens.
      </p>
      <div class="kk-rij" role="group" aria-label="Hoe wilt u beginnen?">
        <button type="button" class="secundair" aria-pressed={keuze === 'aansluiten'} onClick={() => setKeuze('aansluiten')}>
          {t('Aansluiten met uitnodigingscode')}
        </button>
        <button type="button" class="secundair" aria-pressed={keuze === 'koppelen'} onClick={() => setKeuze('koppelen')}>
          {t('Extra apparaat koppelen')}
        </button>
        <button type="button" class="secundair" aria-pressed={keuze === 'nieuw'} onClick={() => setKeuze('nieuw')}>
          {t('Nieuw samenwerkingsverband')}
        </button>
      </div>
      {keuze === 'nieuw' ? <NieuwSwv onKlaar={(code, wie, basis) => setHerstel({ code, wie, basis })} /> : null}
      {keuze === 'aansluiten' ? <Aansluiten onAdres={setAdresUitUitnodiging} onKlaar={(code) => setHerstel({ code, wie: '' })} /> : null}
      {keuze === 'koppelen' ? (
        <ApparaatKoppelen onAdres={setAdresUitUitnodiging} onKlaar={(code) => setHerstel({ code, wie: '' })} />
      ) : null}
      {/* The server address is rarely changed: the default or the invitation's address works for most people. */}
      <details class="kk-kaart" data-testid="geavanceerd">
        <summary>Geavanceerd: serveradres</summary>
        <RelayInstelling voorstel={adresUitUitnodiging} />
      </details>
    </section>
  );
}

function NieuwSwv(props: { readonly onKlaar: (code: string | null, wie: string, basisCode: string | null) => void }) {
  const backend = useBackend();
  const actie = useActie();
  const [v, setV] = useState({ swvNaam: '', organisatieNaam: '', voornaam: '', achternaam: '', functie: 'Beheerder', email: '' });
  const [ww, setWw] = useState('');
  const [ww2, setWw2] = useState('');
  // The root key's own passphrase [R102]: asked only for Beheer actions, never by the daily unlock.
  const [basis, setBasis] = useState('');
  const [basis2, setBasis2] = useState('');
  const basisGoed = basis.length >= MIN && basis === basis2 && basis !== ww;
  const veld = (k: keyof typeof v, label: string, type = 'text') => (
    <Field id={`swv-${k}`} label={label} verplicht>
      <Input id={`swv-${k}`} type={type} value={v[k]} required onInput={(e) => setV({ ...v, [k]: e.currentTarget.value })} />
    </Field>
  );
  return (
    <form
      class="kk-kaart"
      aria-labelledby="nieuw-swv-kop"
      onSubmit={(e) => {
        e.preventDefault();
        if (ww.length < MIN || ww !== ww2 || !basisGoed) return;
        void actie
          .run(() =>
            backend.createSwv({
              swvNaam: v.swvNaam,
              beheerder: {
                voornaam: v.voornaam,
                achternaam: v.achternaam,
                functie: v.functie,
                organisatieNaam: v.organisatieNaam || v.swvNaam,
                email: v.email,
              },
              passphrase: ww,
              rootPassphrase: basis,
            }),
          )
          .then(async (r) => {
            if (r) {
              await setSwvNaam(v.swvNaam);
              props.onKlaar(r.recoveryCode, `${v.voornaam} ${v.achternaam}`, r.rootRecoveryCode ?? null);
            }
          });
      }}
    >
      <h2 id="nieuw-swv-kop">Nieuw samenwerkingsverband</h2>
      <p>U wordt de beheerder: u houdt de sleutel van het samenwerkingsverband en nodigt organisaties en mensen uit.</p>
      <Legenda />
      {veld('swvNaam', 'Naam van het samenwerkingsverband')}
      {veld('voornaam', 'Uw voornaam')}
      {veld('achternaam', 'Uw achternaam')}
      {veld('functie', 'Uw functie')}
      {veld('email', 'Uw e-mailadres', 'email')}
      <Wachtwoord waarde={ww} herhaal={ww2} onWaarde={setWw} onHerhaal={setWw2} />
      <h3>Sleutel van het samenwerkingsverband</h3>
      <p>
        Met de sleutel van het samenwerkingsverband bevestigt u wie lid is (met welke rol en organisatie), keurt u aanmeldingen goed en
        meldt u mensen uit dienst. Hij krijgt een eigen wachtwoordzin, anders dan uw dagelijkse, en wordt alleen in Beheer ontgrendeld.
      </p>
      <Field
        id="basis-wachtwoord"
        label="Wachtwoordzin van de sleutel van het SWV"
        verplicht
        hulp={`Minstens ${MIN} tekens en niet gelijk aan uw dagelijkse wachtwoordzin.`}
      >
        <WachtwoordVeld soort="nieuw" id="basis-wachtwoord" value={basis} onInput={(e) => setBasis(e.currentTarget.value)} />
      </Field>
      <Field id="basis-wachtwoord-herhaal" label="Herhaal de wachtwoordzin van de sleutel van het SWV" verplicht>
        <WachtwoordVeld soort="nieuw" id="basis-wachtwoord-herhaal" value={basis2} onInput={(e) => setBasis2(e.currentTarget.value)} />
      </Field>
      {basis.length > 0 && basis === ww ? (
        <p class="kk-waarschuwing">Kies voor de sleutel van het SWV een andere wachtwoordzin dan uw dagelijkse.</p>
      ) : null}
      <ActieMelding actie={actie} />
      <button type="submit" disabled={actie.bezig || ww.length < MIN || ww !== ww2 || !basisGoed}>
        {actie.bezig ? 'Sleutels maken…' : 'Samenwerkingsverband aanmaken'}
      </button>
    </form>
  );
}

/** A code plus a new passphrase: joining with an invitation and linking this browser share the form. */
function CodeFormulier(props: {
  readonly id: string;
  readonly kop: string;
  readonly uitleg: preact.ComponentChildren;
  readonly codeLabel: string;
  readonly knop: string;
  readonly bezigTekst: string;
  readonly verstuur: (input: { code: string; passphrase: string }) => Promise<Result<{ herstelcode: string | null }>>;
  readonly onKlaar: (code: string | null) => void;
  readonly extra?: preact.ComponentChildren;
  readonly onAdres: (url: string | null) => void;
}) {
  const actie = useActie();
  const [code, setCode] = useState('');
  // The letter's line is the code with the server address; only an address that is there is judged while typing.
  const gelezen = leesUitnodiging(code);
  const metAdres = /wss?:\/\//i.test(code);
  const server = gelezen.ok ? gelezen.value.server : null;
  const adresFout = metAdres && !gelezen.ok && gelezen.error.code.startsWith('serveradres') ? gelezen.error.message : undefined;
  const [ww, setWw] = useState('');
  const [ww2, setWw2] = useState('');
  return (
    <form
      class="kk-kaart"
      aria-labelledby={`${props.id}-kop`}
      onSubmit={(e) => {
        e.preventDefault();
        if (ww.length < MIN || ww !== ww2) return;
        void actie
          .run(() => props.verstuur({ code, passphrase: ww }))
          .then((r) => {
            if (r) props.onKlaar(r.herstelcode);
          });
      }}
    >
      <h2 id={`${props.id}-kop`}>{props.kop}</h2>
      <p>{props.uitleg}</p>
      <Legenda />
      <Field
        id={props.id}
        label={props.codeLabel}
        verplicht
        fout={adresFout}
        hulp="Typ de code, of plak de hele regel uit de uitnodiging: de code met het adres van de server erachter."
      >
        <Input
          id={props.id}
          value={code}
          required
          onInput={(e) => {
            const v = e.currentTarget.value;
            setCode(v);
            const r = leesUitnodiging(v);
            props.onAdres(r.ok ? (r.value.server?.url ?? null) : null);
          }}
        />
      </Field>
      {server ? (
        <p class="kk-onderschrift" data-testid="uitnodiging-server">
          Server uit de uitnodiging: {server.url}
        </p>
      ) : null}
      <Wachtwoord waarde={ww} herhaal={ww2} onWaarde={setWw} onHerhaal={setWw2} />
      {props.extra}
      <ActieMelding actie={actie} />
      <button type="submit" disabled={actie.bezig || code.trim() === '' || ww.length < MIN || ww !== ww2}>
        {actie.bezig ? props.bezigTekst : props.knop}
      </button>
    </form>
  );
}

function Aansluiten(props: { readonly onKlaar: (code: string | null) => void; readonly onAdres: (url: string | null) => void }) {
  return (
    <MetCode
      onAdres={props.onAdres}
      id="uitnodigingscode"
      kop="Aansluiten met een uitnodigingscode"
      uitleg="De beheerder van uw samenwerkingsverband heeft u een code gegeven (op papier of telefonisch). Heeft u al een account bij een ander samenwerkingsverband? Dan gebruikt u dezelfde Kindkluis."
      codeLabel="Uitnodigingscode"
      knop="Aansluiten"
      onKlaar={props.onKlaar}
    />
  );
}

/**
 * Another device of someone who already works with Kindkluis: the beheerder gave a koppelcode for it. This
 * browser makes its own keys and joins like a new member, approved with the controlecode [R145, R148].
 */
function ApparaatKoppelen(props: { readonly onKlaar: (code: string | null) => void; readonly onAdres: (url: string | null) => void }) {
  return (
    <MetCode
      onAdres={props.onAdres}
      id="koppelcode"
      kop="Dit apparaat koppelen aan uw account"
      uitleg="Gebruikt u Kindkluis al op een ander apparaat? Vraag de beheerder van uw samenwerkingsverband om een koppelcode voor een extra apparaat en typ die hier over. Dit apparaat krijgt eigen sleutels en een eigen wachtwoordzin; van uw andere apparaat gaat niets mee."
      codeLabel="Koppelcode"
      knop="Koppelen"
      onKlaar={props.onKlaar}
    />
  );
}

/** A code from the beheerder, then the controlecode to read back while the beheerder approves [R100]. */
function MetCode(props: {
  readonly id: string;
  readonly kop: string;
  readonly uitleg: string;
  readonly codeLabel: string;
  readonly knop: string;
  readonly onKlaar: (code: string | null) => void;
  readonly onAdres: (url: string | null) => void;
}) {
  const backend = useBackend();
  const [sas, setSas] = useState<string | null>(null);
  const { data: wacht } = useLoad((b) => b.hasPendingJoin(), []);
  return (
    <CodeFormulier
      extra={
        <>
          {wacht && sas === null ? (
            <p class="kk-waarschuwing">
              Op deze browser wacht al een aanmelding op de beheerder. Voer dezelfde code opnieuw in om te zien of die is goedgekeurd.
            </p>
          ) : null}
          {sas ? (
            <div class="kk-kaart" role="status">
              <p>
                Lees deze controlecode voor aan de beheerder wanneer die u belt. Pas na de goedkeuring gaat u verder; u mag dit venster
                sluiten en later dezelfde code opnieuw invoeren.
              </p>
              <p style={{ fontSize: '1.5rem', fontFamily: 'monospace' }} data-testid="controlecode">
                {sas}
              </p>
            </div>
          ) : null}
        </>
      }
      id={props.id}
      kop={props.kop}
      uitleg={props.uitleg}
      codeLabel={props.codeLabel}
      knop={props.knop}
      bezigTekst="Wachten op de beheerder…"
      verstuur={async (input) => {
        // Split here, on this device: the server gets only mailboxes named by the code's hash, never the code [R153].
        const u = leesUitnodiging(input.code);
        if (!u.ok) return u;
        if (u.value.server) {
          const r = await setRelayUrl(u.value.server.url);
          if (!r.ok) return fail('serveradres-ongeldig', r.melding);
          // Not awaited: the prompt may wait for the user, the join need not (a WebSocket needs no host permission).
          void vraagRelayToestemming(r.origin);
        }
        return backend.join({ code: u.value.code, passphrase: input.passphrase }, setSas);
      }}
      onAdres={props.onAdres}
      onKlaar={props.onKlaar}
    />
  );
}

export function Herstelkit(props: { readonly code: string | null; readonly wie: string; readonly basisCode?: string | null }) {
  return (
    <section aria-labelledby="herstel-kop">
      <h1 id="herstel-kop">Uw herstelkit</h1>
      {props.code ? (
        <>
          <p>
            Print deze pagina en bewaar hem op een veilige plek (niet bij de computer). Met deze code kunt u een nieuwe wachtwoordzin kiezen
            als u de oude vergeet.
          </p>
          <div class="kk-kaart" style={{ fontSize: '1.3rem', fontFamily: 'monospace' }} data-testid="herstelcode">
            {props.code}
          </div>
          <p class="kk-onderschrift">
            Kindkluis-herstelkit {props.wie ? `voor ${props.wie}, ` : ''}gemaakt op {formatDatum(vandaagIso())}.
          </p>
          {props.basisCode ? (
            <>
              <h2>Herstelcode van de sleutel van het samenwerkingsverband</h2>
              <p>
                Bewaar deze code apart, in de kluis van het samenwerkingsverband: hij zet een nieuwe wachtwoordzin op de sleutel van het
                samenwerkingsverband. Wie hem vindt, kan met dit apparaat iedereen als lid toelaten, met elke rol.
              </p>
              <div class="kk-kaart" style={{ fontSize: '1.3rem', fontFamily: 'monospace' }} data-testid="basis-herstelcode">
                {props.basisCode}
              </div>
            </>
          ) : null}
          <button type="button" onClick={() => print()}>
            Herstelkit printen
          </button>
        </>
      ) : (
        <p>Uw sleutels zijn aangemaakt en versleuteld opgeslagen.</p>
      )}
      <p>
        <a href="dossier.html#/lijst">Verder naar de hulpvragen</a> · <a href="#/instellingen">Instellingen</a>
      </p>
    </section>
  );
}
