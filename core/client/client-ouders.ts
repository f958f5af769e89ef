// Ouders/verzorgers (000 "Krijgen toegang tot het dossier van hun kind"): the IB links a
// parent by name to their own child's dossier; that link is the parent's only way in [R45, R46].
import type { GrantSpec } from '../access/acl-record.js';
import { grantActive, type DossierAccess } from '../access/dossier-access.js';
import { roomOf, scopeKind, type Scope } from '../access/rooms.js';
import type { DossierId, HulpvraagId, UserId } from '../model/ids.js';
import { roleLabel } from '../model/role.js';
import { fail, ok, type Result } from '../result.js';
import type { ClientCore } from './client-core.js';
import { submitAccess } from './client-rooms.js';
import type { DossierState } from './dossier-state.js';
import { unknownDossier } from './state/dossier-registry.js';

/**
 * What a linked ouder reads without any process giving more: the leerling and every
 * hulpvraag of their own child (also hulpvragen filed later), never the school's
 * forms or LVS, and never write. Decided for the SWV where seed 000 only says
 * "krijgen toegang tot het dossier van hun kind" [R46].
 */
export const OUDER_LINK_SCOPES = ['leerling', 'hulpvraag'] as const;

const isOuder = (c: ClientCore, userId: UserId): boolean => c.directory.person(userId)?.user.body.roles.includes('ouder') === true;

/** The ouders linked to this dossier: people holding the ouder role with their own active grant on `leerling`. */
export function linkedOuders(c: ClientCore, access: DossierAccess, at: number): UserId[] {
  const out = new Set<UserId>();
  for (const g of access.grants) {
    if (g.principal.kind !== 'user' || g.scope !== 'leerling' || !grantActive(g, at)) continue;
    if (isOuder(c, g.principal.userId)) out.add(g.principal.userId);
  }
  return [...out];
}

/** Every hulpvraag of the dossier this device knows of (from the access list's scopes and the open documents). */
export function hulpvraagIdsOf(st: DossierState): HulpvraagId[] {
  const scopes = new Set<Scope>([...(st.access?.scopes.keys() ?? []), ...st.docs.keys()]);
  return [...scopes].filter((s) => scopeKind(s) === 'hulpvraag').map((s) => s.slice('hulpvraag:'.length) as HulpvraagId);
}

/** The read grants that linking gives one ouder in this dossier as it stands. */
export const ouderLinkGrants = (userId: UserId, hulpvragen: readonly HulpvraagId[]): GrantSpec[] => [
  { principal: { kind: 'user', userId }, scope: 'leerling', right: 'read', expiresAt: null },
  ...hulpvragen.map((hv): GrantSpec => ({ principal: { kind: 'user', userId }, scope: `hulpvraag:${hv}`, right: 'read', expiresAt: null })),
];

/**
 * The IB (a dossier admin) links an ouder to this one dossier: read on the leerling and the
 * hulpvragen; processes may give more (PO TLV after indienen), never a school's group grant.
 */
export async function linkOuder(c: ClientCore, dossierId: DossierId, userId: UserId): Promise<Result<void>> {
  const st = c.dossiers.get(dossierId);
  if (!st?.access) return unknownDossier();
  const person = c.directory.person(userId);
  if (!person) return fail('persoon-onbekend', 'Deze persoon staat niet in de ledenlijst van het samenwerkingsverband.');
  if (!person.user.body.roles.includes('ouder')) {
    return fail(
      'geen-ouder',
      `${c.directory.nameOf(userId)} heeft niet de rol ${roleLabel('ouder')}; koppel alleen ouders aan het dossier van hun eigen kind.`,
    );
  }
  c.accessQueue.forgetRemoval(dossierId, userId);
  const r = await submitAccess(c, st, dossierId, 'grant', {
    grants: ouderLinkGrants(userId, hulpvraagIdsOf(st)),
    recipients: c.directory.certificatesOf(person.user.body.user),
    reason: 'Ouder/verzorger gekoppeld aan het dossier van het eigen kind',
    names: { [`user:${userId}`]: c.directory.nameOf(userId) },
  });
  if (!r.ok) return r;
  c.notifyLater('status', roomOf(dossierId, 'toegang'), [userId]);
  return ok(undefined);
}

/** Ouders only ever read: a hand-made grant with write to a parent is refused [R46]. */
export function ouderWriteRefused(c: ClientCore, userId: UserId, rights: readonly string[]): Result<void> {
  if (isOuder(c, userId) && rights.includes('write')) {
    return fail('ouder-alleen-lezen', 'Ouders/verzorgers krijgen alleen leesrecht op het dossier van hun kind; schrijven doet de school.');
  }
  return ok(undefined);
}
