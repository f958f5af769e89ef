// Organisations taking part in an SWV: schools, the SWV itself, pre-schools and care partners.
import type { OrganisationId, SwvId } from './ids.js';

export const ORGANISATION_KINDS = {
  school: 'School',
  swv: 'Samenwerkingsverband',
  'voorschoolse-voorziening': 'Voorschoolse voorziening',
  zorgpartner: 'Zorgpartner',
} as const;
export type OrganisationKind = keyof typeof ORGANISATION_KINDS;

/** Onderwijssoort of a school; decides which processes it typically starts. */
export type Onderwijssoort = 'bao' | 'sbo' | 'so' | 'vso' | 'vo' | 'pro';

export interface Organisation {
  readonly id: OrganisationId;
  readonly kind: OrganisationKind;
  readonly naam: string;
  /** The SWV(s) this organisation works in; a school can belong to a PO and a VO SWV. */
  readonly swvIds: readonly SwvId[];
  /** Schools only: BRIN/locatiecode, used when staff or schools change. */
  readonly brin?: string;
  readonly onderwijssoort?: Onderwijssoort;
  /** Organisation's general e-mail for content-free notifications. */
  readonly email?: string;
}
