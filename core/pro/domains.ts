// The four leerachterstand domains of the PrO/LWOO indication (BWBR0015137 art. 1)
// and their Dutch labels, in the order the law lists them.

export const PRO_DOMAINS = ['begrijpendLezen', 'technischLezen', 'spellen', 'inzichtelijkRekenen'] as const;
export type ProDomain = (typeof PRO_DOMAINS)[number];

export const PRO_DOMAIN_LABELS: Readonly<Record<ProDomain, string>> = {
  begrijpendLezen: 'begrijpend lezen',
  technischLezen: 'technisch lezen',
  spellen: 'spellen',
  inzichtelijkRekenen: 'inzichtelijk rekenen',
};
