// The four leerachterstand domains of the PrO/LWOO indication (BWBR0015137 art. 1),
// with the keys of the LVS tab (core/model/lvs.ts) and lower-case labels for sentences.
import type { LvsDomein } from '../model/lvs.js';

export const PRO_DOMAINS = [
  'begrijpend-lezen',
  'technisch-lezen',
  'spellen',
  'inzichtelijk-rekenen',
] as const satisfies readonly LvsDomein[];
export type ProDomain = LvsDomein;

export const PRO_DOMAIN_LABELS: Readonly<Record<ProDomain, string>> = {
  'begrijpend-lezen': 'begrijpend lezen',
  'technisch-lezen': 'technisch lezen',
  spellen: 'spellen',
  'inzichtelijk-rekenen': 'inzichtelijk rekenen',
};
