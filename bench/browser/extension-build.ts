// The built extension for the Chromium benchmarks: reuses .output/chrome-mv3 when
// it is newer than every source it is built from, and otherwise runs `npx wxt build`,
// so a figure is never taken from an extension older than the code beside it.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { EXTENSION_DIR } from '../../test/e2e/harness.js';

const SOURCES = ['extension', 'core', 'wxt.config.ts', 'package.json', 'package-lock.json'];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)));
  return newest;
}

/** Returns how the extension was obtained ("reused" or "built in N s"); throws when the build fails. */
export function ensureExtensionBuilt(log: (m: string) => void): string {
  const manifest = join(EXTENSION_DIR, 'manifest.json');
  const source = Math.max(...SOURCES.map(newestMtime));
  if (existsSync(manifest) && statSync(manifest).mtimeMs > source) return 'reused (.output/chrome-mv3 newer than its sources)';
  log('building the extension (npx wxt build)…');
  const t0 = Date.now();
  const r = spawnSync('npx', ['wxt', 'build'], { stdio: ['ignore', 'ignore', 'inherit'], shell: false });
  if (r.status !== 0) throw new Error(`npx wxt build stopte met code ${String(r.status)}`);
  return `built in ${((Date.now() - t0) / 1000).toFixed(0)} s`;
}
