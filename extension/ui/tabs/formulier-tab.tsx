// Tabblad Formulier (000, 002): the digital form attached by the hulpvraag's
// titel. Yellow fields are required, `?` shows help, `^` means only if
// applicable; an incomplete form can be saved at any time; the bevoegd gezag
// signs digitally; afterwards the Word export is offered for the ouders.
// Leerling data are typed once, on the Leerling tab: here they are read-only.
import { useMemo, useState } from 'preact/hooks';
import type { FormValue } from '../../../core/model/formulier.js';
import type { Leerling } from '../../../core/model/leerling.js';
import { checkForm } from '../../../core/forms/validate.js';
import { fieldNeedsPrivacyCheck } from '../../../core/forms/privacy.js';
import { leerlingWaarden } from '../../../core/forms/prefill.js';
import { type FormDefinition, type FormField } from '../../../core/forms/form-definition.js';
import type { FormulierView, HulpvraagDetail } from '../../../core/client/port.js';
import { ActieMelding, useActie } from '../components/busy.js';
import { Bevindingen } from '../components/bevindingen.js';
import { Field } from '../components/field.js';
import { Legenda } from '../components/legenda.js';
import { useBackend } from '../context.js';
import { formatDatum, formatDatumTijd } from '../format.js';
import { usePii } from '../pii.js';
import { Input, Select, TextArea } from '../components/controls.js';

export function FormulierTab(props: {
  readonly hv: HulpvraagDetail;
  readonly leerling: Leerling | null;
  readonly magOndertekenen: boolean;
}) {
  const [gekozen, setGekozen] = useState(props.hv.formulieren[0]?.id ?? '');
  const f = props.hv.formulieren.find((x) => x.id === gekozen);
  if (props.hv.formulieren.length === 0) return <p>Bij deze hulpvraag hoort geen formulier, of u heeft geen toegang tot de formulieren.</p>;
  return (
    <section aria-label="Formulieren">
      <Field id="formulier-kiezen" label="Formulier">
        <Select id="formulier-kiezen" value={gekozen} onChange={(e) => setGekozen(e.currentTarget.value)}>
          {props.hv.formulieren.map((x) => (
            <option key={x.id} value={x.id}>
              {x.definitie.naam}
            </option>
          ))}
        </Select>
      </Field>
      {f ? (
        props.magOndertekenen ? (
          <Ondertekenen key={f.id} hv={props.hv} f={f} />
        ) : (
          <Formulier key={f.id} hv={props.hv} f={f} leerling={props.leerling} magOndertekenen={false} />
        )
      ) : null}
    </section>
  );
}

function Formulier(props: {
  readonly hv: HulpvraagDetail;
  readonly f: FormulierView;
  readonly leerling: Leerling | null;
  readonly magOndertekenen: boolean;
}) {
  const backend = useBackend();
  const actie = useActie();
  // What is known already (leerling tab, schoolgegevens, aanvrager) stands in the empty fields; saved only with the form (002).
  const [getypt, setW] = useState<Record<string, FormValue>>({ ...props.f.voorinvulling, ...props.f.waarden });
  // The leerling fields always show what the Leerling tab says now; they are changed there, not here (issue 21).
  const uitLeerling = useMemo(
    () => (props.leerling ? leerlingWaarden(props.f.definitie, props.leerling) : {}),
    [props.f.definitie, props.leerling],
  );
  const w: Record<string, FormValue> = { ...getypt, ...uitLeerling };
  // Inline validation as people type: a wrong value at once, a missing required answer once the field was left.
  const controle = checkForm(props.f.definitie, w);
  const [verlaten, setVerlaten] = useState<ReadonlySet<string>>(new Set());
  const foutVan = (key: string): string | undefined =>
    controle.invalid.find((i) => i.key === key)?.message ??
    (verlaten.has(key) && controle.missing.some((m) => m.key === key) ? 'Dit veld is verplicht; vul het nog in.' : undefined);
  const leerlingTab = `#/dossier/${encodeURIComponent(props.hv.view.dossierId)}/leerling/${encodeURIComponent(props.hv.view.id)}`;
  const voorIngevuld = Object.keys(props.f.voorinvulling).length;
  // The signature covers the saved answers: unsaved edits are saved first.
  const nietOpgeslagen = [...new Set([...Object.keys(w), ...Object.keys(props.f.waarden)])].some(
    (k) => JSON.stringify(w[k] ?? null) !== JSON.stringify(props.f.waarden[k] ?? null),
  );
  const v = props.hv.view;
  // An edit after signing voids the signature (core/forms/signing.ts): say so before saving, not after.
  const [bevestigVervallen, setBevestigVervallen] = useState(false);
  const opslaan = () => {
    setBevestigVervallen(false);
    const volledig = checkForm(props.f.definitie, w).complete;
    void actie.run(
      () => backend.setFormValues(v.dossierId, v.id, props.f.id, w),
      volledig ? 'Formulier opgeslagen.' : 'Formulier opgeslagen (nog onvolledig; u kunt later verder).',
    );
  };
  const download = async () => {
    const r = await actie.run(() => backend.exportFormulier(v.dossierId, v.id, props.f.id));
    if (!r) return;
    const url = URL.createObjectURL(
      new Blob([r.bytes.slice()], { type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' }),
    );
    const a = document.createElement('a');
    a.href = url;
    a.download = r.naam;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };
  return (
    <form
      aria-label={props.f.definitie.naam}
      onSubmit={(e) => {
        e.preventDefault();
        if (props.f.ondertekening?.geldig && nietOpgeslagen) setBevestigVervallen(true);
        else opslaan();
      }}
    >
      <h2>{props.f.definitie.naam}</h2>
      <Legenda />
      <p class="kk-onderschrift">U kunt tussendoor opslaan, ook als het formulier nog niet af is.</p>
      {voorIngevuld > 0 && !props.f.opgeslagen ? (
        <p class="kk-onderschrift" data-testid="voorinvulling">
          {voorIngevuld === 1 ? 'Eén veld is' : `${voorIngevuld} velden zijn`} vooraf ingevuld uit het tabblad Leerling, de schoolgegevens
          en uw profiel. Controleer ze; ze worden pas bewaard als u opslaat.
        </p>
      ) : null}
      {props.f.definitie.toelichting ? <p>{props.f.definitie.toelichting}</p> : null}
      {props.f.definitie.secties.map((s) => (
        <fieldset key={s.titel} class="kk-kaart">
          <legend>{s.titel}</legend>
          {s.velden.map((veld) => (
            <Veld
              key={veld.key}
              veld={veld}
              waarde={w[veld.key] ?? null}
              leerling={props.leerling}
              uitLeerlingTab={veld.key in uitLeerling ? leerlingTab : null}
              fout={foutVan(veld.key)}
              onVerlaten={() => (verlaten.has(veld.key) ? undefined : setVerlaten(new Set([...verlaten, veld.key])))}
              onChange={(x) => setW({ ...getypt, [veld.key]: x })}
            />
          ))}
        </fieldset>
      ))}
      {props.f.definitie.bijlagenChecklist.length ? (
        <section class="kk-kaart" aria-label="Checklist bijlagen">
          <h3>Bijlagen bij deze aanvraag</h3>
          <ul>
            {props.f.definitie.bijlagenChecklist.map((b) => (
              <li key={b}>{b}</li>
            ))}
          </ul>
        </section>
      ) : null}
      {props.f.ontbrekend.length ? (
        <div class="kk-waarschuwing" role="status">
          Nog niet ingevuld: {props.f.ontbrekend.join(', ')}
        </div>
      ) : null}
      <ActieMelding actie={actie} />
      {bevestigVervallen && props.f.ondertekening ? (
        <div class="kk-waarschuwing" role="alertdialog" aria-labelledby="vervalt-kop" data-testid="handtekening-vervalt">
          <p id="vervalt-kop">
            {props.f.ondertekening.naam} heeft dit formulier ondertekend. Als u de wijzigingen opslaat, vervalt die handtekening en moet het
            bevoegd gezag opnieuw ondertekenen.
          </p>
          <div class="kk-rij">
            <button type="button" class="gevaar" onClick={opslaan}>
              Toch opslaan
            </button>
            <button type="button" class="secundair" onClick={() => setBevestigVervallen(false)}>
              Niet opslaan
            </button>
          </div>
        </div>
      ) : null}
      <div class="kk-rij">
        <button type="submit" disabled={actie.bezig}>
          Opslaan
        </button>
      </div>
      <section class="kk-kaart" aria-labelledby="ondertekening-kop">
        <h3 id="ondertekening-kop">{props.f.definitie.ondertekening?.label ?? 'Ondertekening door het bevoegd gezag'}</h3>
        {props.f.ondertekeningFout ? (
          <p class="kk-waarschuwing" role="alert" data-testid="ondertekening-ongeldig">
            Er staat een handtekening bij dit formulier die niet klopt; die telt niet. {props.f.ondertekeningFout}
          </p>
        ) : null}
        {props.f.ondertekening?.geldig ? (
          <p data-testid="ondertekend">
            Digitaal ondertekend door {props.f.ondertekening.naam}
            {props.f.ondertekening.functie
              ? ` (${props.f.ondertekening.functie}, ${props.f.ondertekening.organisatie})`
              : ` (${props.f.ondertekening.organisatie})`}{' '}
            op {formatDatumTijd(props.f.ondertekening.op)}.
          </p>
        ) : props.f.ondertekening ? (
          <p class="kk-waarschuwing" data-testid="ondertekening-vervallen">
            {props.f.ondertekening.naam} ondertekende op {formatDatumTijd(props.f.ondertekening.op)}, maar daarna zijn antwoorden gewijzigd.
            Het bevoegd gezag ondertekent opnieuw.
          </p>
        ) : null}
        {!props.f.ondertekening ? (
          <p>
            Nog niet ondertekend. Het bevoegd gezag ondertekent digitaal nadat alle verplichte vragen zijn ingevuld; vraag dat met de knop
            bovenaan de pagina.
          </p>
        ) : null}
      </section>
      {props.f.opgeslagen ? (
        <button type="button" class="gevaar" onClick={() => void download()}>
          Word-bestand downloaden
        </button>
      ) : null}
    </form>
  );
}

function Veld(props: {
  readonly veld: FormField;
  readonly waarde: FormValue;
  readonly leerling: Leerling | null;
  /** Where the value comes from when it is the Leerling tab's (then read-only), else null. */
  readonly uitLeerlingTab: string | null;
  readonly fout: string | undefined;
  readonly onVerlaten: () => void;
  readonly onChange: (v: FormValue) => void;
}) {
  const v = props.veld;
  const id = `veld-${v.key}`;
  const tekst = typeof props.waarde === 'string' ? props.waarde : typeof props.waarde === 'number' ? String(props.waarde) : '';
  // The same rule as the save in core: a field that is the leerling's data by design is not flagged (core/forms/privacy).
  const pii = usePii(fieldNeedsPrivacyCheck(v) ? tekst : '', props.leerling);
  if (props.uitLeerlingTab !== null) {
    const bron = `${id}-bron`;
    const getoond = waardeTekst(props.waarde, v);
    return (
      <Field
        id={id}
        label={v.label}
        verplicht={v.required}
        alleenIndienVanToepassing={v.onlyIfApplicable}
        meldingen={
          <p class="kk-onderschrift" id={bron} data-testid="uit-leerling">
            uit het Leerling-tabblad · <a href={props.uitLeerlingTab}>wijzigen op het tabblad Leerling</a>
          </p>
        }
      >
        {v.type === 'lange-tekst' ? (
          <TextArea id={id} value={getoond} readOnly aria-describedby={bron} />
        ) : (
          <Input id={id} value={getoond} readOnly aria-describedby={bron} />
        )}
      </Field>
    );
  }
  let control;
  switch (v.type) {
    case 'lange-tekst':
      control = <TextArea id={id} value={tekst} onInput={(e) => props.onChange(e.currentTarget.value)} />;
      break;
    case 'datum':
      control = <Input id={id} type="date" value={tekst} onInput={(e) => props.onChange(e.currentTarget.value)} />;
      break;
    case 'getal':
      control = (
        <Input
          id={id}
          inputMode="decimal"
          value={tekst}
          onInput={(e) => {
            const n = Number(e.currentTarget.value.replace(',', '.'));
            props.onChange(e.currentTarget.value.trim() === '' ? null : Number.isFinite(n) ? n : e.currentTarget.value);
          }}
        />
      );
      break;
    case 'email':
      control = <Input id={id} type="email" value={tekst} onInput={(e) => props.onChange(e.currentTarget.value)} />;
      break;
    case 'telefoon':
      control = <Input id={id} type="tel" value={tekst} onInput={(e) => props.onChange(e.currentTarget.value)} />;
      break;
    case 'keuze':
      control = (
        <Select id={id} value={tekst} onChange={(e) => props.onChange(e.currentTarget.value === '' ? null : e.currentTarget.value)}>
          <option value="">– kies –</option>
          {(v.options ?? []).map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </Select>
      );
      break;
    case 'meerkeuze': {
      const gekozen = Array.isArray(props.waarde) ? (props.waarde as readonly string[]) : [];
      control = (
        <div id={id} role="group" aria-label={v.label}>
          {(v.options ?? []).map((o) => (
            <label key={o} style={{ display: 'block' }}>
              <Input
                type="checkbox"
                checked={gekozen.includes(o)}
                onChange={(e) => props.onChange(e.currentTarget.checked ? [...gekozen, o] : gekozen.filter((x) => x !== o))}
              />{' '}
              {o}
            </label>
          ))}
        </div>
      );
      break;
    }
    case 'ja-nee':
      control = (
        <Select
          id={id}
          value={props.waarde === true ? 'ja' : props.waarde === false ? 'nee' : ''}
          onChange={(e) => props.onChange(e.currentTarget.value === '' ? null : e.currentTarget.value === 'ja')}
        >
          <option value="">– kies –</option>
          <option value="ja">Ja</option>
          <option value="nee">Nee</option>
        </Select>
      );
      break;
    default:
      control = <Input id={id} value={tekst} onInput={(e) => props.onChange(e.currentTarget.value)} />;
  }
  return (
    <div onFocusOut={props.onVerlaten}>
      <Field
        id={id}
        label={v.label}
        verplicht={v.required}
        alleenIndienVanToepassing={v.onlyIfApplicable}
        hulp={v.help}
        fout={props.fout}
        meldingen={<Bevindingen id={`${id}-pii`} soort="pii" bevindingen={pii} onHerstel={props.onChange} />}
      >
        {control}
      </Field>
    </div>
  );
}

const waardeTekst = (w: FormValue | undefined, veld?: FormField): string =>
  w === undefined || w === null || w === ''
    ? ''
    : w === true
      ? 'Ja'
      : w === false
        ? 'Nee'
        : Array.isArray(w)
          ? w.join(', ')
          : veld?.type === 'datum' && typeof w === 'string'
            ? formatDatum(w)
            : String(w);

/** What the bevoegd gezag signs, read-only: every answered question of the saved form. */
function Samenvatting(props: { readonly def: FormDefinition; readonly waarden: Readonly<Record<string, FormValue>> }) {
  return (
    <>
      {props.def.secties.map((s) => {
        const rijen = s.velden.filter((v) => waardeTekst(props.waarden[v.key]) !== '');
        if (rijen.length === 0) return null;
        return (
          <section key={s.titel} class="kk-kaart" aria-label={s.titel}>
            <h3>{s.titel}</h3>
            <dl class="kk-gegevens">
              {rijen.map((v) => (
                <div key={v.key} style={{ display: 'contents' }}>
                  <dt>{v.label}</dt>
                  <dd>{waardeTekst(props.waarden[v.key], v)}</dd>
                </div>
              ))}
            </dl>
          </section>
        );
      })}
    </>
  );
}

/** The bevoegd gezag's view: a read-only summary of exactly what is signed, then a confirmation. */
function Ondertekenen(props: { readonly hv: HulpvraagDetail; readonly f: FormulierView }) {
  const backend = useBackend();
  const actie = useActie();
  const [bevestigen, setBevestigen] = useState(false);
  const v = props.hv.view;
  const sig = props.f.ondertekening;
  return (
    <section aria-labelledby="ondertekenen-kop">
      <h2 id="ondertekenen-kop">{props.f.definitie.naam}: wat u ondertekent</h2>
      {props.hv.ondertekenverzoek?.open ? (
        <p data-testid="verzoek-tekst">
          {props.hv.ondertekenverzoek.doorNaam} vroeg u op {formatDatumTijd(props.hv.ondertekenverzoek.op)} dit formulier te ondertekenen.
        </p>
      ) : null}
      {props.f.ondertekeningFout ? (
        <p class="kk-waarschuwing" role="alert" data-testid="ondertekening-ongeldig">
          Er staat een handtekening bij dit formulier die niet klopt; die telt niet. {props.f.ondertekeningFout}
        </p>
      ) : null}
      <Samenvatting def={props.f.definitie} waarden={props.f.waarden} />
      {props.f.ontbrekend.length ? (
        <div class="kk-waarschuwing" role="status">
          De school heeft nog niet alles ingevuld ({props.f.ontbrekend.join(', ')}). U kunt ondertekenen zodra het formulier volledig is.
        </div>
      ) : null}
      <ActieMelding actie={actie} />
      {sig?.geldig ? (
        <p data-testid="ondertekend">
          Digitaal ondertekend door {sig.naam}
          {sig.functie ? ` (${sig.functie}, ${sig.organisatie})` : ` (${sig.organisatie})`} op {formatDatumTijd(sig.op)}.
        </p>
      ) : (
        <>
          {sig ? (
            <p class="kk-waarschuwing" data-testid="ondertekening-vervallen">
              U ondertekende op {formatDatumTijd(sig.op)}, maar daarna heeft de school antwoorden gewijzigd. Lees de samenvatting opnieuw en
              onderteken opnieuw.
            </p>
          ) : null}
          {bevestigen ? (
            <div class="kk-kaart" role="group" aria-labelledby="bevestig-kop">
              <p id="bevestig-kop">
                U ondertekent de antwoorden hierboven namens het bevoegd gezag. Uw naam, functie en organisatie worden automatisch
                toegevoegd. Wijzigt de school daarna iets, dan vervalt uw handtekening.
              </p>
              <div class="kk-rij">
                <button
                  type="button"
                  class="primair"
                  disabled={actie.bezig}
                  onClick={() => void actie.run(() => backend.signForm(v.dossierId, v.id, props.f.id), 'Formulier ondertekend.')}
                >
                  Bevestigen en ondertekenen
                </button>
                <button type="button" class="secundair" onClick={() => setBevestigen(false)}>
                  Annuleren
                </button>
              </div>
            </div>
          ) : (
            <button type="button" class="primair" disabled={props.f.ontbrekend.length > 0} onClick={() => setBevestigen(true)}>
              Digitaal ondertekenen
            </button>
          )}
        </>
      )}
    </section>
  );
}
