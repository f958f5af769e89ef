// Locates a Chromium for the browser tests. Never silently skips: when none is
// found the caller prints exactly how to get one.
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

export const CHROMIUM_HELP =
  'Chromium niet gevonden. Installeer het met `sudo apt-get install -y chromium` (Debian/Ubuntu) ' +
  'of zet CHROMIUM_PATH=/pad/naar/chromium. De browsertests worden nooit overgeslagen.';

export function findChromium() {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  for (const candidate of ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/snap/bin/chromium', '/usr/bin/google-chrome']) {
    if (existsSync(candidate)) return candidate;
  }
  for (const name of ['chromium', 'chromium-browser', 'google-chrome']) {
    try {
      const found = execFileSync('which', [name], { encoding: 'utf8' }).trim();
      if (found) return found;
    } catch {
      // not on PATH; try the next name
    }
  }
  return undefined;
}
