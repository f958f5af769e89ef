// Toolbar popup: "Mijn hulpvragen" (most recent first), unread items and quick
// actions. It renders from the summary the pages and the background keep in
// memory-only session storage, so it opens instantly without unlocking again.
import { meldingAdres } from '../../../core/client/views/meldingen.js';
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import type { PopupOverzicht } from '../../ui/client-backend.js';
import { formatDatum } from '../../ui/format.js';
import { loadLang, t } from '../../ui/i18n.js';
import { isIngesteld, SESSION_KEY, SUMMARY_KEY } from '../../ui/settings.js';
import '../../ui/styles.css';

type Toestand = { kind: 'laden' } | { kind: 'nieuw' } | { kind: 'vergrendeld' } | { kind: 'open'; overzicht: PopupOverzicht | null };

async function lees(): Promise<Toestand> {
  const s = await browser.storage.session.get([SESSION_KEY, SUMMARY_KEY]);
  if (typeof s[SESSION_KEY] === 'string') return { kind: 'open', overzicht: (s[SUMMARY_KEY] as PopupOverzicht | undefined) ?? null };
  return (await isIngesteld()) ? { kind: 'vergrendeld' } : { kind: 'nieuw' };
}

const openTab = (pad: string) => {
  void browser.tabs.create({ url: browser.runtime.getURL(`/${pad}` as '/dossier.html') });
  close();
};

function Popup() {
  const [toestand, setToestand] = useState<Toestand>({ kind: 'laden' });
  useEffect(() => {
    void lees().then((x) => {
      setToestand(x);
      performance.mark('kk-popup-gerenderd');
      if (x.kind === 'open' && !x.overzicht) void browser.runtime.sendMessage({ soort: 'overzicht-bijwerken' }).catch(() => undefined);
    });
    const on = () => void lees().then(setToestand);
    browser.storage.session.onChanged.addListener(on);
    return () => browser.storage.session.onChanged.removeListener(on);
  }, []);
  // sidePanel.open must run inside the click (user gesture), so the window id is fetched up front.
  const [windowId, setWindowId] = useState<number | undefined>(undefined);
  useEffect(() => {
    void browser.windows.getCurrent().then((w) => setWindowId(w.id));
  }, []);
  const zijpaneel = () => {
    if (windowId === undefined) return;
    void browser.sidePanel.open({ windowId }).then(() => close());
  };
  return (
    <main class="kk-inhoud" style={{ width: '24rem' }}>
      <h1>Kindkluis</h1>
      {toestand.kind === 'laden' ? <p aria-busy="true">…</p> : null}
      {toestand.kind === 'nieuw' ? (
        <>
          <p>Dit apparaat is nog niet ingesteld.</p>
          <button type="button" onClick={() => openTab('options.html#/welkom')}>
            Instellen
          </button>
        </>
      ) : null}
      {toestand.kind === 'vergrendeld' ? (
        <>
          <p>{t('Kindkluis is vergrendeld.')}</p>
          <button type="button" onClick={() => openTab('dossier.html#/lijst')}>
            {t('Ontgrendelen')}
          </button>
        </>
      ) : null}
      {toestand.kind === 'open' ? (
        <>
          <nav class="kk-rij" aria-label="Snelle acties">
            <button type="button" onClick={() => openTab('dossier.html#/lijst')}>
              {t('Open dossier')}
            </button>
            <button type="button" onClick={() => openTab('dossier.html#/nieuw')}>
              {t('Nieuwe hulpvraag')}
            </button>
            <button type="button" class="secundair" onClick={zijpaneel}>
              {t('Open zijpaneel')}
            </button>
          </nav>
          <section aria-labelledby="ongelezen-kop">
            <h2 id="ongelezen-kop">
              {t('Ongelezen')}{' '}
              {toestand.overzicht?.meldingen.length ? <span class="kk-badge">{toestand.overzicht.meldingen.length}</span> : null}
            </h2>
            {toestand.overzicht?.meldingen.length ? (
              <ul>
                {toestand.overzicht.meldingen.map((m) => (
                  <li key={m.id} data-testid="melding">
                    <a
                      href="#"
                      onClick={(e) => {
                        e.preventDefault();
                        openTab(meldingAdres(m));
                      }}
                    >
                      {m.soort === 'mention'
                        ? '@ '
                        : m.soort === 'einddatum' || m.soort === 'tlv-loopt-af'
                          ? '⏰ '
                          : m.soort === 'ondertekening'
                            ? '✍ '
                            : ''}
                      {m.tekst}
                    </a>
                  </li>
                ))}
              </ul>
            ) : (
              <p>Niets nieuws.</p>
            )}
          </section>
          <section aria-labelledby="mijn-kop">
            <h2 id="mijn-kop">{t('Mijn hulpvragen')}</h2>
            {toestand.overzicht?.hulpvragen.length ? (
              <ul>
                {toestand.overzicht.hulpvragen.map((h) => (
                  <li key={h.hulpvraagId} data-testid="mijn-hulpvraag">
                    <a
                      href="#"
                      onClick={(e) => {
                        e.preventDefault();
                        openTab(`dossier.html#/dossier/${encodeURIComponent(h.dossierId)}/hulpvraag/${encodeURIComponent(h.hulpvraagId)}`);
                      }}
                    >
                      {h.ongelezen ? <strong>{h.leerling || h.titel}</strong> : h.leerling || h.titel}
                    </a>{' '}
                    <span class="kk-onderschrift">
                      {h.titel} · {h.status} · {formatDatum(h.laatsteDatum)}
                    </span>
                  </li>
                ))}
              </ul>
            ) : (
              <p>{toestand.overzicht ? 'Nog geen hulpvragen.' : 'Overzicht wordt bijgewerkt…'}</p>
            )}
          </section>
        </>
      ) : null}
    </main>
  );
}

void loadLang().then(() => render(<Popup />, document.getElementById('app') as HTMLElement));
