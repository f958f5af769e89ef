// `npm start`: build the extension, start the relay with its embedded store on
// 127.0.0.1:8787 (data in ./data), and print how to load the extension.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const port = process.env.KINDKLUIS_PORT ?? '8787';
const build = spawnSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });
if (build.status !== 0) {
  console.error('De extensie kon niet worden gebouwd (zie hierboven).');
  process.exit(1);
}
const ext = resolve('.output/chrome-mv3');
console.log(`
Kindkluis-extensie gebouwd in ${ext}
Laden in Chromium/Chrome:
  1. open chrome://extensions
  2. zet "Ontwikkelaarsmodus" aan
  3. kies "Uitgepakte extensie laden" en selecteer ${ext}
`);
if (!existsSync('sync-server/cli.ts')) {
  console.log('De relay bestaat nog niet in deze versie.');
  process.exit(0);
}
console.log(`Relay starten op ws://127.0.0.1:${port} (gegevens in ./data, stoppen met Ctrl+C)`);
// On this machine the first user sets up a new SWV, so registration is switched on explicitly.
console.log("SWV-registratie staat aan (--allow-swv-registration): nieuwe SWV's kunnen zich op deze relay aanmelden.");
const relay = spawn(
  'npx',
  ['tsx', 'sync-server/cli.ts', '--host', '127.0.0.1', '--port', port, '--data', './data', '--allow-swv-registration'],
  { stdio: 'inherit' },
);
const stop = () => relay.kill('SIGTERM');
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
relay.on('exit', (code) => process.exit(code ?? 0));
