// Builds the detector's view of the leerling from the leerling tab (core/model).
import type { Leerling } from '../model/leerling.js';
import type { PrivacyLeerling } from './detector.js';

export function privacyLeerlingFrom(
  l: Pick<Leerling, 'voornaam' | 'roepnaam' | 'tussenvoegsel' | 'achternaam' | 'geboortedatum' | 'ouders'> & {
    readonly bsn?: string | undefined;
  },
): PrivacyLeerling {
  return {
    voornaam: l.voornaam,
    achternaam: l.achternaam,
    geboortedatum: l.geboortedatum,
    ...(l.roepnaam ? { roepnaam: l.roepnaam } : {}),
    ...(l.tussenvoegsel ? { tussenvoegsel: l.tussenvoegsel } : {}),
    ...(l.bsn ? { bsn: l.bsn } : {}),
    ouders: l.ouders.map((o) => ({ voornaam: o.voornaam, achternaam: o.achternaam, relatie: o.relatie })),
  };
}
