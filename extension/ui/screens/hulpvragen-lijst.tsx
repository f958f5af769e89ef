// The hulpvragen list (002 "het scherm Hulpvragen"): search, filters that are
// remembered between sessions (sealed locally, they may hold a name) with
// "Wis filters", sortable columns, a column chooser with order, full-screen
// mode. Rows are virtualised so 10,000 hulpvragen scroll smoothly.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { HulpvraagRij } from '../../../core/client/port.js';
import {
  filterEnSorteer,
  kolomWaarde as waarde,
  type LijstFilters,
  type LijstKolom,
  type LijstWeergave,
} from '../../../core/client/views/hulpvragen-lijst.js';
import { useBackend } from '../context.js';
import { formatDatum } from '../format.js';
import { t } from '../i18n.js';
import { Input, Select } from '../components/controls.js';

type Kolom = LijstKolom;
const KOLOMMEN: Readonly<Record<Kolom, string>> = {
  leerling: 'Leerling',
  titel: 'Hulpvraag',
  status: 'Status',
  datum: 'Hulpvraagdatum',
  laatsteDatum: 'Laatste datum',
  school: 'School',
  aanvrager: 'Aanvrager',
  coordinator: 'Coördinator',
  labels: 'Labels',
};
const ALLE_KOLOMMEN = Object.keys(KOLOMMEN) as Kolom[];

type Filters = LijstFilters;
interface Weergave extends LijstWeergave {
  readonly kolommen: Kolom[];
}
const LEEG: Filters = { zoek: '', status: '', type: '', alleenOpen: false, alleenOngelezen: false };
const COMPACTE_KOLOMMEN: Kolom[] = ['leerling', 'titel', 'status'];
const STANDAARD: Weergave = {
  kolommen: ['leerling', 'titel', 'status', 'datum', 'laatsteDatum', 'school', 'coordinator'],
  sorteer: 'laatsteDatum',
  richting: 'aflopend',
};
const FILTER_KEY = 'lijst/filters';
const WEERGAVE_KEY = 'lijst/weergave';
const RIJ = 34;

export function HulpvragenLijst(props: {
  readonly rijen: readonly HulpvraagRij[];
  readonly onOpen: (r: HulpvraagRij) => void;
  readonly compact?: boolean;
  readonly magNieuw?: boolean;
}) {
  const backend = useBackend();
  const [filters, setFilters] = useState<Filters>(LEEG);
  const [weergave, setWeergave] = useState<Weergave>(STANDAARD);
  const [kiezer, setKiezer] = useState(false);
  const [volledig, setVolledig] = useState(false);
  const [scrollTop, setScrollTop] = useState(0);
  const [hoogte, setHoogte] = useState(480);
  const venster = useRef<HTMLDivElement>(null);

  useEffect(() => {
    void (async () => {
      const f = await backend.loadDraft(FILTER_KEY);
      const w = await backend.loadDraft(WEERGAVE_KEY);
      try {
        if (f) setFilters({ ...LEEG, ...(JSON.parse(f) as Partial<Filters>) });
        if (w) {
          const parsed = JSON.parse(w) as Partial<Weergave>;
          const kolommen = (parsed.kolommen ?? STANDAARD.kolommen).filter((k): k is Kolom => k in KOLOMMEN);
          setWeergave({ ...STANDAARD, ...parsed, kolommen: kolommen.length ? kolommen : STANDAARD.kolommen });
        }
      } catch {
        // a damaged saved view falls back to the defaults
      }
    })();
  }, [backend]);

  const zetFilters = (f: Filters) => {
    setFilters(f);
    void backend.saveDraft(FILTER_KEY, JSON.stringify(f));
  };
  const zetWeergave = (w: Weergave) => {
    setWeergave(w);
    void backend.saveDraft(WEERGAVE_KEY, JSON.stringify(w));
  };

  useEffect(() => {
    const el = venster.current;
    if (!el) return;
    const measure = () => setHoogte(el.clientHeight || 480);
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, [volledig]);

  useEffect(() => {
    if (!volledig) return;
    const esc = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setVolledig(false);
    };
    addEventListener('keydown', esc);
    return () => removeEventListener('keydown', esc);
  }, [volledig]);

  const zichtbaar = useMemo(() => filterEnSorteer(props.rijen, filters, weergave), [props.rijen, filters, weergave]);
  const statussen = useMemo(() => [...new Set(props.rijen.map((r) => r.status))].sort(), [props.rijen]);
  const types = useMemo(() => [...new Set(props.rijen.map((r) => r.type))].sort(), [props.rijen]);

  const eerste = Math.max(0, Math.floor(scrollTop / RIJ) - 10);
  const laatste = Math.min(zichtbaar.length, Math.ceil((scrollTop + hoogte) / RIJ) + 10);
  // The side panel is 360–400 px wide: three columns, the rest stays in the full list.
  const kolommen = props.compact && !volledig ? COMPACTE_KOLOMMEN : weergave.kolommen;
  const [filtersOpen, setFiltersOpen] = useState(!props.compact);

  const sorteer = (k: Kolom) =>
    zetWeergave({
      ...weergave,
      sorteer: k,
      richting: weergave.sorteer === k && weergave.richting === 'oplopend' ? 'aflopend' : 'oplopend',
    });
  const verplaats = (k: Kolom, d: -1 | 1) => {
    const i = kolommen.indexOf(k);
    const j = i + d;
    if (i < 0 || j < 0 || j >= kolommen.length) return;
    const nieuw = [...kolommen];
    [nieuw[i], nieuw[j]] = [nieuw[j] as Kolom, nieuw[i] as Kolom];
    zetWeergave({ ...weergave, kolommen: nieuw });
  };
  const toggleKolom = (k: Kolom) =>
    zetWeergave({ ...weergave, kolommen: kolommen.includes(k) ? kolommen.filter((x) => x !== k) : [...kolommen, k] });

  return (
    <section class={volledig ? 'kk-volledig' : ''} aria-labelledby="lijst-kop">
      <h1 id="lijst-kop">{t('Hulpvragen')}</h1>
      {props.compact ? (
        <button
          type="button"
          class="secundair"
          aria-expanded={filtersOpen}
          aria-controls="lijst-filters"
          onClick={() => setFiltersOpen(!filtersOpen)}
        >
          {filtersOpen ? 'Zoeken en filters verbergen' : 'Zoeken en filters'}
        </button>
      ) : null}
      {filtersOpen ? (
        <form
          id="lijst-filters"
          class="kk-rij"
          role="search"
          aria-label="Hulpvragen zoeken en filteren"
          onSubmit={(e) => e.preventDefault()}
        >
          <label class="sr-only" for="zoek">
            {t('Zoeken')}
          </label>
          <Input
            id="zoek"
            type="search"
            placeholder={t('Zoeken')}
            value={filters.zoek}
            onInput={(e) => zetFilters({ ...filters, zoek: e.currentTarget.value })}
          />
          <label for="filter-status">Status</label>
          <Select id="filter-status" value={filters.status} onChange={(e) => zetFilters({ ...filters, status: e.currentTarget.value })}>
            <option value="">Alle</option>
            {statussen.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </Select>
          <label for="filter-type">Type</label>
          <Select id="filter-type" value={filters.type} onChange={(e) => zetFilters({ ...filters, type: e.currentTarget.value })}>
            <option value="">Alle</option>
            {types.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </Select>
          <label>
            <Input
              type="checkbox"
              checked={filters.alleenOpen}
              onChange={(e) => zetFilters({ ...filters, alleenOpen: e.currentTarget.checked })}
            />{' '}
            Alleen open
          </label>
          <label>
            <Input
              type="checkbox"
              checked={filters.alleenOngelezen}
              onChange={(e) => zetFilters({ ...filters, alleenOngelezen: e.currentTarget.checked })}
            />{' '}
            Alleen ongelezen
          </label>
          <button type="button" class="secundair" onClick={() => zetFilters(LEEG)}>
            {t('Wis filters')}
          </button>
          {!props.compact ? (
            <button
              type="button"
              class="secundair"
              aria-expanded={kiezer}
              aria-controls="kolommenkiezer"
              onClick={() => setKiezer(!kiezer)}
            >
              {t('Kolommen')}
            </button>
          ) : null}
          <button type="button" class="secundair" aria-pressed={volledig} onClick={() => setVolledig(!volledig)}>
            {volledig ? 'Volledig scherm sluiten' : t('Volledig scherm')}
          </button>
        </form>
      ) : null}
      {kiezer ? (
        <fieldset id="kolommenkiezer" class="kk-kaart">
          <legend>Kolommenkiezer: zichtbare kolommen en volgorde</legend>
          <ul>
            {[...kolommen, ...ALLE_KOLOMMEN.filter((k) => !kolommen.includes(k))].map((k) => (
              <li key={k} class="kk-rij">
                <label>
                  <Input type="checkbox" checked={kolommen.includes(k)} onChange={() => toggleKolom(k)} /> {KOLOMMEN[k]}
                </label>
                {kolommen.includes(k) ? (
                  <>
                    <button type="button" class="secundair" aria-label={`${KOLOMMEN[k]} naar links`} onClick={() => verplaats(k, -1)}>
                      ↑
                    </button>
                    <button type="button" class="secundair" aria-label={`${KOLOMMEN[k]} naar rechts`} onClick={() => verplaats(k, 1)}>
                      ↓
                    </button>
                  </>
                ) : null}
              </li>
            ))}
          </ul>
        </fieldset>
      ) : null}
      <p class="kk-onderschrift" aria-live="polite">
        {zichtbaar.length} van {props.rijen.length} {props.rijen.length === 1 ? 'hulpvraag' : 'hulpvragen'}
      </p>
      <div
        class="kk-lijst-venster"
        ref={venster}
        style={{ height: volledig ? 'calc(100vh - 9rem)' : props.compact ? '22rem' : '60vh' }}
        onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
        tabIndex={0}
        role="region"
        aria-label="Lijst met hulpvragen"
      >
        <table aria-rowcount={zichtbaar.length + 1}>
          <thead>
            <tr aria-rowindex={1}>
              {kolommen.map((k) => (
                <th
                  key={k}
                  scope="col"
                  aria-sort={weergave.sorteer === k ? (weergave.richting === 'oplopend' ? 'ascending' : 'descending') : 'none'}
                >
                  <button type="button" onClick={() => sorteer(k)}>
                    {KOLOMMEN[k]} {weergave.sorteer === k ? (weergave.richting === 'oplopend' ? '▲' : '▼') : '↕'}
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {eerste > 0 ? (
              <tr aria-hidden="true" style={{ height: `${eerste * RIJ}px` }}>
                <td colSpan={kolommen.length} />
              </tr>
            ) : null}
            {zichtbaar.slice(eerste, laatste).map((r, i) => (
              <tr key={r.hulpvraagId} aria-rowindex={eerste + i + 2} data-hulpvraag={r.hulpvraagId}>
                {kolommen.map((k, ki) => (
                  <td key={k}>
                    {ki === 0 ? (
                      <a
                        href={`#/dossier/${encodeURIComponent(r.dossierId)}/hulpvraag/${encodeURIComponent(r.hulpvraagId)}`}
                        onClick={(e) => {
                          e.preventDefault();
                          props.onOpen(r);
                        }}
                      >
                        {r.ongelezen ? <strong>{celTekst(r, k)}</strong> : celTekst(r, k)}
                        {/* The link names the hulpvraag too: without inzage in the leerling the first cell is only "–". */}
                        {k !== 'titel' ? <span class="sr-only"> – {r.titel}</span> : null}
                        {r.ongelezen ? <span class="sr-only"> (ongelezen)</span> : null}
                      </a>
                    ) : (
                      celTekst(r, k)
                    )}
                  </td>
                ))}
              </tr>
            ))}
            {laatste < zichtbaar.length ? (
              <tr aria-hidden="true" style={{ height: `${(zichtbaar.length - laatste) * RIJ}px` }}>
                <td colSpan={kolommen.length} />
              </tr>
            ) : null}
          </tbody>
        </table>
        {zichtbaar.length === 0 ? (
          <p class="kk-inhoud">
            {props.rijen.length === 0 ? 'Er zijn nog geen hulpvragen. ' : t('Geen hulpvragen gevonden.')}{' '}
            {props.rijen.length === 0 && props.magNieuw !== false ? <a href="#/nieuw">Nieuwe hulpvraag maken</a> : null}
          </p>
        ) : null}
      </div>
    </section>
  );
}

const celTekst = (r: HulpvraagRij, k: Kolom): string => {
  if (k === 'datum' || k === 'laatsteDatum') return formatDatum(r[k]);
  const v = waarde(r, k);
  return v === '' ? '–' : v;
};
