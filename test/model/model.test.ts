import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { grantAllows, hulpvraagScope, notitiesScope, type Grant } from '../../core/model/grant.js';
import { asId, type HulpvraagId, type OrganisationId, type SwvId, type UserId } from '../../core/model/ids.js';
import { ALL_ROLES, ROLES, isRole, type Role } from '../../core/model/role.js';
import { ORGANISATION_KINDS } from '../../core/model/organisation.js';
import { actorOf, type User } from '../../core/model/user.js';

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
    expect(isRole(role)).toBe(true);
    expect(ROLES[role].label.length).toBeGreaterThan(0);
  });

  it('knows the four organisation kinds of the issue', () => {
    expect(Object.keys(ORGANISATION_KINDS).sort()).toEqual(['school', 'swv', 'voorschoolse-voorziening', 'zorgpartner']);
  });

  it('every role has a binding and a Dutch label; unknown strings are not roles', () => {
    for (const r of ALL_ROLES) expect(['eigen-school', 'betrokken-organisatie', 'toegewezen', 'swv']).toContain(ROLES[r].binding);
    expect(isRole('toString')).toBe(false);
    expect(isRole('directeur')).toBe(false);
  });

  it('an actor takes the roles of the dossier\'s SWV only (one account, roles per SWV)', () => {
    const po = asId<SwvId>('PO2811');
    const vo = asId<SwvId>('VO2805');
    const user: User = {
      id: asId<UserId>('u1'), voornaam: 'Anna', achternaam: 'de Vries', functie: 'Orthopedagoog', organisatie: asId<OrganisationId>('o1'),
      organisatieNaam: 'SWV', email: 'a@swv.example', rolesPerSwv: { [po]: ['regierolhouder'], [vo]: ['deskundige'] } as Record<SwvId, readonly Role[]>,
    };
    expect(actorOf(user, po).roles).toEqual(['regierolhouder']);
    expect(actorOf(user, vo).roles).toEqual(['deskundige']);
    expect(actorOf(user, asId<SwvId>('elders')).roles).toEqual([]);
  });

  it('scopes are named as the relay rooms expect, and a grant stops at its expiry', () => {
    const hv = asId<HulpvraagId>('hv9');
    expect(hulpvraagScope('formulieren', hv)).toBe('formulieren:hv9');
    expect(hulpvraagScope('leerling', hv)).toBe('leerling');
    expect(notitiesScope(asId<UserId>('u1'))).toBe('notities:u1');
    const g: Grant = { principal: { kind: 'user', userId: asId<UserId>('u1') }, scope: 'hulpvraag:hv9', rights: ['read'], expiresAt: '2027-01-01T00:00:00.000Z' };
    expect(grantAllows(g, 'read', new Date('2026-12-31T23:59:59Z'))).toBe(true);
    expect(grantAllows(g, 'read', new Date('2027-01-01T00:00:00Z'))).toBe(false);
    expect(grantAllows(g, 'write', new Date('2026-06-01'))).toBe(false);
    expect(grantAllows({ ...g, expiresAt: null }, 'read', new Date('2099-01-01'))).toBe(true);
  });
});
