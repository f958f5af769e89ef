// The seed manuals are the requirements: every status name they contain must exist, spelt
// exactly so, in the definitions; and every status we attribute to a seed must occur in it.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROCESS_DEFINITIONS } from '../../core/processes/process-set.js';

const SEEDS_DIR = '/work/shared/seeds';
const seedFiles = readdirSync(SEEDS_DIR).filter((f) => f.endsWith('.txt'));
const seed = (prefix: string): string => {
  const file = seedFiles.find((f) => f.startsWith(`${prefix}_`));
  if (file === undefined) throw new Error(`seed ${prefix} ontbreekt`);
  return readFileSync(join(SEEDS_DIR, file), 'utf8');
};
const norm = (s: string): string => s.replace(/\s+/g, ' ').trim();

/** Status names as the manuals mark them: links/bold in 002, quotes and bold in 001/004, bold capitals in 003. */
function extractStatusNames(): Map<string, string> {
  const found = new Map<string, string>();
  const add = (name: string, from: string): void => {
    found.set(norm(name), from);
  };
  const vo = seed('002');
  for (const m of vo.matchAll(/\[((?:TLV|FA|PrO|SV|BAG) [^\]]+)\]\(#\)/g)) add(m[1] ?? '', '002');
  for (const m of vo.matchAll(/\*\*(PrO [^*]+)\*\*/g)) add(m[1] ?? '', '002');
  // "[FA](#)\n\n[aanvraag indienen](#)" is one status split over two lines
  if (/\[FA\]\(#\)\s*\[aanvraag indienen\]\(#\)/.test(vo)) add('FA aanvraag indienen', '002');
  for (const prefix of ['001', '004']) {
    const jk = seed(prefix);
    for (const m of jk.matchAll(/status(?: van de hulpvraag)?(?: dan)?(?: naar)?\s*\**\s*[“‘"]([^”’"]+)[”’"]/g)) add(m[1] ?? '', prefix);
    for (const m of jk.matchAll(/kies de status \**([^*.\n]+?)\**\./g)) add(m[1] ?? '', prefix);
  }
  const tso = seed('003');
  const stap4 = tso.slice(tso.indexOf('Pas de status van de hulpvraag aan'), tso.indexOf('#### 5.'));
  for (const m of stap4.matchAll(/\*\*([A-Z][A-Z ]+)\*\*:/g)) add(m[1] ?? '', '003');
  for (const m of tso.matchAll(/status \*\*([A-Z][A-Z ]+)\*\*/g)) add(m[1] ?? '', '003');
  return found;
}

const defined = new Set(PROCESS_DEFINITIONS.flatMap((d) => d.statuses.map((s) => s.status)));

describe('status names from the seed manuals', () => {
  const names = extractStatusNames();

  it('the extraction finds the statuses of every manual (so this test can fail)', () => {
    const bySeed = (p: string): string[] => [...names].filter(([, from]) => from === p).map(([n]) => n);
    expect(bySeed('002').length).toBeGreaterThanOrEqual(20);
    expect([...bySeed('001'), ...bySeed('004')].sort()).toEqual(
      expect.arrayContaining([
        'JK onderwijsadvies aanvraag',
        'JK bijlagen toegevoegd',
        'JK Onderwijsadvies',
        'JK aanmelden school',
        'JK advies afgerond',
        'advies afgerond',
        'JK afgewezen',
      ]),
    );
    expect(bySeed('003').sort()).toEqual(['AFGEROND', 'GEAGENDEERD', 'RETOUR NAAR SCHAKELTEAM', 'TUSSENTIJDSE EVALUATIE']);
  });

  it.each([...extractStatusNames()].map(([n, from]) => [n, from] as const))(
    '"%s" (seed %s) exists exactly so in a process definition',
    (name) => {
      expect(defined.has(name)).toBe(true);
    },
  );

  it.each(PROCESS_DEFINITIONS.flatMap((d) => d.statuses.filter((s) => s.bron !== 'besluit').map((s) => [s.status, s.bron, d.id] as const)))(
    '"%s" attributed to seed %s (%s) occurs verbatim in that seed',
    (status, bron) => {
      expect(norm(seed(bron))).toContain(status);
    },
  );

  it('the glossary processes all exist', () => {
    const ids = PROCESS_DEFINITIONS.map((d) => d.id).sort();
    expect(ids).toEqual([
      'bag',
      'bao-bao',
      'bezwaar-tlv',
      'financieel-arrangement',
      'jonge-kind-onderwijsadvies',
      'po-tlv-sbo-so',
      'praktijkonderwijs',
      'schakelvoorziening',
      'team-schoolondersteuning',
      'tlv-vso',
    ]);
  });
});
