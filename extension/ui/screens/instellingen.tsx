// Settings of this device: the relay (host permission for that origin only),
// language, and the auto-lock time.
import { useEffect, useState } from 'preact/hooks';
import { ActieMelding, useActie } from '../components/busy.js';
import { Field, Melding } from '../components/field.js';
import { useBackend } from '../context.js';
import { getLang, saveLang, t, type Lang } from '../i18n.js';
import { autoLockMinutes, DEFAULT_AUTOLOCK_MIN, relayUrl, setAutoLockMinutes, setRelayUrl, vraagRelayToestemming } from '../settings.js';
import { Input, Select } from '../components/controls.js';

/** `voorstel`: the address from a pasted invitation (welcome screen), shown in the field as soon as it is read. */
export function RelayInstelling(props: { readonly voorstel?: string | null }) {
  // `null` until the stored address is read: the field appears only then, so a typed address can never
  // be replaced by the stored one arriving late (a race that lost the address in a cold browser).
  const [url, setUrl] = useState<string | null>(null);
  const [melding, setMelding] = useState<{ soort: 'ok' | 'fout' | 'waarschuwing'; tekst: string } | null>(null);
  useEffect(() => {
    void relayUrl().then((opgeslagen) => setUrl((getypt) => getypt ?? opgeslagen));
  }, []);
  useEffect(() => {
    if (props.voorstel) setUrl(props.voorstel);
  }, [props.voorstel]);
  if (url === null) return <p role="status">Instellingen laden…</p>;
  return (
    <form
      class="kk-kaart"
      aria-label="Server instellen"
      onSubmit={(e) => {
        e.preventDefault();
        void setRelayUrl(url).then(async (r) => {
          if (!r.ok) {
            setMelding({ soort: 'fout', tekst: r.melding });
            return;
          }
          setMelding({ soort: 'ok', tekst: 'Serveradres opgeslagen. Chromium vraagt toestemming voor alleen dit adres.' });
          const toestemming = await vraagRelayToestemming(r.origin);
          setMelding(
            toestemming
              ? { soort: 'ok', tekst: 'Serveradres opgeslagen; Kindkluis heeft toestemming voor alleen dit adres.' }
              : {
                  soort: 'waarschuwing',
                  tekst: 'Serveradres opgeslagen, maar zonder toestemming voor dit adres. Sla opnieuw op om het nog eens te vragen.',
                },
          );
        });
      }}
    >
      <Field
        id="relay-url"
        label="Serveradres"
        hulp="De server van uw samenwerkingsverband bewaart en verstuurt alleen versleutelde gegevens. Het adres staat in de uitnodiging; standaard ws://127.0.0.1:8787 op dit apparaat."
      >
        <Input id="relay-url" value={url} onInput={(e) => setUrl(e.currentTarget.value)} />
      </Field>
      {melding ? <Melding soort={melding.soort}>{melding.tekst}</Melding> : null}
      <button type="submit" class="secundair">
        Serveradres opslaan
      </button>
    </form>
  );
}

export function Instellingen() {
  const [minuten, setMinuten] = useState<number | null>(null);
  const [opgeslagen, setOpgeslagen] = useState(false);
  useEffect(() => {
    void autoLockMinutes().then((m) => setMinuten((getypt) => getypt ?? m));
  }, []);
  return (
    <section aria-labelledby="instellingen-kop">
      <h1 id="instellingen-kop">{t('Instellingen')}</h1>
      <RelayInstelling />
      <form
        class="kk-kaart"
        aria-label="Automatisch vergrendelen"
        onSubmit={(e) => {
          e.preventDefault();
          void setAutoLockMinutes(minuten ?? DEFAULT_AUTOLOCK_MIN).then(() => setOpgeslagen(true));
        }}
      >
        <Field
          id="autolock"
          label="Automatisch vergrendelen na (minuten zonder activiteit)"
          hulp="Wat u typt blijft versleuteld bewaard; na ontgrendelen gaat u verder waar u was."
        >
          <Input
            id="autolock"
            type="number"
            min={1}
            max={240}
            value={minuten ?? ''}
            onInput={(e) => setMinuten(Number(e.currentTarget.value))}
          />
        </Field>
        {opgeslagen ? <Melding soort="ok">Opgeslagen.</Melding> : null}
        <button type="submit" class="secundair">
          Opslaan
        </button>
      </form>
      <ApparaatKoppelen />
      <Apparaten />
      <div class="kk-kaart">
        <Field id="taal" label={t('Taal')}>
          <Select
            id="taal"
            value={getLang()}
            onChange={(e) => {
              void saveLang(e.currentTarget.value as Lang).then(() => location.reload());
            }}
          >
            <option value="nl">Nederlands</option>
            <option value="en">English</option>
          </Select>
        </Field>
      </div>
    </section>
  );
}

/**
 * Another browser of the same person (a laptop at home): the beheerder gives a code for it, the new browser
 * makes its own keys and joins with that code and a controlecode; nothing leaves this device [R145, R148].
 */
function ApparaatKoppelen() {
  return (
    <section class="kk-kaart" aria-labelledby="koppel-kop">
      <h2 id="koppel-kop">Nog een apparaat koppelen</h2>
      <p>
        Werkt u ook op een ander apparaat? Vraag de beheerder van uw samenwerkingsverband om een koppelcode voor een extra apparaat.
        Installeer Kindkluis op dat apparaat, kies «Extra apparaat koppelen» en typ de code over. Lees de controlecode die dan verschijnt
        voor aan de beheerder; na de goedkeuring is het apparaat gekoppeld.
      </p>
      <p class="kk-onderschrift">
        Het nieuwe apparaat maakt zijn eigen sleutels. Van dit apparaat gaat niets mee, dus wie later een van beide apparaten kwijtraakt,
        trekt alleen dat apparaat in.
      </p>
    </section>
  );
}

/** The devices of this account; a lost or stolen one is revoked here, from another device. */
function Apparaten() {
  const backend = useBackend();
  const actie = useActie();
  const [, herteken] = useState(0);
  const lijst = backend.devices();
  if (lijst.length === 0) return null;
  return (
    <section class="kk-kaart" aria-labelledby="apparaten-kop">
      <h2 id="apparaten-kop">Apparaten van uw account</h2>
      <p>
        Kwijt of gestolen? Trek het apparaat hier in: de server weigert het daarna in al uw dossiers, en wat het daarna ondertekent telt
        niet meer.
      </p>
      <ul>
        {lijst.map((a) => (
          <li key={a.deviceId} data-testid="apparaat">
            {a.ditApparaat ? 'Dit apparaat' : `Apparaat ${a.deviceId.slice(0, 8)}…`}
            {a.ingetrokken ? ' (ingetrokken)' : null}
            {!a.ditApparaat && !a.ingetrokken ? (
              <>
                {' '}
                <button
                  type="button"
                  class="secundair"
                  disabled={actie.bezig}
                  onClick={() => {
                    if (!confirm('Dit apparaat intrekken? Het kan daarna niets meer lezen of schrijven in uw dossiers.')) return;
                    void actie.run(() => backend.revokeDevice(a.deviceId)).then(() => herteken((n) => n + 1));
                  }}
                >
                  Intrekken
                </button>
              </>
            ) : null}
          </li>
        ))}
      </ul>
      <ActieMelding actie={actie} />
    </section>
  );
}
