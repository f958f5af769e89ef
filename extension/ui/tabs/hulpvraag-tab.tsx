// Tabblad Hulpvraag (002): type, hulpvraagdatum, status, omschrijving (no names:
// personal data is flagged where it is typed), coördinator, labels, bijlagen
// (max 10 MB), "Status wijzigen" offering only the transitions this user may
// make, and "Statushistorie" with every omschrijving.
import { useState } from 'preact/hooks';
import { BIJLAGE_SOORTEN, MAX_BIJLAGE_BYTES, type BijlageSoort } from '../../../core/model/hulpvraag.js';
import { DESKUNDIGE_FUNCTIES, type DeskundigeFunctie } from '../../../core/model/tlv-verklaring.js';
import { type Leerling } from '../../../core/model/leerling.js';
import { processForTitel } from '../../../core/processes/process-set.js';
import { DEFAULT_SWV_PROCESS_CONFIG } from '../../../core/workflow/definition.js';
import { tlvEinddatum } from '../../../core/workflow/tlv.js';
import type { TlvInvoer } from '../../../core/client/api.js';
import type { DirectoryEntry, HulpvraagDetail } from '../../../core/client/port.js';
import { ActieMelding, useActie } from '../components/busy.js';
import { Bevindingen } from '../components/bevindingen.js';
import { BetrokkenOrganisaties } from './betrokken-organisaties.js';
import { ToestemmingOuders } from './toestemming-ouders.js';
import { Field } from '../components/field.js';
import { Legenda } from '../components/legenda.js';
import { BestandKiezen } from '../components/bestand-kiezen.js';
import { useBackend } from '../context.js';
import { useDraft } from '../drafts.js';
import { formatBytes, formatDatum, formatDatumTijd, vandaagIso, aantal } from '../format.js';
import { usePii } from '../pii.js';
import { t } from '../i18n.js';
import { Input, Select, TextArea } from '../components/controls.js';

/** `alleenLezen`: an ouder's screen, without the school's and SWV's actions [R46]. */
export function HulpvraagTab(props: {
  readonly hv: HulpvraagDetail;
  readonly leerling: Leerling | null;
  readonly personen: readonly DirectoryEntry[];
  readonly alleenLezen?: boolean;
}) {
  const backend = useBackend();
  const v = props.hv.view;
  const [bewerken, setBewerken] = useState(false);
  const [statusOpen, setStatusOpen] = useState(false);
  const [historieOpen, setHistorieOpen] = useState(false);
  const bijlageActie = useActie();
  const [soort, setSoort] = useState<BijlageSoort>('overig');

  const upload = async (input: HTMLInputElement) => {
    const files = [...(input.files ?? [])];
    input.value = '';
    for (const f of files) {
      if (f.size > MAX_BIJLAGE_BYTES) {
        await bijlageActie.run(async () => ({
          ok: false as const,
          error: {
            code: 'bijlage-te-groot',
            message: `${f.name} is ${formatBytes(f.size)}; een bijlage mag maximaal 10 MB zijn. Verklein de scan (max. 300 dpi) en probeer opnieuw.`,
          },
        }));
        return;
      }
      const bytes = new Uint8Array(await f.arrayBuffer());
      await bijlageActie.run(
        () =>
          backend.addBijlage(v.dossierId, v.id, { bestandsnaam: f.name, mediaType: f.type || 'application/octet-stream', bytes, soort }),
        `Bijlage ${f.name} versleuteld toegevoegd.`,
      );
    }
  };
  const download = async (id: string, naam: string, type: string) => {
    const r = await bijlageActie.run(() => backend.readBijlage(v.dossierId, v.id, id));
    if (!r) return;
    const url = URL.createObjectURL(new Blob([r.slice()], { type }));
    const a = document.createElement('a');
    a.href = url;
    a.download = naam;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };
  const coordinator = props.hv.coordinatorNaam;

  return (
    <section aria-labelledby="hv-kop">
      <h2 id="hv-kop">{v.titel}</h2>
      {bewerken ? (
        <HulpvraagBewerken hv={props.hv} leerling={props.leerling} personen={props.personen} onKlaar={() => setBewerken(false)} />
      ) : (
        <dl class="kk-gegevens">
          <dt>Type</dt>
          <dd>{v.titel}</dd>
          <dt>Hulpvraagdatum</dt>
          <dd>{formatDatum(v.aangemaaktOp)}</dd>
          <dt>Status</dt>
          <dd data-testid="status">{v.statusLabel || v.status}</dd>
          <dt>Schoolgegevens</dt>
          <dd>{props.hv.schoolNaam}</dd>
          <dt>Hulpvraag</dt>
          <dd>{v.titel}</dd>
          <dt>Omschrijving</dt>
          <dd>{v.omschrijving || '–'}</dd>
          <dt>Coördinator</dt>
          <dd>{coordinator ?? '–'}</dd>
          <dt>Labels</dt>
          <dd>{v.labels.length ? v.labels.join(', ') : '–'}</dd>
        </dl>
      )}
      <div class="kk-rij">
        {!bewerken && props.alleenLezen !== true ? (
          <button type="button" onClick={() => setBewerken(true)}>
            Hulpvraag bewerken
          </button>
        ) : null}
        {props.alleenLezen !== true ? (
          <button type="button" aria-expanded={statusOpen} aria-controls="status-wijzigen" onClick={() => setStatusOpen(!statusOpen)}>
            {t('Status wijzigen')}
          </button>
        ) : null}
        <button
          type="button"
          class="secundair"
          aria-expanded={historieOpen}
          aria-controls="statushistorie"
          onClick={() => setHistorieOpen(!historieOpen)}
        >
          {t('Statushistorie')}
        </button>
      </div>
      {statusOpen ? <StatusWijzigen hv={props.hv} onKlaar={() => setStatusOpen(false)} /> : null}
      <BetrokkenOrganisaties hv={props.hv} alleenLezen={props.alleenLezen === true} />
      <ToestemmingOuders hv={props.hv} />
      {historieOpen ? <Statushistorie hv={props.hv} /> : null}

      <h3 id="bijlagen-kop">{v.bijlagen.length === 0 ? 'Bijlagen (nog geen)' : aantal(v.bijlagen.length, 'bijlage', 'bijlagen')}</h3>
      <ul aria-labelledby="bijlagen-kop">
        {v.bijlagen.map((b) => (
          <li key={b.id}>
            <button type="button" class="secundair" onClick={() => void download(b.id, b.bestandsnaam, b.mediaType)}>
              {b.bestandsnaam}
            </button>{' '}
            <span class="kk-onderschrift">
              {b.soort !== undefined && b.soort !== 'overig' ? `${BIJLAGE_SOORTEN[b.soort]} · ` : ''}
              {formatBytes(b.grootte)} · {formatDatumTijd(b.toegevoegdOp)}
            </span>
          </li>
        ))}
      </ul>
      {props.alleenLezen !== true ? (
        <>
          <Field
            id="bijlage-soort"
            label="Soort bijlage"
            hulp="Voor indienen vraagt het proces soms een bepaalde bijlage, zoals het OPP of het door ouders ondertekende aanvraagformulier."
          >
            <Select id="bijlage-soort" value={soort} onChange={(e) => setSoort(e.currentTarget.value as BijlageSoort)}>
              {Object.entries(BIJLAGE_SOORTEN).map(([k, l]) => (
                <option key={k} value={k}>
                  {l}
                </option>
              ))}
            </Select>
          </Field>
          <Field
            id="bijlage-kiezen"
            label="Bijlage toevoegen (max. 10 MB per bestand)"
            hulp="Bijlagen worden in dit apparaat versleuteld voordat ze worden verstuurd. In de status 'vragen gesteld' of 'incompleet' verandert de status automatisch."
          >
            <BestandKiezen id="bijlage-kiezen" multiple disabled={bijlageActie.bezig} onKies={(input) => void upload(input)} />
          </Field>
        </>
      ) : null}
      <ActieMelding actie={bijlageActie} />
    </section>
  );
}

function HulpvraagBewerken(props: {
  readonly hv: HulpvraagDetail;
  readonly leerling: Leerling | null;
  readonly personen: readonly DirectoryEntry[];
  readonly onKlaar: () => void;
}) {
  const backend = useBackend();
  const v = props.hv.view;
  const actie = useActie();
  const [omschrijving, setOmschrijving, wisDraft] = useDraft(`hulpvraag/${v.id}/omschrijving`, v.omschrijving);
  const [labels, setLabels] = useState(v.labels.join(', '));
  const [coordinator, setCoordinator] = useState<string>(v.coordinator ?? '');
  const [bevestig, setBevestig] = useState(false);
  const bevindingen = usePii(omschrijving, props.leerling);
  const swv = props.personen.filter((p) =>
    p.roles.some((r) => r.startsWith('swv') || r === 'regierolhouder' || r === 'jk-specialist' || r === 'schakelfunctionaris-jeugdhulp'),
  );
  const opslaan = async () => {
    if (bevindingen.length > 0 && (!bevestig || props.leerling !== null)) {
      setBevestig(true);
      return;
    }
    const r = await actie.run(() =>
      backend.updateHulpvraag(v.dossierId, v.id, {
        omschrijving,
        labels: labels
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s !== ''),
        // Only a changed coördinator is sent: naming one is the owning school's or the SWV's (R127).
        ...((coordinator === '' ? null : coordinator) === v.coordinator ? {} : { coordinator: coordinator === '' ? null : coordinator }),
      }),
    );
    if (r !== undefined) {
      wisDraft();
      props.onKlaar();
    }
  };
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void opslaan();
      }}
    >
      <Field
        id="hv-omschrijving"
        label="Omschrijving"
        hulp="Een korte relevante toelichting. Zet er geen naam of andere persoonsgegevens in; die staan op het tabblad Leerling."
        meldingen={<Bevindingen id="hv-omschrijving-pii" soort="pii" bevindingen={bevindingen} onHerstel={setOmschrijving} />}
      >
        <TextArea
          id="hv-omschrijving"
          value={omschrijving}
          aria-describedby={bevindingen.length ? 'hv-omschrijving-pii' : undefined}
          onInput={(e) => setOmschrijving(e.currentTarget.value)}
        />
      </Field>
      <Field id="hv-coordinator" label="Coördinator" hulp="Het samenwerkingsverband vult dit in als het relevant is.">
        <Select id="hv-coordinator" value={coordinator} onChange={(e) => setCoordinator(e.currentTarget.value)}>
          <option value="">– geen –</option>
          {swv.map((p) => (
            <option key={p.userId} value={p.userId}>
              {p.profile.voornaam} {p.profile.achternaam} ({p.organisatieNaam})
            </option>
          ))}
        </Select>
      </Field>
      <Field id="hv-labels" label="Labels" hulp="Gescheiden door komma's.">
        <Input id="hv-labels" value={labels} onInput={(e) => setLabels(e.currentTarget.value)} />
      </Field>
      {bevestig && bevindingen.length > 0 ? (
        props.leerling !== null ? (
          // Core refuses the leerling's data outside the Leerling tab with the same detector: no "Toch opslaan" that cannot succeed.
          <div class="kk-waarschuwing" role="alert" data-testid="pii-geweigerd">
            De omschrijving bevat persoonsgegevens van de leerling; die horen alleen in het tabblad Leerling en worden hier niet opgeslagen.
            Haal ze weg, bijvoorbeeld met de herstelknop bij het veld.
          </div>
        ) : (
          <div class="kk-waarschuwing" role="alert">
            De omschrijving lijkt persoonsgegevens te bevatten. Weet u zeker dat u zo wilt opslaan? Dit wordt vastgelegd.
            <div class="kk-rij">
              <button type="submit">Toch opslaan</button>
              <button type="button" class="secundair" onClick={() => setBevestig(false)}>
                Terug naar bewerken
              </button>
            </div>
          </div>
        )
      ) : null}
      <ActieMelding actie={actie} />
      <div class="kk-rij">
        <button type="submit" disabled={actie.bezig}>
          {t('Opslaan')}
        </button>
        <button type="button" class="secundair" onClick={props.onKlaar}>
          {t('Annuleren')}
        </button>
      </div>
    </form>
  );
}

const statusDef = (titel: string, status: string) => {
  const p = processForTitel(titel);
  return p.ok ? p.value.statuses.find((s) => s.status === status) : undefined;
};

function StatusWijzigen(props: { readonly hv: HulpvraagDetail; readonly onKlaar: () => void }) {
  const backend = useBackend();
  const v = props.hv.view;
  const actie = useActie();
  const [naar, setNaar] = useState(props.hv.overgangen[0]?.to ?? '');
  const [omschrijving, setOmschrijving] = useDraft(`hulpvraag/${v.id}/status-omschrijving`, '');
  const def = statusDef(v.titel, naar);
  const [tlv, setTlv] = useState<TlvVeldwaarden>(legeTlv());
  if (props.hv.overgangen.length === 0) {
    return (
      <div id="status-wijzigen" class="kk-kaart" role="status">
        U kunt de status van deze hulpvraag nu niet wijzigen.
      </div>
    );
  }
  return (
    <form
      id="status-wijzigen"
      class="kk-kaart"
      onSubmit={(e) => {
        e.preventDefault();
        const afgifte = def?.recordsTlv ? tlvAfgifte(tlv) : undefined;
        void actie
          .run(
            () => backend.changeStatus(v.dossierId, v.id, naar, omschrijving, afgifte ? { tlv: afgifte } : undefined),
            'Status gewijzigd.',
          )
          .then((r) => {
            if (r !== undefined) {
              setOmschrijving('');
              props.onKlaar();
            }
          });
      }}
    >
      <Legenda />
      <Field id="status-naar" label="Nieuwe status" verplicht>
        <Select id="status-naar" value={naar} onChange={(e) => setNaar(e.currentTarget.value)}>
          {props.hv.overgangen.map((o) => (
            <option key={o.to} value={o.to}>
              {o.label}
            </option>
          ))}
        </Select>
      </Field>
      <Field
        id="status-omschrijving"
        label="Omschrijving"
        verplicht={def?.omschrijvingVerplicht !== undefined}
        alleenIndienVanToepassing={def?.omschrijvingVerplicht === undefined}
        hulp={
          def?.omschrijvingVerplicht ?? 'Toelichting bij de status: instructies, wat nog ontbreekt, of de vergaderdatum (BAG geagendeerd).'
        }
      >
        <TextArea id="status-omschrijving" value={omschrijving} onInput={(e) => setOmschrijving(e.currentTarget.value)} />
      </Field>
      {def ? <p class="kk-onderschrift">{def.betekenis}</p> : null}
      {def?.recordsTlv ? <TlvVelden waarde={tlv} onChange={setTlv} /> : null}
      <ActieMelding actie={actie} />
      <button type="submit" disabled={actie.bezig || naar === ''}>
        Status opslaan
      </button>
    </form>
  );
}

function Statushistorie(props: { readonly hv: HulpvraagDetail }) {
  const v = props.hv.view;
  return (
    <div id="statushistorie" class="kk-kaart">
      <h3>Statushistorie</h3>
      <table>
        <caption class="sr-only">Statushistorie van deze hulpvraag</caption>
        <thead>
          <tr>
            <th scope="col">Datum</th>
            <th scope="col">Status</th>
            <th scope="col">Door</th>
            <th scope="col">Omschrijving</th>
          </tr>
        </thead>
        <tbody>
          {[...v.history].reverse().map((h, i) => (
            <tr key={i}>
              <td>{formatDatumTijd(h.at)}</td>
              <td>
                {h.to}
                {h.from ? <span class="kk-onderschrift"> (was {h.from})</span> : null}
              </td>
              <td>
                {h.actorNaam}
                {h.geverifieerd ? null : <span class="kk-onderschrift"> (handtekening niet geverifieerd)</span>}
              </td>
              <td>{h.omschrijving ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {v.rejected.length ? (
        <>
          <h4>Afgewezen statuswijzigingen</h4>
          <ul>
            {v.rejected.map((r, i) => (
              <li key={i}>
                {formatDatumTijd(r.at)}: {r.reden}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}

interface TlvVeldwaarden {
  categorie: string;
  startdatum: string;
  einddatum: string;
  d1: string;
  f1: DeskundigeFunctie;
  d2: string;
  f2: DeskundigeFunctie;
}

const legeTlv = (): TlvVeldwaarden => {
  const start = vandaagIso();
  return {
    categorie: DEFAULT_SWV_PROCESS_CONFIG.tlvCategorieen[0]?.code ?? '',
    startdatum: start,
    einddatum: tlvEinddatum(start),
    d1: '',
    f1: 'orthopedagoog',
    d2: '',
    f2: 'psycholoog',
  };
};

const tlvAfgifte = (t: TlvVeldwaarden): TlvInvoer => ({
  categorie: t.categorie,
  startdatum: t.startdatum,
  einddatum: t.einddatum,
  deskundigen: [
    { naam: t.d1, functie: t.f1 },
    { naam: t.d2, functie: t.f2 },
  ],
});

/** What a TLV records when it is issued (categorie, looptijd, two deskundigen); checked by core/workflow. The volgnummer comes from the register. */
function TlvVelden(props: { readonly waarde: TlvVeldwaarden; readonly onChange: (t: TlvVeldwaarden) => void }) {
  const t = props.waarde;
  const zet = (p: Partial<TlvVeldwaarden>) => props.onChange({ ...t, ...p });
  const functie = (id: string, waarde: DeskundigeFunctie, onChange: (f: DeskundigeFunctie) => void) => (
    <Select id={id} value={waarde} onChange={(e) => onChange(e.currentTarget.value as DeskundigeFunctie)}>
      {Object.entries(DESKUNDIGE_FUNCTIES).map(([k, l]) => (
        <option key={k} value={k}>
          {l}
        </option>
      ))}
    </Select>
  );
  return (
    <fieldset class="kk-kaart">
      <legend>Toelaatbaarheidsverklaring</legend>
      <p class="kk-onderschrift" data-testid="tlv-volgnummer-uitleg">
        Het volgnummer geeft het register van het samenwerkingsverband bij het afgeven: uniek en oplopend, ook als twee collega's tegelijk
        een TLV afgeven. Daarvoor is verbinding met de server nodig.
      </p>
      <Legenda />
      <Field id="tlv-categorie" label="Categorie" verplicht>
        <Select id="tlv-categorie" value={t.categorie} onChange={(e) => zet({ categorie: e.currentTarget.value })}>
          {DEFAULT_SWV_PROCESS_CONFIG.tlvCategorieen.map((c) => (
            <option key={c.code} value={c.code}>
              {c.label}
            </option>
          ))}
        </Select>
      </Field>
      <Field id="tlv-start" label="Startdatum" verplicht>
        <Input
          id="tlv-start"
          type="date"
          value={t.startdatum}
          onInput={(e) => zet({ startdatum: e.currentTarget.value, einddatum: tlvEinddatum(e.currentTarget.value || vandaagIso()) })}
        />
      </Field>
      <Field
        id="tlv-eind"
        label="Einddatum (31 juli)"
        verplicht
        hulp="Een TLV loopt tot het einde van een schooljaar; afgegeven tijdens een schooljaar komt de rest van dat jaar erbij."
      >
        <Input id="tlv-eind" type="date" value={t.einddatum} onInput={(e) => zet({ einddatum: e.currentTarget.value })} />
      </Field>
      <Field id="tlv-d1" label="Eerste deskundige (naam)" verplicht>
        <Input id="tlv-d1" value={t.d1} onInput={(e) => zet({ d1: e.currentTarget.value })} />
      </Field>
      <Field id="tlv-f1" label="Functie eerste deskundige" verplicht>
        {functie('tlv-f1', t.f1, (f) => zet({ f1: f }))}
      </Field>
      <Field id="tlv-d2" label="Tweede deskundige (naam)" verplicht>
        <Input id="tlv-d2" value={t.d2} onInput={(e) => zet({ d2: e.currentTarget.value })} />
      </Field>
      <Field id="tlv-f2" label="Functie tweede deskundige" verplicht>
        {functie('tlv-f2', t.f2, (f) => zet({ f2: f }))}
      </Field>
    </fieldset>
  );
}
