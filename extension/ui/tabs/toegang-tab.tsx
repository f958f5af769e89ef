// Tabblad Toegang (000): who has access to which part of the dossier until when;
// add people, change the expiry, remove those who no longer need access. Removal
// starts new keys for every part they could read (key rotation), so they cannot
// read anything added afterwards.
import { useState } from 'preact/hooks';
import type { DirectoryEntry, HulpvraagDetail, ReaderEntry } from '../../../core/client/port.js';
import type { Scope } from '../../../core/model/grant.js';
import { ActieMelding, useActie } from '../components/busy.js';
import { Field } from '../components/field.js';
import { Legenda } from '../components/legenda.js';
import { useBackend } from '../context.js';
import { formatDatum, plusDagenIso } from '../format.js';
import { Input, Select } from '../components/controls.js';

export const scopeLabel = (scope: string, hulpvragen: readonly HulpvraagDetail[]): string => {
  const [soort, id] = scope.split(':');
  const hv = hulpvragen.find((h) => h.view.id === id)?.view.titel ?? '';
  switch (soort) {
    case 'leerling':
      return 'Leerling (persoonsgegevens)';
    case 'toegang':
      return 'Toegangslijst';
    case 'hulpvraag':
      return `Hulpvraag ${hv}`.trim();
    case 'formulieren':
      return `Formulieren ${hv}`.trim();
    case 'lvs':
      return `LVS ${hv}`.trim();
    case 'overlegronde':
      return 'Overlegronde';
    case 'notities':
      return 'Eigen notities';
    default:
      return scope;
  }
};

export function ToegangTab(props: {
  readonly dossierId: string;
  readonly lezers: readonly ReaderEntry[];
  readonly hulpvragen: readonly HulpvraagDetail[];
  readonly personen: readonly DirectoryEntry[];
  readonly meId: string;
}) {
  const backend = useBackend();
  const actie = useActie();
  const [verwijder, setVerwijder] = useState<ReaderEntry | null>(null);
  const [nieuw, setNieuw] = useState(false);
  return (
    <section aria-labelledby="toegang-kop">
      <h2 id="toegang-kop">Wie heeft toegang</h2>
      <table>
        <caption class="sr-only">Toegang tot dit dossier</caption>
        <thead>
          <tr>
            <th scope="col">Wie</th>
            <th scope="col">Organisatie</th>
            <th scope="col">Tot welke delen</th>
            <th scope="col">Rechten</th>
            <th scope="col">Tot</th>
            <th scope="col">Acties</th>
          </tr>
        </thead>
        <tbody>
          {props.lezers.map((l) => (
            <tr key={l.userId} data-testid="toegang-regel">
              <td>{l.naam}</td>
              <td>{l.organisatie}</td>
              <td>{l.scopes.map((s) => scopeLabel(s, props.hulpvragen)).join(', ')}</td>
              <td>{l.rights.includes('write') ? 'lezen en schrijven' : 'lezen'}</td>
              <td>
                <VervalDatum dossierId={props.dossierId} lezer={l} uitgeschakeld={l.userId === props.meId} />
              </td>
              <td>
                {l.userId !== props.meId ? (
                  <button type="button" class="gevaar" onClick={() => setVerwijder(l)}>
                    Verwijderen<span class="sr-only"> {l.naam}</span>
                  </button>
                ) : (
                  <span class="kk-onderschrift">(u)</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {verwijder ? (
        <div class="kk-waarschuwing" role="alertdialog" aria-labelledby="verwijder-kop" aria-describedby="verwijder-uitleg">
          <h3 id="verwijder-kop">{verwijder.naam} verwijderen uit dit dossier?</h3>
          <p id="verwijder-uitleg">
            Na verwijderen krijgen alle delen die {verwijder.naam} kon lezen nieuwe sleutels. {verwijder.naam} kan daarna niets meer lezen
            wat wordt toegevoegd of gewijzigd. Wat al eerder op het apparaat van {verwijder.naam} stond, kan niet op afstand worden gewist.
          </p>
          <ActieMelding actie={actie} />
          <div class="kk-rij">
            <button
              type="button"
              class="gevaar"
              disabled={actie.bezig}
              onClick={() =>
                void actie
                  .run(
                    () => backend.revoke(props.dossierId, verwijder.userId),
                    `${verwijder.naam} is verwijderd; de sleutels zijn vernieuwd.`,
                  )
                  .then((r) => {
                    if (r !== undefined) setVerwijder(null);
                  })
              }
            >
              Verwijderen en sleutels vernieuwen
            </button>
            <button type="button" class="secundair" onClick={() => setVerwijder(null)}>
              Annuleren
            </button>
          </div>
        </div>
      ) : (
        <ActieMelding actie={actie} />
      )}
      {nieuw ? (
        <NieuweToegang {...props} onKlaar={() => setNieuw(false)} />
      ) : (
        <button type="button" onClick={() => setNieuw(true)}>
          Persoon toegang geven
        </button>
      )}
      <Inzage dossierId={props.dossierId} />
    </section>
  );
}

/** Inzage-export (AVG art. 15): one zip of everything this person may read, signed by this device and logged. */
function Inzage(props: { readonly dossierId: string }) {
  const backend = useBackend();
  const actie = useActie();
  const download = async (soort: 'inzage' | 'lbt') => {
    const r = await actie.run(
      () => backend.exportDossier(props.dossierId, soort),
      'Het dossier is geëxporteerd; de export staat in het toegangslog.',
    );
    if (!r) return;
    const url = URL.createObjectURL(new Blob([r.bytes.slice()], { type: 'application/zip' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = r.naam;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };
  return (
    <section aria-labelledby="inzage-kop" class="kk-kaart">
      <h3 id="inzage-kop">Inzage en kopie (AVG)</h3>
      <p>
        Download alles uit dit dossier dat u mag lezen als één zip-bestand, met een overzicht (index.html) en een ondertekend manifest
        waarmee de ontvanger kan controleren dat het compleet en ongewijzigd is. De export wordt vastgelegd in het toegangslog. Het bestand
        is niet versleuteld: bewaar het zorgvuldig.
      </p>
      <ActieMelding actie={actie} />
      <div class="kk-rij">
        <button type="button" disabled={actie.bezig} onClick={() => void download('inzage')}>
          Dossier exporteren (inzage)
        </button>
        <button type="button" class="secundair" disabled={actie.bezig} onClick={() => void download('lbt')}>
          Dossier voor de LBT (bezwaar)
        </button>
      </div>
      <p class="kk-onderschrift">
        Het dossier voor de Landelijke Bezwaaradviescommissie TLV bevat alleen de TLV-aanvragen: formulier, procedure (statusgeschiedenis),
        besluit en bijlagen.
      </p>
    </section>
  );
}

function VervalDatum(props: { readonly dossierId: string; readonly lezer: ReaderEntry; readonly uitgeschakeld: boolean }) {
  const backend = useBackend();
  const actie = useActie();
  const [bewerk, setBewerk] = useState(false);
  const [datum, setDatum] = useState(props.lezer.expiresAt?.slice(0, 10) ?? '');
  if (!bewerk) {
    return (
      <span class="kk-rij">
        {props.lezer.expiresAt ? formatDatum(props.lezer.expiresAt) : 'onbepaald'}
        {!props.uitgeschakeld ? (
          <button type="button" class="secundair" onClick={() => setBewerk(true)}>
            Wijzig<span class="sr-only"> einddatum van {props.lezer.naam}</span>
          </button>
        ) : null}
      </span>
    );
  }
  const id = `verval-${props.lezer.userId}`;
  return (
    <form
      class="kk-rij"
      onSubmit={(e) => {
        e.preventDefault();
        void actie
          .run(() => backend.changeExpiry(props.dossierId, props.lezer.userId, datum === '' ? null : `${datum}T23:59:59.000Z`))
          .then((r) => {
            if (r !== undefined) setBewerk(false);
          });
      }}
    >
      <label class="sr-only" for={id}>
        Toegang tot
      </label>
      <Input id={id} type="date" value={datum} onInput={(e) => setDatum(e.currentTarget.value)} />
      <button type="submit">Opslaan</button>
      <ActieMelding actie={actie} />
    </form>
  );
}

function NieuweToegang(props: {
  readonly dossierId: string;
  readonly hulpvragen: readonly HulpvraagDetail[];
  readonly personen: readonly DirectoryEntry[];
  readonly lezers: readonly ReaderEntry[];
  readonly onKlaar: () => void;
}) {
  const backend = useBackend();
  const actie = useActie();
  const kandidaten = props.personen.filter((p) => !props.lezers.some((l) => l.userId === p.userId));
  const [wie, setWie] = useState(kandidaten[0]?.userId ?? '');
  const alleScopes: Scope[] = [
    'leerling',
    ...props.hulpvragen.flatMap((h) => [
      `hulpvraag:${h.view.id}` as const,
      `formulieren:${h.view.id}` as const,
      `lvs:${h.view.id}` as const,
    ]),
  ];
  const [scopes, setScopes] = useState<Scope[]>(alleScopes.filter((s) => !s.startsWith('formulieren')));
  const [tot, setTot] = useState(plusDagenIso(90));
  const [schrijven, setSchrijven] = useState(false);
  const [reden, setReden] = useState('');
  // An ouder is linked to the dossier of their own child: read only, no choice of parts (000) [R46].
  const ouder = props.personen.find((p) => p.userId === wie)?.roles.includes('ouder') === true;
  return (
    <form
      class="kk-kaart"
      aria-label="Toegang geven"
      onSubmit={(e) => {
        e.preventDefault();
        const geven = ouder
          ? actie.run(() => backend.linkOuder(props.dossierId, wie), 'Ouder gekoppeld aan het dossier van het eigen kind.')
          : actie.run(
              () =>
                backend.grant(props.dossierId, {
                  userId: wie,
                  scopes,
                  rights: schrijven ? ['read', 'write'] : ['read'],
                  expiresAt: tot === '' ? null : `${tot}T23:59:59.000Z`,
                  ...(reden ? { reden } : {}),
                }),
              'Toegang gegeven.',
            );
        void geven.then((r) => {
          if (r !== undefined) props.onKlaar();
        });
      }}
    >
      <Legenda />
      <Field id="toegang-wie" label="Persoon" verplicht>
        <Select id="toegang-wie" value={wie} onChange={(e) => setWie(e.currentTarget.value)}>
          {kandidaten.map((p) => (
            <option key={p.userId} value={p.userId}>
              {p.profile.voornaam} {p.profile.achternaam} – {p.profile.functie}, {p.organisatieNaam}
            </option>
          ))}
        </Select>
      </Field>
      {ouder ? (
        <p>
          Deze ouder/verzorger leest de leerlinggegevens en de hulpvragen van dit dossier, ook latere hulpvragen, en kan niets wijzigen.
          Andere dossiers van de school blijven dicht.
        </p>
      ) : (
        <>
          <fieldset>
            <legend>Delen van het dossier</legend>
            {alleScopes.map((s) => (
              <label key={s} style={{ display: 'block' }}>
                <Input
                  type="checkbox"
                  checked={scopes.includes(s)}
                  onChange={(e) => setScopes(e.currentTarget.checked ? [...scopes, s] : scopes.filter((x) => x !== s))}
                />{' '}
                {scopeLabel(s, props.hulpvragen)}
              </label>
            ))}
          </fieldset>
          <label>
            <Input type="checkbox" checked={schrijven} onChange={(e) => setSchrijven(e.currentTarget.checked)} /> Mag ook wijzigen
          </label>
          <Field id="toegang-tot" label="Toegang tot en met" hulp="Toegang is doelgericht en tijdelijk; laat leeg voor onbepaalde tijd.">
            <Input id="toegang-tot" type="date" value={tot} onInput={(e) => setTot(e.currentTarget.value)} />
          </Field>
          <Field id="toegang-reden" label="Reden" alleenIndienVanToepassing>
            <Input id="toegang-reden" value={reden} onInput={(e) => setReden(e.currentTarget.value)} />
          </Field>
        </>
      )}
      <ActieMelding actie={actie} />
      <div class="kk-rij">
        <button type="submit" disabled={actie.bezig || wie === '' || (!ouder && scopes.length === 0)}>
          {ouder ? 'Ouder koppelen' : 'Toegang geven'}
        </button>
        <button type="button" class="secundair" onClick={props.onKlaar}>
          Annuleren
        </button>
      </div>
    </form>
  );
}
