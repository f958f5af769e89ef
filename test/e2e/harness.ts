// E2E harness: launches real Chromium (new headless) with the built extension in a
// persistent profile, finds the extension id, runs axe-core and saves screenshots.
import { chromium, type BrowserContext, type Page, type Worker } from 'playwright-core';
import { mkdtempSync, mkdirSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import axe from 'axe-core';

export const EXTENSION_DIR = resolve('.output/chrome-mv3');
export const SCREENSHOT_DIR = resolve('test/e2e/screenshots');

export interface ExtensionProfile {
  readonly context: BrowserContext;
  readonly extensionId: string;
  readonly userDataDir: string;
  readonly worker: Worker;
  /** Opens an extension page (e.g. `options.html`) in a new tab and waits for it to load. */
  open(path: string): Promise<Page>;
  url(path: string): string;
  close(): Promise<void>;
}

/** Fails loudly (never skips) when no Chromium is configured. */
export function chromiumPath(): string {
  const path = process.env.CHROMIUM_PATH ?? '';
  if (path === '') {
    throw new Error(
      'CHROMIUM_PATH is leeg: de browsertests hebben Chromium nodig. Installeer het met ' +
        '`sudo apt-get install -y chromium` of zet CHROMIUM_PATH=/pad/naar/chromium. Deze tests worden nooit overgeslagen.',
    );
  }
  if (!existsSync(path)) throw new Error(`CHROMIUM_PATH wijst naar ${path}, maar daar staat geen Chromium.`);
  return path;
}

export async function launchExtension(label: string): Promise<ExtensionProfile> {
  const executablePath = chromiumPath();
  if (!existsSync(join(EXTENSION_DIR, 'manifest.json'))) {
    throw new Error(`De extensie is niet gebouwd (${EXTENSION_DIR} ontbreekt). Draai eerst \`npm run build\`.`);
  }
  const userDataDir = mkdtempSync(join(tmpdir(), `kk-e2e-${label}-`));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    // Playwright's `headless: true` passes Chromium's new headless mode (`--headless`),
    // the only mode that loads extensions.
    headless: true,
    viewport: { width: 1280, height: 860 },
    locale: 'nl-NL',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--disable-extensions-except=${EXTENSION_DIR}`,
      `--load-extension=${EXTENSION_DIR}`,
    ],
  });
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 30_000 }));
  const match = /^chrome-extension:\/\/([a-p]{32})\//.exec(worker.url());
  if (!match?.[1]) throw new Error(`Onverwachte service-worker-URL: ${worker.url()}`);
  const extensionId = match[1];
  worker.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') console.error(`[${label}] achtergrond console.${m.type()}: ${m.text()}`);
  });
  const url = (path: string) => `chrome-extension://${extensionId}/${path.replace(/^\//, '')}`;
  return {
    context,
    extensionId,
    userDataDir,
    worker,
    url,
    async open(path: string) {
      const page = await context.newPage();
      // Page errors and console errors go to the test output so a failure explains itself.
      page.on('pageerror', (e) => console.error(`[${label}] pagina-fout: ${e.message}`));
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') console.error(`[${label}] console.${m.type()}: ${m.text()}`);
      });
      await page.goto(url(path));
      await page.waitForLoadState('domcontentloaded');
      return page;
    },
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

export interface AxeFinding {
  readonly id: string;
  readonly impact: string;
  readonly help: string;
  readonly targets: string[];
}

/** Runs axe-core in the page; returns serious and critical findings (the test asserts none). */
export async function axeFindings(page: Page): Promise<AxeFinding[]> {
  const has = await page.evaluate(() => 'axe' in globalThis);
  if (!has) await page.evaluate(axe.source);
  const results = await page.evaluate(async () => {
    const a = (globalThis as unknown as { axe: typeof import('axe-core') }).axe;
    const r = await a.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? 'unknown',
      help: v.help,
      targets: v.nodes.map((n) => n.target.join(' ')),
    }));
  });
  return results.filter((f) => f.impact === 'serious' || f.impact === 'critical');
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Diagnostics for a failure: the outbox rows (room ids and kinds only, never content) in this page's IndexedDB. */
export async function outboxRows(page: Page): Promise<unknown> {
  return page.evaluate(
    () =>
      new Promise((resolve) => {
        const req = indexedDB.open('kindkluis');
        req.onerror = () => resolve('kan de database niet openen');
        req.onsuccess = () => {
          const db = req.result;
          if (!db.objectStoreNames.contains('outbox')) return resolve('geen outbox');
          const all = db.transaction('outbox').objectStore('outbox').getAll();
          all.onsuccess = () => {
            resolve(
              (all.result as { id: number; room: string; kind: string; createdAt: number; attempts?: number }[]).map((r) => ({
                id: r.id,
                room: r.room,
                kind: r.kind,
                createdAt: r.createdAt,
                attempts: r.attempts,
              })),
            );
            db.close();
          };
        };
      }),
  );
}
