// The privacy check for every text field outside the leerling tab (DESIGN §8):
// finds the leerling's and ouders' names, BSN, dates of birth, postcodes,
// telephone numbers, e-mail addresses and street addresses, each with its
// position, a Dutch explanation and a one-click fix. Linear in the text length.
import { findAdres, findBsn, findDates, findEmail, findPostcode, findTelefoon, type DateMatch, type RawMatch } from './patterns.js';
import { NameMatcher, type PersonName } from './name-matcher.js';
import { tokenize } from './normalize.js';

export const PII_KINDS = ['leerling-naam', 'ouder-naam', 'bsn', 'geboortedatum', 'postcode', 'telefoon', 'email', 'adres'] as const;
export type PiiKind = (typeof PII_KINDS)[number];

export const PII_KIND_LABELS: Readonly<Record<PiiKind, string>> = {
  'leerling-naam': 'naam van de leerling',
  'ouder-naam': 'naam van een ouder',
  bsn: 'burgerservicenummer',
  geboortedatum: 'geboortedatum',
  postcode: 'postcode',
  telefoon: 'telefoonnummer',
  email: 'e-mailadres',
  adres: 'adres',
};

export interface PiiFinding {
  readonly kind: PiiKind;
  readonly start: number;
  readonly end: number;
  /** The text found (stays in memory; never logged or sent). */
  readonly match: string;
  /** Why this was flagged (Dutch). */
  readonly uitleg: string;
  /** What to do instead (Dutch). */
  readonly suggestie: string;
  /** Text for the one-click fix. */
  readonly vervanging: string;
}

/** What the detector needs from the leerling tab; a narrow view of core/model Leerling. */
export interface PrivacyLeerling {
  readonly voornaam: string;
  readonly roepnaam?: string;
  readonly tussenvoegsel?: string;
  readonly achternaam: string;
  /** JJJJ-MM-DD */
  readonly geboortedatum?: string;
  readonly ouders?: readonly { readonly voornaam: string; readonly achternaam: string; readonly relatie?: string }[];
  /** The BSN entered on the leerling tab, if any: only then does a fix point there for it. */
  readonly bsn?: string;
}

export interface DetectorOptions {
  /** For judging whether a year can be a pupil's birth year; defaults to the current date. */
  readonly now?: Date;
}

export interface PiiDetector {
  scan(text: string): PiiFinding[];
}

const BIRTH_WORDS = /geb\.|\bgeb\b|geboren|geboorte|verjaardag|jarig|\bgeb\.?datum/iu;
// Words that say a date is an event, not a birth: "MDO op 12-03-2019", "sinds 3 september 2020".
const EVENT_WORDS =
  /gesprek|overleg|vergader|bespr|\bmdo\b|afspraak|sinds|vanaf|\bper\b|\btot\b|t\/m|toets|onderzo|getest|verslag|rapport|\bd\.d\.|ingeschreven|aangemeld|uitgeschreven|gestart|\bstart|begonnen|schors|verzuim|\bziek|huisbezoek|observ|evaluat|\bopp\b|\bplan\b|\bbrief|e-?mail|telefonisch|gesproken|bezoek|\bdatum van|afgenomen|\bafgegeven|geldig|ingediend|aanvraag|besluit|herbeoordel|verhuisd|intake|melding|\bna\b|\bvoor\b|uiterlijk|deadline|\bom\b|\buur\b|overleden|scheiding|\bsinds|traject|\bweek\b|didactisch|\bdle?\b|toetsdatum|testdatum|cito|\biq\b|wisc|maanden/iu;

function sentenceWindow(text: string, start: number, end: number): { before: string; after: string } {
  const from = Math.max(0, start - 60);
  let before = text.slice(from, start);
  const cut = Math.max(before.search(/[.!?]\s+(?=\p{Lu})[^.!?]*$/u), before.lastIndexOf('\n'));
  if (cut >= 0) before = before.slice(cut + 1);
  let after = text.slice(end, end + 35);
  const stop = after.search(/[.!?](?:\s|$)|\n/u);
  if (stop >= 0) after = after.slice(0, stop);
  return { before, after };
}

export function createPiiDetector(leerling: PrivacyLeerling, options: DetectorOptions = {}): PiiDetector {
  const people: PersonName[] = [
    {
      role: 'leerling',
      voornamen: [leerling.voornaam, ...(leerling.roepnaam ? [leerling.roepnaam] : [])],
      achternaam: leerling.achternaam,
      ...(leerling.tussenvoegsel ? { tussenvoegsel: leerling.tussenvoegsel } : {}),
    },
    ...(leerling.ouders ?? []).map((o): PersonName => ({
      role: 'ouder',
      voornamen: [o.voornaam],
      achternaam: o.achternaam,
      relatie: o.relatie ?? 'ouder',
    })),
  ];
  const names = new NameMatcher(people);
  const birth = leerling.geboortedatum ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(leerling.geboortedatum) : null;
  const birthY = birth ? Number(birth[1]) : undefined;
  const birthM = birth ? Number(birth[2]) : undefined;
  const birthD = birth ? Number(birth[3]) : undefined;

  const judgeDate = (text: string, d: DateMatch, nowYear: number): string | undefined => {
    if (birthD === d.day && birthM === d.month && d.year === birthY) return 'Dit is de geboortedatum van de leerling.';
    const { before, after } = sentenceWindow(text, d.start, d.end);
    if (BIRTH_WORDS.test(before) || BIRTH_WORDS.test(after)) return 'Deze datum staat bij een woord als "geboren" of "geboortedatum".';
    // "Middelharnis, 5 oktober 2022" opening a line is the date of a letter or report.
    const dateline =
      /^\s*\p{Lu}[\p{L}' -]*,\s*$/u.test(before) && (d.start - before.length === 0 || text[d.start - before.length - 1] === '\n');
    const event = dateline || EVENT_WORDS.test(before) || EVENT_WORDS.test(after);
    // "Op 12 maart" alone is only the leerling's birthday if nothing says it is a meeting or another event.
    if (d.year === undefined)
      return birthD === d.day && birthM === d.month && !event
        ? 'Dit is de verjaardag van de leerling (dag en maand van de geboortedatum).'
        : undefined;
    if (event) return undefined;
    // No context: a year in which a pupil of this SWV can be born (2 to 25 years ago) is treated as a possible birth date.
    if (d.year >= nowYear - 25 && d.year <= nowYear - 2)
      return `Deze datum kan een geboortedatum zijn (het jaar ${d.year} past bij een leerling). Staat er bij wat er op die datum gebeurde (bijvoorbeeld "overleg op …"), dan wordt hij niet gemeld.`;
    return undefined;
  };

  return {
    scan(text: string): PiiFinding[] {
      const nowYear = (options.now ?? new Date()).getUTCFullYear();
      const findings: PiiFinding[] = [];
      const push = (kind: PiiKind, m: RawMatch, uitleg: string, suggestie: string, vervanging: string) =>
        findings.push({ kind, start: m.start, end: m.end, match: text.slice(m.start, m.end), uitleg, suggestie, vervanging });

      const tokens = tokenize(text);
      for (const n of names.find(text, tokens)) {
        const person = people[n.person];
        if (!person) continue;
        // "moeder Ayşe" / "leerling Daan": take the word in front along, so the fix does not read "moeder moeder".
        const lead = /(?:(?:de\s+)?leerling|moeder|vader|ouder|verzorger|voogd|mevrouw|meneer|mevr\.|dhr\.)\s+$/iu.exec(
          text.slice(Math.max(0, n.start - 20), n.start),
        );
        const start = lead ? n.start - lead[0].length : n.start;
        const m = { start, end: n.end, text: text.slice(start, n.end) };
        const how = n.parts.has('initialen') ? ' (initialen)' : n.possessive ? ' (bezittelijke vorm)' : '';
        if (person.role === 'leerling')
          push(
            'leerling-naam',
            m,
            `Dit is de naam van de leerling${how}. Namen en andere persoonsgegevens horen alleen in het leerling-tabblad.`,
            'Schrijf "de leerling" in plaats van de naam.',
            n.possessive ? 'de leerling zijn/haar' : 'de leerling',
          );
        else
          push(
            'ouder-naam',
            m,
            `Dit is de naam van een ouder of verzorger van de leerling (${person.relatie ?? 'ouder'})${how}. Namen horen alleen in het leerling-tabblad.`,
            `Schrijf "${person.relatie ?? 'ouder'}" in plaats van de naam.`,
            person.relatie ?? 'ouder',
          );
      }
      const bekendBsn = (leerling.bsn ?? '').replace(/\D/g, '');
      for (const m of findBsn(text)) {
        // Point to the leerling tab only when the same number is there; otherwise the fix would send people to look for nothing.
        const daar = bekendBsn !== '' && m.text.replace(/\D/g, '') === bekendBsn;
        push(
          'bsn',
          m,
          'Dit is een geldig burgerservicenummer (het voldoet aan de 11-proef).',
          daar
            ? 'Verwijder het BSN; het staat al in het leerling-tabblad.'
            : 'Verwijder het BSN uit deze tekst; vul het zo nodig in op het leerling-tabblad.',
          daar ? '[BSN: zie leerling-tabblad]' : '[BSN verwijderd]',
        );
      }
      for (const d of findDates(text, nowYear)) {
        const why = judgeDate(text, d, nowYear);
        if (why)
          push(
            'geboortedatum',
            d,
            why,
            'Verwijder de geboortedatum; noem zo nodig de leeftijd of groep. Is het de datum van een gebeurtenis, zet er dan bij wat er gebeurde.',
            '[geboortedatum: zie leerling-tabblad]',
          );
      }
      for (const m of findPostcode(text))
        push(
          'postcode',
          m,
          'Dit is een postcode: een deel van het adres.',
          'Verwijder de postcode; het adres staat in het leerling-tabblad.',
          '[postcode]',
        );
      for (const m of findTelefoon(text))
        push(
          'telefoon',
          m,
          'Dit is een telefoonnummer.',
          'Verwijder het telefoonnummer; contactgegevens staan in het leerling-tabblad of in het profiel.',
          '[telefoonnummer]',
        );
      for (const m of findEmail(text))
        push(
          'email',
          m,
          'Dit is een e-mailadres.',
          'Verwijder het e-mailadres; contactgegevens staan in het leerling-tabblad of in het profiel.',
          '[e-mailadres]',
        );
      for (const m of findAdres(text))
        push(
          'adres',
          m,
          'Dit is een straat met huisnummer: een adres.',
          'Verwijder het adres; het staat in het leerling-tabblad.',
          '[adres]',
        );
      return resolveOverlaps(findings);
    },
  };
}

const PRIORITY: Readonly<Record<PiiKind, number>> = {
  bsn: 0,
  email: 1,
  telefoon: 2,
  geboortedatum: 3,
  postcode: 4,
  adres: 5,
  'leerling-naam': 6,
  'ouder-naam': 7,
};

/** Sorted by position; where two findings overlap the longer (then the more specific) one wins. */
function resolveOverlaps(findings: PiiFinding[]): PiiFinding[] {
  const ranked = [...findings].sort((a, b) => b.end - b.start - (a.end - a.start) || PRIORITY[a.kind] - PRIORITY[b.kind]);
  const kept: PiiFinding[] = [];
  for (const f of ranked) if (!kept.some((k) => f.start < k.end && k.start < f.end)) kept.push(f);
  return kept.sort((a, b) => a.start - b.start);
}

/** One-click fix: the text with this finding replaced by its vervanging. */
export function applyPiiFix(text: string, finding: PiiFinding): string {
  if (text.slice(finding.start, finding.end) !== finding.match)
    throw new Error('De tekst is veranderd sinds de controle; controleer opnieuw.');
  const before = text.slice(0, finding.start);
  // "Daan komt te laat" becomes "De leerling komt te laat": a replacement that opens a sentence keeps its capital.
  const opensSentence = /(?:^|[.!?]\s+|\n\s*)$/u.test(before);
  const vervanging = opensSentence
    ? finding.vervanging.charAt(0).toLocaleUpperCase('nl') + finding.vervanging.slice(1)
    : finding.vervanging;
  return before + vervanging + text.slice(finding.end);
}

/** Convenience for a single check; build a detector once with createPiiDetector when checking on every keystroke. */
export function scanForPii(text: string, leerling: PrivacyLeerling, options: DetectorOptions = {}): PiiFinding[] {
  return createPiiDetector(leerling, options).scan(text);
}
