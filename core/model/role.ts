// Every role the seed manuals name, with a Dutch label and how the role is bound
// to a hulpvraag (a school role only counts at the hulpvraag's own school, etc.).
import type { OrganisationKind } from './organisation.js';

/**
 * How holding a role is checked against one hulpvraag:
 * - `eigen-school`: the actor must work at the school that owns the hulpvraag;
 * - `betrokken-organisatie`: the actor's organisation must be linked to the hulpvraag (voorschoolse voorziening, school van voorkeur);
 * - `toegewezen`: the actor must be the coördinator or a behandelaar of the hulpvraag;
 * - `swv`: any holder of the role in this SWV (SWV staff).
 */
export type RoleBinding = 'eigen-school' | 'betrokken-organisatie' | 'toegewezen' | 'swv';

interface RoleInfo {
  readonly label: string;
  readonly organisationKinds: readonly OrganisationKind[];
  readonly binding: RoleBinding;
  /** Seed manual(s) the role comes from (`000`…`003`) or `design`. */
  readonly bron: readonly string[];
}

export const ROLES = {
  'intern-begeleider': { label: 'Intern begeleider (IB)', organisationKinds: ['school'], binding: 'eigen-school', bron: ['000', '003'] },
  ondersteuningscoordinator: {
    label: 'Ondersteuningscoördinator (COO)',
    organisationKinds: ['school'],
    binding: 'eigen-school',
    bron: ['002', '003'],
  },
  'schakelfunctionaris-onderwijs': {
    label: 'Schakelfunctionaris onderwijs',
    organisationKinds: ['school'],
    binding: 'eigen-school',
    bron: ['003'],
  },
  'bevoegd-gezag': { label: 'Bevoegd gezag', organisationKinds: ['school'], binding: 'eigen-school', bron: ['002'] },
  'school-van-voorkeur': {
    label: 'Contactpersoon school van voorkeur',
    organisationKinds: ['school'],
    binding: 'betrokken-organisatie',
    bron: ['001'],
  },
  'swv-loket': { label: 'Loket samenwerkingsverband', organisationKinds: ['swv'], binding: 'swv', bron: ['002'] },
  'swv-coordinator': { label: 'Coördinator samenwerkingsverband', organisationKinds: ['swv'], binding: 'swv', bron: ['002', '003'] },
  'commissie-toelaatbaarheid': {
    label: 'Commissie van toelaatbaarheid (CvT)',
    organisationKinds: ['swv'],
    binding: 'swv',
    bron: ['002', 'design'],
  },
  deskundige: { label: 'Deskundige (orthopedagoog, psycholoog)', organisationKinds: ['swv', 'zorgpartner'], binding: 'swv', bron: ['002'] },
  'jk-contactpersoon': { label: 'Contactpersoon Jonge Kind', organisationKinds: ['swv'], binding: 'swv', bron: ['001'] },
  'jk-specialist': { label: 'JK-specialist', organisationKinds: ['swv'], binding: 'swv', bron: ['001'] },
  'schakelfunctionaris-jeugdhulp': {
    label: 'Schakelfunctionaris verbinding onderwijs/jeugdhulp',
    organisationKinds: ['swv', 'zorgpartner'],
    binding: 'swv',
    bron: ['003'],
  },
  regierolhouder: { label: 'Regierolhouder', organisationKinds: ['swv', 'zorgpartner'], binding: 'toegewezen', bron: ['003'] },
  behandelaar: { label: 'Behandelaar', organisationKinds: ['swv', 'zorgpartner'], binding: 'toegewezen', bron: ['003'] },
  professional: {
    label: 'Professional (deelnemer overlegronde)',
    organisationKinds: ['swv', 'zorgpartner', 'school'],
    binding: 'toegewezen',
    bron: ['000', '003'],
  },
  'vv-contactpersoon': {
    label: 'Contactpersoon voorschoolse voorziening',
    organisationKinds: ['voorschoolse-voorziening'],
    binding: 'betrokken-organisatie',
    bron: ['001'],
  },
  ouder: { label: 'Ouder/verzorger', organisationKinds: [], binding: 'toegewezen', bron: ['000', '001'] },
  'swv-beheerder': { label: 'Beheerder samenwerkingsverband', organisationKinds: ['swv'], binding: 'swv', bron: ['design'] },
  'privacy-officer': { label: 'Functionaris gegevensbescherming (FG)', organisationKinds: ['swv'], binding: 'swv', bron: ['design'] },
} as const satisfies Record<string, RoleInfo>;

export type Role = keyof typeof ROLES;
export const ALL_ROLES = Object.keys(ROLES) as Role[];

export const roleLabel = (role: Role): string => ROLES[role].label;
export const roleBinding = (role: Role): RoleBinding => ROLES[role].binding;

/**
 * Organisation kinds where the ouder role is never offered: a parent is no member of a school
 * or of the SWV office, and inviting one there read like a school-wide role (issue 17, item 10).
 * Ouders are invited under their own organisation and linked to their own child's dossier.
 */
const OUDER_NOT_AT: readonly string[] = ['school', 'swv'];

/**
 * Roles that do not belong in an organisation of this kind (an ouder fits anywhere but a school
 * or the SWV). Checked when the beheerder invites someone: a role decides what a person may
 * decrypt, so an SWV role on a parent or a school role at a care partner must be a deliberate
 * choice, never a left-over tick.
 */
export const rolesNotFitting = (roles: readonly Role[], kind: string): Role[] =>
  roles.filter((r) => {
    if (r === 'ouder') return OUDER_NOT_AT.includes(kind);
    const kinds: readonly string[] = ROLES[r].organisationKinds;
    return kinds.length > 0 && !kinds.includes(kind);
  });

/** Someone whose only part in the SWV is being a parent: no staff actions on their screens. */
export const isOuderOnly = (roles: readonly Role[]): boolean => roles.length > 0 && roles.every((r) => r === 'ouder');

/** The roles a school uses to file and follow hulpvragen (the usual aanvrager). */
export const SCHOOL_AANVRAGER_ROLES = ['intern-begeleider', 'ondersteuningscoordinator'] as const satisfies readonly Role[];
