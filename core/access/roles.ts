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
export const ORGANISATION_KINDS = [...(Object.keys(MODEL_ORGANISATION_KINDS) as ModelOrganisationKind[]), 'ouders'] as const satisfies readonly OrganisationKind[];

/**
 * Who may create a dossier: a device of a user of a `school` organisation in
 * one of these roles ("de school is eigenaar van het dossier"): the IB and the
 * COO, who file hulpvragen.
 */
export const DOSSIER_CREATOR_ROLES: readonly Role[] = SCHOOL_AANVRAGER_ROLES;

/**
 * The owning school's roles that get dossier admin in the genesis record, next
 * to the creating user, so a dossier survives the IB leaving the school
 * ("wisseling van personeel").
 */
export const OWNER_ADMIN_ROLES: readonly Role[] = SCHOOL_AANVRAGER_ROLES;

/** Who may sign forms on behalf of the school board. */
export const FORM_SIGNER_ROLES: readonly Role[] = ['bevoegd-gezag'];
