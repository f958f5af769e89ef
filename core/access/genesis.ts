// The grants a new dossier starts with (R11): the creator and the owning
// school's IB/COO are admins without expiry; the school's IB/COO write the
// initial scopes (usually `leerling`).
import type { OrganisationId, UserId } from '../model/ids.js';
import type { GrantSpec } from './acl-record.js';
import { OWNER_ADMIN_ROLES } from './roles.js';
import type { Scope } from './rooms.js';

export function genesisGrants(owner: OrganisationId, creator: UserId, initialScopes: readonly Scope[] = ['leerling']): GrantSpec[] {
  return [
    { principal: { kind: 'user', userId: creator }, scope: 'toegang', right: 'admin', expiresAt: null },
    ...OWNER_ADMIN_ROLES.map((role): GrantSpec => ({ principal: { kind: 'organisation', organisationId: owner, role }, scope: 'toegang', right: 'admin', expiresAt: null })),
    ...initialScopes
      .filter((s) => s !== 'toegang')
      .flatMap((scope) => OWNER_ADMIN_ROLES.map((role): GrantSpec => ({ principal: { kind: 'organisation', organisationId: owner, role }, scope, right: 'write', expiresAt: null }))),
  ];
}
