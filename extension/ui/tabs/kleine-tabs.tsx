// The smaller dossier tabs: Basisgegevens, Schoolgegevens, Aanpak (003),
// TLV (the afgegeven toelaatbaarheidsverklaring and its brief) and Mijn notities.
import { useState } from 'preact/hooks';
import { DESKUNDIGE_FUNCTIES } from '../../../core/model/tlv-verklaring.js';
import { type Leerling } from '../../../core/model/leerling.js';
import { processForTitel } from '../../../core/processes/process-set.js';
import type { AanpakInput, DirectoryEntry, DossierDetail, HulpvraagDetail } from '../../../core/client/port.js';
import { ActieMelding, useActie } from '../components/busy.js';
import { Bevindingen } from '../components/bevindingen.js';
import { Field } from '../components/field.js';
import { Legenda } from '../components/legenda.js';
import { useBackend, useLoad } from '../context.js';
import { useDraft } from '../drafts.js';
import { formatDatum, vandaagIso, aantal } from '../format.js';
import { usePii } from '../pii.js';
import { Input, Select, TextArea } from '../components/controls.js';

export function BasisgegevensTab(props: { readonly d: DossierDetail; readonly onLeerling: () => void }) {
  return (
    <section aria-label="Basisgegevens">
      <dl class="kk-gegevens">
        <dt>Dossier</dt>
        <dd>
          <code>{props.d.dossierId.slice(0, 12)}</code>
        </dd>
        <dt>Hulpvragen</dt>
        <dd>{props.d.hulpvragen.map((h) => `${h.view.titel} (${h.view.statusLabel || h.view.status})`).join('; ') || '–'}</dd>
        <dt>Overlegronden</dt>
        <dd>{props.d.overlegronden.length}</dd>
        <dt>Eigenaar</dt>
        <dd>{props.d.hulpvragen[0]?.schoolNaam ?? '–'}</dd>
      </dl>
      <p>
        Naam, geboortedatum, BSN en adres staan op het tabblad{' '}
        <button type="button" class="secundair" onClick={props.onLeerling}>
          Leerling
        </button>
        . Verhuist de leerling terwijl de hulpvraag loopt? Voeg daar het nieuwe adres toe.
      </p>
    </section>
  );
}

export function SchoolgegevensTab(props: { readonly hv: HulpvraagDetail }) {
  const school = props.hv.view.school;
  return (
    <section aria-label="Schoolgegevens">
      <dl class="kk-gegevens">
        <dt>School</dt>
        <dd>{props.hv.schoolNaam}</dd>
        <dt>Aanvrager</dt>
        <dd data-testid="aanvrager">{props.hv.aanvrager}</dd>
        <dt>Contactpersoon</dt>
        <dd>{school.contactpersoon || '–'}</dd>
        <dt>E-mailadres</dt>
        <dd>{school.email || '–'}</dd>
      </dl>
      <p class="kk-onderschrift">
        Wisselt de intern begeleider of ondersteuningscoördinator? Met "Wisseling van personeel" (in de instellingen) zet een collega van de
        school alle open hulpvragen in één stap over naar de opvolger; meldingen gaan dan naar de nieuwe aanvrager.
      </p>
    </section>
  );
}

export function AanpakTab(props: {
  readonly hv: HulpvraagDetail;
  readonly personen: readonly DirectoryEntry[];
  readonly leerling: Leerling | null;
}) {
  const backend = useBackend();
  const actie = useActie();
  const [nieuw, setNieuw] = useState(false);
  const [behandelaar, setBehandelaar] = useState('');
  const [omschrijving, setOmschrijving, wisOmschrijving] = useDraft(`aanpak/${props.hv.view.id}/omschrijving`, '');
  const [start, setStart] = useState(vandaagIso());
  const [eind, setEind] = useState('');
  const pii = usePii(omschrijving, props.leerling);
  const behandelaars = props.personen.filter((p) =>
    p.roles.some((r) => ['regierolhouder', 'behandelaar', 'schakelfunctionaris-jeugdhulp', 'deskundige'].includes(r)),
  );
  return (
    <section aria-label="Aanpak">
      {props.hv.aanpak.length === 0 ? <p>Er is nog geen aanpak vastgelegd.</p> : null}
      {props.hv.aanpak.map((a) => (
        <div key={a.id} class="kk-kaart" data-testid="aanpak">
          <p>{a.omschrijving}</p>
          <p class="kk-onderschrift">
            Behandelaar: {a.behandelaarNaam} · van {formatDatum(a.startdatum)}
            {a.einddatum ? ` tot en met ${formatDatum(a.einddatum)}` : ''}
          </p>
        </div>
      ))}
      {nieuw ? (
        <form
          class="kk-kaart"
          aria-label="Nieuwe aanpak"
          onSubmit={(e) => {
            e.preventDefault();
            const invoer = {
              behandelaar: behandelaar as AanpakInput['behandelaar'],
              omschrijving,
              startdatum: start,
              einddatum: eind === '' ? null : eind,
            };
            void actie
              .run(
                () => backend.addAanpak(props.hv.view.dossierId, props.hv.view.id, invoer),
                'Aanpak opgeslagen; de behandelaar krijgt toegang en een melding.',
              )
              .then((r) => {
                if (r !== undefined) {
                  wisOmschrijving();
                  setNieuw(false);
                }
              });
          }}
        >
          <p class="kk-onderschrift">
            De behandelaar krijgt toegang tot deze hulpvraag (tot de einddatum, als u die invult) en een melding zonder inhoud.
          </p>
          <Legenda />
          <Field id="aanpak-behandelaar" label="Behandelaar (regierolhouder)" verplicht>
            <Select id="aanpak-behandelaar" value={behandelaar} required onChange={(e) => setBehandelaar(e.currentTarget.value)}>
              <option value="">– kies –</option>
              {behandelaars.map((p) => (
                <option key={p.userId} value={p.userId}>
                  {p.profile.voornaam} {p.profile.achternaam} – {p.organisatieNaam}
                </option>
              ))}
            </Select>
          </Field>
          <Field
            id="aanpak-omschrijving"
            label="Omschrijving"
            verplicht
            meldingen={<Bevindingen id="aanpak-pii" soort="pii" bevindingen={pii} onHerstel={setOmschrijving} />}
          >
            <TextArea id="aanpak-omschrijving" value={omschrijving} required onInput={(e) => setOmschrijving(e.currentTarget.value)} />
          </Field>
          <Field id="aanpak-start" label="Startdatum" verplicht>
            <Input id="aanpak-start" type="date" value={start} required onInput={(e) => setStart(e.currentTarget.value)} />
          </Field>
          <Field id="aanpak-eind" label="Einddatum" alleenIndienVanToepassing>
            <Input id="aanpak-eind" type="date" value={eind} onInput={(e) => setEind(e.currentTarget.value)} />
          </Field>
          <ActieMelding actie={actie} />
          <div class="kk-rij">
            <button type="submit" disabled={actie.bezig}>
              Opslaan
            </button>
            <button type="button" class="secundair" onClick={() => setNieuw(false)}>
              Annuleren
            </button>
          </div>
        </form>
      ) : (
        <button type="button" onClick={() => setNieuw(true)}>
          Nieuwe aanpak toevoegen
        </button>
      )}
      {!nieuw ? <ActieMelding actie={actie} /> : null}
    </section>
  );
}

export function TlvTab(props: { readonly hv: HulpvraagDetail }) {
  const t = props.hv.tlv;
  const p = processForTitel(props.hv.view.titel);
  const tlvStatussen = p.ok ? p.value.statuses.filter((s) => s.recordsTlv).map((s) => s.status) : [];
  const afgegeven = [...props.hv.view.history].reverse().find((h) => tlvStatussen.includes(h.to));
  if (!t && !afgegeven) return <p>Er is (nog) geen toelaatbaarheidsverklaring afgegeven voor deze hulpvraag.</p>;
  return (
    <section aria-label="Toelaatbaarheidsverklaring">
      {afgegeven ? (
        <p data-testid="tlv-afgegeven">
          {afgegeven.to} op {formatDatum(afgegeven.at)} door {afgegeven.actorNaam}.
          {afgegeven.omschrijving ? ` ${afgegeven.omschrijving}` : ''}
        </p>
      ) : null}
      {t ? (
        <dl class="kk-gegevens">
          <dt>Volgnummer</dt>
          <dd>
            {t.volgnummer}{' '}
            <VolgnummerControle dossierId={props.hv.view.dossierId} hulpvraagId={props.hv.view.id} volgnummer={t.volgnummer} />
          </dd>
          <dt>Categorie</dt>
          <dd>{t.categorie}</dd>
          <dt>Geldig van</dt>
          <dd>{formatDatum(t.startdatum)}</dd>
          <dt>Geldig tot en met</dt>
          <dd>{formatDatum(t.einddatum)}</dd>
          <dt>Deskundigen</dt>
          <dd>{t.deskundigen.map((d) => `${d.naam} (${DESKUNDIGE_FUNCTIES[d.functie]})`).join(' en ')}</dd>
        </dl>
      ) : null}
      <p>
        De brief voor de ouders staat bij de bijlagen van de hulpvraag ({aantal(props.hv.view.bijlagen.length, 'bijlage', 'bijlagen')}).
      </p>
    </section>
  );
}

/** Asks the SWV's register whether it gave this number to this hulpvraag [R117]: a number typed or copied by a modified client shows here. */
function VolgnummerControle(props: { readonly dossierId: string; readonly hulpvraagId: string; readonly volgnummer: number }) {
  const { data: stand } = useLoad(
    (b) => b.checkVolgnummer(props.dossierId, props.hulpvraagId),
    [props.dossierId, props.hulpvraagId, props.volgnummer],
  );
  if (stand === undefined) return <span class="kk-onderschrift">(register wordt geraadpleegd…)</span>;
  if (!stand.ok)
    return (
      <span class="kk-onderschrift" data-testid="volgnummer-controle">
        ({stand.error.message})
      </span>
    );
  if (stand.value === 'bevestigd')
    return (
      <span class="kk-onderschrift" data-testid="volgnummer-controle">
        (bevestigd door het register van het samenwerkingsverband)
      </span>
    );
  return (
    <strong class="kk-fout" role="alert" data-testid="volgnummer-controle">
      Het register van het samenwerkingsverband heeft dit volgnummer niet aan deze hulpvraag gegeven. Neem contact op met de coördinator.
    </strong>
  );
}

export function NotitiesTab(props: { readonly dossierId: string; readonly tekst: string }) {
  const backend = useBackend();
  const actie = useActie();
  const [tekst, setTekst, wis] = useDraft(`notities/${props.dossierId}`, props.tekst);
  return (
    <form
      aria-label="Mijn notities"
      onSubmit={(e) => {
        e.preventDefault();
        void actie
          .run(() => backend.setNotities(props.dossierId, tekst), 'Notities opgeslagen; alleen u kunt ze lezen.')
          .then((r) => {
            if (r !== undefined) wis();
          });
      }}
    >
      <Field
        id="notities"
        label="Mijn notities"
        hulp="Alleen u kunt deze notities lezen; ze worden versleuteld met een sleutel die alleen u heeft."
      >
        <TextArea id="notities" style={{ minHeight: '12rem' }} value={tekst} onInput={(e) => setTekst(e.currentTarget.value)} />
      </Field>
      <ActieMelding actie={actie} />
      <button type="submit" disabled={actie.bezig}>
        Opslaan
      </button>
    </form>
  );
}
