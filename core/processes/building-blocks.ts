// Shared pieces of the process definitions: selectors and visibility presets, so each
// process file reads as the seed does and the same rule is written only once.
import type { Role } from '../model/role.js';
import type { AccessEntry } from '../workflow/definition.js';
import type { PrincipalSelector } from '../workflow/selector.js';

export const role = (r: Role): PrincipalSelector => ({ kind: 'role', role: r });
export const EIGEN_SCHOOL: PrincipalSelector = { kind: 'eigen-school' };
export const AANVRAGER: PrincipalSelector = { kind: 'aanvrager' };
export const COORDINATOR: PrincipalSelector = { kind: 'coordinator' };
export const BEHANDELAAR: PrincipalSelector = { kind: 'behandelaar' };
export const OUDERS: PrincipalSelector = { kind: 'ouders' };
export const VOORSCHOOLSE_VOORZIENING: PrincipalSelector = { kind: 'betrokken-organisatie', relatie: 'voorschoolse-voorziening' };
export const SCHOOL_VAN_VOORKEUR: PrincipalSelector = { kind: 'betrokken-organisatie', relatie: 'school-van-voorkeur' };
export const PARTNERSCHOOL: PrincipalSelector = { kind: 'betrokken-organisatie', relatie: 'partnerschool' };

/** The school staff who file and follow a hulpvraag (IB in PO, COO in VO). */
export const SCHOOL: readonly Role[] = ['intern-begeleider', 'ondersteuningscoordinator'];

const ALL_SCOPES = ['leerling', 'hulpvraag', 'formulieren', 'lvs'] as const;

/** The owning school always holds every scope of its own hulpvraag (000: eigenaar van het dossier). */
export const SCHOOL_OWNS: AccessEntry = { to: EIGEN_SCHOOL, scopes: [...ALL_SCOPES], rights: ['read', 'write'] };

/** SWV staff working on a request: write in the hulpvraag (status, bijlagen), read the rest; forms are the school's. */
export const swvWorking = (roles: readonly Role[]): AccessEntry[] =>
  roles
    .map((r) => [
      { to: role(r), scopes: ['hulpvraag'], rights: ['read', 'write'] } satisfies AccessEntry,
      { to: role(r), scopes: ['leerling', 'formulieren', 'lvs'], rights: ['read'] } satisfies AccessEntry,
    ])
    .flat();

/** After the end: SWV staff keep read access for the file (besluit, bezwaar, herbeoordeling). */
export const swvArchive = (roles: readonly Role[]): AccessEntry[] =>
  roles.map((r) => ({ to: role(r), scopes: [...ALL_SCOPES], rights: ['read'] }) satisfies AccessEntry);

export const readOnly = (to: PrincipalSelector, scopes: AccessEntry['scopes']): AccessEntry => ({ to, scopes, rights: ['read'] });
