// Dutch school years (1 August – 31 July) and calendar-date arithmetic on ISO dates,
// done in UTC so a date never shifts with the device's time zone.
import type { IsoDate } from '../model/dates.js';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses `YYYY-MM-DD` strictly (no 31 February); undefined when invalid. */
export function parseIsoDate(value: string): { year: number; month: number; day: number } | undefined {
  const m = ISO_DATE.exec(value);
  if (m === null) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return undefined;
  return { year, month, day };
}

export const isIsoDate = (value: string): boolean => parseIsoDate(value) !== undefined;

const fmt = (d: Date): IsoDate => d.toISOString().slice(0, 10);

export function addDays(date: IsoDate, days: number): IsoDate {
  const p = parseIsoDate(date);
  if (p === undefined) throw new Error(`Ongeldige datum: ${date}`);
  return fmt(new Date(Date.UTC(p.year, p.month - 1, p.day + days)));
}

/** The calendar date of a moment, in UTC. */
export const dateOf = (moment: Date): IsoDate => fmt(moment);

/** The year in which the school year containing `date` started (1 August). */
export function schoolYearStartYear(date: IsoDate): number {
  const p = parseIsoDate(date);
  if (p === undefined) throw new Error(`Ongeldige datum: ${date}`);
  return p.month >= 8 ? p.year : p.year - 1;
}

/** A date is the last day of a school year. */
export const isSchoolYearEnd = (date: IsoDate): boolean => /^\d{4}-07-31$/.test(date) && isIsoDate(date);
