// Wisseling van personeel (002): all open hulpvragen of a departing person to a
// successor of the same organisation in one step. Shown to the beheerder and to
// the people who hold dossiers (school staff, SWV coördinatoren): end-to-end
// encryption means only someone with access to a dossier can change it.
import { useState } from 'preact/hooks';
import type { StaffChangeReport } from '../../../core/client/port.js';
import { ActieMelding, useActie } from '../components/busy.js';
import { Field } from '../components/field.js';
import { Legenda } from '../components/legenda.js';
import { useBackend } from '../context.js';
import { Input, Select } from '../components/controls.js';

export const verslagTekst = (r: StaffChangeReport): string => {
  const delen = [
    `${r.hulpvragen} ${r.hulpvragen === 1 ? 'wijziging' : 'wijzigingen'} in open hulpvragen, ${r.dossiers} ${r.dossiers === 1 ? 'dossier' : 'dossiers'} bijgewerkt.`,
  ];
  if (r.nietBereikbaar > 0) {
    delen.push(
      `${r.nietBereikbaar} ${r.nietBereikbaar === 1 ? 'dossier kon' : 'dossiers konden'} u niet (helemaal) wijzigen: daarvoor is de school nodig die eigenaar is. Vraag een collega daar de wisseling ook uit te voeren.`,
    );
  }
  if (r.ingetrokken > 0)
    delen.push(
      `In ${r.ingetrokken} ${r.ingetrokken === 1 ? 'dossier is' : 'dossiers is'} de eigen toegang van de vertrekker ingetrokken; de sleutels zijn vernieuwd.`,
    );
  if (r.dossiers === 0 && r.nietBereikbaar === 0)
    delen.push('In de dossiers op dit apparaat kwam de vertrekkende medewerker niet (meer) voor.');
  return delen.join(' ');
};

export function Personeelswisseling() {
  const backend = useBackend();
  const actie = useActie();
  const personen = backend.directory();
  const [van, setVan] = useState('');
  const [naar, setNaar] = useState('');
  const [verslag, setVerslag] = useState<string | null>(null);
  const [intrekken, setIntrekken] = useState(false);
  const vertrekker = personen.find((p) => p.userId === van);
  const naam = (id: string) => {
    const p = personen.find((x) => x.userId === id);
    return p ? `${p.profile.voornaam} ${p.profile.achternaam} (${p.organisatieNaam})` : id;
  };
  return (
    <form
      class="kk-kaart"
      aria-labelledby="wissel-kop"
      onSubmit={(e) => {
        e.preventDefault();
        setVerslag(null);
        void actie
          .run(() => backend.staffChange(van, naar, { toegangIntrekken: intrekken }))
          .then((r) => {
            if (r) setVerslag(verslagTekst(r));
          });
      }}
    >
      <h2 id="wissel-kop">Wisseling van personeel</h2>
      <p>
        Zet alle open hulpvragen (nog niet in een eindstatus) van een vertrekkende medewerker in één stap over naar de opvolger bij dezelfde
        organisatie: aanvrager, contactpersoon en e-mailadres, of de coördinator, en de eigen toegang van de vertrekker. Meldingen gaan
        daarna naar de opvolger.
      </p>
      <Legenda vraagteken={false} />
      <Field id="wissel-van" label="Vertrekkende medewerker" verplicht>
        <Select
          id="wissel-van"
          value={van}
          onChange={(e) => {
            setVan(e.currentTarget.value);
            setNaar('');
          }}
        >
          <PersoonOpties personen={personen} naam={naam} />
        </Select>
      </Field>
      <Field id="wissel-naar" label="Opvolger (zelfde organisatie)" verplicht>
        <Select id="wissel-naar" value={naar} disabled={!vertrekker} onChange={(e) => setNaar(e.currentTarget.value)}>
          <PersoonOpties
            personen={personen.filter((p) => p.userId !== van && p.organisationId === vertrekker?.organisationId)}
            naam={naam}
          />
        </Select>
      </Field>
      <label>
        <Input type="checkbox" checked={intrekken} onChange={(e) => setIntrekken(e.currentTarget.checked)} /> Eigen toegang van de
        vertrekker daarna intrekken (de sleutels worden vernieuwd; toegang via een rol van de organisatie eindigt pas als de beheerder die
        rol beëindigt)
      </label>
      <ActieMelding actie={actie} />
      {verslag ? (
        <p role="status" data-testid="wissel-verslag">
          {verslag}
        </p>
      ) : null}
      <button type="submit" disabled={actie.bezig || van === '' || naar === ''}>
        Open hulpvragen overzetten
      </button>
      <UitDienst van={van} naam={naam} />
    </form>
  );
}

/**
 * The beheerder confirms the leaver is gone: the SWV ends them (R56, R57). Their
 * own certificate keeps claiming the school's role, so only this stops group grants.
 */
function UitDienst(props: { readonly van: string; readonly naam: (userId: string) => string }) {
  const backend = useBackend();
  const actie = useActie();
  return (
    <fieldset class="kk-uit-dienst">
      <legend>Uit dienst melden</legend>
      <p>
        Is {props.van === '' ? 'de vertrekkende medewerker' : props.naam(props.van)} vertrokken? Alleen de beheerder van het
        samenwerkingsverband kan iemand uit dienst melden. Daarna heeft deze persoon nergens meer toegang, ook niet via een rol van de
        school, en worden de sleutels vernieuwd van elk dossier waarin hij of zij sleutels had.
      </p>
      <ActieMelding actie={actie} />
      <button
        type="button"
        class="secundair"
        data-testid="uit-dienst"
        disabled={actie.bezig || props.van === ''}
        onClick={() => void actie.run(() => backend.endPerson(props.van, 'uit-dienst'), 'De medewerker is uit dienst gemeld.')}
      >
        Uit dienst melden
      </button>
    </fieldset>
  );
}

/** "– kies –" and one option per person, by display name. */
function PersoonOpties(props: { readonly personen: readonly { readonly userId: string }[]; readonly naam: (userId: string) => string }) {
  return (
    <>
      <option value="">– kies –</option>
      {props.personen.map((p) => (
        <option key={p.userId} value={p.userId}>
          {props.naam(p.userId)}
        </option>
      ))}
    </>
  );
}
