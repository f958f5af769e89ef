// Public surface of the PrO/LWOO calculator.
export { PRO_DOMAINS, PRO_DOMAIN_LABELS, type ProDomain } from './domains.js';
export { NATIONAL_PRO_CRITERIA, proCriteriaSchema, parseProCriteria, type ProCriteria } from './criteria.js';
export { computeDidactischeLeeftijd, MONTHS_PER_SCHOOL_YEAR, type DlSource, type DlResult } from './didactische-leeftijd.js';
export {
  berekenProAdvies,
  PRO_ADVIES_KINDS,
  PRO_ADVIES_LABELS,
  type ProAdvies,
  type ProAdviesKind,
  type ProInput,
  type ProInputProblem,
  type ProOptions,
  type DomainOutcome,
  type LaBand,
} from './advies.js';
export { proInputFromLvs } from './from-lvs.js';
export { parseIsoDate, formatDutchDate, type CalendarDate } from './calendar-date.js';
export { checkLvsValues, proInputFromLvsForm, LVS_FREE_TEXT_KEYS, type LvsFormValues } from './lvs-form.js';
