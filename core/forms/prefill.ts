// Prefill from what is already known (002): the leerling tab, the school and
// schoolgegevens, the aanvrager's profile, the hulpvraag and the PrO advice.
// Never overwrites an answer already given.
import type { FormValue } from '../model/formulier.js';
import type { Hulpvraag, Schoolgegevens } from '../model/hulpvraag.js';
import type { Leerling } from '../model/leerling.js';
import type { Organisation } from '../model/organisation.js';
import type { UserProfile } from '../model/user.js';
import type { ProAdviesKind } from '../pro/advies.js';
import { assertNever } from '../result.js';
import { allFields, type FormDefinition, type FormField, type PrefillSource } from './form-definition.js';
import type { FormValues } from './validate.js';

export interface PrefillSources {
  readonly leerling?: Leerling;
  readonly school?: Pick<Organisation, 'naam' | 'brin'>;
  readonly schoolgegevens?: Pick<Schoolgegevens, 'leerjaar' | 'doublures' | 'contactpersoon' | 'email'>;
  readonly aanvrager?: Pick<UserProfile, 'voornaam' | 'achternaam' | 'functie'>;
  readonly hulpvraag?: Pick<Hulpvraag, 'titel' | 'datum'>;
  readonly pro?: { readonly advies?: ProAdviesKind; readonly dl?: number; readonly iq?: number; readonly toetsdatum?: string };
}

const GEZAG: Readonly<Record<NonNullable<Leerling['gezagssituatie']>, string>> = {
  'beide-ouders': 'Beide ouders',
  'een-ouder': 'Eén ouder',
  voogd: 'Voogd',
  anders: 'Anders',
};
const ADVIES: Readonly<Record<ProAdviesKind, string>> = {
  pro: 'PrO',
  lwoo: 'LWOO',
  grensvlak: 'Grensvlak PrO/LWOO',
  geen: 'Geen PrO of LWOO',
};

const fullName = (l: Pick<Leerling, 'voornaam' | 'tussenvoegsel' | 'achternaam' | 'roepnaam'>): string =>
  [l.voornaam, l.tussenvoegsel, l.achternaam].filter((x) => x !== undefined && x !== '').join(' ') +
  (l.roepnaam && l.roepnaam !== l.voornaam ? ` (${l.roepnaam})` : '');

function valueFor(source: PrefillSource, s: PrefillSources): FormValue | undefined {
  const l = s.leerling;
  switch (source) {
    case 'leerling.naam':
      return l ? fullName(l) : undefined;
    case 'leerling.geboortedatum':
      return l?.geboortedatum;
    case 'leerling.bsn':
      return l?.bsn;
    case 'leerling.adres': {
      const a = l?.adressen.at(-1);
      return a ? `${a.straat} ${a.huisnummer}, ${a.postcode} ${a.plaats}` : undefined;
    }
    case 'leerling.gezagssituatie':
      return l?.gezagssituatie ? GEZAG[l.gezagssituatie] : undefined;
    case 'leerling.ouders':
      return l && l.ouders.length > 0
        ? l.ouders
            .map(
              (o) =>
                `${o.relatie[0]?.toUpperCase() ?? ''}${o.relatie.slice(1)}: ${o.voornaam} ${o.achternaam}${o.telefoon ? `, ${o.telefoon}` : ''}${o.email ? `, ${o.email}` : ''}${o.heeftGezag ? ' (met gezag)' : ' (zonder gezag)'}`,
            )
            .join('\n')
        : undefined;
    case 'school.naam':
      return s.school?.naam;
    case 'school.brin':
      return s.school?.brin;
    case 'schoolgegevens.leerjaar':
      return s.schoolgegevens?.leerjaar;
    case 'schoolgegevens.doublures':
      return s.schoolgegevens?.doublures;
    case 'schoolgegevens.contactpersoon':
      return s.schoolgegevens?.contactpersoon;
    case 'schoolgegevens.email':
      return s.schoolgegevens?.email;
    case 'aanvrager.naam':
      return s.aanvrager ? `${s.aanvrager.voornaam} ${s.aanvrager.achternaam}` : undefined;
    case 'aanvrager.functie':
      return s.aanvrager?.functie;
    case 'hulpvraag.titel':
      return s.hulpvraag?.titel;
    case 'hulpvraag.datum':
      return s.hulpvraag?.datum;
    case 'pro.advies':
      return s.pro?.advies ? ADVIES[s.pro.advies] : undefined;
    case 'pro.iq':
      return s.pro?.iq;
    case 'pro.toetsdatum':
      return s.pro?.toetsdatum;
    case 'pro.dl':
      return s.pro?.dl;
    default:
      return assertNever(source, 'prefill-bron');
  }
}

export function prefillForm(def: FormDefinition, sources: PrefillSources, existing: FormValues = {}): FormValues {
  const out: Record<string, FormValue> = { ...existing };
  for (const f of allFields(def)) {
    if (!f.prefill) continue;
    const cur = out[f.key];
    if (cur !== undefined && cur !== null && cur !== '') continue;
    const v = valueFor(f.prefill, sources);
    if (v !== undefined && v !== '') out[f.key] = v;
  }
  return out;
}

/**
 * Fields that show the leerling tab's data (prefill `leerling.*`): typed once, on the leerling tab
 * (issue 21 "type once"). The form shows them read-only and the privacy check leaves them alone.
 */
export const isLeerlingVeld = (f: FormField): boolean => f.prefill?.startsWith('leerling.') ?? false;

/** What the leerling tab gives now for the form's leerling fields; a field the tab leaves empty is absent (and stays editable). */
export function leerlingWaarden(def: FormDefinition, leerling: Leerling): FormValues {
  const out: Record<string, FormValue> = {};
  for (const f of allFields(def)) {
    if (!f.prefill || !isLeerlingVeld(f)) continue;
    const v = valueFor(f.prefill, { leerling });
    if (v !== undefined && v !== '') out[f.key] = v;
  }
  return out;
}
