// Which roles (defined by the domain model in core/model/role.ts) may do what
// in the access layer, and the organisation kinds an SWV certifies.
import { ALL_ROLES, SCHOOL_AANVRAGER_ROLES, type Role } from '../model/role.js';
import { ORGANISATION_KINDS as MODEL_ORGANISATION_KINDS, type OrganisationKind as ModelOrganisationKind } from '../model/organisation.js';

export type { Role };
export { ALL_ROLES };

/**
 * Organisation kinds in certificates: the model's kinds plus `ouders`, the
 * pseudo-organisation an SWV certifies parents under (a certificate always
 * names an organisation; parents belong to none).
 */
export type OrganisationKind = ModelOrganisationKind | 'ouders';
export const ORGANISATION_KINDS = [
  ...(Object.keys(MODEL_ORGANISATION_KINDS) as ModelOrganisationKind[]),
  'ouders',
] as const satisfies readonly OrganisationKind[];

/**
 * Who may create a dossier, by the kind of the creator's organisation, which
 * becomes the owner: a school's intern begeleider or ondersteuningscoördinator
 * ("de school is eigenaar van het dossier", 000); for Jonge Kind the SWV's
 * contactpersoon JK or JK-specialist, before any school is involved (001).
 */
export const DOSSIER_CREATOR_ROLES: Readonly<Partial<Record<OrganisationKind, readonly Role[]>>> = {
  school: SCHOOL_AANVRAGER_ROLES,
  swv: ['jk-contactpersoon', 'jk-specialist'],
};

/**
 * The owner's roles that get dossier admin in the genesis record, next to the
 * creating user, so a dossier survives the creator leaving ("wisseling van
 * personeel"). The same roles as may create one.
 */
export const ownerAdminRoles = (kind: OrganisationKind): readonly Role[] => DOSSIER_CREATOR_ROLES[kind] ?? [];

/** Who may sign forms on behalf of the school board. */
export const FORM_SIGNER_ROLES: readonly Role[] = ['bevoegd-gezag'];
