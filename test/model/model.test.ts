import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALL_ROLES, ROLES, type Role } from '../../core/model/role.js';
import { ORGANISATION_KINDS } from '../../core/model/organisation.js';

const SEEDS = '/work/shared/seeds';
const seedText = readdirSync(SEEDS)
  .filter((f) => f.endsWith('.txt'))
  .map((f) => readFileSync(join(SEEDS, f), 'utf8'))
  .join('\n')
  .replace(/\s+/g, ' ')
  .toLowerCase();

/** How each seed names a role, and the role that models it. */
const SEED_ROLE_TERMS: readonly (readonly [string, Role])[] = [
  ['intern begeleider', 'intern-begeleider'],
  ['ondersteuningscoördinator', 'ondersteuningscoordinator'],
  ['schakelfunctionaris onderwijs', 'schakelfunctionaris-onderwijs'],
  ['schakelfunctionaris verbinding onderwijs/jeugdhulp', 'schakelfunctionaris-jeugdhulp'],
  ['regierolhouder', 'regierolhouder'],
  ['behandelaar', 'behandelaar'],
  ['bevoegd gezag', 'bevoegd-gezag'],
  ['deskundigen', 'deskundige'],
  ['loketvergadering', 'swv-loket'],
  ['coördinator', 'swv-coordinator'],
  ['jkspecialist', 'jk-specialist'],
  ['contactpersoon jonge kind', 'jk-contactpersoon'],
  ['contactpersoon van de voorschoolse voorziening', 'vv-contactpersoon'],
  ['school van voorkeur', 'school-van-voorkeur'],
  ['professionals', 'professional'],
  ['ouders/verzorgers', 'ouder'],
];

describe('domain model', () => {
  it.each(SEED_ROLE_TERMS)('the seed role "%s" is modelled as %s', (term, role) => {
    expect(seedText).toContain(term);
    expect(ALL_ROLES).toContain(role);
    expect(ROLES[role].label.length).toBeGreaterThan(0);
  });

  it('knows the four organisation kinds of the issue', () => {
    expect(Object.keys(ORGANISATION_KINDS).sort()).toEqual(['school', 'swv', 'voorschoolse-voorziening', 'zorgpartner']);
  });

  it('every role has a binding and a Dutch label', () => {
    for (const r of ALL_ROLES) expect(['eigen-school', 'betrokken-organisatie', 'toegewezen', 'swv']).toContain(ROLES[r].binding);
  });
});
