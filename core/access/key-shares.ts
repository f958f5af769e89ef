// Role and organisation grants name people the granter may not have known: a
// new IB of the owning school, a new loket employee. This finds, in the
// client's directory, who is entitled to a scope but holds no key box for its
// current epoch, so the next admin client can share the keys (a `grant` record
// with only recipients; buildAccessRecord adds the boxes).
import type { UserCertificate } from './certificate.js';
import { currentEpoch, effectiveRight, keyHex, subjectOfCertificate, type DossierAccess } from './dossier-access.js';
import { atLeast } from './principal.js';

export function pendingKeyShares(access: DossierAccess, directory: readonly UserCertificate[], now: Date): UserCertificate[] {
  const at = now.getTime();
  const out = new Map<string, UserCertificate>();
  for (const cert of directory) {
    if (cert.body.swv !== access.swv || cert.body.validFrom > at || at >= cert.body.validUntil) continue;
    const hex = keyHex(cert.body.agreementKey);
    const subject = subjectOfCertificate(cert);
    for (const [scope, info] of access.scopes) {
      const cur = currentEpoch(info);
      if (cur === undefined || cur.holders.includes(hex)) continue;
      // Notities are shared by their owner only; an admin cannot (R16).
      if (scope.startsWith('notities:')) continue;
      if (atLeast(effectiveRight(access, subject, scope, at), 'read')) {
        out.set(hex, cert);
        break;
      }
    }
  }
  return [...out.values()];
}
