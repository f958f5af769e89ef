// Principals and rights of the access list. A principal is a user, an
// organisation (optionally only one role in it) or an SWV-wide role; it is
// matched against the verified certificate of a device or a key-box recipient.
import { z } from 'zod';
import type { OrganisationId, UserId } from '../model/ids.js';
import type { Principal as ModelPrincipal } from '../model/grant.js';
import type { Role } from '../model/role.js';
import { organisationIdSchema, roleSchema, swvIdSchema, userIdSchema } from './certificate.js';

export const RIGHTS = ['read', 'write', 'admin'] as const;
/** Ordered: admin ⊃ write ⊃ read. Admin exists only on the `toegang` scope. */
export type Right = (typeof RIGHTS)[number];
export const rightSchema = z.enum(RIGHTS);
export const rightRank = (r: Right): number => RIGHTS.indexOf(r);
export const atLeast = (have: Right | null, need: Right): boolean => have !== null && rightRank(have) >= rightRank(need);
export const maxRight = (a: Right | null, b: Right | null): Right | null =>
  a === null ? b : b === null ? a : rightRank(a) >= rightRank(b) ? a : b;

export const principalSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('user'), userId: userIdSchema }),
  z.strictObject({ kind: z.literal('organisation'), organisationId: organisationIdSchema, role: roleSchema.optional() }),
  z.strictObject({ kind: z.literal('role'), swvId: swvIdSchema, role: roleSchema }),
]);
/** A superset of the model's `Principal`: organisation principals may be narrowed to one role. */
export type Principal = z.infer<typeof principalSchema>;
export const fromModelPrincipal = (p: ModelPrincipal): Principal => p;

/** What a principal is matched against: a verified device or a certified key-box recipient. */
export interface PrincipalSubject {
  readonly userId: UserId;
  readonly organisationId: OrganisationId;
  readonly roles: readonly Role[];
}

/**
 * Ouders/verzorgers are reached only by name: a group principal (a whole organisation,
 * a role in it, an SWV-wide role) never covers someone holding the `ouder` role, so no
 * grant to a school or a pre-school ever opens another child's dossier to a parent [R45].
 */
export const reachedOnlyByName = (s: Pick<PrincipalSubject, 'roles'>): boolean => s.roles.includes('ouder');

export function principalMatches(p: Principal, s: PrincipalSubject, dossierSwv: string): boolean {
  if (p.kind !== 'user' && reachedOnlyByName(s)) return false;
  switch (p.kind) {
    case 'user':
      return p.userId === s.userId;
    case 'organisation':
      return p.organisationId === s.organisationId && (p.role === undefined || s.roles.includes(p.role));
    case 'role':
      return p.swvId === dossierSwv && s.roles.includes(p.role);
  }
}

/** A stable key for de-duplication and maps. */
export function principalKey(p: Principal): string {
  switch (p.kind) {
    case 'user':
      return `user:${p.userId}`;
    case 'organisation':
      return `org:${p.organisationId}:${p.role ?? '*'}`;
    case 'role':
      return `role:${p.swvId}:${p.role}`;
  }
}
