// What an afgegeven toelaatbaarheidsverklaring records (WPO 18a, WEC 40; DOMAIN_NOTES §2).
import type { IsoDate } from './dates.js';
import type { UserId } from './ids.js';

export const DESKUNDIGE_FUNCTIES = {
  orthopedagoog: 'Orthopedagoog',
  psycholoog: 'Psycholoog',
  arts: 'Arts',
  kinderpsychiater: 'Kinderpsychiater',
  'maatschappelijk-werker': 'Maatschappelijk werker',
  anders: 'Andere deskundige',
} as const;
export type DeskundigeFunctie = keyof typeof DESKUNDIGE_FUNCTIES;

/** A deskundige whose advice the TLV rests on: staff, not the leerling, so a name is allowed here. */
export interface Deskundige {
  readonly naam: string;
  readonly functie: DeskundigeFunctie;
  readonly userId?: UserId;
}

export interface TlvAfgifte {
  /** Per SWV, assigned monotonically (WPO 18a lid 14). */
  readonly volgnummer: number;
  /** Code of a category configured by the SWV (e.g. `laag`, `midden`, `hoog`). */
  readonly categorie: string;
  readonly startdatum: IsoDate;
  /** Always the last day of a school year (31 July). */
  readonly einddatum: IsoDate;
  /** Exactly two; the first typically an orthopedagoog or psycholoog. */
  readonly deskundigen: readonly [Deskundige, Deskundige];
  /**
   * The nonce of the register claim that gave `volgnummer` to this hulpvraag (hex) [P71]: with the
   * hulpvraag id it hashes to the commitment the relay stores, so members can check the number.
   */
  readonly bewijs?: string;
}
