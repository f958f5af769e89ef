// LVS tab data: test results used by the PrO/LWOO calculator (core/pro) and BAG.
import type { IsoDate } from './dates.js';
import type { HulpvraagId } from './ids.js';

export const LVS_DOMEINEN = {
  'begrijpend-lezen': 'Begrijpend lezen',
  'technisch-lezen': 'Technisch lezen',
  spellen: 'Spellen',
  'inzichtelijk-rekenen': 'Inzichtelijk rekenen',
} as const;
export type LvsDomein = keyof typeof LVS_DOMEINEN;

export interface IqGegevens {
  readonly testdatum: IsoDate;
  readonly totaal: number;
  /** Free text for interval IQ, verbal/performal difference (002). */
  readonly toelichting?: string;
}

export interface Toetsscore {
  readonly domein: LvsDomein;
  readonly toetsdatum: IsoDate;
  /** Didactische leeftijdsequivalent in months. */
  readonly dle: number;
}

export interface LvsGegevens {
  readonly hulpvraagId: HulpvraagId;
  readonly iq?: IqGegevens;
  readonly toetsscores: readonly Toetsscore[];
  /** Start of groep 3, from which the didactische leeftijd counts. */
  readonly startGroep3?: IsoDate;
  readonly doublures?: number;
  /** DL given directly instead of from groep 3 and doublures. */
  readonly didactischeLeeftijd?: number;
  readonly sociaalEmotioneleProblematiek?: boolean;
}
