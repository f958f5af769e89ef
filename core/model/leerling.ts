// The leerling: the only object that holds personal data (000: "Leerlinggegevens staan alleen in het leerling-tabblad").
import type { IsoDate } from './dates.js';
import type { LeerlingId } from './ids.js';

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
