// Issue 19 goals 4 and 6 in real Chromium with the real built extension and a real
// relay on 127.0.0.1. An SWV beheerder and an IB are onboarded through the screens
// (test/e2e/onboarding.ts, the steps the browser tests use); the IB files DOSSIERS
// dossiers with a hulpvraag each. Then, interleaved over RUNS runs:
// - popup first render: popup.html in a new tab until "Mijn hulpvragen" shows its rows;
// - dossier page ready: dossier.html on one dossier's hulpvraag tab until its status shows;
// baseline for both: the same page in a fresh profile (no keys, no data), until its
// first button shows. Each time is navigation start (performance.timeOrigin) to the DOM
// mutation that inserted the marker, seen by a MutationObserver installed before the
// page's own scripts (context.addInitScript): the render itself, not the next poll.
// Goal 6: argon2id inside an extension page of the same extension (its CSP applies):
// noble at the old default, noble and hash-wasm at 64 MiB / t = 3, interleaved.
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import type { BenchContext } from '../harness.js';
import { formatNumber, interleave } from '../harness.js';
import { median, percentile } from '../stats.js';
import { loadAverage } from '../machine.js';
import type { Suite } from '../suite.js';
import { chromiumPath } from '../browser/chromium.js';
import { ensureExtensionBuilt } from '../browser/extension-build.js';
import { bundleForPage } from '../../test/e2e/bundle.js';
import { launchExtension, type ExtensionProfile } from '../../test/e2e/harness.js';
import { onboarding, veld, wachtTot } from '../../test/e2e/onboarding.js';
import { startRelay, type RunningRelay } from '../../test/e2e/relay.js';
import { DEFAULT_ARGON2ID, PREVIOUS_ARGON2ID } from '../../core/crypto/keystore.js';

const PASS = 'een lange wachtwoordzin voor de meting';
const ROOT_PASS = 'de basissleutel heeft een eigen zin';
const SWV = 'SWV Meetregio PO';
const TITEL = 'TLV VSO';
const STATUS = 'TLV voorlopige aanvraag';
const VOORNAMEN = ['Daan', 'Sem', 'Emma', 'Julia', 'Mila', 'Fenna', 'Liam', 'Yara', 'Sara', 'Bram'];
const ACHTERNAMEN = ['de Vries', 'Jansen', 'Bakker', 'Visser', 'Smit', 'Meijer', 'Mulder', 'Bos'];
/** Markers: the popup's rows, the hulpvraag's status, and a fresh profile's first button (the baseline). */
const MARKERS = {
  popup: '[data-testid="mijn-hulpvraag"]',
  dossier: '[data-testid="status"]',
  leeg: 'main.kk-inhoud button',
} as const;
type Marker = keyof typeof MARKERS;

/** Runs in every page before its scripts: records when each marker first holds text (ms since navigation start). */
const MARKER_SCRIPT = `(() => {
  const sels = ${JSON.stringify(Object.values(MARKERS))};
  const seen = (globalThis.__kkEerst = {});
  const check = () => {
    for (const s of sels) {
      if (s in seen) continue;
      const el = document.querySelector(s);
      if (el && (el.textContent || '').trim() !== '') seen[s] = performance.now();
    }
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, characterData: true });
})();`;

interface Opened {
  /** Navigation start → marker inserted. */
  readonly ms: number;
  /** Navigation start → DOMContentLoaded done (the browser's part: process, HTML, scripts parsed and run). */
  readonly dcl: number;
}

/** Opens `path` in a new tab of `profile`, waits for `marker`; times from navigation start (ms). */
async function openTimed(profile: ExtensionProfile, path: string, marker: Marker): Promise<Opened> {
  const page = await profile.context.newPage();
  try {
    await page.goto(profile.url(path), { waitUntil: 'commit' });
    const sel = MARKERS[marker];
    await page.waitForFunction((s) => (globalThis as unknown as { __kkEerst?: Record<string, number> }).__kkEerst?.[s] !== undefined, sel, {
      timeout: 30_000,
    });
    return await page.evaluate((s) => {
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
      return {
        ms: (globalThis as unknown as { __kkEerst: Record<string, number> }).__kkEerst[s] ?? -1,
        dcl: nav?.domContentLoadedEventEnd ?? -1,
      };
    }, sel);
  } finally {
    await page.close();
  }
}

/** The IB files a new dossier with one hulpvraag through the screen; returns the dossier page's route. */
async function nieuwDossier(page: Page, profile: ExtensionProfile, i: number): Promise<string> {
  await page.goto(profile.url('dossier.html#/nieuw'));
  await page.getByRole('heading', { name: 'Nieuw dossier met hulpvraag' }).waitFor({ timeout: 30_000 });
  await veld(page, 'Voornaam')
    .first()
    .fill(VOORNAMEN[i % VOORNAMEN.length] ?? 'Daan');
  await veld(page, 'Achternaam')
    .first()
    .fill(`${ACHTERNAMEN[Math.floor(i / VOORNAMEN.length) % ACHTERNAMEN.length] ?? 'Bos'} ${i + 1}`);
  await veld(page, 'Geboortedatum').fill(`201${i % 8}-0${(i % 9) + 1}-1${i % 10}`);
  await veld(page, 'Titel').selectOption(TITEL);
  await page.getByRole('textbox', { name: /^Omschrijving/ }).fill(`Zorgen over concentratie en werkhouding in de klas, casus ${i + 1}.`);
  await page.getByRole('button', { name: 'Dossier en hulpvraag opslaan' }).click();
  await wachtTot(() => page.getByTestId('status').innerText(), STATUS, `status van dossier ${i + 1}`, 60_000);
  const hash = new URL(page.url()).hash;
  if (!hash.startsWith('#/dossier/')) throw new Error(`onverwachte route na opslaan: ${hash}`);
  return `dossier.html${hash}`;
}

const p = (xs: readonly number[], q: number): string => formatNumber(percentile(xs, q));

export const screensSuite: Suite = {
  name: 'screens',
  title: '8. Opening screens and unlock in Chromium (built extension, real relay)',
  async run(ctx) {
    const executable = chromiumPath();
    if (executable === undefined) {
      for (const id of ['popup-render', 'dossier-ready', 'unlock-64m'])
        ctx.goal({ id, text: id, measured: 'not measured', status: 'not measured', why: 'Chromium not found (set CHROMIUM_PATH)' });
      return;
    }
    process.env['CHROMIUM_PATH'] ??= executable;
    ctx.note(`extension: ${ensureExtensionBuilt((m) => ctx.log(m))}`);
    const relay: RunningRelay = await startRelay();
    const profielen: Record<string, ExtensionProfile> = {};
    const paginas: Record<string, Page> = {};
    const stap = onboarding({ relay: () => relay, profielen, paginas, pass: PASS, rootPass: ROOT_PASS });
    try {
      await kdf(ctx, (profielen['leeg'] = await launchExtension('bench-leeg')));
      await screens(ctx, stap, profielen, paginas);
    } finally {
      for (const profile of Object.values(profielen)) await profile.close().catch(() => undefined);
      await relay.stop();
    }
  },
};

async function kdf(ctx: BenchContext, leeg: ExtensionProfile): Promise<void> {
  const repeats = ctx.pick(3, 5, 7);
  const code = await bundleForPage(fileURLToPath(new URL('../browser/kdf-page.ts', import.meta.url)), 'KkKdf');
  const page = await leeg.open('popup.html');
  await page.evaluate(code);
  type Api = {
    derive(impl: 'wasm' | 'noble', m: number, t: number): Promise<number>;
    csp(): Promise<{ evalRefused: boolean; wasmCompiles: boolean }>;
  };
  const csp = await page.evaluate(() => (globalThis as unknown as { KkKdf: Api }).KkKdf.csp());
  const run = (impl: 'wasm' | 'noble', m: number, t: number) =>
    page.evaluate(([i, mm, tt]) => (globalThis as unknown as { KkKdf: Api }).KkKdf.derive(i, mm, tt), [impl, m, t] as const);
  const old = PREVIOUS_ARGON2ID;
  const now = DEFAULT_ARGON2ID;
  // One unmeasured round: the first call compiles the WebAssembly module and warms the JIT.
  await run('wasm', 1024, 1);
  await run('noble', 1024, 1);
  const s = await interleave(repeats, {
    nobleOld: () => run('noble', old.m, old.t),
    noble64: () => run('noble', now.m, now.t),
    wasm64: () => run('wasm', now.m, now.t),
  });
  await page.close();
  const mib = (m: number) => `${m / 1024} MiB`;
  ctx.record({
    id: 'screens.kdf.noble-32m-t2',
    label: `argon2id noble (pure JS), ${mib(old.m)}, t = ${old.t}, in an extension page (previous default; baseline)`,
    unit: 'ms',
    better: 'lower',
    samples: s.nobleOld,
  });
  ctx.record({
    id: 'screens.kdf.noble-64m-t3',
    label: `argon2id noble (pure JS), ${mib(now.m)}, t = ${now.t}, in an extension page`,
    unit: 'ms',
    better: 'lower',
    samples: s.noble64,
  });
  ctx.compare('screens.kdf.noble-64m-t3', 'screens.kdf.noble-32m-t2');
  ctx.record({
    id: 'screens.kdf.wasm-64m-t3',
    label: `argon2id hash-wasm (WebAssembly), ${mib(now.m)}, t = ${now.t}, in an extension page (the new default)`,
    unit: 'ms',
    better: 'lower',
    samples: s.wasm64,
  });
  ctx.compare('screens.kdf.wasm-64m-t3', 'screens.kdf.noble-32m-t2');
  ctx.compare('screens.kdf.wasm-64m-t3', 'screens.kdf.noble-64m-t3');
  ctx.note(
    `argon2id: core/crypto/keystore argon2idKey (32-byte key, p = 1, fresh 16-byte salt each run) bundled and evaluated in popup.html of the built extension, so the manifest's CSP applies ` +
      `(measured in the page: eval ${csp.evalRefused ? 'refused' : 'ALLOWED'}, WebAssembly ${csp.wasmCompiles ? 'compiles' : 'REFUSED'}); ${repeats} runs each, interleaved, after one unmeasured warm-up.`,
  );
  const wasmP90 = percentile(s.wasm64, 90);
  const nobleP90 = percentile(s.noble64, 90);
  const met = csp.wasmCompiles && wasmP90 < 1000;
  const vsOld = ctx.compare('screens.kdf.wasm-64m-t3', 'screens.kdf.noble-32m-t2');
  const load = loadAverage()[0].toFixed(1);
  ctx.goal({
    id: 'unlock-64m',
    text: 'Unlock with argon2id at RFC 9106 option 2 (64 MiB, t = 3, p = 1) < 1 s in Chromium',
    measured: `hash-wasm p50 ${formatNumber(percentile(s.wasm64, 50))} ms, p90 ${formatNumber(wasmP90)} ms; noble at the same params p90 ${formatNumber(nobleP90)} ms; noble at the old 32 MiB/t = 2 p90 ${formatNumber(percentile(s.nobleOld, 90))} ms`,
    status: met ? 'met' : 'missed',
    ...(met
      ? {}
      : {
          why: csp.wasmCompiles
            ? `the slowest hash-wasm runs took ≥ 1 s with the 2 shared cores at load ${load} (1-min average at the end of these runs); in the same runs it took ${vsOld ? vsOld.median.toFixed(2) : '?'}× the time of the old default (noble, 32 MiB, t = 2), for 3× the memory-time product. Not tried: the KDF in a worker, or a quieter machine`
            : "the extension page's CSP refuses WebAssembly (manifest content_security_policy lacks 'wasm-unsafe-eval'), so the keystore falls back to noble",
        }),
  });
}

async function screens(
  ctx: BenchContext,
  stap: ReturnType<typeof onboarding>,
  profielen: Record<string, ExtensionProfile>,
  paginas: Record<string, Page>,
): Promise<void> {
  const dossiers = ctx.pick(10, 50, 100);
  const runs = ctx.pick(8, 20, 30);
  let t0 = Date.now();
  profielen['swv'] = await launchExtension('bench-swv');
  await stap.nieuwSwv(SWV, { voornaam: 'Bea', achternaam: 'Beheer', email: 'beheer@swv-meet.example' });
  profielen['ib'] = await launchExtension('bench-ib');
  const code = await stap.uitnodigen('Ilse', 'Begeleider', 'Intern begeleider', { naam: 'OBS De Meetlat', soort: 'school' }, [
    'Intern begeleider (IB)',
  ]);
  await stap.aansluiten('ib', code);
  ctx.log(`onboarded the beheerder and the IB in ${((Date.now() - t0) / 1000).toFixed(0)} s (not measured)`);
  // The beheerder's browser is not part of what is measured; closing it frees a core.
  await profielen['swv'].close();
  delete profielen['swv'];
  const ib = profielen['ib'];
  const ibPage = paginas['ib'];
  if (!ib || !ibPage) throw new Error('IB niet aangesloten');
  t0 = Date.now();
  const routes: string[] = [];
  for (let i = 0; i < dossiers; i++) routes.push(await nieuwDossier(ibPage, ib, i));
  ctx.log(`the IB filed ${dossiers} dossiers with a hulpvraag each in ${((Date.now() - t0) / 1000).toFixed(0)} s (not measured)`);
  // The list publishes the popup's summary into session storage, as it does when the IB opens it.
  await ibPage.goto(ib.url('dossier.html#/lijst'));
  await ibPage.getByRole('heading', { name: 'Hulpvragen' }).waitFor({ timeout: 30_000 });
  const leeg = profielen['leeg'];
  if (!leeg) throw new Error('geen leeg profiel');
  for (const profile of [ib, leeg]) await profile.context.addInitScript(MARKER_SCRIPT);
  // The middle dossier: neither the first nor the last written.
  const route = routes[Math.floor(routes.length / 2)] ?? 'dossier.html';
  // One unmeasured open of each, so every run sees the same warm browser (code cache, service worker up).
  const opened: Record<string, Opened[]> = { popupLeeg: [], popup: [], dossierLeeg: [], dossier: [] };
  const timed = (name: string, profile: ExtensionProfile, path: string, marker: Marker) => async () => {
    const o = await openTimed(profile, path, marker);
    opened[name]?.push(o);
    return o.ms;
  };
  const measure = {
    popupLeeg: timed('popupLeeg', leeg, 'popup.html', 'leeg'),
    popup: timed('popup', ib, 'popup.html', 'popup'),
    dossierLeeg: timed('dossierLeeg', leeg, 'dossier.html', 'leeg'),
    dossier: timed('dossier', ib, route, 'dossier'),
  };
  for (const m of Object.values(measure)) await m();
  for (const k of Object.keys(opened)) opened[k] = [];
  const rows = await ibPopupRows(ib);
  const s = await interleave(runs, measure);
  const dcl = (name: string): number[] => (opened[name] ?? []).map((o) => o.dcl);
  /** Ours after the browser's: DOMContentLoaded → marker. */
  const app = (name: string): number[] => (opened[name] ?? []).map((o) => o.ms - o.dcl);
  const load = loadAverage()[0].toFixed(1);
  ctx.note(
    `Screens: the IB (onboarded through the screens, with its own relay on 127.0.0.1) filed ${dossiers} dossiers with one ${TITEL} hulpvraag each; the popup showed ${rows} rows ("Mijn hulpvragen", most recent first). ` +
      `Each run opens a new tab and takes navigation start (performance.timeOrigin) → the DOM mutation that inserted the marker (a MutationObserver added by context.addInitScript before the page's scripts): ` +
      `popup = first row of "Mijn hulpvragen" (${MARKERS.popup}), dossier = the hulpvraag tab's status (${MARKERS.dossier}) of dossier ${routes.indexOf(route) + 1}/${dossiers}. ` +
      `Baseline = the same page in a fresh profile of the same browser build (no keys, no data) until its first button (${MARKERS.leeg}): what the page costs before any of our work. ${runs} runs, interleaved, after one unmeasured open of each.`,
  );
  ctx.record({
    id: 'screens.popup.leeg',
    label: 'popup.html, fresh profile (no data): first button (baseline)',
    unit: 'ms',
    better: 'lower',
    samples: s.popupLeeg,
    note: `p90 ${p(s.popupLeeg, 90)} ms`,
  });
  ctx.record({
    id: 'screens.popup',
    label: `popup.html, IB unlocked, ${dossiers} hulpvragen: first render of "Mijn hulpvragen"`,
    unit: 'ms',
    better: 'lower',
    samples: s.popup,
    note: `p50 ${p(s.popup, 50)} ms, p90 ${p(s.popup, 90)} ms`,
  });
  const popupRatio = ctx.compare('screens.popup', 'screens.popup.leeg');
  ctx.record({
    id: 'screens.popup.dcl',
    label: 'popup.html, IB: of which navigation start → DOMContentLoaded (the browser loading the page)',
    unit: 'ms',
    better: 'lower',
    samples: dcl('popup'),
  });
  ctx.record({
    id: 'screens.popup.app',
    label: 'popup.html, IB: of which DOMContentLoaded → rows shown (session storage read, Preact render)',
    unit: 'ms',
    better: 'lower',
    samples: app('popup'),
  });
  ctx.record({
    id: 'screens.popup.leeg.dcl',
    label: 'popup.html, fresh profile: navigation start → DOMContentLoaded',
    unit: 'ms',
    better: 'lower',
    samples: dcl('popupLeeg'),
  });
  ctx.record({
    id: 'screens.dossier.leeg',
    label: 'dossier.html, fresh profile (no data): first button (baseline)',
    unit: 'ms',
    better: 'lower',
    samples: s.dossierLeeg,
    note: `p90 ${p(s.dossierLeeg, 90)} ms`,
  });
  ctx.record({
    id: 'screens.dossier',
    label: `dossier.html, one dossier's hulpvraag tab (IB, ${dossiers} dossiers): status shown`,
    unit: 'ms',
    better: 'lower',
    samples: s.dossier,
    note: `p50 ${p(s.dossier, 50)} ms, p90 ${p(s.dossier, 90)} ms`,
  });
  const dossierRatio = ctx.compare('screens.dossier', 'screens.dossier.leeg');
  ctx.record({
    id: 'screens.dossier.dcl',
    label: 'dossier.html, IB: of which navigation start → DOMContentLoaded (the browser loading the page)',
    unit: 'ms',
    better: 'lower',
    samples: dcl('dossier'),
  });
  ctx.record({
    id: 'screens.dossier.app',
    label: 'dossier.html, IB: of which DOMContentLoaded → status shown (session resume incl. every dossier’s access list, render)',
    unit: 'ms',
    better: 'lower',
    samples: app('dossier'),
  });
  ctx.record({
    id: 'screens.dossier.leeg.dcl',
    label: 'dossier.html, fresh profile: navigation start → DOMContentLoaded',
    unit: 'ms',
    better: 'lower',
    samples: dcl('dossierLeeg'),
  });
  const popupP90 = percentile(s.popup, 90);
  ctx.goal({
    id: 'popup-render',
    text: `Popup first render p90 < 150 ms over ${runs} runs in Chromium`,
    measured: `p50 ${p(s.popup, 50)} ms, p90 ${formatNumber(popupP90)} ms; ${popupRatio ? popupRatio.median.toFixed(2) : '?'}× the empty popup (p90 ${p(s.popupLeeg, 90)} ms)`,
    status: popupP90 < 150 ? 'met' : 'missed',
    ...(popupP90 < 150
      ? {}
      : {
          why: `most of it is the browser before any of our code has finished: navigation start → DOMContentLoaded of popup.html in a new tab is p50 ${formatNumber(median(dcl('popup')))} ms (empty profile ${formatNumber(median(dcl('popupLeeg')))} ms) with the 2 shared cores at load ${load}; from there to the rows is p50 ${formatNumber(median(app('popup')))} ms. The empty popup alone has p90 ${p(s.popupLeeg, 90)} ms here, so at this load no change to our code alone reaches 150 ms. A toolbar popup opens without a new tab; that case is not measured (playwright cannot click the toolbar button)`,
        }),
  });
  const dossierP90 = percentile(s.dossier, 90);
  ctx.goal({
    id: 'dossier-ready',
    text: `Dossier page ready < 500 ms (p90 over ${runs} runs) in Chromium`,
    measured: `p50 ${p(s.dossier, 50)} ms, p90 ${formatNumber(dossierP90)} ms; ${dossierRatio ? dossierRatio.median.toFixed(2) : '?'}× the empty dossier page (p90 ${p(s.dossierLeeg, 90)} ms)`,
    status: dossierP90 < 500 ? 'met' : 'missed',
    ...(dossierP90 < 500
      ? {}
      : {
          why: `DOMContentLoaded → status is p50 ${formatNumber(median(app('dossier')))} ms of it (the browser's part p50 ${formatNumber(median(dcl('dossier')))} ms, at load ${load}). The page resumes the session first, and core/client/client-session.ts startSession runs loadDossier for every dossier on the device (read the toegang room, verify and fold its ACL records, watch the room: ${dossiers} times here) before the Gate renders any screen, so the wait grows with the number of dossiers the IB holds. Folding only the dossier the page opens, and the others after the first render, would remove that part`,
        }),
  });
}

/** How many rows the IB's popup shows (a check that the subject really lists data). */
async function ibPopupRows(ib: ExtensionProfile): Promise<number> {
  const page = await ib.open('popup.html');
  try {
    await page.locator(MARKERS.popup).first().waitFor({ timeout: 30_000 });
    return await page.locator(MARKERS.popup).count();
  } finally {
    await page.close();
  }
}
