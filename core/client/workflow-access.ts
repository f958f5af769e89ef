// The one path from workflow to access [R23]: what a hulpvraag's current status
// says about visibility (its `access` entries), its aanpak behandelaars, its
// linked ouders and its overlegronden are turned into wanted grants, and
// `planWorkflowAccess` compares them with the dossier's access list. Every path
// that grants or revokes for the process (a new hulpvraag, a status change, an
// overlegronde, an aanpak, a staff change, the tick's sweep) goes through it.
// Idempotent: running it again after the record is applied yields nothing, so
// several admin devices can run it.
import type { DossierAccess } from '../access/dossier-access.js';
import { grantActive } from '../access/dossier-access.js';
import type { GrantSpec, RevokeSpec } from '../access/acl-record.js';
import type { UserCertificate } from '../access/certificate.js';
import { principalKey, principalMatches, type Principal, type Right } from '../access/principal.js';
import { ID_PATTERN, type Scope } from '../access/rooms.js';
import { userIdSchema } from '../access/certificate.js';
import type { HulpvraagId, OverlegrondeId, SwvId, UserId } from '../model/ids.js';
import { roleBinding } from '../model/role.js';
import type { AccessEntry } from '../workflow/definition.js';
import type { PrincipalSelector } from '../workflow/selector.js';
import type { HulpvraagContext } from '../workflow/state.js';
import type { WorkflowEffect } from '../workflow/effects.js';
import { checkOverlegrondePeriode } from '../messages/overlegronde-rules.js';

export interface DesiredGrant {
  readonly principal: Principal;
  readonly scope: Scope;
  readonly right: 'read' | 'write';
  /** ms; null = until the process takes it away. */
  readonly expiresAt: number | null;
}

/**
 * Who a selector means for one hulpvraag, as access-list principals. A role is
 * bound the way `core/model/role.ts` says (an IB role covers the IBs of the
 * hulpvraag's own school, never every IB in the SWV); assigned roles
 * (`toegewezen`: regierolhouder, behandelaar, deskundige per case) mean the
 * people named in the hulpvraag, never everyone holding the role. Ouders are
 * the parents the IB linked to this dossier by name; unlinked, nobody [R46].
 */
export function principalsOf(sel: PrincipalSelector, hv: HulpvraagContext, swvId: SwvId, ouders: readonly UserId[] = []): Principal[] {
  const users = (ids: readonly (UserId | null)[]): Principal[] =>
    // '' is nobody: an aanvrager the document names who is not of the owning school (R127).
    [...new Set(ids.filter((u): u is UserId => u !== null && u !== ''))].map((userId) => ({ kind: 'user', userId }) as const);
  switch (sel.kind) {
    case 'eigen-school':
      return [{ kind: 'organisation', organisationId: hv.schoolId }];
    case 'betrokken-organisatie':
      return hv.betrokkenOrganisaties
        .filter((b) => b.relatie === sel.relatie)
        .map((b) => ({ kind: 'organisation', organisationId: b.organisationId }));
    case 'aanvrager':
      return users([hv.aanvrager]);
    case 'coordinator':
      return users([hv.coordinator]);
    case 'behandelaar':
      return users(hv.behandelaars);
    case 'ouders':
      return users(ouders);
    case 'role':
      switch (roleBinding(sel.role)) {
        case 'swv':
          return [{ kind: 'role', swvId, role: sel.role }];
        case 'eigen-school':
          return [{ kind: 'organisation', organisationId: hv.schoolId, role: sel.role }];
        case 'betrokken-organisatie':
          return hv.betrokkenOrganisaties.map((b) => ({ kind: 'organisation', organisationId: b.organisationId, role: sel.role }));
        case 'toegewezen':
          // Overlegronde participants are invited per overlegronde (`overlegrondeGrants`), never by role.
          if (sel.role === 'ouder') return users(ouders);
          if (sel.role === 'professional') return [];
          return users([hv.coordinator, ...hv.behandelaars]);
      }
  }
}

const scopeOf = (kind: AccessEntry['scopes'][number], id: HulpvraagId): Scope => (kind === 'leerling' ? 'leerling' : `${kind}:${id}`);

/** What one hulpvraag's process wants, as the tick, a status change and a new hulpvraag all compute it. */
export interface HulpvraagAccessInput {
  readonly context: HulpvraagContext;
  /** The current status's visibility. */
  readonly access: readonly AccessEntry[];
  /** An end status: aanpak invitations end with the hulpvraag. */
  readonly end: boolean;
  /** Behandelaars invited through an aanpak, with the aanpak's end (ms, null = open). */
  readonly aanpak: readonly { readonly behandelaar: UserId; readonly expiresAt: number | null }[];
  /** Coördinatoren the hulpvraag named before (a replaced coördinator loses what the role gave). */
  readonly eerderBenoemd: readonly UserId[];
  /** The visibility of every status of the process: which scopes it ever gives a named person. */
  readonly processAccess: readonly AccessEntry[];
  /** Overlegronden a named person asked for (`startOverlegronde` by someone who is no dossier admin). */
  readonly overlegrondeVerzoeken?: readonly OverlegrondeAccessInput[];
  /** Who may take part in this hulpvraag's overlegronden (the picker's rule, `mogelijkeDeelnemers`); without it no request is granted [R132]. */
  readonly mogelijkeDeelnemers?: ReadonlySet<string>;
}

/**
 * Whether an admin device grants an overlegronde that someone asked for [R92]: only one the
 * hulpvraag's coördinator or a behandelaar asked for, while it is open, ending within 14 days,
 * inviting only people the participant picker offers [R132] (a modified client can sign anything).
 * Anyone else who may write the hulpvraag (an SWV role) cannot invite people into it this way.
 */
export const verzoekToegestaan = (hv: HulpvraagAccessInput, o: OverlegrondeAccessInput, now: number): boolean =>
  !hv.end &&
  o.hulpvraagId === hv.context.hulpvraagId &&
  // A malformed id would make every access record of this reconcile invalid: such a request is ignored.
  ID_PATTERN.test(o.id) &&
  o.deelnemers.every((u) => userIdSchema.safeParse(u).success && hv.mogelijkeDeelnemers?.has(u) === true) &&
  (o.starter === hv.context.coordinator || hv.context.behandelaars.includes(o.starter)) &&
  o.einddatum > now &&
  // The one home of the 14-day rule (000: "maximaal 14 dagen"), the same check startOverlegronde runs.
  checkOverlegrondePeriode(new Date(now).toISOString(), new Date(o.einddatum).toISOString()).ok;

/**
 * Per scope, the people whose own grants are the process's to take away: those the
 * hulpvraag names (coördinator now and before, behandelaars, aanvrager) on the scopes
 * the process gives them in some status, and a behandelaar's aanpak read. A grant a
 * process never gives (made by hand in Toegang, a staff change's copy) stays [R90].
 */
export function namedScopes(hv: HulpvraagAccessInput): Map<Scope, Set<UserId>> {
  const ctx = hv.context;
  const coordinators = [...(ctx.coordinator === null ? [] : [ctx.coordinator]), ...hv.eerderBenoemd];
  const peopleOf = (sel: PrincipalSelector): readonly UserId[] => {
    switch (sel.kind) {
      case 'coordinator':
        return coordinators;
      case 'behandelaar':
        return ctx.behandelaars;
      case 'aanvrager':
        return ctx.aanvrager === '' ? [] : [ctx.aanvrager];
      case 'role':
        return roleBinding(sel.role) === 'toegewezen' && sel.role !== 'ouder' && sel.role !== 'professional'
          ? [...coordinators, ...ctx.behandelaars]
          : [];
      default:
        return [];
    }
  };
  const out = new Map<Scope, Set<UserId>>();
  const add = (scope: Scope, users: readonly UserId[]): void => {
    if (users.length > 0) out.set(scope, new Set([...(out.get(scope) ?? []), ...users]));
  };
  for (const e of hv.processAccess) for (const kind of e.scopes) add(scopeOf(kind, ctx.hulpvraagId), peopleOf(e.to));
  add(
    `hulpvraag:${ctx.hulpvraagId}`,
    hv.aanpak.map((a) => a.behandelaar),
  );
  return out;
}

/** The grants one hulpvraag's status, aanpak and linked ouders want. */
export function desiredForHulpvraag(hv: HulpvraagAccessInput, swvId: SwvId, ouders: readonly UserId[], now: number): DesiredGrant[] {
  const out: DesiredGrant[] = [];
  const id = hv.context.hulpvraagId;
  for (const e of hv.access) {
    const right = e.rights.includes('write') ? 'write' : 'read';
    for (const principal of principalsOf(e.to, hv.context, swvId, ouders)) {
      for (const kind of e.scopes) out.push({ principal, scope: scopeOf(kind, id), right, expiresAt: null });
    }
  }
  // Where the process gives behandelaars nothing (e.g. TLV VSO) an aanpak still lets them read this
  // hulpvraag until its einddatum, so they can take it up — while the hulpvraag is open (003).
  if (!hv.end) {
    for (const a of hv.aanpak) {
      if (a.expiresAt !== null && a.expiresAt <= now) continue;
      out.push({ principal: { kind: 'user', userId: a.behandelaar }, scope: `hulpvraag:${id}`, right: 'read', expiresAt: a.expiresAt });
    }
  }
  for (const o of hv.overlegrondeVerzoeken ?? []) if (verzoekToegestaan(hv, o, now)) out.push(...overlegrondeGrants(o));
  // A linked ouder reads every hulpvraag of their own child, also one filed after the link [R46].
  for (const userId of ouders) {
    out.push({ principal: { kind: 'user', userId }, scope: 'leerling', right: 'read', expiresAt: null });
    out.push({ principal: { kind: 'user', userId }, scope: `hulpvraag:${id}`, right: 'read', expiresAt: null });
  }
  return out;
}

/** An overlegronde as access needs it: who started it and whom it invites until when. */
export interface OverlegrondeAccessInput {
  readonly id: OverlegrondeId;
  readonly hulpvraagId: HulpvraagId;
  readonly starter: UserId;
  readonly deelnemers: readonly UserId[];
  readonly einddatum: number;
}

/** Participants see the overlegronde (until its einddatum) and read the hulpvraag, never the forms (000, 003). */
export function overlegrondeGrants(o: OverlegrondeAccessInput): DesiredGrant[] {
  const scope: Scope = `overlegronde:${o.id}`;
  return [
    { principal: { kind: 'user', userId: o.starter }, scope, right: 'write', expiresAt: null },
    ...o.deelnemers
      .filter((u) => u !== o.starter)
      .flatMap((u): DesiredGrant[] => [
        { principal: { kind: 'user', userId: u }, scope, right: 'write', expiresAt: o.einddatum },
        { principal: { kind: 'user', userId: u }, scope: `hulpvraag:${o.hulpvraagId}`, right: 'read', expiresAt: o.einddatum },
      ]),
  ];
}

export interface WorkflowAccessInput {
  readonly desired: readonly DesiredGrant[];
  /** Scopes whose grants the process decides here; grants on other scopes are never revoked. */
  readonly revocable: ReadonlySet<Scope>;
  /** Per scope, the people the hulpvraag names: only their own grants are the process's to take away. */
  readonly named: ReadonlyMap<Scope, ReadonlySet<UserId>>;
}

/**
 * THE workflow → access function [R23, R90]: the grant/revoke difference between
 * the access list and what the process wants. Group grants on a revocable scope
 * follow the status both ways; a person's own grant does only when the hulpvraag
 * names that person (coördinator, behandelaar, aanvrager, a former coördinator),
 * so a grant made by hand in Toegang or an overlegronde invitation is left alone.
 * The owning school's own role grants (genesis) are never the workflow's to take.
 */
export function planWorkflowAccess(
  access: DossierAccess,
  input: WorkflowAccessInput,
  now: number,
): { grants: GrantSpec[]; revokes: RevokeSpec[] } {
  const want = new Map<string, DesiredGrant>();
  for (const d of input.desired) {
    const key = `${principalKey(d.principal)}|${d.scope}`;
    const prev = want.get(key);
    const stronger =
      prev === undefined ||
      (prev.right === 'read' && d.right === 'write') ||
      (prev.right === d.right && prev.expiresAt !== null && (d.expiresAt === null || d.expiresAt > prev.expiresAt));
    if (stronger) want.set(key, d);
  }
  const have = new Map<string, { principal: Principal; scope: Scope; right: Right }[]>();
  for (const g of access.grants) {
    if (!grantActive(g, now)) continue;
    const key = `${principalKey(g.principal)}|${g.scope}`;
    have.set(key, [...(have.get(key) ?? []), g]);
  }
  const grants: GrantSpec[] = [];
  const revokes: RevokeSpec[] = [];
  for (const [key, d] of want) {
    const cur = have.get(key) ?? [];
    if (cur.some((g) => g.right === d.right || g.right === 'admin' || (d.right === 'read' && g.right === 'write'))) continue;
    if (cur.length > 0) revokes.push({ principal: d.principal, scope: d.scope });
    grants.push({ principal: d.principal, scope: d.scope, right: d.right, expiresAt: d.expiresAt });
  }
  const managed = (p: Principal, scope: Scope): boolean => {
    if (p.kind === 'user') return input.named.get(scope)?.has(p.userId) === true;
    return !(p.kind === 'organisation' && p.role !== undefined && p.organisationId === access.owner);
  };
  for (const [key, cur] of have) {
    const first = cur[0];
    if (first === undefined || want.has(key) || !input.revocable.has(first.scope) || !managed(first.principal, first.scope)) continue;
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

/**
 * The users a notify effect is for (content-free relay notification). An afschrift for the
 * ouders (`copy-to-ouders`: advies, besluit) is a melding to the ouders linked to the dossier:
 * they read the hulpvraag with its status, decision and bijlagen through their link [R46].
 */
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
          : effect.kind === 'copy-to-ouders'
            ? { kind: 'ouders' }
            : null;
  if (sel === null) return [];
  const users = new Set<string>();
  for (const principal of principalsOf(sel, ctx, swvId, ouders))
    for (const c of recipientsFor(principal, swvId, people)) users.add(c.body.user);
  return [...users];
}
