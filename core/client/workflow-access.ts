// The one path from workflow to access: what a hulpvraag's current status says
// about visibility (its `access` entries) is turned into principals and
// compared with the dossier's access list; an admin client then writes one
// grant/revoke record with the difference. Idempotent: running it again after
// the record is applied yields nothing, so several admin devices can run it.
import type { DossierAccess } from '../access/dossier-access.js';
import type { GrantSpec, RevokeSpec } from '../access/acl-record.js';
import type { UserCertificate } from '../access/certificate.js';
import { principalKey, principalMatches, type Principal } from '../access/principal.js';
import type { Scope } from '../access/rooms.js';
import type { HulpvraagId, SwvId, UserId } from '../model/ids.js';
import type { AccessEntry } from '../workflow/definition.js';
import type { PrincipalSelector } from '../workflow/selector.js';
import type { HulpvraagContext } from '../workflow/state.js';
import type { WorkflowEffect } from '../workflow/effects.js';
import { principalsOf, type WorkflowAccessContext } from '../access/workflow-access.js';

export interface DesiredGrant {
  readonly principal: Principal;
  readonly scope: Scope;
  readonly right: 'read' | 'write';
  /** Selector-derived user grants are only ever added, never taken away here. */
  readonly addOnly: boolean;
}

/**
 * Who a selector means, as principals: delegated to core/access so a role is
 * bound the way `core/model/role.ts` says (an IB role covers the IBs of the
 * hulpvraag's own school, never every IB in the SWV). Ouders are the parents
 * the IB linked to this dossier by name (`client-ouders.ts`); unlinked, the
 * `ouders` selector means nobody [R46].
 */
export function principalOf(sel: PrincipalSelector, ctx: HulpvraagContext, swvId: SwvId, ouders: readonly UserId[] = []): { principal: Principal; addOnly: boolean }[] {
  const accessCtx: WorkflowAccessContext = { swvId, hulpvragen: new Map(), ouders, overlegronden: [], directory: [] };
  // Grants to named people are only ever added here; group grants follow the status.
  return principalsOf(sel, ctx, accessCtx).map((principal) => ({ principal, addOnly: principal.kind === 'user' }));
}

const scopeOf = (kind: AccessEntry['scopes'][number], id: HulpvraagId): Scope => (kind === 'leerling' ? 'leerling' : `${kind}:${id}`);

export function desiredGrants(entries: readonly AccessEntry[], ctx: HulpvraagContext, swvId: SwvId, ouders: readonly UserId[] = []): DesiredGrant[] {
  const out = new Map<string, DesiredGrant>();
  for (const e of entries) {
    const right = e.rights.includes('write') ? 'write' : 'read';
    for (const { principal, addOnly } of principalOf(e.to, ctx, swvId, ouders)) {
      for (const kind of e.scopes) {
        const scope = scopeOf(kind, ctx.hulpvraagId);
        const key = `${principalKey(principal)}|${scope}`;
        const prev = out.get(key);
        if (prev === undefined || (prev.right === 'read' && right === 'write')) out.set(key, { principal, scope, right, addOnly });
      }
    }
  }
  return [...out.values()];
}

/** Principals whose grants this path manages (manual grants to a person are left alone). */
const managed = (p: Principal): boolean => p.kind !== 'user';

/**
 * The grant/revoke difference between the access list and what the statuses of
 * all hulpvragen want. `hulpvraagScopes` are every scope that belongs to one of
 * those hulpvragen (plus `leerling`).
 */
export function reconcileAccess(
  access: DossierAccess,
  desired: readonly DesiredGrant[],
  hulpvraagScopes: ReadonlySet<Scope>,
): { grants: GrantSpec[]; revokes: RevokeSpec[] } {
  const want = new Map<string, DesiredGrant>();
  for (const d of desired) {
    const key = `${principalKey(d.principal)}|${d.scope}`;
    const prev = want.get(key);
    if (prev === undefined || (prev.right === 'read' && d.right === 'write')) want.set(key, d);
  }
  const have = new Map<string, { principal: Principal; scope: Scope; right: string }[]>();
  for (const g of access.grants) {
    const key = `${principalKey(g.principal)}|${g.scope}`;
    have.set(key, [...(have.get(key) ?? []), g]);
  }
  const grants: GrantSpec[] = [];
  const revokes: RevokeSpec[] = [];
  for (const [key, d] of want) {
    const cur = have.get(key) ?? [];
    const hasRight = cur.some((g) => g.right === d.right || (d.right === 'read' && g.right === 'write'));
    if (hasRight) continue;
    if (cur.length > 0) revokes.push({ principal: d.principal, scope: d.scope });
    grants.push({ principal: d.principal, scope: d.scope, right: d.right, expiresAt: null });
  }
  for (const [key, cur] of have) {
    const first = cur[0];
    if (first === undefined || want.has(key) || !managed(first.principal) || !hulpvraagScopes.has(first.scope)) continue;
    revokes.push({ principal: first.principal, scope: first.scope });
  }
  return { grants, revokes };
}

/** Certificates of the known people a principal covers: they get key boxes. */
export function recipientsFor(principal: Principal, swvId: SwvId, people: readonly UserCertificate[]): UserCertificate[] {
  return people.filter((c) =>
    principalMatches(principal, { userId: c.body.user, organisationId: c.body.organisation, roles: c.body.roles }, swvId),
  );
}

/** The users a notify effect is for (content-free relay notification). */
export function notifyRecipients(
  effect: WorkflowEffect,
  ctx: HulpvraagContext,
  swvId: SwvId,
  people: readonly UserCertificate[],
  ouders: readonly UserId[] = [],
): string[] {
  const sel: PrincipalSelector | null =
    effect.kind === 'notify-aanvrager'
      ? { kind: 'aanvrager' }
      : effect.kind === 'notify-role'
        ? { kind: 'role', role: effect.role }
        : effect.kind === 'notify'
          ? effect.to
          : null;
  if (sel === null) return [];
  const users = new Set<string>();
  for (const { principal } of principalOf(sel, ctx, swvId, ouders)) for (const c of recipientsFor(principal, swvId, people)) users.add(c.body.user);
  return [...users];
}
