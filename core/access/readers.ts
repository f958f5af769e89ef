// The privacy view's "who can read what": from the key boxes of each scope's
// current epoch, exactly which certified people hold the key, with which right
// and until when — and who holds a key they are no longer entitled to.
import type { OrganisationId, UserId } from '../model/ids.js';
import { currentEpoch, effectiveRight, entitledHolders, grantActive, subjectOfCertificate, type DossierAccess } from './dossier-access.js';
import { principalMatches, type Right } from './principal.js';
import { scopeKind, scopeTarget, type Scope } from './rooms.js';

export interface ScopeReader {
  readonly user: UserId;
  readonly organisation: OrganisationId;
  readonly agreementKey: string;
  readonly right: Right | null;
  /** When the last grant that lets them read ends; null = until revoked; the certificate's end caps it. */
  readonly until: Date | null;
  /** Holds the key but is no longer entitled: a rotation is due. */
  readonly stale: boolean;
}

export interface ScopeReaders {
  readonly scope: Scope;
  readonly epoch: number;
  readonly readers: readonly ScopeReader[];
}

export function listReaders(access: DossierAccess, now: Date): ScopeReaders[] {
  const at = now.getTime();
  const out: ScopeReaders[] = [];
  for (const [scope, info] of access.scopes) {
    const cur = currentEpoch(info);
    if (cur === undefined) continue;
    const readers: ScopeReader[] = [];
    const entitled = entitledHolders(access, scope, at);
    for (const hex of cur.holders) {
      const cert = access.recipients.get(hex);
      if (cert === undefined) continue;
      const subject = subjectOfCertificate(cert);
      // A superseded certificate (re-keyed user), an expired one or an ended grant: holds the key without right.
      const right = entitled.includes(hex) ? effectiveRight(access, subject, scope, at) : null;
      // Expiry: the latest end among the active grants that give this person access here.
      const notities = scopeKind(scope) === 'notities' ? scopeTarget(scope) : undefined;
      const relevant = access.grants.filter(
        (g) =>
          grantActive(g, at) &&
          principalMatches(g.principal, subject, access.swv) &&
          (g.scope === scope || (notities === undefined && g.scope === 'toegang' && g.right === 'admin') || scope === 'toegang'),
      );
      let until: number | null =
        relevant.length === 0 ? at : relevant.some((g) => g.expiresAt === null) ? null : Math.max(...relevant.map((g) => g.expiresAt ?? 0));
      if (until === null || until > cert.body.validUntil) until = cert.body.validUntil;
      readers.push({
        user: cert.body.user,
        organisation: cert.body.organisation,
        agreementKey: hex,
        right,
        until: right === null ? null : new Date(until),
        stale: right === null,
      });
    }
    out.push({ scope, epoch: cur.epoch, readers: readers.sort((a, b) => a.user.localeCompare(b.user)) });
  }
  return out.sort((a, b) => a.scope.localeCompare(b.scope));
}
