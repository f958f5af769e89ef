// `npm run demo` end to end (real relay in the demo's own process): it must
// finish and find the made-up leerling's name nowhere in plaintext.
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';

describe('npm run demo', () => {
  it('walks a TLV VSO to afgegeven and reports that the leerling name is stored nowhere in plaintext [R1]', () => {
    const name = `Wietske Demomarker${Math.floor(Math.random() * 1e6)}`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/demo.ts', '--leerling', name], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    const out = `${r.stdout}\n${r.stderr}`;
    expect(out).toContain('TLV aanvraag aangevuld → TLV afgegeven');
    expect(out).toContain('heeft alle gegevens en sleutels van dit dossier gewist');
    expect(out).toContain(`Oordeel: GEEN leesbare naam gevonden — "${name}"`);
    expect(r.status).toBe(0);
  });
});
