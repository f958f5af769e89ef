// The folded state of a dossier's access list and the pure questions asked of
// it: who has which right on which scope at a given time, who is entitled to a
// scope's key, who holds the current key. The relay and every client compute
// the same state from the same records.
import type { CryptoProvider } from '../crypto/provider.js';
import type { DossierId, OrganisationId, SwvId, UserId, DeviceId } from '../model/ids.js';
import { toHex } from '../crypto/bytes.js';
import { deviceOfCertificate, type UserCertificate } from './certificate.js';
import { revocationKey } from './device-chain.js';
import type { AclRecordType } from './acl-record.js';
import type { KeyBox, SealedPreviousKey } from './key-box.js';
import { atLeast, maxRight, principalMatches, type Principal, type PrincipalSubject, type Right } from './principal.js';
import { scopeKind, scopeTarget, type Scope } from './rooms.js';
import { SIGNING_CONTEXT, hashBody } from './signing.js';

export interface GrantEntry {
  readonly principal: Principal;
  readonly scope: Scope;
  readonly right: Right;
  readonly expiresAt: number | null;
  readonly grantedAt: number;
  readonly grantedBy: UserId;
}

export interface EpochInfo {
  readonly epoch: number;
  readonly startedAt: number;
  /** Agreement keys (hex) that received this epoch's key, sorted. */
  readonly holders: readonly string[];
  readonly boxes: readonly KeyBox[];
  readonly previous: SealedPreviousKey | null;
  readonly members: Uint8Array;
  /** User ids who could author content in the scope at some accepted access record of this epoch (core/access/record-author). */
  readonly writers?: readonly string[];
}

export interface ScopeInfo {
  readonly scope: Scope;
  /** Oldest first; the last is the current epoch. */
  readonly epochs: readonly EpochInfo[];
}

export interface RecordSummary {
  readonly hash: Uint8Array;
  readonly type: AclRecordType;
  readonly at: number;
  readonly signerUser: UserId;
  readonly signerDevice: DeviceId;
  /** `user-end`: the person the SWV ended. */
  readonly subject?: UserId;
  /** `bewaartermijn` / `bewaarplicht`: the day it fixes [R80, R81]. */
  readonly bewaarTot?: string | null;
}

export interface DossierAccess {
  readonly dossier: DossierId;
  readonly swv: SwvId;
  readonly owner: OrganisationId;
  /** Hash of the last accepted record: the next record must name it as `prev`. */
  readonly head: Uint8Array;
  readonly lastAt: number;
  readonly records: readonly RecordSummary[];
  readonly grants: readonly GrantEntry[];
  readonly scopes: ReadonlyMap<Scope, ScopeInfo>;
  /** Certified key-box recipients by agreement key (hex). */
  readonly recipients: ReadonlyMap<string, UserCertificate>;
  /** Device revocations seen in this dossier, `revocationKey(user, device)` → revokedAt. */
  readonly revocations: ReadonlyMap<string, number>;
  /** People the SWV ended in this dossier (uit dienst, rol beëindigd): user → endedAt [R57]. */
  readonly ended: ReadonlyMap<UserId, number>;
  /**
   * Retention [R80, R81]: the day the latest `bewaartermijn` record fixes (null: none, or a hulpvraag
   * is open again) and the latest end of any `bewaarplicht`. Absent until such a record exists.
   */
  readonly bewaren?: { readonly tot: string | null; readonly plichtTot: string | null };
}

export const keyHex = (key: Uint8Array): string => toHex(key);

/** The state a genesis record starts from: no records, grants, keys or recipients yet. */
export const emptyAccess = (dossier: DossierId, swv: SwvId, owner: OrganisationId, at: number): DossierAccess => ({
  dossier,
  swv,
  owner,
  head: new Uint8Array(32),
  lastAt: at,
  records: [],
  grants: [],
  scopes: new Map(),
  recipients: new Map(),
  revocations: new Map(),
  ended: new Map(),
});

/** Whether the SWV ended this user at or before `at`: then no grant reaches them any more [R57]. */
export const isEnded = (access: Pick<DossierAccess, 'ended'>, userId: UserId, at: number): boolean => {
  const endedAt = access.ended.get(userId);
  return endedAt !== undefined && endedAt <= at;
};

export const subjectOfCertificate = (c: UserCertificate): PrincipalSubject => ({
  userId: c.body.user,
  organisationId: c.body.organisation,
  roles: c.body.roles,
});

export const grantActive = (g: GrantEntry, at: number): boolean => g.expiresAt === null || g.expiresAt > at;

export function isAdmin(access: DossierAccess, subject: PrincipalSubject, at: number): boolean {
  if (isEnded(access, subject.userId, at)) return false;
  return access.grants.some(
    (g) => g.scope === 'toegang' && g.right === 'admin' && grantActive(g, at) && principalMatches(g.principal, subject, access.swv),
  );
}

/**
 * The effective right of a subject on a scope at `at`:
 * - `notities:<u>` only ever for user u, and only through its own grant;
 * - admins (admin on `toegang`) may read and write every other scope;
 * - anyone with an active grant on a shared (non-notities) scope is a member
 *   and may read `toegang`; without one, nothing (not even own notities).
 */
export function effectiveRight(access: DossierAccess, subject: PrincipalSubject, scope: Scope, at: number): Right | null {
  const notitiesOwner = scopeKind(scope) === 'notities' ? scopeTarget(scope) : undefined;
  if (notitiesOwner !== undefined && notitiesOwner !== subject.userId) return null;
  if (!isMember(access, subject, at)) return null;
  let right: Right | null = null;
  for (const g of access.grants) {
    if (!grantActive(g, at) || !principalMatches(g.principal, subject, access.swv)) continue;
    if (g.scope === scope) right = maxRight(right, g.right);
    if (notitiesOwner === undefined && scope !== 'toegang' && g.scope === 'toegang' && g.right === 'admin')
      right = maxRight(right, 'write');
  }
  if (scope === 'toegang') right = maxRight(right, 'read');
  return right;
}

/**
 * Membership, the one definition used by clients and the relay: an active
 * grant on a shared (non-notities) scope. A user's own notities grant alone
 * must not keep a removed member in the dossier [R16].
 */
function isMember(access: DossierAccess, subject: PrincipalSubject, at: number): boolean {
  if (isEnded(access, subject.userId, at)) return false;
  return access.grants.some(
    (g) => scopeKind(g.scope) !== 'notities' && grantActive(g, at) && principalMatches(g.principal, subject, access.swv),
  );
}

/** User ids of the current members: certified in the access list (newest valid certificate) and members by `isMember` [P18]. */
export function currentMembers(access: DossierAccess, at: Date): Set<string> {
  const t = at.getTime();
  const out = new Set<string>();
  for (const cert of currentRecipients(access, t).values()) if (isMember(access, subjectOfCertificate(cert), t)) out.add(cert.body.user);
  return out;
}

/** Whether the subject had a grant that matched but has expired (for the `verlopen` error). */
export function hadExpiredGrant(access: DossierAccess, subject: PrincipalSubject, at: number): boolean {
  return access.grants.some((g) => !grantActive(g, at) && principalMatches(g.principal, subject, access.swv));
}

const certValidAt = (c: UserCertificate, at: number): boolean => c.body.validFrom <= at && at < c.body.validUntil;

/**
 * Per device, only the most recent certificate valid at `at` counts (latest validFrom), and none of a
 * device revoked at or before `at`. Each device of a person has its own root-signed certificate (its own
 * keys, R145), so a person with two laptops has two current recipients; a lost one that was revoked stops
 * being entitled, so a rotation becomes due and the next key reaches only the devices still in use [R146].
 */
export function currentRecipients(access: DossierAccess, at: number): Map<string, UserCertificate> {
  const newest = new Map<string, [string, UserCertificate]>();
  for (const [hex, cert] of access.recipients) {
    if (cert.body.swv !== access.swv || !certValidAt(cert, at)) continue;
    const device = deviceOfCertificate(cert);
    const revokedAt = access.revocations.get(revocationKey(cert.body.user, device));
    if (revokedAt !== undefined && revokedAt <= at) continue;
    const slot = `${cert.body.user}|${device}`;
    const prev = newest.get(slot);
    if (
      prev === undefined ||
      cert.body.validFrom > prev[1].body.validFrom ||
      (cert.body.validFrom === prev[1].body.validFrom && hex > prev[0])
    ) {
      newest.set(slot, [hex, cert]);
    }
  }
  return new Map([...newest.values()]);
}

/** The agreement keys (hex, sorted) entitled to a scope's key at `at`: certified, current, valid, with at least read. */
export function entitledHolders(access: DossierAccess, scope: Scope, at: number): string[] {
  const out: string[] = [];
  for (const [hex, cert] of currentRecipients(access, at)) {
    if (atLeast(effectiveRight(access, subjectOfCertificate(cert), scope, at), 'read')) out.push(hex);
  }
  return out.sort();
}

export const currentEpoch = (info: ScopeInfo | undefined): EpochInfo | undefined => info?.epochs[info.epochs.length - 1];

/** Binds a new member list to an epoch: hash over dossier, scope, epoch and each holder's key and user. */
export async function memberListHash(
  provider: CryptoProvider,
  access: Pick<DossierAccess, 'dossier' | 'recipients'>,
  scope: Scope,
  epoch: number,
  holders: readonly string[],
): Promise<Uint8Array> {
  const members = [...holders].sort().map((hex) => {
    const cert = access.recipients.get(hex);
    if (cert === undefined) throw new Error('memberListHash: onbekende ontvanger');
    return { key: cert.body.agreementKey, user: cert.body.user };
  });
  return hashBody(provider, SIGNING_CONTEXT.memberList, { dossier: access.dossier, scope, epoch, members });
}

export const hasOwnerPrincipal = (access: DossierAccess, p: Principal): boolean => {
  switch (p.kind) {
    case 'organisation':
      return p.organisationId === access.owner;
    case 'user':
      return [...access.recipients.values()].some((c) => c.body.user === p.userId && c.body.organisation === access.owner);
    case 'role':
      return false;
  }
};

/** An owning-school admin must always remain, or nobody could manage the dossier for the school. */
export const ownerAdminRemains = (access: DossierAccess, at: number): boolean =>
  access.grants.some((g) => g.scope === 'toegang' && g.right === 'admin' && grantActive(g, at) && hasOwnerPrincipal(access, g.principal));
