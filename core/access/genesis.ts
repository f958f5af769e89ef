// The grants a new dossier starts with (R11): the creator and the owner's
// admin roles (a school's IB/COO; for Jonge Kind the SWV's JK roles) are admins
// without expiry and write the initial scopes (usually `leerling`).
import type { OrganisationId, UserId } from '../model/ids.js';
import type { GrantSpec } from './acl-record.js';
import { ownerAdminRoles, type OrganisationKind } from './roles.js';
import type { Scope } from './rooms.js';

export function genesisGrants(
  owner: OrganisationId,
  creator: UserId,
  initialScopes: readonly Scope[] = ['leerling'],
  ownerKind: OrganisationKind = 'school',
): GrantSpec[] {
  const roles = ownerAdminRoles(ownerKind);
  return [
    { principal: { kind: 'user', userId: creator }, scope: 'toegang', right: 'admin', expiresAt: null },
    ...roles.map((role): GrantSpec => ({
      principal: { kind: 'organisation', organisationId: owner, role },
      scope: 'toegang',
      right: 'admin',
      expiresAt: null,
    })),
    ...initialScopes
      .filter((s) => s !== 'toegang')
      .flatMap((scope) =>
        roles.map((role): GrantSpec => ({
          principal: { kind: 'organisation', organisationId: owner, role },
          scope,
          right: 'write',
          expiresAt: null,
        })),
      ),
  ];
}
