// Which dossier scopes get the privacy check: every one except the leerling
// tab, the only place for personal data (000: "Leerlinggegevens staan alleen in
// het leerling-tabblad"). Forms check their free-text fields (core/forms).
import type { ScopeKind } from '../model/grant.js';
import { assertNever } from '../result.js';

export function scopeNeedsPrivacyCheck(kind: ScopeKind): boolean {
  switch (kind) {
    case 'leerling':
      return false;
    case 'hulpvraag':
    case 'formulieren':
    case 'lvs':
    case 'overlegronde':
    case 'notities':
    case 'toegang':
      return true;
    default:
      return assertNever(kind, 'scope');
  }
}
