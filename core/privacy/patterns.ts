// Pattern finders for PII that is not a name: BSN, telephone, postcode,
// e-mail, street address and dates. Every regex is free of nested
// quantifiers over overlapping classes, so each runs in linear time.
import { isValidBsn } from './bsn.js';

export interface RawMatch {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

const all = (re: RegExp, text: string, group = 0): RawMatch[] =>
  [...text.matchAll(re)].map((m) => {
    const g = m[group] ?? m[0];
    const start = m.index + m[0].indexOf(g);
    return { start, end: start + g.length, text: g };
  });

/** 9 digits, optionally grouped with single spaces, dots or dashes, that pass the 11-proef. */
export function findBsn(text: string): RawMatch[] {
  return all(/(?<![\d.,/+-])\d(?:[ .-]?\d){8}(?![\d]|[.,-]\d)/g, text).filter((m) => isValidBsn(m.text));
}

/**
 * Dutch telephone numbers: 0 + 9 digits with optional separators (06-12345678,
 * 020-1234567, 0187 483 777, (020) 123 4567) and international (+31 6 12345678,
 * +31 (0)20 …, 0031 6 …).
 */
export function findTelefoon(text: string): RawMatch[] {
  const national = /(?<![\d+])(?:\(0\d{1,3}\)[ ]?\d(?:[ .-]?\d){4,7}|0\d(?:[ .\-/]?\d){8})(?![\d])/g;
  const international = /(?:\+|(?<!\d)00)31[ .-]?(?:\(0\)[ .-]?)?\d(?:[ .-]?\d){7,8}(?!\d)/g;
  const digitsOk = (m: RawMatch) => {
    const n = m.text
      .replace(/\D/g, '')
      .replace(/^0031|^31/, '0')
      .replace(/^00/, '0');
    return n.length === 10;
  };
  return [...all(national, text), ...all(international, text)].filter(digitsOk);
}

// PostNL never issues SA, SD and SS; the rest are abbreviations of this field
// that follow a year or a number in ordinary text ("2023 IB", "1200 MG").
const NOT_POSTCODE_LETTERS = new Set([
  'SA',
  'SD',
  'SS',
  'IB',
  'IQ',
  'PO',
  'VO',
  'SO',
  'BL',
  'TL',
  'IR',
  'SP',
  'DL',
  'LA',
  'FA',
  'SV',
  'JK',
  'OT',
  'MG',
  'LG',
  'NT',
  'EN',
  'OF',
  'IN',
  'OP',
  'AD',
  'HB',
  'MB',
  'KB',
  'GB',
  'ML',
  'KG',
  'CM',
  'MM',
  'KM',
  'AM',
  'PM',
  'CJ',
  'TV',
  'OK',
  'NL',
]);

/** 1234 AB / 1234AB (upper-case letters, first digit not 0). */
export function findPostcode(text: string): RawMatch[] {
  return all(/(?<![\p{L}\d])[1-9]\d{3} ?([A-Z]{2})(?![\p{L}\d])/gu, text).filter((m) => !NOT_POSTCODE_LETTERS.has(m.text.slice(-2)));
}

const EMAIL_LOCAL = /[\p{L}\d._%+-]/u;
const EMAIL_DOMAIN = /[\p{L}\d.-]/u;

/** E-mail addresses, found by expanding around each "@" (linear even on hostile input without spaces). */
export function findEmail(text: string): RawMatch[] {
  const out: RawMatch[] = [];
  let from = 0;
  let lastEnd = 0;
  for (let at = text.indexOf('@', from); at !== -1; at = text.indexOf('@', from)) {
    from = at + 1;
    let s = at;
    while (s > lastEnd && EMAIL_LOCAL.test(text[s - 1] ?? '')) s--;
    let e = at + 1;
    while (e < text.length && EMAIL_DOMAIN.test(text[e] ?? '')) e++;
    while (e > at + 1 && (text[e - 1] === '.' || text[e - 1] === '-')) e--; // sentence-final dot
    // The longest prefix that ends in a letter TLD: "x@y.nl06-…" is "x@y.nl" glued to a number.
    const domain = /^[\p{L}\d-]+(?:\.[\p{L}\d-]+)*\.\p{L}{2,}(?![\p{L}])/u.exec(text.slice(at + 1, e));
    if (s < at && domain) {
      e = at + 1 + domain[0].length;
      out.push({ start: s, end: e, text: text.slice(s, e) });
      lastEnd = e;
      from = e;
    }
  }
  return out;
}

// Suffixes that make a word a street name; the unambiguous ones also count in lower case.
const STREET_SUFFIX_ANY_CASE = 'straat|laan|gracht|kade|singel|steeg|dreef|plantsoen|boulevard|steenweg';
const STREET_SUFFIX_CAPITAL =
  'plein|weg|dijk|pad|hof|erf|wal|markt|ring|park|akker|veld|hoeve|dam|burg|donk|kamp|haven|baan|wijk|berg|rade|hout';
const NOT_STREETS = new Set([
  'onderweg',
  'halverwege',
  'ziekenhuis',
  'thuis',
  'huiswerk',
  'rotterdam',
  'amsterdam',
  'schiedam',
  'edam',
  'volendam',
  'zaandam',
  'leerpad',
  'loopbaan',
  'ontwikkelpad',
  'zorgpad',
]);

/** Street + house number: "Kerkstraat 12", "Dorpsweg 3a", "Van Goghlaan 14-2", "Burg. de Withstraat 5 B". */
const ADRES_RE = new RegExp(
  `(?<![\\p{L}])(\\p{L}[\\p{L}'’-]*?(?:${STREET_SUFFIX_ANY_CASE}|${STREET_SUFFIX_CAPITAL}))[ ]{1,2}(\\d{1,5}(?: ?[a-zA-Z](?![\\p{L}]))?(?:[ -]?(?:hs|bis|I{1,3}|\\d{1,3})(?![\\p{L}\\d]))?)(?![\\d.,]\\d|[\\p{L}])`,
  'gu',
);
const ANY_CASE_END = new RegExp(`(?:${STREET_SUFFIX_ANY_CASE})$`, 'u');

export function findAdres(text: string): RawMatch[] {
  const out: RawMatch[] = [];
  for (const m of text.matchAll(ADRES_RE)) {
    const word = m[1] ?? '';
    const lower = word.toLowerCase();
    if (NOT_STREETS.has(lower)) continue;
    const anyCase = ANY_CASE_END.test(lower);
    if (!anyCase && !/^\p{Lu}/u.test(word)) continue;
    if (lower.length < 5) continue; // "weg 2", "hof 3"
    // Take the capitalised words and particles in front: "Burgemeester de Withstraat".
    let start = m.index;
    const before = text.slice(Math.max(0, start - 40), start);
    // Only particles ("Van Goghlaan", "Burgemeester de Withstraat") or an abbreviation ("Burg. ", "Prof. "),
    // so a verb in front ("Woont Kerkstraat 12") stays out of the finding.
    const lead = /(?:(?:\p{Lu}\p{L}*\.?[ ])?(?:(?:[vV]an|[dD]e|der|den|het|'t|ter|ten)[ ]){1,2}|\p{Lu}\p{L}{0,6}\.[ ])$/u.exec(before);
    if (lead) start -= lead[0].length;
    const end = m.index + m[0].length;
    out.push({ start, end, text: text.slice(start, end) });
  }
  return out;
}

export const MONTHS: Readonly<Record<string, number>> = {
  januari: 1,
  jan: 1,
  februari: 2,
  feb: 2,
  febr: 2,
  maart: 3,
  mrt: 3,
  april: 4,
  apr: 4,
  mei: 5,
  juni: 6,
  jun: 6,
  juli: 7,
  jul: 7,
  augustus: 8,
  aug: 8,
  september: 9,
  sep: 9,
  sept: 9,
  oktober: 10,
  okt: 10,
  november: 11,
  nov: 11,
  december: 12,
  dec: 12,
};
const MONTH_ALT = Object.keys(MONTHS)
  .sort((a, b) => b.length - a.length)
  .join('|');

const TEXTUAL_DATE_RE = new RegExp(`(?<![\\d])(\\d{1,2})(?:e)? (${MONTH_ALT})\\.?(?![\\p{L}])(?: ((?:['’]\\d{2})|\\d{4})(?!\\d))?`, 'giu');

export interface DateMatch extends RawMatch {
  readonly day: number;
  readonly month: number;
  /** Four-digit year, or undefined for "12 maart". */
  readonly year?: number;
}

function fullYear(y: string, nowYear: number): number {
  const digits = y.replace(/['’]/g, '');
  if (digits.length === 4) return Number(digits);
  const n = Number(digits);
  // Two digits: a year up to this year is 20xx, a later one 19xx (a leerling's parent).
  return 2000 + n <= nowYear ? 2000 + n : 1900 + n;
}

/** 12-03-2015, 12/3/15, 12.03.2015, 12 maart 2015, 12 mrt. '15, 1 januari (no year). */
export function findDates(text: string, nowYear: number): DateMatch[] {
  const out: DateMatch[] = [];
  for (const m of text.matchAll(/(?<![\d.,/-])(\d{1,2})([-/.])(\d{1,2})\2(\d{4}|\d{2})(?![\d]|[.,/-]\d)/g)) {
    const day = Number(m[1]);
    const month = Number(m[3]);
    if (day < 1 || day > 31 || month < 1 || month > 12) continue;
    out.push({ start: m.index, end: m.index + m[0].length, text: m[0], day, month, year: fullYear(m[4] ?? '', nowYear) });
  }
  for (const m of text.matchAll(TEXTUAL_DATE_RE)) {
    const day = Number(m[1]);
    const month = MONTHS[(m[2] ?? '').toLowerCase()];
    if (month === undefined || day < 1 || day > 31) continue;
    const y = m[3];
    // A sentence-final dot after a full month name ("op 20 januari.") is not part of the date.
    const full = !y && m[0].endsWith('.') && (m[2] ?? '').length > 4 ? m[0].slice(0, -1) : m[0];
    if (!y) {
      out.push({ start: m.index, end: m.index + full.length, text: full, day, month });
      continue;
    }
    out.push(
      y
        ? { start: m.index, end: m.index + m[0].length, text: m[0], day, month, year: fullYear(y, nowYear) }
        : { start: m.index, end: m.index + m[0].length, text: m[0], day, month },
    );
  }
  return out.sort((a, b) => a.start - b.start);
}
