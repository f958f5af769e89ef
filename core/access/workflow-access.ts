// Turns workflow effects (core/workflow) into one access-list change: grants,
// revokes and the key-box recipients. One function for every process, so a
// process definition changes who sees what without code (R23).
import type { IsoDateTime } from '../model/dates.js';
import type { HulpvraagId, OverlegrondeId, SwvId, UserId } from '../model/ids.js';
import { roleBinding, type Role } from '../model/role.js';
import type { WorkflowEffect } from '../workflow/effects.js';
import type { PrincipalSelector } from '../workflow/selector.js';
import type { HulpvraagContext } from '../workflow/state.js';
import type { GrantSpec, RevokeSpec } from './acl-record.js';
import type { AccessChange } from './build-record.js';
import type { UserCertificate } from './certificate.js';
import { grantActive, subjectOfCertificate, type DossierAccess } from './dossier-access.js';
import { principalKey, principalMatches, type Principal, type Right } from './principal.js';
import type { AclRecordType } from './acl-record.js';
import type { Scope } from './rooms.js';

/** An overlegronde as the access layer needs it (core/model/overlegronde.ts has the full one). */
export interface OverlegrondeAccess {
  readonly id: OverlegrondeId;
  readonly hulpvraagId: HulpvraagId;
  readonly deelnemers: readonly UserId[];
  readonly einddatum: IsoDateTime;
}

/**
 * Effects the access layer adds to the workflow's: inviting participants to an
 * overlegronde. Participants get the overlegronde (write until the einddatum)
 * and the hulpvraag (read until the einddatum) — never `formulieren` (000, 003).
 */
export type AccessEffect = { readonly kind: 'open-overlegronde'; readonly overlegronde: OverlegrondeAccess };

export interface WorkflowAccessContext {
  readonly swvId: SwvId;
  /** The workflow context of each hulpvraag the effects name. */
  readonly hulpvragen: ReadonlyMap<HulpvraagId, HulpvraagContext>;
  /** Invited ouders/verzorgers of the leerling. */
  readonly ouders: readonly UserId[];
  /** Open overlegronden (closed by `close-overlegronden`). */
  readonly overlegronden: readonly OverlegrondeAccess[];
  /** Certificates the client knows (its directory); those matching a granted principal get key boxes. */
  readonly directory: readonly UserCertificate[];
  /**
   * Principal keys that another hulpvraag still grants `leerling` to: `leerling` is
   * dossier-wide, so a revoke from one hulpvraag must not take it from them.
   */
  readonly leerlingStillGrantedTo?: ReadonlySet<string>;
}

export interface WorkflowAccessPlan {
  /** `revoke` when anything is taken away (the record then rotates), else `grant`; null when nothing changes. */
  readonly type: Extract<AclRecordType, 'grant' | 'revoke'> | null;
  readonly change: AccessChange;
  /** Effects that concern no access (notify, copy-to-ouders, reminders): for the caller's other handlers. */
  readonly otherEffects: readonly WorkflowEffect[];
}

const OVERLEGRONDE_PARTICIPANT_ROLE: Role = 'professional';

/** Who a selector means for one hulpvraag, as access-list principals. */
export function principalsOf(sel: PrincipalSelector, hv: HulpvraagContext, ctx: WorkflowAccessContext): Principal[] {
  const users = (ids: readonly (UserId | null)[]): Principal[] => ids.flatMap((userId) => (userId === null ? [] : [{ kind: 'user', userId } as const]));
  switch (sel.kind) {
    case 'eigen-school':
      return [{ kind: 'organisation', organisationId: hv.schoolId }];
    case 'betrokken-organisatie':
      return hv.betrokkenOrganisaties.filter((b) => b.relatie === sel.relatie).map((b) => ({ kind: 'organisation', organisationId: b.organisationId }));
    case 'aanvrager':
      return users([hv.aanvrager]);
    case 'coordinator':
      return users([hv.coordinator]);
    case 'behandelaar':
      return users(hv.behandelaars);
    case 'ouders':
      return users(ctx.ouders);
    case 'role':
      switch (roleBinding(sel.role)) {
        case 'swv':
          return [{ kind: 'role', swvId: ctx.swvId, role: sel.role }];
        case 'eigen-school':
          return [{ kind: 'organisation', organisationId: hv.schoolId, role: sel.role }];
        case 'betrokken-organisatie':
          return hv.betrokkenOrganisaties.map((b) => ({ kind: 'organisation', organisationId: b.organisationId, role: sel.role }));
        case 'toegewezen':
          // Assigned roles mean the assigned people; overlegronde participants are invited per overlegronde, never by role.
          if (sel.role === 'ouder') return users(ctx.ouders);
          if (sel.role === OVERLEGRONDE_PARTICIPANT_ROLE) return [];
          return users([hv.coordinator, ...hv.behandelaars]).filter((p, i, all) => all.findIndex((q) => principalKey(q) === principalKey(p)) === i);
      }
  }
}

const scopeOf = (kind: 'leerling' | 'hulpvraag' | 'formulieren' | 'lvs', hv: HulpvraagId): Scope => (kind === 'leerling' ? 'leerling' : `${kind}:${hv}`);
const strongest = (rights: readonly ('read' | 'write')[]): Right => (rights.includes('write') ? 'write' : 'read');
const ms = (iso: IsoDateTime | null): number | null => {
  if (iso === null) return null;
  const t = Date.parse(iso);
  if (Number.isNaN(t)) throw new Error(`Ongeldige datum in workflow-effect: ${iso}`);
  return t;
};

/**
 * Folds workflow effects (and overlegronde invitations) into one access change
 * for `buildAccessRecord`. Grants that already hold are skipped; a changed right
 * replaces the old one; revokes only name grants that exist.
 */
export function accessChangesForEffects(
  access: DossierAccess,
  effects: readonly (WorkflowEffect | AccessEffect)[],
  ctx: WorkflowAccessContext,
  now: Date,
): WorkflowAccessPlan {
  const at = now.getTime();
  // Desired end state per (principal, scope): a right with expiry, or null = no access.
  const desired = new Map<string, { principal: Principal; scope: Scope; right: Right | null; expiresAt: number | null }>();
  const want = (principal: Principal, scope: Scope, right: Right | null, expiresAt: number | null) =>
    desired.set(`${principalKey(principal)}|${scope}`, { principal, scope, right, expiresAt });
  const otherEffects: WorkflowEffect[] = [];

  for (const e of effects) {
    switch (e.kind) {
      case 'grant-scope':
      case 'revoke-scope': {
        const hv = ctx.hulpvragen.get(e.hulpvraagId);
        if (hv === undefined) throw new Error(`Geen context voor hulpvraag ${e.hulpvraagId}`);
        const scope = scopeOf(e.scope, e.hulpvraagId);
        if (e.kind === 'grant-scope') {
          for (const p of principalsOf(e.to, hv, ctx)) want(p, scope, strongest(e.rights), ms(e.expiresAt));
        } else {
          for (const p of principalsOf(e.from, hv, ctx)) {
            if (scope === 'leerling' && ctx.leerlingStillGrantedTo?.has(principalKey(p)) === true) continue;
            want(p, scope, null, null);
          }
        }
        break;
      }
      case 'close-overlegronden': {
        // Participants keep reading until their einddatum but can no longer react.
        const closeAt = ms(e.at) ?? at;
        for (const o of ctx.overlegronden.filter((x) => x.hulpvraagId === e.hulpvraagId)) {
          const end = Math.max(ms(o.einddatum) ?? closeAt, closeAt + 1);
          for (const userId of o.deelnemers) want({ kind: 'user', userId }, `overlegronde:${o.id}`, 'read', end);
        }
        break;
      }
      case 'open-overlegronde': {
        const o = e.overlegronde;
        const end = ms(o.einddatum);
        for (const userId of o.deelnemers) {
          want({ kind: 'user', userId }, `overlegronde:${o.id}`, 'write', end);
          const hvKey = `${principalKey({ kind: 'user', userId })}|hulpvraag:${o.hulpvraagId}`;
          if (!desired.has(hvKey)) want({ kind: 'user', userId }, `hulpvraag:${o.hulpvraagId}`, 'read', end);
        }
        break;
      }
      case 'notify-aanvrager':
      case 'notify-role':
      case 'notify':
      case 'copy-to-ouders':
      case 'schedule-reminder':
        otherEffects.push(e);
        break;
    }
  }

  const grants: GrantSpec[] = [];
  const revokes: RevokeSpec[] = [];
  for (const d of desired.values()) {
    const existing = access.grants.filter((g) => g.scope === d.scope && principalKey(g.principal) === principalKey(d.principal) && grantActive(g, at));
    if (d.right === null) {
      if (existing.length > 0) revokes.push({ principal: d.principal, scope: d.scope });
      continue;
    }
    if (existing.length === 1 && existing[0]?.right === d.right && existing[0].expiresAt === d.expiresAt) continue;
    // A different right replaces the old one (a downgrade write → read keeps the key: no rotation needed).
    if (existing.length > 0) revokes.push({ principal: d.principal, scope: d.scope });
    grants.push({ principal: d.principal, scope: d.scope, right: d.right, expiresAt: d.expiresAt });
  }

  const recipients = ctx.directory.filter(
    (c) => c.body.swv === access.swv && grants.some((g) => principalMatches(g.principal, subjectOfCertificate(c), access.swv)) && c.body.validUntil > at,
  );
  const type = revokes.length > 0 ? 'revoke' : grants.length > 0 ? 'grant' : null;
  return { type, change: { grants, revokes, recipients, reason: 'Toegang volgens het proces' }, otherEffects };
}
