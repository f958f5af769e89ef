// Background service worker: auto-lock after inactivity, keeps sync running
// while the session is unlocked, updates the toolbar badge and raises browser
// notifications without content for new @mentions and status changes.
import { browser } from 'wxt/browser';
import { createClientBackend, zetBadge, type ClientBackend } from '../ui/client-backend.js';
import { createClient } from '../ui/create-backend.js';
import { ACTIVITY_KEY, autoLockMinutes, SESSION_KEY, SUMMARY_KEY } from '../ui/settings.js';

const ALARM = 'kk-tick';
let backend: ClientBackend | null = null;
let bekend = new Set<string>();

async function ensureBackend(): Promise<ClientBackend | null> {
  if (backend) return backend;
  backend = createClientBackend(await createClient());
  return backend;
}

async function autoLock(): Promise<boolean> {
  const s = await browser.storage.session.get([SESSION_KEY, ACTIVITY_KEY]);
  if (typeof s[SESSION_KEY] !== 'string') return true;
  const laatste = typeof s[ACTIVITY_KEY] === 'number' ? s[ACTIVITY_KEY] : Date.now();
  if (Date.now() - laatste > (await autoLockMinutes()) * 60_000) {
    // Every page listens for this removal and locks; drafts are already sealed on disk.
    await browser.storage.session.remove([SESSION_KEY, SUMMARY_KEY]);
    await backend?.lock();
    await zetBadge(0);
    return true;
  }
  return false;
}

/** Extension pages (tabs, side panel) run their own facade; then the background stays off the relay. */
async function paginaOpen(): Promise<boolean> {
  const contexts = await browser.runtime.getContexts({ contextTypes: ['TAB', 'SIDE_PANEL'] });
  return contexts.length > 0;
}

async function tick(): Promise<void> {
  if (await autoLock()) return;
  const open = await paginaOpen();
  if (open) {
    // One connection per device at a time: the open page syncs; the background lets go of its client.
    if (backend) {
      await backend.close();
      backend = null;
    }
    return;
  }
  const b = await ensureBackend();
  if (!b) return;
  const sessie = await b.session();
  if (sessie.kind !== 'ontgrendeld') return;
  await b.tick();
  const overzicht = await b.publishOverzicht();
  if (!overzicht) return;
  const nieuw = overzicht.meldingen.filter((m) => !bekend.has(m.id));
  if (bekend.size > 0 && nieuw.length > 0) {
    // No content: not the leerling, not the status, not who wrote.
    await browser.notifications.create(`kk-${Date.now()}`, {
      type: 'basic',
      iconUrl: browser.runtime.getURL('/icon-128.png'),
      title: 'Kindkluis',
      message: nieuw.some((m) => m.soort === 'ondertekening')
        ? 'Er wacht een formulier op uw ondertekening. Open Kindkluis om het te bekijken.'
        : nieuw.some((m) => m.soort === 'aanmelding')
          ? 'Er wacht een aanmelding op uw goedkeuring in Beheer. Open Kindkluis om die te controleren.'
          : nieuw.some((m) => m.soort === 'mention')
            ? 'U bent genoemd in een overlegronde. Open Kindkluis om het te lezen.'
            : 'Er is iets gewijzigd in uw hulpvragen. Open Kindkluis om het te zien.',
    });
  }
  bekend = new Set(overzicht.meldingen.map((m) => m.id));
}

export default defineBackground(() => {
  void browser.alarms.create(ALARM, { periodInMinutes: 0.5 });
  browser.alarms.onAlarm.addListener((a) => {
    if (a.name === ALARM) void tick();
  });
  browser.storage.session.onChanged.addListener((changes) => {
    if (changes[SESSION_KEY]?.newValue !== undefined) void tick();
  });
  browser.runtime.onMessage.addListener((msg: unknown) => {
    if (typeof msg === 'object' && msg !== null && (msg as { soort?: unknown }).soort === 'overzicht-bijwerken') void tick();
  });
  browser.notifications.onClicked.addListener(() => {
    void browser.tabs.create({ url: browser.runtime.getURL('/dossier.html') });
  });
});
