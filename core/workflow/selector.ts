// Who a process definition talks about ("the aanvrager", "the SWV loket", "the voorschoolse
// voorziening of this hulpvraag"), resolved to concrete principals only by the caller.
import { z } from 'zod';
import { ALL_ROLES, type Role } from '../model/role.js';

export const RELATIES = ['voorschoolse-voorziening', 'school-van-voorkeur', 'partnerschool', 'zorgpartner'] as const;
export type Relatie = (typeof RELATIES)[number];

export const RoleSchema = z.enum(ALL_ROLES as [Role, ...Role[]]);

export const PrincipalSelectorSchema = z.discriminatedUnion('kind', [
  /** Everyone holding this role in the SWV (subject to the role's binding, see core/model/role.ts). */
  z.object({ kind: z.literal('role'), role: RoleSchema }),
  /** The school that owns the hulpvraag, as an organisation. */
  z.object({ kind: z.literal('eigen-school') }),
  /** Organisations linked to the hulpvraag with this relation (e.g. the voorschoolse voorziening). */
  z.object({ kind: z.literal('betrokken-organisatie'), relatie: z.enum(RELATIES) }),
  z.object({ kind: z.literal('aanvrager') }),
  z.object({ kind: z.literal('coordinator') }),
  /** The behandelaar(s) of the aanpak (Team Schoolondersteuning: the regierolhouder). */
  z.object({ kind: z.literal('behandelaar') }),
  /** The leerling's ouders/verzorgers who were invited to the dossier. */
  z.object({ kind: z.literal('ouders') }),
]);
export type PrincipalSelector = z.infer<typeof PrincipalSelectorSchema>;

/** A stable key for a selector, for diffs and de-duplication. */
export const selectorKey = (s: PrincipalSelector): string => {
  switch (s.kind) {
    case 'role':
      return `role:${s.role}`;
    case 'betrokken-organisatie':
      return `betrokken:${s.relatie}`;
    case 'eigen-school':
    case 'aanvrager':
    case 'coordinator':
    case 'behandelaar':
    case 'ouders':
      return s.kind;
  }
};

/** Dutch description for the generated docs and the UI. */
export const describeSelector = (s: PrincipalSelector, roleLabel: (r: Role) => string): string => {
  switch (s.kind) {
    case 'role':
      return roleLabel(s.role);
    case 'eigen-school':
      return 'de eigenaar (de aanvragende school)';
    case 'betrokken-organisatie':
      return `de betrokken ${s.relatie.replaceAll('-', ' ')}`;
    case 'aanvrager':
      return 'de aanvrager';
    case 'coordinator':
      return 'de coördinator';
    case 'behandelaar':
      return 'de behandelaar';
    case 'ouders':
      return 'de ouders/verzorgers';
  }
};
