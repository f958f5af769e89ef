// Didactische leeftijd (DL): months of schooling from groep 3, counting only
// September to June, 10 per school year (BWBR0015137 art. 4 lid 2). Repeated
// years from groep 3 on count; a repeated groep 1 or 2 does not.
import { assertNever, fail, ok, type Result } from '../result.js';
import { daysInMonth, formatDutchDate, parseIsoDate, compareDates, type CalendarDate } from './calendar-date.js';

export const MONTHS_PER_SCHOOL_YEAR = 10;

export type DlSource =
  /** DL as the school or LVS reports it. */
  | { readonly kind: 'direct'; readonly dl: number }
  /** Start date of groep 3; repeated years are in the elapsed time. Months not enrolled at a PO school are subtracted. */
  | { readonly kind: 'startGroep3'; readonly startGroep3: string; readonly maandenNietIngeschreven?: number }
  /** Current groep (3–8) and number of doublures from groep 3 on (schoolgegevens tab). */
  | { readonly kind: 'groep'; readonly groep: number; readonly doublures: number };

export interface DlResult {
  readonly dl: number;
  /** Dutch, with the arithmetic. */
  readonly uitleg: string;
}

/** Months into the school year at the end of day d: Sep 1 ≈ 0.03, Mar 31 = 7, July and August = 10. */
function monthsIntoSchoolYear(d: CalendarDate): number {
  if (d.month === 7 || d.month === 8) return MONTHS_PER_SCHOOL_YEAR;
  const index = (d.month - 9 + 12) % 12; // September = 0 … June = 9
  return index + d.day / daysInMonth(d.year, d.month);
}

/** A position on a continuous school-month axis; the difference of two positions is schooling in months. */
export function schoolMonthPosition(d: CalendarDate): number {
  const schoolYear = d.month >= 9 ? d.year : d.year - 1;
  return schoolYear * MONTHS_PER_SCHOOL_YEAR + monthsIntoSchoolYear(d);
}

type DlErrorCode = 'dl-ongeldig';

export function computeDidactischeLeeftijd(source: DlSource, toetsdatum: CalendarDate): Result<DlResult> {
  const bad = (message: string) => fail<DlErrorCode>('dl-ongeldig', message);
  switch (source.kind) {
    case 'direct': {
      if (!Number.isFinite(source.dl) || source.dl < 0)
        return bad(`De didactische leeftijd (DL) kan niet negatief zijn (ingevuld: ${source.dl}).`);
      if (source.dl > 200) return bad(`Een didactische leeftijd van ${source.dl} maanden is niet mogelijk; controleer de invoer.`);
      return ok({ dl: source.dl, uitleg: `DL = ${source.dl} (direct opgegeven).` });
    }
    case 'startGroep3': {
      const start = parseIsoDate(source.startGroep3);
      if (!start) return bad(`De startdatum van groep 3 ("${source.startGroep3}") is geen geldige datum (JJJJ-MM-DD).`);
      if (compareDates(start, toetsdatum) > 0)
        return bad(`De toetsdatum (${formatDutchDate(toetsdatum)}) ligt vóór de start van groep 3 (${formatDutchDate(start)}).`);
      const notEnrolled = source.maandenNietIngeschreven ?? 0;
      if (!Number.isFinite(notEnrolled) || notEnrolled < 0) return bad('Het aantal maanden niet ingeschreven kan niet negatief zijn.');
      const months = Math.round(schoolMonthPosition(toetsdatum) - schoolMonthPosition(start));
      const dl = months - notEnrolled;
      if (dl < 0) return bad(`Met ${notEnrolled} maanden niet ingeschreven wordt de DL negatief (${dl}); controleer de invoer.`);
      const minus = notEnrolled > 0 ? ` − ${notEnrolled} maanden niet ingeschreven = ${dl}` : '';
      return ok({
        dl,
        uitleg: `DL = schoolmaanden (september t/m juni, 10 per schooljaar) van ${formatDutchDate(start)} tot ${formatDutchDate(toetsdatum)} = ${months}${minus}.`,
      });
    }
    case 'groep': {
      if (!Number.isInteger(source.groep) || source.groep < 3 || source.groep > 8)
        return bad(
          `De groep moet 3 t/m 8 zijn voor een berekening van de DL (ingevuld: ${source.groep}); geef anders de DL of de startdatum van groep 3.`,
        );
      if (!Number.isInteger(source.doublures) || source.doublures < 0)
        return bad(`Het aantal doublures kan niet negatief zijn (ingevuld: ${source.doublures}).`);
      if (source.doublures > 4) return bad(`${source.doublures} doublures vanaf groep 3 is niet aannemelijk; controleer de invoer.`);
      const years = source.groep - 3 + source.doublures;
      const current = Math.round(monthsIntoSchoolYear(toetsdatum));
      const dl = years * MONTHS_PER_SCHOOL_YEAR + current;
      const doubl = source.doublures === 1 ? '1 doublure' : `${source.doublures} doublures`;
      return ok({
        dl,
        uitleg: `DL = 10 × (groep ${source.groep} − 3 + ${doubl}) + ${current} maanden in dit schooljaar (toetsdatum ${formatDutchDate(toetsdatum)}) = ${years * MONTHS_PER_SCHOOL_YEAR} + ${current} = ${dl}.`,
      });
    }
    default:
      return assertNever(source, 'DL-bron');
  }
}
