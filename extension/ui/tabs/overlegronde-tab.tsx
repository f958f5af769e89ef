// Tabblad Overlegronde (000, 003, issue 21): start one with a title, omschrijving,
// an einddatum at most 14 days ahead and participants chosen from those who can
// take part in this hulpvraag; then a conversation: a titel opens an onderwerp,
// reacties go under it with text only, a participant marks an onderwerp
// afgehandeld (folded) or reopens it, "n nieuw" per onderwerp on this device,
// @mentions by name with autocomplete (highlighted, one's own emphasised), the
// author's signature block (from the profile, never typed), edits by the author
// while the ronde is open ("bewerkt", earlier versions stay readable); no links
// (attach instead); reacting closes after the einddatum.
import { useEffect, useRef, useState } from 'preact/hooks';
import { MAX_OVERLEGRONDE_DAGEN } from '../../../core/model/overlegronde.js';
import { type Leerling } from '../../../core/model/leerling.js';
import { checkOverlegrondePeriode } from '../../../core/messages/overlegronde-rules.js';
import { formatSignature } from '../../../core/messages/signature.js';
import { mentionSegments } from '../../../core/messages/mentions.js';
import { gesprekVan, type Onderwerp, type OverlegGezien } from '../../../core/client/views/overleg-onderwerpen.js';
import { mogelijkeDeelnemers } from '../../../core/client/views/overleg-deelnemers.js';
import { ok } from '../../../core/result.js';
import type { DirectoryEntry, HulpvraagDetail, MessageView, OverlegrondeView, ReaderEntry } from '../../../core/client/port.js';
import { ActieMelding, useActie } from '../components/busy.js';
import { Bevindingen } from '../components/bevindingen.js';
import { Field } from '../components/field.js';
import { Legenda } from '../components/legenda.js';
import { MentionInput } from '../components/mention-input.js';
import { useBackend, useLoad } from '../context.js';
import { useDraft } from '../drafts.js';
import { formatDatum, formatDatumTijd, plusDagenIso, vandaagIso } from '../format.js';
import { useLinks, usePii } from '../pii.js';
import { Input, TextArea } from '../components/controls.js';

export function OverlegrondeTab(props: {
  readonly hv: HulpvraagDetail;
  readonly rondes: readonly OverlegrondeView[];
  readonly personen: readonly DirectoryEntry[];
  readonly leerling: Leerling | null;
  readonly meId: string;
  readonly lezers: readonly ReaderEntry[];
  /** Where a mentioned person's name leads (the Toegang tab), or null where this person has no Toegang tab. */
  readonly toegangAdres: string | null;
}) {
  const [nieuw, setNieuw] = useState(false);
  const rondes = props.rondes.filter((r) => r.hulpvraagId === props.hv.view.id);
  return (
    <section aria-label="Overlegronden">
      {rondes.length === 0 ? <p>Er is nog geen overlegronde bij deze hulpvraag.</p> : null}
      {rondes.map((r) => (
        <Ronde key={r.id} ronde={r} {...props} />
      ))}
      {nieuw ? (
        <NieuweRonde {...props} onKlaar={() => setNieuw(false)} />
      ) : (
        <button type="button" onClick={() => setNieuw(true)}>
          Nieuwe overlegronde
        </button>
      )}
    </section>
  );
}

/**
 * The end of the chosen day; on the last allowed day a minute within 14 × 24 hours from now, so that day
 * can be chosen. A later day stays as chosen, so core's checkOverlegrondePeriode refuses it with its reason.
 */
export function eindeVan(datum: string, nu: number = Date.now()): string {
  const eindeDag = new Date(`${datum}T23:59:59`).getTime();
  const grens = nu + MAX_OVERLEGRONDE_DAGEN * 24 * 3600_000 - 60_000;
  return new Date(datum > plusDagenIso(MAX_OVERLEGRONDE_DAGEN, new Date(nu)) ? eindeDag : Math.min(eindeDag, grens)).toISOString();
}

function NieuweRonde(props: {
  readonly hv: HulpvraagDetail;
  readonly personen: readonly DirectoryEntry[];
  readonly lezers: readonly ReaderEntry[];
  readonly leerling: Leerling | null;
  readonly meId: string;
  readonly onKlaar: () => void;
}) {
  const backend = useBackend();
  const actie = useActie();
  const [titel, setTitel] = useDraft(`overleg/${props.hv.view.id}/nieuw-titel`, '');
  const [omschrijving, setOmschrijving] = useDraft(`overleg/${props.hv.view.id}/nieuw-omschrijving`, '');
  const [einddatum, setEinddatum] = useState(plusDagenIso(MAX_OVERLEGRONDE_DAGEN));
  const [gekozen, setGekozen] = useState<string[]>([]);
  const pii = usePii(omschrijving, props.leerling);
  // Seed 000: not too many overlegronden per dossier; advice from core before a new one is started.
  const { data: stand } = useLoad((b) => Promise.resolve(b.overlegrondenStand(props.hv.view.dossierId)), [props.hv.view.dossierId]);
  const max = plusDagenIso(MAX_OVERLEGRONDE_DAGEN);
  // The same check core runs when the ronde is started, so the tab shows its reason before sending.
  const periode = einddatum ? checkOverlegrondePeriode(new Date().toISOString(), eindeVan(einddatum)) : ok(undefined);
  // Only people who can take part in this hulpvraag: no FG, no beheerder, ouders only when linked to this dossier (core).
  const mogelijk = mogelijkeDeelnemers(props.personen, props.lezers, props.hv.view.id, props.meId).filter(
    (p) => !gekozen.includes(p.userId),
  );
  const naam = (p: DirectoryEntry) => `${p.profile.voornaam} ${p.profile.achternaam} – ${p.profile.functie}, ${p.organisatieNaam}`;
  return (
    <form
      class="kk-kaart"
      aria-label="Nieuwe overlegronde"
      onSubmit={(e) => {
        e.preventDefault();
        if (!periode.ok) return;
        void actie
          .run(
            () =>
              backend.startOverlegronde(props.hv.view.dossierId, props.hv.view.id, {
                titel,
                omschrijving,
                einddatum: eindeVan(einddatum),
                deelnemers: gekozen,
              }),
            'Overlegronde gestart.',
          )
          .then((r) => {
            if (r !== undefined) {
              setTitel('');
              setOmschrijving('');
              props.onKlaar();
            }
          });
      }}
    >
      <h3>Nieuwe overlegronde</h3>
      {stand?.ok && stand.value.advies ? (
        <p class="kk-waarschuwing" role="status" data-testid="overlegronden-advies">
          {stand.value.advies}
        </p>
      ) : null}
      <Legenda />
      <Field id="or-titel" label="Titel" verplicht>
        <Input id="or-titel" value={titel} required onInput={(e) => setTitel(e.currentTarget.value)} />
      </Field>
      <Field id="or-omschrijving" label="Omschrijving" verplicht hulp="Geef aan wat u verwacht van degene die u laat meekijken.">
        <TextArea id="or-omschrijving" value={omschrijving} required onInput={(e) => setOmschrijving(e.currentTarget.value)} />
      </Field>
      <Bevindingen id="or-pii" soort="pii" bevindingen={pii} onHerstel={setOmschrijving} />
      <Field
        id="or-einddatum"
        label="Einddatum"
        verplicht
        hulp="Maximaal 2 weken vooruit. Daarna kunnen deelnemers nog lezen, maar niet meer reageren, en stopt hun inzage."
      >
        <Input
          id="or-einddatum"
          type="date"
          min={vandaagIso()}
          max={max}
          value={einddatum}
          required
          onInput={(e) => setEinddatum(e.currentTarget.value)}
        />
      </Field>
      {periode.ok ? null : (
        <div class="kk-fout" role="alert">
          {periode.error.message}
        </div>
      )}
      <div class="kk-rij" style={{ alignItems: 'flex-start' }}>
        <fieldset class="kk-kaart">
          <legend>Mogelijke deelnemers</legend>
          <ul>
            {mogelijk.map((p) => (
              <li key={p.userId}>
                <button
                  type="button"
                  class="secundair"
                  aria-label={`${naam(p)} toevoegen`}
                  onClick={() => setGekozen([...gekozen, p.userId])}
                >
                  + {naam(p)}
                </button>
              </li>
            ))}
          </ul>
        </fieldset>
        <fieldset class="kk-kaart">
          <legend>Geselecteerde deelnemers</legend>
          <ul>
            {gekozen.map((id) => {
              const p = props.personen.find((x) => x.userId === id);
              return (
                <li key={id}>
                  <button
                    type="button"
                    class="secundair"
                    aria-label={`${p ? naam(p) : id} weghalen`}
                    onClick={() => setGekozen(gekozen.filter((g) => g !== id))}
                  >
                    − {p ? naam(p) : id}
                  </button>
                </li>
              );
            })}
          </ul>
        </fieldset>
      </div>
      <ActieMelding actie={actie} />
      <div class="kk-rij">
        <button type="submit" disabled={actie.bezig || gekozen.length === 0}>
          Opslaan
        </button>
        <button type="button" class="secundair" onClick={props.onKlaar}>
          Annuleren
        </button>
      </div>
    </form>
  );
}

interface RondeProps {
  readonly ronde: OverlegrondeView;
  readonly hv: HulpvraagDetail;
  readonly personen: readonly DirectoryEntry[];
  readonly leerling: Leerling | null;
  readonly meId: string;
  readonly toegangAdres: string | null;
}

function Ronde(props: RondeProps) {
  const backend = useBackend();
  const r = props.ronde;
  const open = !r.gesloten && Date.parse(r.einddatum) > Date.now();
  const deelnemers = props.personen.filter((p) => r.deelnemers.includes(p.userId as never));
  // What this device had seen when the ronde was opened: the "nieuw" counts stay until the tab is left.
  const [eerder, setEerder] = useState<OverlegGezien | null>(null);
  const opgeslagen = useRef<OverlegGezien>({});
  useEffect(() => {
    let live = true;
    void backend.overlegGezien(r.id).then((g) => {
      if (!live) return;
      opgeslagen.current = g;
      setEerder(g);
    });
    return () => {
      live = false;
    };
  }, [backend, r.id]);
  const gesprek = gesprekVan(r, eerder ?? {}, props.meId);
  const [uitgeklapt, setUitgeklapt] = useState<readonly string[]>([]);
  const zichtbaar = (o: Onderwerp) => o.afgehandeld === null || uitgeklapt.includes(o.id);
  const sleutel = gesprek.onderwerpen.map((o) => `${o.id}:${o.reacties.length}:${zichtbaar(o) ? 1 : 0}`).join(',');
  useEffect(() => {
    if (eerder === null) return;
    // Onderwerpen on screen are seen on this device (sealed); only a change is written.
    for (const o of gesprek.onderwerpen) {
      if (!zichtbaar(o)) continue;
      const al = new Set(opgeslagen.current[o.id] ?? []);
      if ([o.opening, ...o.reacties].every((m) => al.has(m.id))) continue;
      opgeslagen.current = { ...opgeslagen.current, [o.id]: [...al, o.opening.id, ...o.reacties.map((m) => m.id)] };
      void backend.markeerOnderwerpGezien(props.hv.view.dossierId, r.id, o);
    }
  }, [sleutel, eerder]);
  const klap = (id: string, uit: boolean) => setUitgeklapt(uit ? [...uitgeklapt, id] : uitgeklapt.filter((x) => x !== id));
  return (
    <article class="kk-kaart" aria-labelledby={`or-${r.id}`}>
      <h3 id={`or-${r.id}`}>{r.titel}</h3>
      <p>{r.omschrijving}</p>
      <p class="kk-onderschrift">
        Einddatum {formatDatum(r.einddatum)} · {open ? 'reageren mogelijk' : 'gesloten: reageren is niet meer mogelijk'} · deelnemers:{' '}
        {deelnemers.map((d) => `${d.profile.voornaam} ${d.profile.achternaam}`).join(', ') || '–'}
      </p>
      {gesprek.onderwerpen.length === 0 ? <p>Er zijn nog geen onderwerpen in deze overlegronde.</p> : null}
      <ol aria-label="Onderwerpen" class="kk-onderwerpen">
        {gesprek.onderwerpen.map((o) => (
          <li key={o.id} class="kk-kaart" data-testid="onderwerp">
            {o.afgehandeld ? (
              <details open={uitgeklapt.includes(o.id)} onToggle={(e) => klap(o.id, e.currentTarget.open)}>
                <summary>
                  <span class="kk-label">{o.opening.titel}</span> — afgehandeld door {o.afgehandeld.doorNaam} op{' '}
                  {formatDatumTijd(o.afgehandeld.op)} ({1 + o.reacties.length} {o.reacties.length === 0 ? 'bericht' : 'berichten'})
                  <Nieuw aantal={o.ongelezen} />
                </summary>
                <OnderwerpInhoud {...props} onderwerp={o} open={open} />
              </details>
            ) : (
              <OnderwerpInhoud {...props} onderwerp={o} open={open} />
            )}
          </li>
        ))}
      </ol>
      {gesprek.onbevestigd.length > 0 ? (
        <section aria-labelledby={`or-${r.id}-onbevestigd`}>
          <h4 id={`or-${r.id}-onbevestigd`}>Berichten waarvan niet vast te stellen is wie ze schreef</h4>
          <ol aria-label="Niet te verifiëren berichten">
            {gesprek.onbevestigd.map((b) => (
              <li key={b.id} class="kk-kaart" data-testid="bericht">
                <Bericht {...props} bericht={b} onBewerken={null} />
              </li>
            ))}
          </ol>
        </section>
      ) : null}
      {open ? (
        <BerichtInvoer
          {...props}
          dossierId={props.hv.view.dossierId}
          soort={{ kind: 'onderwerp' }}
          bestaand={null}
          onKlaar={() => undefined}
        />
      ) : (
        <p role="status">Deze overlegronde is gesloten; u kunt de berichten nog lezen.</p>
      )}
    </article>
  );
}

function Nieuw(props: { readonly aantal: number }) {
  if (props.aantal === 0) return null;
  return (
    <span class="kk-badge" data-testid="ongelezen">
      {props.aantal} nieuw
    </span>
  );
}

function OnderwerpInhoud(props: RondeProps & { readonly onderwerp: Onderwerp; readonly open: boolean }) {
  const backend = useBackend();
  const actie = useActie();
  const o = props.onderwerp;
  const r = props.ronde;
  const [bewerkId, setBewerkId] = useState<string | null>(null);
  const kopId = `bericht-${o.id}-titel`;
  const bericht = (b: MessageView, isOpening: boolean) =>
    bewerkId === b.id ? (
      <>
        <h4 id={isOpening ? kopId : `bericht-${b.id}-titel`}>{isOpening ? `Bewerken: ${b.titel}` : 'Reactie bewerken'}</h4>
        <BerichtInvoer
          {...props}
          dossierId={props.hv.view.dossierId}
          soort={isOpening ? { kind: 'onderwerp' } : { kind: 'reactie', onderwerp: o.id, titel: o.opening.titel }}
          bestaand={{ id: b.id, titel: b.titel, tekst: b.tekst }}
          onKlaar={() => setBewerkId(null)}
        />
      </>
    ) : (
      <Bericht
        {...props}
        bericht={b}
        kop={isOpening ? kopId : null}
        onBewerken={b.auteur === props.meId && b.geverifieerd && props.open ? () => setBewerkId(b.id) : null}
      />
    );
  return (
    <div data-testid="bericht" aria-labelledby={kopId} role="group">
      {bericht(o.opening, true)}
      <p class="kk-rij">
        {o.afgehandeld ? <span class="kk-label">Afgehandeld</span> : null}
        {o.afgehandeld === null ? <Nieuw aantal={o.ongelezen} /> : null}
        {props.open ? (
          <button
            type="button"
            class="secundair"
            disabled={actie.bezig}
            aria-label={o.afgehandeld ? `Heropenen: ${o.opening.titel}` : `Markeer als afgehandeld: ${o.opening.titel}`}
            onClick={() =>
              void actie.run(
                () =>
                  backend
                    .markeerAfgehandeld(props.hv.view.dossierId, r.id, o.id, o.afgehandeld === null)
                    .then((x) => (x.ok ? ok(true) : x)),
                o.afgehandeld ? 'Onderwerp heropend.' : 'Onderwerp afgehandeld.',
              )
            }
          >
            {o.afgehandeld ? 'Heropenen' : 'Markeer als afgehandeld'}
          </button>
        ) : null}
      </p>
      <ActieMelding actie={actie} />
      {o.reacties.length > 0 ? (
        <ol aria-label={`Reacties op ${o.opening.titel}`} class="kk-reacties">
          {o.reacties.map((b) => (
            <li key={b.id} class="kk-kaart" data-testid="reactie">
              {bericht(b, false)}
            </li>
          ))}
        </ol>
      ) : null}
      {props.open && o.afgehandeld === null ? (
        <BerichtInvoer
          {...props}
          dossierId={props.hv.view.dossierId}
          soort={{ kind: 'reactie', onderwerp: o.id, titel: o.opening.titel }}
          bestaand={null}
          onKlaar={() => undefined}
        />
      ) : null}
    </div>
  );
}

/** The signature block stored with the message (000); older messages fall back to the directory profile. */
function ondertekeningVan(b: MessageView, personen: readonly DirectoryEntry[]): string {
  if (b.ondertekening) return formatSignature(b.ondertekening);
  const a = personen.find((p) => p.userId === b.auteur);
  return a ? `${a.profile.voornaam} ${a.profile.achternaam}\n${a.profile.functie}, ${a.organisatieNaam}` : b.auteurNaam;
}

/** The text with its @mentions highlighted: the name links to the person in Toegang; the reader's own mentions stand out. */
function Tekst(props: {
  readonly tekst: string;
  readonly ronde: OverlegrondeView;
  readonly personen: readonly DirectoryEntry[];
  readonly meId: string;
  readonly toegangAdres: string | null;
}) {
  const deelnemers = props.personen.filter((p) => (props.ronde.deelnemers as readonly string[]).includes(p.userId));
  const segmenten = mentionSegments(
    props.tekst,
    deelnemers.map((p) => ({ id: p.userId, voornaam: p.profile.voornaam, achternaam: p.profile.achternaam })),
  );
  return (
    <p style={{ whiteSpace: 'pre-wrap' }}>
      {segmenten.map((s, i) => {
        if (s.kind === 'tekst') return s.text;
        const p = deelnemers.find((x) => x.userId === s.userId);
        const wie = p ? `${p.profile.voornaam} ${p.profile.achternaam} – ${p.profile.functie}, ${p.organisatieNaam}` : s.text;
        const mij = s.userId === props.meId;
        const naam = mij ? (
          <strong>
            {s.text}
            <span class="sr-only"> (u)</span>
          </strong>
        ) : (
          s.text
        );
        const cls = mij ? 'kk-vermelding kk-vermelding-mij' : 'kk-vermelding';
        return props.toegangAdres ? (
          <a key={i} class={cls} href={props.toegangAdres} title={wie} data-testid={mij ? 'vermelding-mij' : 'vermelding'}>
            {naam}
          </a>
        ) : (
          <span key={i} class={cls} title={wie} data-testid={mij ? 'vermelding-mij' : 'vermelding'}>
            {naam}
          </span>
        );
      })}
    </p>
  );
}

function Bericht(
  props: RondeProps & { readonly bericht: MessageView; readonly kop?: string | null; readonly onBewerken: (() => void) | null },
) {
  const b = props.bericht;
  const eerder = b.versies.slice(0, -1);
  const naam = b.antwoordOp === null ? b.titel : `reactie van ${b.auteurNaam || 'onbekende afzender'}`;
  return (
    <>
      {/* A reactie whose onderwerp has not arrived yet stands alone, under a heading that says so. */}
      {props.kop || b.antwoordOp === null ? (
        <h4 id={props.kop ?? `bericht-${b.id}-titel`}>{b.titel || 'Reactie op een onderwerp dat nog niet binnen is'}</h4>
      ) : null}
      <Tekst tekst={b.tekst} ronde={props.ronde} personen={props.personen} meId={props.meId} toegangAdres={props.toegangAdres} />
      {b.geverifieerd ? (
        <p class="kk-ondertekening" data-testid="ondertekening" style={{ whiteSpace: 'pre-wrap' }}>
          {ondertekeningVan(b, props.personen)}
        </p>
      ) : (
        // A forged, altered or pre-signature message: never name the author it claims.
        <p class="kk-waarschuwing" data-testid="afzender-niet-geverifieerd" role="note">
          Niet te verifiëren afzender: Kindkluis kan niet vaststellen wie dit bericht schreef.
        </p>
      )}
      <p class="kk-onderschrift">
        Geplaatst {formatDatumTijd(b.geplaatstOp)}
        {b.bewerkt ? (
          <>
            {' · '}
            <span class="kk-label" data-testid="bewerkt">
              bewerkt
            </span>{' '}
            {formatDatumTijd(b.bewerktOp)}
          </>
        ) : null}
      </p>
      {eerder.length > 0 ? (
        <details>
          <summary>Eerdere versies ({eerder.length})</summary>
          <ol aria-label={`Eerdere versies van ${naam}`}>
            {eerder.map((v, i) => (
              <li key={`${v.geschrevenOp}-${i}`}>
                <span class="kk-onderschrift">
                  Versie {i + 1}, geschreven {formatDatumTijd(v.geschrevenOp)}
                </span>
                {v.titel ? <div class="kk-label">{v.titel}</div> : null}
                <p style={{ whiteSpace: 'pre-wrap' }}>{v.tekst}</p>
              </li>
            ))}
          </ol>
        </details>
      ) : null}
      {props.onBewerken ? (
        <button type="button" class="secundair" aria-label={`Bewerken: ${naam}`} onClick={props.onBewerken}>
          Bewerken
        </button>
      ) : null}
    </>
  );
}

type InvoerSoort = { readonly kind: 'onderwerp' } | { readonly kind: 'reactie'; readonly onderwerp: string; readonly titel: string };

function BerichtInvoer(props: {
  readonly dossierId: string;
  readonly ronde: OverlegrondeView;
  readonly personen: readonly DirectoryEntry[];
  readonly leerling: Leerling | null;
  readonly meId: string;
  readonly soort: InvoerSoort;
  readonly bestaand: { id: string; titel: string; tekst: string } | null;
  readonly onKlaar: () => void;
}) {
  const backend = useBackend();
  const actie = useActie();
  const r = props.ronde;
  const reactie = props.soort.kind === 'reactie' ? props.soort : null;
  const sleutel = `overleg/${r.id}/${props.bestaand?.id ?? (reactie ? `reactie-${reactie.onderwerp}` : 'nieuw')}`;
  const [titel, setTitel, wisTitel] = useDraft(`${sleutel}/titel`, props.bestaand?.titel ?? '');
  const [tekst, setTekst, wisTekst] = useDraft(`${sleutel}/tekst`, props.bestaand?.tekst ?? '');
  const links = useLinks(tekst);
  const pii = usePii(tekst, props.leerling);
  const me = props.personen.find((p) => p.userId === props.meId);
  const kandidaten = props.personen.filter((p) => (r.deelnemers as readonly string[]).includes(p.userId) && p.userId !== props.meId);
  const id = `bericht-${r.id}-${props.bestaand?.id ?? (reactie ? `reactie-${reactie.onderwerp}` : 'nieuw')}`;
  const naam = props.bestaand
    ? reactie
      ? 'Reactie bewerken'
      : 'Onderwerp bewerken'
    : reactie
      ? `Reageren op ${reactie.titel}`
      : 'Nieuw onderwerp';
  return (
    <form
      aria-label={naam}
      class={reactie && !props.bestaand ? 'kk-reactie-invoer' : undefined}
      onSubmit={(e) => {
        e.preventDefault();
        if (links.length > 0) return;
        void actie
          .run(
            async () => {
              const res = props.bestaand
                ? await backend.editMessage(props.dossierId, r.id, props.bestaand.id, reactie ? '' : titel, tekst)
                : reactie
                  ? await backend.postReactie(props.dossierId, r.id, reactie.onderwerp, tekst)
                  : await backend.postMessage(props.dossierId, r.id, titel, tekst);
              // Success carries no value; `run` answers undefined on failure, so report success as `true`.
              return res.ok ? ok(true) : res;
            },
            props.bestaand ? 'Wijziging opgeslagen.' : reactie ? 'Reactie geplaatst.' : 'Onderwerp geplaatst.',
          )
          .then((gelukt) => {
            if (gelukt === true) {
              wisTitel();
              wisTekst();
              setTitel('');
              setTekst('');
              props.onKlaar();
            }
          });
      }}
    >
      {reactie ? null : (
        <Field
          id={`${id}-titel`}
          label="Titel van het onderwerp"
          verplicht
          hulp="Een titel begint een nieuw onderwerp; reageren op een onderwerp kan zonder titel."
        >
          <Input id={`${id}-titel`} value={titel} required onInput={(e) => setTitel(e.currentTarget.value)} />
        </Field>
      )}
      <Field
        id={`${id}-tekst`}
        label={reactie ? 'Reactie' : 'Bericht'}
        verplicht
        hulp="Gebruik @naam voor gerichte berichten. Geen links: voeg documenten toe als bijlage."
      >
        <MentionInput
          id={`${id}-tekst`}
          value={tekst}
          onInput={setTekst}
          kandidaten={kandidaten}
          describedBy={links.length ? `${id}-links` : undefined}
        />
      </Field>
      <Bevindingen id={`${id}-links`} soort="link" bevindingen={links} onHerstel={setTekst} />
      <Bevindingen id={`${id}-pii`} soort="pii" bevindingen={pii} onHerstel={setTekst} />
      <p class="kk-onderschrift">
        {props.bestaand
          ? 'De ondertekening blijft die van het oorspronkelijke bericht.'
          : `Ondertekening (uit uw profiel): ${me ? `${me.profile.voornaam} ${me.profile.achternaam}, ${me.profile.functie}, ${me.organisatieNaam}` : 'uit uw certificaat'}`}
      </p>
      <ActieMelding actie={actie} />
      <div class="kk-rij">
        <button type="submit" disabled={actie.bezig || links.length > 0}>
          {props.bestaand ? 'Wijziging opslaan' : reactie ? 'Reactie plaatsen' : 'Onderwerp plaatsen'}
        </button>
        {props.bestaand ? (
          <button type="button" class="secundair" onClick={props.onKlaar}>
            Annuleren
          </button>
        ) : null}
      </div>
    </form>
  );
}
