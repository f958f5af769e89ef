// The shell every extension page shares: language, the page's KindkluisPort, the
// session gate (onboarding hint / unlock in place / content), auto-lock on
// inactivity, and the header with navigation, sync state and "Vergrendelen".
import type { ComponentChildren } from 'preact';
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import type { CurrentUser, KindkluisPort } from '../../core/client/port.js';
import { ActieMelding, useActie } from './components/busy.js';
import { vergeetGetypt } from './drafts.js';
import { Field } from './components/field.js';
import { BackendContext, useBackend, useLoad } from './context.js';
import { aantal } from './format.js';
import { loadLang, t } from './i18n.js';
import { meldActiviteit, SESSION_KEY } from './settings.js';
import './styles.css';
import { Input, WachtwoordVeld } from './components/controls.js';

export type PageKind = 'popup' | 'sidepanel' | 'dossier' | 'options';

export async function mountPage(
  kind: PageKind,
  createBackend: () => Promise<KindkluisPort>,
  Screen: (props: { me: CurrentUser | null; kind: PageKind }) => preact.JSX.Element,
): Promise<void> {
  await loadLang();
  const backend = await createBackend();
  if ('startTicking' in backend && typeof backend.startTicking === 'function') (backend.startTicking as () => void)();
  const root = document.getElementById('app');
  if (!root) throw new Error('#app ontbreekt');
  for (const ev of ['keydown', 'pointerdown', 'input'] as const) addEventListener(ev, meldActiviteit, { passive: true });
  // The background clears the session on auto-lock; every open page locks with it.
  browser.storage.session.onChanged.addListener((changes) => {
    const change = changes[SESSION_KEY];
    if (change && change.newValue === undefined) void backend.lock();
  });
  render(
    <BackendContext.Provider value={backend}>
      <Gate kind={kind} Screen={Screen} />
    </BackendContext.Provider>,
    root,
  );
}

function Gate(props: { kind: PageKind; Screen: (props: { me: CurrentUser | null; kind: PageKind }) => preact.JSX.Element }) {
  const { data: sessie } = useLoad((b) => b.session(), []);
  if (!sessie) return <main class="kk-inhoud" aria-busy="true" />;
  if (sessie.kind === 'ontgrendeld') return <props.Screen me={sessie.user} kind={props.kind} />;
  if (props.kind === 'options') return <props.Screen me={null} kind={props.kind} />;
  if (sessie.kind === 'nieuw') {
    return (
      <main class="kk-inhoud">
        <h1>{t('Welkom bij Kindkluis')}</h1>
        <p>Dit apparaat is nog niet ingesteld.</p>
        <button type="button" onClick={() => void browser.runtime.openOptionsPage()}>
          Instellen
        </button>
      </main>
    );
  }
  return (
    <main class="kk-inhoud">
      <Ontgrendel />
    </main>
  );
}

export function Ontgrendel() {
  const backend = useBackend();
  const actie = useActie();
  const [wachtwoord, setWachtwoord] = useState('');
  // Locked: what was typed lives on only as sealed drafts, not in this page's memory.
  useEffect(() => vergeetGetypt(), []);
  return (
    <form
      aria-labelledby="ontgrendel-kop"
      onSubmit={(e) => {
        e.preventDefault();
        void actie.run(() => backend.unlock(wachtwoord)).then(() => setWachtwoord(''));
      }}
    >
      <h1 id="ontgrendel-kop">{t('Kindkluis is vergrendeld.')}</h1>
      <p>Uw concepten zijn versleuteld bewaard. Na ontgrendelen gaat u verder waar u was.</p>
      <Field id="ontgrendel-wachtwoord" label={t('Wachtwoordzin')}>
        <WachtwoordVeld
          soort="huidig"
          id="ontgrendel-wachtwoord"
          value={wachtwoord}
          onInput={(e) => setWachtwoord(e.currentTarget.value)}
        />
      </Field>
      <ActieMelding actie={actie} />
      <button type="submit" disabled={actie.bezig || wachtwoord === ''}>
        {actie.bezig ? 'Bezig met ontgrendelen…' : t('Ontgrendelen')}
      </button>
      <details>
        <summary>Wachtwoordzin vergeten?</summary>
        <Herstel />
      </details>
    </form>
  );
}

/** Lost passphrase: the code from the printed herstelkit sets a new one (same keys, same dossiers). */
function Herstel() {
  const backend = useBackend();
  const actie = useActie();
  const [code, setCode] = useState('');
  const [ww, setWw] = useState('');
  const [ww2, setWw2] = useState('');
  const verschil = ww2 !== '' && ww !== ww2;
  return (
    <div role="group" aria-labelledby="herstel-uitleg">
      <p id="herstel-uitleg">Vul de herstelcode van uw geprinte herstelkit in en kies een nieuwe wachtwoordzin.</p>
      <Field id="herstel-code" label="Herstelcode">
        <Input id="herstel-code" value={code} onInput={(e) => setCode(e.currentTarget.value)} />
      </Field>
      <Field id="herstel-ww" label="Nieuwe wachtwoordzin">
        <WachtwoordVeld soort="nieuw" id="herstel-ww" value={ww} onInput={(e) => setWw(e.currentTarget.value)} />
      </Field>
      <Field id="herstel-ww2" label="Herhaal de nieuwe wachtwoordzin">
        <WachtwoordVeld soort="nieuw" id="herstel-ww2" value={ww2} onInput={(e) => setWw2(e.currentTarget.value)} />
      </Field>
      {verschil ? <div role="alert">De wachtwoordzinnen zijn niet gelijk.</div> : null}
      <ActieMelding actie={actie} />
      <button
        type="button"
        disabled={actie.bezig || code === '' || ww === '' || ww !== ww2}
        onClick={() => void actie.run(() => backend.resetPassphrase(code, ww)).then(() => (setWw(''), setWw2('')))}
      >
        Nieuwe wachtwoordzin instellen
      </button>
    </div>
  );
}

export function Kop(props: { readonly me: CurrentUser; readonly children?: ComponentChildren }) {
  const backend = useBackend();
  const [sync, setSync] = useState(backend.syncState());
  useEffect(() => backend.onChange(() => setSync(backend.syncState())), [backend]);
  return (
    <header class="kk-kop">
      <nav aria-label="Hoofdmenu" class="kk-rij">
        <strong>Kindkluis</strong>
        {props.children}
      </nav>
      <div class="kk-rij">
        <span class="kk-onderschrift" style={{ color: '#fff' }} aria-live="polite">
          {sync
            ? sync.connected
              ? sync.pending
                ? `${aantal(sync.pending, 'wijziging', 'wijzigingen')} versturen…`
                : 'Gesynchroniseerd'
              : 'Offline: wijzigingen worden bewaard'
            : ''}
        </span>
        <span>
          {props.me.voornaam} {props.me.achternaam}
        </span>
        <button type="button" onClick={() => void backend.lock()}>
          {t('Vergrendelen')}
        </button>
      </div>
    </header>
  );
}
