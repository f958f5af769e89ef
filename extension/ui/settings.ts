// Device settings that are not secret (relay URL, auto-lock minutes) in
// chrome.storage.local; the unlocked session in chrome.storage.session, which
// Chromium keeps in memory only and clears when the browser closes.
import { browser } from 'wxt/browser';
import { parseServerAdres } from '../../core/client/uitnodiging.js';

export const DEFAULT_RELAY = 'ws://127.0.0.1:8787';
export const DEFAULT_AUTOLOCK_MIN = 15;
export const RELAY_KEY = 'kk-relay';
const AUTOLOCK_KEY = 'kk-autolock-min';
const SWV_NAAM_KEY = 'kk-swv-naam';
export const SESSION_KEY = 'kk-sessie';
export const ACTIVITY_KEY = 'kk-laatste-activiteit';
export const SUMMARY_KEY = 'kk-popup-overzicht';

export async function relayUrl(): Promise<string> {
  const v = (await browser.storage.local.get(RELAY_KEY))[RELAY_KEY];
  return typeof v === 'string' && v !== '' ? v : DEFAULT_RELAY;
}

/** The one rule for a server address lives in core (also used for the address in an invitation). */
export function parseRelayUrl(raw: string): { url: string; origin: string } | string {
  const r = parseServerAdres(raw);
  return r.ok ? r.value : r.error.message;
}

/** Saves the relay; the host permission for that origin only is asked separately (the prompt may take the user a while). */
export async function setRelayUrl(raw: string): Promise<{ ok: true; origin: string } | { ok: false; melding: string }> {
  const p = parseRelayUrl(raw);
  if (typeof p === 'string') return { ok: false, melding: p };
  await browser.storage.local.set({ [RELAY_KEY]: p.url });
  return { ok: true, origin: p.origin };
}

/** Asks Chromium for the host permission of the relay's origin only (optional_host_permissions). */
export async function vraagRelayToestemming(origin: string): Promise<boolean> {
  try {
    if (await browser.permissions.contains({ origins: [origin] })) return true;
    return await browser.permissions.request({ origins: [origin] });
  } catch {
    return false;
  }
}

export async function autoLockMinutes(): Promise<number> {
  const v = (await browser.storage.local.get(AUTOLOCK_KEY))[AUTOLOCK_KEY];
  return typeof v === 'number' && v >= 1 && v <= 240 ? v : DEFAULT_AUTOLOCK_MIN;
}

export async function setAutoLockMinutes(n: number): Promise<void> {
  await browser.storage.local.set({ [AUTOLOCK_KEY]: Math.min(240, Math.max(1, Math.round(n))) });
}

export async function swvNaam(): Promise<string> {
  const v = (await browser.storage.local.get(SWV_NAAM_KEY))[SWV_NAAM_KEY];
  return typeof v === 'string' ? v : '';
}

export async function setSwvNaam(naam: string): Promise<void> {
  await browser.storage.local.set({ [SWV_NAAM_KEY]: naam });
}

/** Every page reports activity (throttled); the background locks after the configured idle time. */
let laatst = 0;
export function meldActiviteit(): void {
  const nu = Date.now();
  if (nu - laatst < 15_000) return;
  laatst = nu;
  void browser.storage.session.set({ [ACTIVITY_KEY]: nu });
}

const INGESTELD_KEY = 'kk-ingesteld';
/** Whether this browser profile has an identity (not secret; lets the popup answer without opening the database). */
export async function isIngesteld(): Promise<boolean> {
  return (await browser.storage.local.get(INGESTELD_KEY))[INGESTELD_KEY] === true;
}
export async function markeerIngesteld(): Promise<void> {
  await browser.storage.local.set({ [INGESTELD_KEY]: true });
}
