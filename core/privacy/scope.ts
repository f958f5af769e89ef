// Which dossier scopes get the privacy check: every part that others read,
// so not the leerling tab, the only place for personal data (000:
// "Leerlinggegevens staan alleen in het leerling-tabblad"), and not one's own
// notities, which only their author can read (DESIGN, scopes): nothing there is
// shared. Every client write of free text asks this table through DossierSession.checkFreeText
// (core/client/dossier-session.ts); forms check their free-text fields (core/forms).
import type { ScopeKind } from '../model/grant.js';
import { assertNever } from '../result.js';

export function scopeNeedsPrivacyCheck(kind: ScopeKind): boolean {
  switch (kind) {
    case 'leerling':
    case 'notities':
      return false;
    case 'hulpvraag':
    case 'formulieren':
    case 'lvs':
    case 'overlegronde':
    case 'toegang':
      return true;
    default:
      return assertNever(kind, 'scope');
  }
}
