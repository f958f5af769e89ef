import { describe, expect, it } from 'vitest';
import { desiredGrants, principalOf } from '../../core/client/workflow-access.js';
import { asId, type HulpvraagId, type OrganisationId, type SwvId, type UserId } from '../../core/model/ids.js';
import { ROLES, type Role } from '../../core/model/role.js';
import type { HulpvraagContext } from '../../core/workflow/state.js';

const swv = asId<SwvId>('swv-1');
const school = asId<OrganisationId>('school-a');
const ctx: HulpvraagContext = {
  hulpvraagId: asId<HulpvraagId>('hv-1'),
  schoolId: school,
  aanvrager: asId<UserId>('u-ib'),
  coordinator: asId<UserId>('u-coo'),
  behandelaars: [],
  betrokkenOrganisaties: [],
};
const roleWithBinding = (binding: string): Role => {
  const found = (Object.keys(ROLES) as Role[]).find((r) => ROLES[r].binding === binding);
  if (found === undefined) throw new Error(`geen rol met binding ${binding}`);
  return found;
};

describe('client workflow → access mapping [R23]', () => {
  it('a school-bound role is granted only within the hulpvraag\'s own school, never SWV-wide', () => {
    const role = roleWithBinding('eigen-school');
    const principals = principalOf({ kind: 'role', role }, ctx, swv).map((p) => p.principal);
    expect(principals).toEqual([{ kind: 'organisation', organisationId: school, role }]);
  });

  it('an SWV-wide role is granted to that role in the dossier\'s SWV', () => {
    const role = roleWithBinding('swv');
    const principals = principalOf({ kind: 'role', role }, ctx, swv).map((p) => p.principal);
    expect(principals).toEqual([{ kind: 'role', swvId: swv, role }]);
  });

  it('named people (aanvrager, coördinator) are add-only grants; ouders are invited explicitly', () => {
    expect(principalOf({ kind: 'aanvrager' }, ctx, swv)).toEqual([{ principal: { kind: 'user', userId: ctx.aanvrager }, addOnly: true }]);
    expect(principalOf({ kind: 'ouders' }, ctx, swv)).toEqual([]);
    const grants = desiredGrants(
      [{ to: { kind: 'role', role: roleWithBinding('eigen-school') }, scopes: ['hulpvraag', 'formulieren'], rights: ['read', 'write'] }] as never,
      ctx,
      swv,
    );
    expect(grants.map((g) => g.scope).sort()).toEqual(['formulieren:hv-1', 'hulpvraag:hv-1']);
    expect(grants.every((g) => g.principal.kind === 'organisation' && g.right === 'write')).toBe(true);
  });
});
