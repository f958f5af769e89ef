// Whether an actor's role counts for one hulpvraag: a school role only at the owning
// school, a voorschoolse voorziening only when linked, a regierolhouder only when assigned.
import { ROLES, type Role } from '../model/role.js';
import type { Actor } from '../model/user.js';
import type { Relatie } from './selector.js';
import type { HulpvraagContext } from './state.js';
import { assertNever } from '../result.js';

const RELATIE_OF_ROLE: Partial<Record<Role, Relatie>> = {
  'vv-contactpersoon': 'voorschoolse-voorziening',
  'school-van-voorkeur': 'school-van-voorkeur',
};

export function actorHoldsRole(actor: Actor, role: Role, ctx: HulpvraagContext): boolean {
  if (!actor.roles.includes(role)) return false;
  const binding = ROLES[role].binding;
  switch (binding) {
    case 'eigen-school':
      return actor.organisationId === ctx.schoolId;
    case 'betrokken-organisatie': {
      const relatie = RELATIE_OF_ROLE[role];
      return ctx.betrokkenOrganisaties.some(
        (b) => b.organisationId === actor.organisationId && (relatie === undefined || b.relatie === relatie),
      );
    }
    case 'toegewezen':
      return actor.userId === ctx.coordinator || ctx.behandelaars.includes(actor.userId);
    case 'swv':
      return true;
    default:
      return assertNever(binding, 'rolbinding');
  }
}

export const actorHoldsAnyRole = (actor: Actor, roles: readonly Role[], ctx: HulpvraagContext): boolean =>
  roles.some((r) => actorHoldsRole(actor, r, ctx));
