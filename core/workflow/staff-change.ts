// Staff change (002 "Wat te doen bij een personeelwijziging?"): one operation moves
// aanvrager, contactpersoon and e-mail of every open hulpvraag of a school to the successor,
// so status e-mails reach the right person. Closed hulpvragen keep their history.
import type { Hulpvraag } from '../model/hulpvraag.js';
import type { HulpvraagId, OrganisationId, UserId } from '../model/ids.js';
import { fail, ok, type Result } from '../result.js';

export interface StaffChange {
  readonly schoolId: OrganisationId;
  /** The leaving person: matched on aanvrager id, or on e-mail (case-insensitive) for older entries. */
  readonly van: { readonly userId: UserId; readonly email: string };
  readonly naar: { readonly userId: UserId; readonly contactpersoon: string; readonly email: string };
}

export interface StaffChangeOutcome {
  /** All input hulpvragen, the changed ones replaced. */
  readonly hulpvragen: readonly Hulpvraag[];
  readonly gewijzigd: readonly HulpvraagId[];
  /** Matching hulpvragen left alone because they reached an end status. */
  readonly gesloten: readonly HulpvraagId[];
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function reassignAanvrager(
  hulpvragen: readonly Hulpvraag[],
  change: StaffChange,
  isOpen: (h: Hulpvraag) => boolean,
): Result<StaffChangeOutcome> {
  if (change.van.userId === change.naar.userId) {
    return fail('zelfde-persoon', 'De vertrekkende en de nieuwe aanvrager zijn dezelfde persoon.');
  }
  const email = change.naar.email.trim();
  if (!EMAIL.test(email)) return fail('ongeldig-email', 'Het e-mailadres van de nieuwe aanvrager is ongeldig.');
  const contactpersoon = change.naar.contactpersoon.trim();
  if (contactpersoon === '') return fail('contactpersoon-verplicht', 'Vul de naam van de nieuwe contactpersoon in.');
  const oudEmail = change.van.email.trim().toLowerCase();
  const gewijzigd: HulpvraagId[] = [];
  const gesloten: HulpvraagId[] = [];
  const result = hulpvragen.map((h) => {
    const sg = h.schoolgegevens;
    const matches =
      sg.schoolId === change.schoolId &&
      (sg.aanvrager === change.van.userId || (oudEmail !== '' && sg.email.trim().toLowerCase() === oudEmail));
    if (!matches) return h;
    if (!isOpen(h)) {
      gesloten.push(h.id);
      return h;
    }
    gewijzigd.push(h.id);
    return { ...h, schoolgegevens: { ...sg, aanvrager: change.naar.userId, contactpersoon, email } };
  });
  return ok({ hulpvragen: result, gewijzigd, gesloten });
}
