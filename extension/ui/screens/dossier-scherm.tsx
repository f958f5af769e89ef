// A dossier (002 "Inzien van een hulpvraag"): on the left every hulpvraag of this
// leerling the user may see, on the right the selected hulpvraag with the
// manuals' tabs. Which tab and hulpvraag are open lives in the URL hash, so an
// unlock after auto-lock returns to the same place.
import { useEffect } from 'preact/hooks';
import { isOuderOnly } from '../../../core/model/role.js';
import type { CurrentUser, DossierDetail } from '../../../core/client/port.js';
import { procesMetTlv, zichtbareTabs, type DossierTab } from '../../../core/client/views/next-step.js';
import { processOfHulpvraag } from '../../../core/processes/process-set.js';
import { Aanwezigheid } from '../components/aanwezigheid.js';
import { Gids, gidsVoor } from '../components/gids.js';
import { Tabs } from '../components/tabs.js';
import { go, useBackend, useLoad } from '../context.js';
import { t } from '../i18n.js';
import { leesbaar } from '../leesbaar.js';
import { FormulierTab } from '../tabs/formulier-tab.js';
import { HulpvraagTab } from '../tabs/hulpvraag-tab.js';
import { AanpakTab, BasisgegevensTab, NotitiesTab, SchoolgegevensTab, TlvTab } from '../tabs/kleine-tabs.js';
import { LeerlingTab } from '../tabs/leerling-tab.js';
import { LvsTab } from '../tabs/lvs-tab.js';
import { OverlegrondeTab } from '../tabs/overlegronde-tab.js';
import { ToegangTab } from '../tabs/toegang-tab.js';
import { NieuweHulpvraag } from './nieuw-scherm.js';

export const DOSSIER_TABS = [
  { id: 'leerling', label: 'Leerling' },
  { id: 'basisgegevens', label: 'Basisgegevens' },
  { id: 'schoolgegevens', label: 'Schoolgegevens' },
  { id: 'hulpvraag', label: 'Hulpvraag' },
  { id: 'lvs', label: 'LVS' },
  { id: 'aanpak', label: 'Aanpak' },
  { id: 'tlv', label: 'TLV' },
  { id: 'formulier', label: 'Formulier' },
  { id: 'overlegronde', label: 'Overlegronde' },
  { id: 'notities', label: t('Mijn notities') },
  { id: 'toegang', label: t('Toegang') },
] as const;

/** The ids (hulpvraag, `overleg:<id>`) this screen shows, and a key that changes when their content does. */
function opScherm(d: DossierDetail, tab: string, hulpvraagId: string | undefined): { ids: string[]; versie: string } {
  const hv = d.hulpvragen.find((h) => h.view.id === hulpvraagId) ?? d.hulpvragen[0];
  if (!hv) return { ids: [], versie: '' };
  const rondes = tab === 'overlegronde' ? d.overlegronden.filter((o) => o.hulpvraagId === hv.view.id) : [];
  return {
    ids: [hv.view.id, ...rondes.map((o) => `overleg:${o.id}`)],
    versie: [hv.view.history.at(-1)?.at ?? '', ...rondes.map((o) => `${o.berichten.length}:${o.berichten.at(-1)?.bewerktOp ?? ''}`)].join(
      ',',
    ),
  };
}

export function DossierScherm(props: {
  readonly dossierId: string;
  readonly tab: string;
  readonly hulpvraagId: string | undefined;
  readonly me: CurrentUser;
}) {
  const backend = useBackend();
  const { data } = useLoad((b) => b.dossierDetail(props.dossierId), [props.dossierId]);
  const gezien = data?.ok ? opScherm(data.value, props.tab, props.hulpvraagId) : { ids: [], versie: '' };
  // Seen is what is on screen: the selected hulpvraag's status, and its overlegronden only on their tab.
  // Keyed on the content, so a message that arrives while the tab is open is seen too.
  const gezienSleutel = `${gezien.ids.join('|')}#${gezien.versie}`;
  useEffect(() => {
    if (gezien.ids.length > 0) void backend.markGelezen(gezien.ids);
  }, [gezienSleutel]);
  const personen = backend.directory();
  if (!data) return <p role="status">Dossier wordt geopend en ontsleuteld…</p>;
  if (!data.ok) {
    return (
      <div class="kk-fout" role="alert">
        {leesbaar(data.error.message)}
      </div>
    );
  }
  const d = data.value;
  const hv = d.hulpvragen.find((h) => h.view.id === props.hulpvraagId) ?? d.hulpvragen[0] ?? null;
  // Tabs with nothing for this person or hulpvraag are left out; an ouder gets the reduced view.
  const proces = hv ? processOfHulpvraag(hv.view) : null;
  const zichtbaar = zichtbareTabs(
    props.me.roles,
    hv ? { heeftFormulier: hv.formulieren.length > 0, tlvProces: proces?.ok === true && procesMetTlv(proces.value) } : null,
  );
  const tabs = DOSSIER_TABS.filter((x) => zichtbaar.includes(x.id));
  const tab = tabs.some((x) => x.id === props.tab) ? props.tab : 'hulpvraag';
  const gids = hv && !isOuderOnly(props.me.roles) ? gidsVoor(hv, props.me.roles) : null;
  const kies = (id: string) => go('dossier', props.dossierId, id, ...(hv ? [hv.view.id] : []));
  const naam = d.leerling
    ? [d.leerling.roepnaam || d.leerling.voornaam, d.leerling.tussenvoegsel, d.leerling.achternaam].filter(Boolean).join(' ')
    : 'Leerling (geen inzage in persoonsgegevens)';
  const zonderHv = <p>Kies of maak een hulpvraag.</p>;
  const magOndertekenen = props.me.roles.includes('bevoegd-gezag');

  let inhoud;
  switch (tab) {
    case 'leerling':
      inhoud = <LeerlingTab dossierId={d.dossierId} leerling={d.leerling} />;
      break;
    case 'basisgegevens':
      inhoud = <BasisgegevensTab d={d} onLeerling={() => kies('leerling')} />;
      break;
    case 'schoolgegevens':
      inhoud = hv ? <SchoolgegevensTab hv={hv} /> : zonderHv;
      break;
    case 'lvs':
      inhoud = hv ? <LvsTab key={hv.view.id} hv={hv} /> : zonderHv;
      break;
    case 'aanpak':
      inhoud = hv ? <AanpakTab hv={hv} personen={personen} leerling={d.leerling} /> : zonderHv;
      break;
    case 'tlv':
      inhoud = hv ? <TlvTab hv={hv} /> : zonderHv;
      break;
    case 'formulier':
      inhoud = hv ? <FormulierTab key={hv.view.id} hv={hv} leerling={d.leerling} magOndertekenen={magOndertekenen} /> : zonderHv;
      break;
    case 'overlegronde':
      inhoud = hv ? (
        <OverlegrondeTab
          hv={hv}
          rondes={d.overlegronden}
          personen={personen}
          leerling={d.leerling}
          meId={props.me.userId}
          lezers={d.lezers}
          toegangAdres={
            tabs.some((x) => x.id === 'toegang')
              ? `#/${['dossier', props.dossierId, 'toegang', hv.view.id].map(encodeURIComponent).join('/')}`
              : null
          }
        />
      ) : (
        zonderHv
      );
      break;
    case 'notities':
      inhoud = <NotitiesTab dossierId={d.dossierId} tekst={d.notitie} />;
      break;
    case 'toegang':
      inhoud = (
        <ToegangTab dossierId={d.dossierId} lezers={d.lezers} hulpvragen={d.hulpvragen} personen={personen} meId={props.me.userId} />
      );
      break;
    default:
      inhoud = hv ? (
        <HulpvraagTab key={hv.view.id} hv={hv} leerling={d.leerling} personen={personen} alleenLezen={isOuderOnly(props.me.roles)} />
      ) : (
        zonderHv
      );
  }

  return (
    <div class={gids ? 'kk-gids-pagina' : undefined}>
      <h1>{naam}</h1>
      {d.waarschuwingen.map((w) => (
        <div key={w} class="kk-waarschuwing" role="alert" data-testid="relay-waarschuwing">
          {leesbaar(w)}
        </div>
      ))}
      <Aanwezigheid dossierId={d.dossierId} tab={tab} tabLabel={(id) => DOSSIER_TABS.find((x) => x.id === id)?.label ?? id} />
      <div class="kk-dossier-rij">
        <nav aria-label="Hulpvragen van deze leerling" class="kk-dossier-nav">
          <ul style={{ listStyle: 'none', padding: 0, margin: 0 }}>
            {d.hulpvragen.map((h) => (
              <li key={h.view.id}>
                <a
                  href={`#/dossier/${encodeURIComponent(d.dossierId)}/${tab}/${encodeURIComponent(h.view.id)}`}
                  aria-current={h.view.id === hv?.view.id ? 'page' : undefined}
                  style={{ display: 'block', padding: '0.3rem', fontWeight: h.view.id === hv?.view.id ? 700 : 400 }}
                >
                  {h.view.titel}
                  <br />
                  <span class="kk-onderschrift">{h.view.statusLabel || h.view.status}</span>
                </a>
              </li>
            ))}
          </ul>
          <NieuweHulpvraag dossierId={d.dossierId} />
        </nav>
        <div style={{ flex: 1, minWidth: 0 }}>
          {hv && gids ? <Gids key={hv.view.id} hv={hv} gids={gids} tab={tab} kies={(t: DossierTab) => kies(t)} /> : null}
          <Tabs tabs={tabs} selected={tab} onSelect={kies} label="Tabbladen van het dossier">
            {inhoud}
          </Tabs>
        </div>
      </div>
    </div>
  );
}
