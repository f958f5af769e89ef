// Runs a bundled benchmark page in real headless Chromium (/usr/bin/chromium or
// CHROMIUM_PATH) with playwright-core: bundles the entry with Vite into one
// IIFE, serves it from 127.0.0.1 (a real http origin, so IndexedDB is the
// browser's own, persisted on disk) and hands back the page. Bounded waits.
import { createServer, type Server } from 'node:http';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { build, type Rollup } from 'vite';
import { chromium, type Browser, type Page } from 'playwright-core';

async function bundle(entry: string, globalName: string): Promise<string> {
  const out = await build({
    configFile: false,
    logLevel: 'silent',
    build: {
      write: false,
      minify: false,
      lib: { entry: resolve(entry), formats: ['iife'], name: globalName, fileName: () => 'bundle.js' },
      rollupOptions: { output: { inlineDynamicImports: true } },
    },
  });
  for (const o of (Array.isArray(out) ? out : [out]) as Rollup.RollupOutput[]) {
    for (const chunk of o.output) if (chunk.type === 'chunk') return chunk.code;
  }
  throw new Error(`bundling ${entry} produced no code`);
}

export const chromiumPath = (): string | undefined => {
  const candidates = [process.env['CHROMIUM_PATH'], '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter((p): p is string => !!p);
  return candidates.find((p) => existsSync(p));
};

export interface BrowserPage {
  readonly page: Page;
  readonly version: string;
  close(): Promise<void>;
}

export async function openBenchPage(entry: string, globalName: string): Promise<BrowserPage> {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error('Chromium not found (set CHROMIUM_PATH)');
  const code = await bundle(entry, globalName);
  const html = `<!doctype html><meta charset="utf-8"><title>kindkluis bench</title><script src="/bundle.js"></script>`;
  const server: Server = createServer((req, res) => {
    if (req.url === '/bundle.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      res.end(code);
    } else {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(html);
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox'], timeout: 60_000 });
    const page = await browser.newPage();
    page.setDefaultTimeout(120_000);
    await page.goto(`http://127.0.0.1:${port}/`, { timeout: 60_000 });
    const b = browser;
    return {
      page,
      version: b.version(),
      async close() {
        await b.close();
        await new Promise<void>((r) => server.close(() => r()));
      },
    };
  } catch (error) {
    await browser?.close();
    await new Promise<void>((r) => server.close(() => r()));
    throw error;
  }
}
