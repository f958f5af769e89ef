// The time box of an overlegronde (003): an einddatum at most 14 days after
// the start; until then participants may react, after it they can only read.
import { MAX_OVERLEGRONDE_DAGEN, type Overlegronde } from '../model/overlegronde.js';
import { fail, ok, type Result } from '../result.js';

const DAY_MS = 24 * 60 * 60 * 1000;

const formatNl = (iso: string): string =>
  new Intl.DateTimeFormat('nl-NL', {
    timeZone: 'Europe/Amsterdam',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  }).format(new Date(iso));

function parseMoment(iso: string): number | undefined {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? undefined : t;
}

export type PeriodeError = 'overlegronde-datum-ongeldig' | 'overlegronde-einde-voor-start' | 'overlegronde-te-lang';

/** Checks a planned period: a valid start, an einddatum after it and at most 14 days later. */
export function checkOverlegrondePeriode(startdatum: string, einddatum: string): Result<void> {
  const s = parseMoment(startdatum);
  const e = parseMoment(einddatum);
  if (s === undefined || e === undefined)
    return fail<PeriodeError>('overlegronde-datum-ongeldig', 'De start- of einddatum van de overlegronde is geen geldige datum.');
  if (e <= s) return fail<PeriodeError>('overlegronde-einde-voor-start', 'De einddatum van de overlegronde moet na de start liggen.');
  if (e - s > MAX_OVERLEGRONDE_DAGEN * DAY_MS)
    return fail<PeriodeError>(
      'overlegronde-te-lang',
      `Een overlegronde duurt maximaal ${MAX_OVERLEGRONDE_DAGEN} dagen: kies een einddatum uiterlijk ${formatNl(new Date(s + MAX_OVERLEGRONDE_DAGEN * DAY_MS).toISOString())}.`,
    );
  return ok(undefined);
}

/** The latest allowed einddatum for a start moment. */
export const latestEinddatum = (startdatum: string): string =>
  new Date(Date.parse(startdatum) + MAX_OVERLEGRONDE_DAGEN * DAY_MS).toISOString();

type Ronde = Pick<Overlegronde, 'deelnemers' | 'aangemaaktDoor' | 'einddatum' | 'geslotenOp' | 'startdatum'>;

const isParticipant = (r: Ronde, userId: string): boolean => r.aangemaaktDoor === userId || r.deelnemers.some((d) => d === userId);

export type ReactError = 'geen-deelnemer' | 'overlegronde-verlopen' | 'overlegronde-gesloten' | 'overlegronde-nog-niet-gestart';

/** Reacting (posting or editing a message) is possible for participants until the einddatum. */
export function canReactInOverlegronde(r: Ronde, userId: string, now: Date): Result<void> {
  if (!isParticipant(r, userId))
    return fail<ReactError>('geen-deelnemer', 'U bent geen deelnemer van deze overlegronde en kunt er niet op reageren.');
  const t = now.getTime();
  if (r.geslotenOp !== undefined && (parseMoment(r.geslotenOp) ?? 0) <= t)
    return fail<ReactError>(
      'overlegronde-gesloten',
      `Deze overlegronde is gesloten op ${formatNl(r.geslotenOp)}. U kunt de berichten nog lezen, maar niet meer reageren.`,
    );
  const end = parseMoment(r.einddatum);
  if (end === undefined || t > end)
    return fail<ReactError>(
      'overlegronde-verlopen',
      `De einddatum van deze overlegronde (${end === undefined ? 'onbekend' : formatNl(r.einddatum)}) is verstreken. U kunt de berichten nog lezen, maar niet meer reageren.`,
    );
  const start = parseMoment(r.startdatum);
  if (start !== undefined && t < start)
    return fail<ReactError>('overlegronde-nog-niet-gestart', `Deze overlegronde begint op ${formatNl(r.startdatum)}.`);
  return ok(undefined);
}

/**
 * Seed 000: "Voorkom dat er te veel overlegrondes ontstaan per dossier." Decided for the SWV: from
 * this many running overlegronden in one dossier on, starting another shows advice to add to a
 * running one instead. Advice, not a refusal: the seed gives no hard limit.
 */
export const OVERLEGRONDEN_ADVIES_VANAF = 3;

/** The advice for a dossier with `lopend` running overlegronden, or null while there are fewer. */
export const overlegrondenAdvies = (lopend: number): string | null =>
  lopend < OVERLEGRONDEN_ADVIES_VANAF
    ? null
    : `Dit dossier heeft al ${lopend} lopende overlegronden. Voorkom te veel overlegronden per dossier: stel uw vraag liever in een lopende overlegronde, of wacht tot er een is afgelopen.`;
