// What the toolbar popup shows without unlocking: the most recently changed hulpvragen and
// the newest meldingen, kept by the pages and the background in memory-only session storage.
// Only what the popup lists; the badge counts the meldingen here.
import type { HulpvraagRij } from './hulpvragen-lijst.js';
import type { Melding } from './meldingen.js';

export interface PopupOverzicht {
  readonly bijgewerkt: string;
  readonly hulpvragen: readonly Pick<
    HulpvraagRij,
    'hulpvraagId' | 'dossierId' | 'leerling' | 'titel' | 'status' | 'laatsteDatum' | 'ongelezen'
  >[];
  readonly meldingen: readonly Melding[];
}

const POPUP_HULPVRAGEN = 8;
const POPUP_MELDINGEN = 10;

/** The eight last changed hulpvragen and the ten newest meldingen (already newest first), at `nu` (ISO). */
export function popupOverzichtVan(rijen: readonly HulpvraagRij[], meldingen: readonly Melding[], nu: string): PopupOverzicht {
  return {
    bijgewerkt: nu,
    hulpvragen: [...rijen]
      .sort((a, b) => (a.laatsteDatum < b.laatsteDatum ? 1 : -1))
      .slice(0, POPUP_HULPVRAGEN)
      .map(({ hulpvraagId, dossierId, leerling, titel, status, laatsteDatum, ongelezen }) => ({
        hulpvraagId,
        dossierId,
        leerling,
        titel,
        status,
        laatsteDatum,
        ongelezen,
      })),
    meldingen: meldingen.slice(0, POPUP_MELDINGEN),
  };
}
