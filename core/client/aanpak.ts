// Aanpak (003: "IB/COO maakt een aanpak aan. Hiermee nodigt zij de
// regierolhouder uit om de hulpvraag op te pakken"): checking the input and the
// view of what the hulpvraag doc holds. The flow (access, notification) is the facade's.
import type { IsoDate } from '../model/dates.js';
import { asId, type UserId } from '../model/ids.js';
import { fail, ok, type Result } from '../result.js';
import type { AanpakEntry, AanpakInput } from './api.js';
import type { StoredAanpak } from './dossier-docs.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const validDate = (s: string): boolean => DATE.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`));

/** Omschrijving present and not huge, dates real, einddatum not before startdatum nor in the past. */
export function checkAanpakInput(input: AanpakInput, now: Date): Result<void> {
  if (input.omschrijving.trim() === '') return fail('omschrijving-ontbreekt', 'Vul de omschrijving van de aanpak in.');
  if (input.omschrijving.length > 10_000) return fail('omschrijving-te-lang', 'De omschrijving is te lang (hooguit 10.000 tekens).');
  if (!validDate(input.startdatum)) return fail('datum-ongeldig', 'Vul een geldige startdatum in.');
  const eind = input.einddatum ?? null;
  if (eind !== null) {
    if (!validDate(eind)) return fail('datum-ongeldig', 'Vul een geldige einddatum in, of laat die leeg.');
    if (eind < input.startdatum) return fail('datum-ongeldig', 'De einddatum ligt vóór de startdatum.');
    if (eind < now.toISOString().slice(0, 10)) return fail('datum-ongeldig', 'De einddatum ligt in het verleden.');
  }
  return ok(undefined);
}

/** End of the einddatum (UTC) as the behandelaar's access expiry; `null` = until removed. */
export const aanpakExpiry = (einddatum: IsoDate | null | undefined): number | null =>
  einddatum ? Date.parse(`${einddatum}T23:59:59.999Z`) : null;

export function aanpakViewOf(stored: readonly StoredAanpak[], nameOf: (u: UserId) => string): AanpakEntry[] {
  const seen = new Set<string>();
  return stored.flatMap((a) => {
    if (seen.has(a.id)) return [];
    seen.add(a.id);
    const behandelaar = asId<UserId>(a.behandelaar);
    return [
      {
        id: a.id,
        behandelaar,
        behandelaarNaam: nameOf(behandelaar),
        omschrijving: a.omschrijving,
        startdatum: a.startdatum,
        einddatum: a.einddatum,
        toegevoegdDoor: asId<UserId>(a.toegevoegdDoor),
        toegevoegdOp: a.toegevoegdOp,
      },
    ];
  });
}
