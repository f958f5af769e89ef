// The leerling: the only object that holds personal data (000: "Leerlinggegevens staan alleen in het leerling-tabblad").
import type { IsoDate } from './dates.js';
import type { LeerlingId } from './ids.js';
import { isValidBsn } from '../privacy/bsn.js';
import { fail, ok, type KkError, type Result } from '../result.js';

export interface Adres {
  readonly straat: string;
  readonly huisnummer: string;
  readonly postcode: string;
  readonly plaats: string;
  /** From when this address applies (002: keep the address current when the leerling moves). */
  readonly vanaf?: IsoDate;
}

export type Gezagssituatie = 'beide-ouders' | 'een-ouder' | 'voogd' | 'anders';

export interface Ouder {
  readonly voornaam: string;
  readonly achternaam: string;
  readonly relatie: 'moeder' | 'vader' | 'verzorger' | 'voogd';
  readonly email?: string;
  readonly telefoon?: string;
  readonly heeftGezag: boolean;
}

export interface Leerling {
  readonly id: LeerlingId;
  readonly voornaam: string;
  readonly tussenvoegsel?: string;
  readonly achternaam: string;
  readonly roepnaam?: string;
  readonly geboortedatum: IsoDate;
  readonly bsn?: string;
  readonly geslacht?: 'm' | 'v' | 'x';
  /** Address history, newest last. */
  readonly adressen: readonly Adres[];
  readonly ouders: readonly Ouder[];
  readonly gezagssituatie?: Gezagssituatie;
}

/** Oldest leerling the tab accepts: VSO runs until 20, so an older geboortedatum is a typo (e.g. 1013). */
const MAX_LEEFTIJD_JAREN = 30;

export type LeerlingError = 'naam-ontbreekt' | 'geboortedatum-ongeldig' | 'bsn-ongeldig';

/**
 * The rule for leerling data, run by every path that writes it (createDossier, updateLeerling) and by the
 * Leerling tab before it saves: voornaam and achternaam filled in, a real calendar geboortedatum that is
 * not in the future nor more than 30 years ago, and a BSN (when given) that passes the 11-proef.
 * All problems in one Dutch message, so the user fixes them in one go; the code names the first.
 */
export function validateLeerling(
  l: Pick<Leerling, 'voornaam' | 'achternaam' | 'geboortedatum' | 'bsn'>,
  now: Date,
): Result<void, KkError<LeerlingError>> {
  const problems: [LeerlingError, string][] = [];
  if (!l.voornaam.trim() || !l.achternaam.trim()) problems.push(['naam-ontbreekt', 'Vul de voornaam en achternaam van de leerling in.']);
  const datum = /^(\d{4})-(\d{2})-(\d{2})$/.exec(l.geboortedatum);
  const t = datum ? Date.UTC(Number(datum[1]), Number(datum[2]) - 1, Number(datum[3])) : Number.NaN;
  // Date.UTC rolls 2013-02-30 over to March: only a date that reads back the same is a real one.
  const echt = !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === l.geboortedatum;
  const oudste = Date.UTC(now.getUTCFullYear() - MAX_LEEFTIJD_JAREN, now.getUTCMonth(), now.getUTCDate());
  if (!echt) problems.push(['geboortedatum-ongeldig', 'Vul een geldige geboortedatum van de leerling in.']);
  else if (t > now.getTime()) problems.push(['geboortedatum-ongeldig', 'De geboortedatum van de leerling ligt in de toekomst.']);
  else if (t < oudste)
    problems.push([
      'geboortedatum-ongeldig',
      `De geboortedatum van de leerling ligt meer dan ${MAX_LEEFTIJD_JAREN} jaar terug; controleer het jaartal.`,
    ]);
  const bsn = l.bsn?.trim() ?? '';
  if (bsn !== '' && !isValidBsn(bsn))
    problems.push(['bsn-ongeldig', 'Het BSN van de leerling is ongeldig: het moet 9 cijfers hebben en voldoen aan de elfproef.']);
  const first = problems[0];
  return first ? fail(first[0], problems.map(([, m]) => m).join(' '), { velden: problems.map(([code]) => code) }) : ok(undefined);
}
