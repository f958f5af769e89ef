// New dossier with its first hulpvraag in one step (002: "u moet alle gevraagde
// gegevens inclusief de nieuwe hulpvraag in één keer invoeren" — we keep the
// sealed draft instead, so nothing is lost), and a new hulpvraag in an existing dossier.
import { useState } from 'preact/hooks';
import type { Leerling } from '../../../core/model/leerling.js';
import { titelsOf } from '../../../core/processes/process-set.js';
import { ActieMelding, useActie } from '../components/busy.js';
import { Bevindingen } from '../components/bevindingen.js';
import { Field } from '../components/field.js';
import { go, useBackend } from '../context.js';
import { useDraft } from '../drafts.js';
import { usePii } from '../pii.js';
import { LEGE_LEERLING, LeerlingVelden } from '../tabs/leerling-tab.js';
import { Select, TextArea } from '../components/controls.js';

const TITELS = titelsOf();

export function NieuwDossierScherm() {
  const backend = useBackend();
  const actie = useActie();
  const [leerlingJson, setLeerlingJson, wisLeerling] = useDraft('nieuw-dossier/leerling', JSON.stringify(LEGE_LEERLING));
  const [titel, setTitel] = useState(TITELS[0] ?? '');
  const [omschrijving, setOmschrijving, wisOmschrijving] = useDraft('nieuw-dossier/omschrijving', '');
  let leerling: Omit<Leerling, 'id'> = LEGE_LEERLING;
  try {
    leerling = { ...LEGE_LEERLING, ...(JSON.parse(leerlingJson) as Partial<Omit<Leerling, 'id'>>) };
  } catch {
    // a damaged draft starts empty
  }
  const pii = usePii(omschrijving, { ...leerling, id: 'nieuw' } as Leerling);
  const [bevestig, setBevestig] = useState(false);
  return (
    <form
      aria-labelledby="nieuw-kop"
      onSubmit={(e) => {
        e.preventDefault();
        // The leerling is typed on this screen, so core checks the omschrijving against it and refuses what is flagged here.
        if (pii.length > 0) {
          setBevestig(true);
          return;
        }
        void actie
          .run(() => backend.createDossierWithHulpvraag(leerling, { titel, omschrijving }))
          .then((r) => {
            if (r) {
              wisLeerling();
              wisOmschrijving();
              go('dossier', r.dossierId, 'hulpvraag', r.hulpvraagId);
            }
          });
      }}
    >
      <h1 id="nieuw-kop">Nieuw dossier met hulpvraag</h1>
      <p class="kk-onderschrift">
        Controleer eerst in de lijst of de leerling al een dossier heeft. Uw invoer wordt versleuteld bewaard als concept tot u opslaat.
      </p>
      <LeerlingVelden waarde={leerling} onChange={(l) => setLeerlingJson(JSON.stringify(l))} prefix="nieuw" />
      <fieldset class="kk-kaart">
        <legend>Hulpvraag</legend>
        <Field
          id="nieuw-titel"
          label="Titel"
          verplicht
          hulp="De titel bepaalt het proces, de eerste status en het formulier dat automatisch wordt toegevoegd."
        >
          <Select id="nieuw-titel" value={titel} onChange={(e) => setTitel(e.currentTarget.value)}>
            {TITELS.map((x) => (
              <option key={x} value={x}>
                {x}
              </option>
            ))}
          </Select>
        </Field>
        <Field
          id="nieuw-omschrijving"
          label="Omschrijving"
          alleenIndienVanToepassing
          hulp="Een korte relevante toelichting mag, maar hoeft niet. Zet er geen naam in: die informatie is al bekend."
          meldingen={<Bevindingen id="nieuw-omschrijving-pii" soort="pii" bevindingen={pii} onHerstel={setOmschrijving} />}
        >
          <TextArea id="nieuw-omschrijving" value={omschrijving} onInput={(e) => setOmschrijving(e.currentTarget.value)} />
        </Field>
      </fieldset>
      {bevestig && pii.length > 0 ? (
        <div class="kk-waarschuwing" role="alert" data-testid="pii-geweigerd">
          De omschrijving bevat persoonsgegevens van de leerling; die horen alleen bij de leerlinggegevens hierboven en worden in de
          omschrijving niet opgeslagen. Haal ze weg, bijvoorbeeld met de herstelknop bij het veld.
        </div>
      ) : null}
      <ActieMelding actie={actie} />
      <button type="submit" disabled={actie.bezig}>
        Dossier en hulpvraag opslaan
      </button>
    </form>
  );
}

export function NieuweHulpvraag(props: { readonly dossierId: string }) {
  const backend = useBackend();
  const actie = useActie();
  const [open, setOpen] = useState(false);
  const [titel, setTitel] = useState(TITELS[0] ?? '');
  if (!open) {
    return (
      <button type="button" class="secundair" onClick={() => setOpen(true)}>
        Nieuwe hulpvraag toevoegen
      </button>
    );
  }
  return (
    <form
      class="kk-kaart"
      aria-label="Nieuwe hulpvraag"
      onSubmit={(e) => {
        e.preventDefault();
        void actie
          .run(() => backend.createHulpvraag(props.dossierId, { titel, omschrijving: '' }))
          .then((r) => {
            if (r) {
              setOpen(false);
              go('dossier', props.dossierId, 'hulpvraag', r);
            }
          });
      }}
    >
      <Field id="extra-titel" label="Titel" verplicht>
        <Select id="extra-titel" value={titel} onChange={(e) => setTitel(e.currentTarget.value)}>
          {TITELS.map((x) => (
            <option key={x} value={x}>
              {x}
            </option>
          ))}
        </Select>
      </Field>
      <ActieMelding actie={actie} />
      <button type="submit" disabled={actie.bezig}>
        Opslaan
      </button>
    </form>
  );
}
