// Who the "Nieuwe overlegronde" picker offers (issue 21): people who can take
// part in this hulpvraag's consultation, not the whole SWV. One rule, used by
// the tab and tested in Node.
import type { Role } from '../../model/role.js';
import type { HulpvraagId } from '../../model/ids.js';

/**
 * Roles that never take part in casework: the FG supervises independently and
 * the beheerder manages members and keys, not dossiers.
 */
const GEEN_DEELNEMER: readonly Role[] = ['privacy-officer'];
const ALLEEN_BEHEER: readonly Role[] = ['swv-beheerder'];

export interface DeelnemerKandidaat {
  readonly userId: string;
  readonly roles: readonly Role[];
}

export interface Lezer {
  readonly userId: string;
  readonly scopes: readonly string[];
}

/**
 * The people the starter may invite to an overlegronde on `hulpvraagId` [R132]: never the starter
 * herself, never an FG, never someone whose only role is beheerder, and an ouder only when the
 * access list gives them this hulpvraag (a linked ouder of this dossier); other members take part
 * through the invitation, which grants them the ronde and read on the hulpvraag.
 */
export function mogelijkeDeelnemers<P extends DeelnemerKandidaat>(
  personen: readonly P[],
  lezers: readonly Lezer[],
  hulpvraagId: HulpvraagId | string,
  meId: string,
): P[] {
  const scope = `hulpvraag:${hulpvraagId}`;
  const leestHulpvraag = new Set(lezers.filter((l) => l.scopes.includes(scope)).map((l) => l.userId));
  return personen.filter((p) => {
    if (p.userId === meId) return false;
    if (p.roles.some((r) => GEEN_DEELNEMER.includes(r))) return false;
    const werkrollen = p.roles.filter((r) => !ALLEEN_BEHEER.includes(r));
    if (werkrollen.length === 0) return false;
    const alleenOuder = werkrollen.length > 0 && werkrollen.every((r) => r === 'ouder');
    return !alleenOuder || leestHulpvraag.has(p.userId);
  });
}
