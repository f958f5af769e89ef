// The berekend advies for PrO/LWOO: DL, leerachterstand per domain and the
// advice (PrO, LWOO, grensvlak or geen) with the rule and numbers behind it,
// in Dutch, from the LVS data. Criteria are data (criteria.ts).
import { fail, ok, type Result } from '../result.js';
import { NATIONAL_PRO_CRITERIA, type ProCriteria } from './criteria.js';
import { addMonths, compareDates, dutchCalendarDate, formatDutchDate, parseIsoDate, type CalendarDate } from './calendar-date.js';
import { computeDidactischeLeeftijd, schoolMonthPosition, type DlSource } from './didactische-leeftijd.js';
import { PRO_DOMAINS, PRO_DOMAIN_LABELS, type ProDomain } from './domains.js';

export interface ProInput {
  /** Date of the didactic tests (JJJJ-MM-DD). */
  readonly toetsdatum: string;
  readonly dlBron: DlSource;
  readonly iq?: { readonly score: number; readonly testdatum: string };
  /** Sociaal-emotionele problematiek established by personality tests (art. 4 lid 1 sub d). */
  readonly sociaalEmotioneleProblematiek: boolean;
  /** DLE per domain in months; a domain not tested is left out. */
  readonly dle: Partial<Readonly<Record<ProDomain, number>>>;
  /**
   * A domain tested on another day than `toetsdatum` (JJJJ-MM-DD): its LA uses the DL
   * on that day ("DL op het moment van toetsing", art. 1), i.e. the DL shifted by the
   * school months between the two dates.
   */
  readonly toetsdatumPerDomein?: Partial<Readonly<Record<ProDomain, string>>>;
}

export const PRO_ADVIES_KINDS = ['pro', 'lwoo', 'grensvlak', 'geen'] as const;
export type ProAdviesKind = (typeof PRO_ADVIES_KINDS)[number];

export const PRO_ADVIES_LABELS: Readonly<Record<ProAdviesKind, string>> = {
  pro: 'Praktijkonderwijs (PrO)',
  lwoo: 'Leerwegondersteunend onderwijs (LWOO)',
  grensvlak: 'Grensvlak PrO/LWOO',
  geen: 'Geen PrO of LWOO',
};

export type LaBand = 'pro' | 'lwoo' | 'geen';

export interface DomainOutcome {
  readonly domain: ProDomain;
  readonly label: string;
  readonly dle: number;
  /** The (capped) DL this domain's LA was computed with. */
  readonly dl: number;
  readonly toetsdatum: string;
  /** 1 − DLE/DL with DL capped (unrounded). */
  readonly la: number;
  readonly band: LaBand;
  /** Dutch, with the arithmetic: "begrijpend lezen: LA = 1 − 18/40 = 0,55". */
  readonly uitleg: string;
}

export interface ProAdvies {
  readonly advies: ProAdviesKind;
  readonly label: string;
  readonly dl: number;
  readonly dlVoorLeerachterstand: number;
  readonly domeinen: readonly DomainOutcome[];
  /** The rule that produced the advice, with the numbers (Dutch). */
  readonly regel: string;
  /** Step by step: DL, each domain, IQ, each criterion (Dutch). */
  readonly uitleg: readonly string[];
  readonly waarschuwingen: readonly string[];
  readonly criteria: string;
}

export interface ProInputProblem {
  readonly veld: string;
  readonly melding: string;
}

export interface ProOptions {
  readonly now: Date;
  readonly criteria?: ProCriteria;
}

// LA values sit exactly on the band edges often (30/60 = 0,5); compare with a
// tolerance so floating point never moves a pupil across a legal boundary.
const EPS = 1e-9;

const nl2 = (x: number): string => x.toFixed(2).replace('.', ',');
const fmtNum = (x: number): string => (Number.isInteger(x) ? String(x) : x.toFixed(1).replace('.', ','));

function listNl(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} en ${items[items.length - 1] ?? ''}`;
}

interface LaRuleResult {
  readonly met: boolean;
  readonly domains: readonly DomainOutcome[];
  readonly keyCount: number;
}

function evaluateLaRule(
  outcomes: readonly DomainOutcome[],
  band: 'pro' | 'lwoo',
  rule: { readonly minDomains: number; readonly minKeyDomains: number; readonly keyDomains: readonly ProDomain[] },
): LaRuleResult {
  const domains = outcomes.filter((o) => o.band === band);
  const keyCount = domains.filter((o) => rule.keyDomains.includes(o.domain)).length;
  return { met: domains.length >= rule.minDomains && keyCount >= rule.minKeyDomains, domains, keyCount };
}

function iqBandText(bands: ProCriteria['pro']['iq']): string {
  return bands
    .map((b) => `${b.min} t/m ${b.max}${b.requiresSociaalEmotioneel ? ' (met sociaal-emotionele problematiek)' : ''}`)
    .join(' of ');
}

function iqMeets(bands: ProCriteria['pro']['iq'], iq: number | undefined, seo: boolean, noCriterionMeansMet: boolean): boolean {
  if (bands.length === 0) return noCriterionMeansMet;
  if (iq === undefined) return false;
  return bands.some((b) => iq >= b.min && iq <= b.max && (!b.requiresSociaalEmotioneel || seo));
}

function validate(
  input: ProInput,
  c: ProCriteria,
  today: CalendarDate,
): { problems: ProInputProblem[]; toets?: CalendarDate; iqDate?: CalendarDate } {
  const problems: ProInputProblem[] = [];
  const toets = parseIsoDate(input.toetsdatum);
  if (!toets) problems.push({ veld: 'toetsdatum', melding: `De toetsdatum ("${input.toetsdatum}") is geen geldige datum (JJJJ-MM-DD).` });
  else if (compareDates(toets, today) > 0)
    problems.push({ veld: 'toetsdatum', melding: `De toetsdatum (${formatDutchDate(toets)}) ligt in de toekomst.` });

  let iqDate: CalendarDate | undefined;
  if (input.iq) {
    const { score, testdatum } = input.iq;
    if (!Number.isFinite(score) || score < c.input.iqMin || score > c.input.iqMax)
      problems.push({
        veld: 'iq',
        melding: `Een IQ van ${score} is niet mogelijk; een IQ-score ligt tussen ${c.input.iqMin} en ${c.input.iqMax}.`,
      });
    iqDate = parseIsoDate(testdatum);
    if (!iqDate)
      problems.push({
        veld: 'iq.testdatum',
        melding: `De datum van het IQ-onderzoek ("${testdatum}") is geen geldige datum (JJJJ-MM-DD).`,
      });
    else if (compareDates(iqDate, today) > 0)
      problems.push({ veld: 'iq.testdatum', melding: `De datum van het IQ-onderzoek (${formatDutchDate(iqDate)}) ligt in de toekomst.` });
  }

  let filled = 0;
  for (const domain of PRO_DOMAINS) {
    const v = input.dle[domain];
    if (v === undefined) continue;
    filled += 1;
    if (!Number.isFinite(v) || v < 0)
      problems.push({
        veld: `dle.${domain}`,
        melding: `De DLE voor ${PRO_DOMAIN_LABELS[domain]} kan niet negatief zijn (ingevuld: ${v}).`,
      });
  }
  for (const domain of PRO_DOMAINS) {
    const own = input.toetsdatumPerDomein?.[domain];
    if (own === undefined) continue;
    const d = parseIsoDate(own);
    if (!d)
      problems.push({
        veld: `toetsdatum.${domain}`,
        melding: `De toetsdatum voor ${PRO_DOMAIN_LABELS[domain]} ("${own}") is geen geldige datum (JJJJ-MM-DD).`,
      });
    else if (compareDates(d, today) > 0)
      problems.push({
        veld: `toetsdatum.${domain}`,
        melding: `De toetsdatum voor ${PRO_DOMAIN_LABELS[domain]} (${formatDutchDate(d)}) ligt in de toekomst.`,
      });
  }
  const needed = Math.min(c.pro.minDomains, c.lwoo.minDomains);
  if (filled < needed)
    problems.push({
      veld: 'dle',
      melding: `Vul de DLE in voor ten minste ${needed} domeinen (begrijpend lezen, technisch lezen, spellen, inzichtelijk rekenen); nu ${filled}.`,
    });
  return toets && iqDate ? { problems, toets, iqDate } : toets ? { problems, toets } : { problems };
}

/**
 * Computes the berekend advies. Impossible input fails with code
 * `pro-invoer-ongeldig`, a Dutch message listing every problem, and
 * `details.problemen` (veld + melding) for the form.
 */
export function berekenProAdvies(input: ProInput, options: ProOptions): Result<ProAdvies> {
  const c = options.criteria ?? NATIONAL_PRO_CRITERIA;
  const today = dutchCalendarDate(options.now);
  const { problems, toets, iqDate } = validate(input, c, today);
  const invalid = (ps: readonly ProInputProblem[]) =>
    fail('pro-invoer-ongeldig', `De gegevens voor het berekend advies kloppen niet: ${ps.map((p) => p.melding).join(' ')}`, {
      problemen: ps,
    });
  if (!toets) return invalid(problems);

  const dlResult = computeDidactischeLeeftijd(input.dlBron, toets);
  if (!dlResult.ok) problems.push({ veld: 'dl', melding: dlResult.error.message });
  else if (dlResult.value.dl === 0)
    problems.push({
      veld: 'dl',
      melding:
        'De didactische leeftijd is 0: er is nog geen onderwijs vanaf groep 3 gevolgd, dus een leerachterstand is niet te berekenen.',
    });
  if (problems.length > 0 || !dlResult.ok) return invalid(problems);

  const dl = dlResult.value.dl;
  const dlCap = Math.min(dl, c.dl.capForLeerachterstand);
  const waarschuwingen: string[] = [];
  const uitleg: string[] = [dlResult.value.uitleg];
  if (dl > dlCap)
    uitleg.push(`Voor de leerachterstand wordt de DL begrensd op ${c.dl.capForLeerachterstand} (eind groep 8), dus DL = ${dlCap}.`);

  const outcomes: DomainOutcome[] = [];
  for (const domain of PRO_DOMAINS) {
    const dle = input.dle[domain];
    if (dle === undefined) {
      waarschuwingen.push(`Geen DLE voor ${PRO_DOMAIN_LABELS[domain]}: dit domein telt niet mee.`);
      continue;
    }
    const ownDate = input.toetsdatumPerDomein?.[domain];
    const own = ownDate !== undefined && ownDate !== input.toetsdatum ? parseIsoDate(ownDate) : undefined;
    const domainDl = own ? Math.round(dl + schoolMonthPosition(own) - schoolMonthPosition(toets)) : dl;
    if (domainDl <= 0) {
      problems.push({
        veld: `toetsdatum.${domain}`,
        melding: `De toets voor ${PRO_DOMAIN_LABELS[domain]} ligt vóór de start van groep 3 (DL ${domainDl}).`,
      });
      continue;
    }
    const cap = Math.min(domainDl, c.dl.capForLeerachterstand);
    if (dle > cap + c.input.maxDleAboveDl) {
      problems.push({
        veld: `dle.${domain}`,
        melding: `De DLE voor ${PRO_DOMAIN_LABELS[domain]} (${fmtNum(dle)}) ligt meer dan ${c.input.maxDleAboveDl} maanden boven de DL (${cap}); dat is vrijwel zeker een invoerfout.`,
      });
      continue;
    }
    const la = 1 - dle / cap;
    const band: LaBand = la >= c.pro.minLa - EPS ? 'pro' : la >= c.lwoo.minLa - EPS && la < c.lwoo.maxLaExclusive - EPS ? 'lwoo' : 'geen';
    const bandText =
      band === 'pro'
        ? `≥ ${nl2(c.pro.minLa)} (PrO-niveau)`
        : band === 'lwoo'
          ? `${nl2(c.lwoo.minLa)} tot ${nl2(c.lwoo.maxLaExclusive)} (LWOO-niveau)`
          : 'geen PrO- of LWOO-niveau';
    outcomes.push({
      domain,
      label: PRO_DOMAIN_LABELS[domain],
      dle,
      dl: cap,
      toetsdatum: own ? (ownDate ?? input.toetsdatum) : input.toetsdatum,
      la,
      band,
      uitleg: `${PRO_DOMAIN_LABELS[domain]}${own ? ` (toets van ${formatDutchDate(own)}, DL ${domainDl}${domainDl > cap ? `, begrensd op ${cap}` : ''})` : ''}: LA = 1 − ${fmtNum(dle)}/${cap} = ${nl2(la)}, ${bandText}.`,
    });
  }
  if (problems.length > 0) return invalid(problems);
  uitleg.push(...outcomes.map((o) => o.uitleg));

  const iq = input.iq?.score;
  const seo = input.sociaalEmotioneleProblematiek;
  if (input.iq && iqDate) {
    const limit = addMonths(iqDate, c.input.iqMaxAgeMonths);
    if (compareDates(limit, today) < 0)
      waarschuwingen.push(
        `Het IQ-onderzoek (${formatDutchDate(iqDate)}) is ouder dan ${c.input.iqMaxAgeMonths / 12 === 2 ? 'twee jaar' : `${c.input.iqMaxAgeMonths} maanden`}; een recent onderzoek is nodig voor de aanvraag.`,
      );
    uitleg.push(`IQ = ${iq ?? '?'} (onderzoek van ${formatDutchDate(iqDate)})${seo ? ', met sociaal-emotionele problematiek' : ''}.`);
  } else {
    waarschuwingen.push('Geen IQ ingevuld: aan het IQ-criterium voor PrO kan niet worden getoetst.');
  }

  const proIq = iqMeets(c.pro.iq, iq, seo, true);
  const lwooIq = iqMeets(c.lwoo.iq, iq, seo, true);
  const proLa = evaluateLaRule(outcomes, 'pro', c.pro);
  const lwooLa = evaluateLaRule(outcomes, 'lwoo', c.lwoo);
  const keyNames = (keys: readonly ProDomain[]) => listNl(keys.map((k) => PRO_DOMAIN_LABELS[k]));
  const laSummary = (r: LaRuleResult) =>
    r.domains.length === 0
      ? 'op geen enkel domein'
      : `op ${r.domains.length} ${r.domains.length === 1 ? 'domein' : 'domeinen'} (${r.domains.map((d) => `${d.label} ${nl2(d.la)}`).join('; ')})`;
  const iqText = iq === undefined ? 'IQ onbekend' : `IQ ${iq}`;
  const proIqText =
    c.pro.iq.length === 0 ? 'PrO: geen IQ-criterium' : `${iqText} ${proIq ? 'ligt' : 'ligt niet'} binnen ${iqBandText(c.pro.iq)} (PrO)`;
  const lwooIqText =
    c.lwoo.iq.length === 0
      ? 'LWOO: geen IQ-criterium bij dit samenwerkingsverband'
      : `${iqText} ${lwooIq ? 'ligt' : 'ligt niet'} binnen ${iqBandText(c.lwoo.iq)} (LWOO)`;
  const proLaText = `leerachterstand ≥ ${nl2(c.pro.minLa)} ${laSummary(proLa)}; nodig: ten minste ${c.pro.minDomains} domeinen, waarvan ${c.pro.minKeyDomains} ${keyNames(c.pro.keyDomains)} — ${proLa.met ? 'voldaan' : 'niet voldaan'} (PrO)`;
  const lwooLaText = `leerachterstand ${nl2(c.lwoo.minLa)} tot ${nl2(c.lwoo.maxLaExclusive)} ${laSummary(lwooLa)}; nodig: ten minste ${c.lwoo.minDomains} domeinen, waarvan ${c.lwoo.minKeyDomains} ${keyNames(c.lwoo.keyDomains)} — ${lwooLa.met ? 'voldaan' : 'niet voldaan'} (LWOO)`;
  uitleg.push(
    `${proIqText}.`,
    `${lwooIqText}.`,
    `${proLaText[0]?.toUpperCase() ?? ''}${proLaText.slice(1)}.`,
    `${lwooLaText[0]?.toUpperCase() ?? ''}${lwooLaText.slice(1)}.`,
  );

  const proFull = proIq && proLa.met;
  const lwooFull = lwooIq && lwooLa.met;
  const cross = (proIq && lwooLa.met) || (proLa.met && lwooIq);
  let advies: ProAdviesKind;
  let regel: string;
  const src = `(${c.source})`;
  if (proFull && (!c.grensvlak || !lwooIq)) {
    advies = 'pro';
    regel = `PrO: ${proIqText} en ${proLaText} ${src}.`;
  } else if (lwooFull && (!c.grensvlak || !proIq)) {
    advies = 'lwoo';
    regel = `LWOO: ${lwooIqText} en ${lwooLaText} ${src}.`;
  } else if (c.grensvlak && cross) {
    advies = 'grensvlak';
    const how = proIq && lwooLa.met ? `${proIqText}, en ${lwooLaText}` : `${proLaText}, en ${lwooIqText}`;
    regel = `Grensvlak PrO/LWOO: de leerling voldoet voor een deel aan de PrO-criteria en voor de rest aan de LWOO-criteria: ${how}. Het samenwerkingsverband beslist op grond van de motivering van de school ${src}, art. 4 lid 5.`;
  } else {
    advies = 'geen';
    regel = `Geen PrO of LWOO: ${proIqText}; ${proLaText}; ${lwooIqText}; ${lwooLaText} ${src}.`;
    const atLeastLwoo = outcomes.filter((o) => o.band !== 'geen');
    if (!proLa.met && !lwooLa.met && atLeastLwoo.length >= c.lwoo.minDomains && proLa.domains.length > 0 && lwooLa.domains.length > 0)
      waarschuwingen.push(
        `Op ${atLeastLwoo.length} domeinen is de leerachterstand ten minste ${nl2(c.lwoo.minLa)}, maar verdeeld over de PrO- en de LWOO-band; naar de letter van de criteria telt dat voor geen van beide. Het samenwerkingsverband beoordeelt dit.`,
      );
  }
  return ok({
    advies,
    label: PRO_ADVIES_LABELS[advies],
    dl,
    dlVoorLeerachterstand: dlCap,
    domeinen: outcomes,
    regel,
    uitleg,
    waarschuwingen,
    criteria: c.name,
  });
}
