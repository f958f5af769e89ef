// Access to a dossier: granting, changing expiry and revoking by hand, who can read what,
// the access log, and what admin devices keep in line in the background.
import { applyAccessRecord } from '../access/apply-record.js';
import { deviceOfCertificate, type UserCertificate } from '../access/certificate.js';
import type { AclRecordType, GrantSpec, RevokeSpec } from '../access/acl-record.js';
import { grantActive, isAdmin, keyHex, type DossierAccess } from '../access/dossier-access.js';
import { mergeKeyrings } from '../access/keyring.js';
import { principalMatches } from '../access/principal.js';
import { listReaders } from '../access/readers.js';
import { performDueRotations, rotationsDue } from '../access/rotation.js';
import { roomOf, scopeKind, type Scope } from '../access/rooms.js';
import { statusDefinition } from '../workflow/engine.js';
import type { IsoDateTime } from '../model/dates.js';
import { asId } from '../model/ids.js';
import type { DossierId, HulpvraagId, SwvId, UserId } from '../model/ids.js';
import { ok, fail, type Result } from '../result.js';
import type { AccessLogEntry, GrantInput, ReaderEntry } from './api.js';
import { trustedRevocations, type DossierState } from './dossier-state.js';
import { readOverlegrondeVerzoeken } from './overlegronde-verzoek.js';
import {
  desiredForHulpvraag,
  namedScopes,
  planWorkflowAccess,
  recipientsFor,
  type DesiredGrant,
  type HulpvraagAccessInput,
} from './workflow-access.js';
import { aanpakExpiry } from './aanpak.js';
import { aanpakOf } from './aanpak-getekend.js';
import { roleLabel } from '../model/role.js';
import type { HulpvraagContext } from '../workflow/state.js';
import type { Identity } from './identity.js';
import { metToestemming } from './client-toestemming.js';
import type { ClientCore } from './client-core.js';
import { submitAccess } from './client-rooms.js';
import { linkedOuders, ouderWriteRefused } from './client-ouders.js';
import { currentState, workflowOf } from './client-workflow.js';
import { eerderBenoemdOf } from './coordinator-getekend.js';
import { directory } from './client-directory.js';
import { mogelijkeDeelnemers } from './views/overleg-deelnemers.js';
import { locked } from './state/session.js';
import { unknownDossier } from './state/dossier-registry.js';
import { dossierSession } from './dossier-session.js';

/**
 * The SWV's privacy officer (FG) reads every dossier's access list — who may read
 * which part until when, and who opened it — never its content (DESIGN §8).
 */
export const privacyOversight = (swvId: SwvId): GrantSpec & { right: 'read' } => ({
  principal: { kind: 'role', swvId, role: 'privacy-officer' },
  scope: 'toegang',
  right: 'read',
  expiresAt: null,
});

export async function grant(c: ClientCore, dossierId: DossierId, input: GrantInput): Promise<Result<void>> {
  const id = c.id;
  if (!id) return locked();
  const st = c.dossiers.get(dossierId);
  if (!st?.access) return unknownDossier();
  c.accessQueue.forgetRemoval(dossierId, input.userId);
  const person = c.directory.person(input.userId);
  if (!person) return fail('persoon-onbekend', 'Deze persoon staat niet in de ledenlijst van het samenwerkingsverband.');
  const ouder = ouderWriteRefused(c, input.userId, input.rights);
  if (!ouder.ok) return ouder;
  const right = input.rights.includes('write') ? 'write' : 'read';
  const expiresAt = input.expiresAt === null ? null : Date.parse(input.expiresAt);
  if (expiresAt !== null && (Number.isNaN(expiresAt) || expiresAt <= c.now().getTime()))
    return fail('einddatum-ongeldig', 'De einddatum van de toegang moet in de toekomst liggen.');
  // The reason goes to everyone who reads the toegang list: no leerling data in it.
  const pii = dossierSession(c, st).checkFreeText('toegang', input.reden ?? '');
  if (!pii.ok) return pii;
  const grants: GrantSpec[] = input.scopes.map((scope) => ({ principal: { kind: 'user', userId: input.userId }, scope, right, expiresAt }));
  const r = await submitAccess(c, st, dossierId, 'grant', {
    grants,
    recipients: c.directory.certificatesOf(input.userId),
    ...(input.reden ? { reason: input.reden } : {}),
    names: { [`user:${input.userId}`]: c.directory.nameOf(input.userId) },
  });
  if (!r.ok) return r;
  c.notifyLater('status', roomOf(dossierId, 'toegang'), [input.userId]);
  return ok(undefined);
}

export async function changeExpiry(
  c: ClientCore,
  dossierId: DossierId,
  userId: UserId,
  expiresAt: IsoDateTime | null,
): Promise<Result<void>> {
  const st = c.dossiers.get(dossierId);
  if (!st?.access) return unknownDossier();
  const mine = st.access.grants.filter((g) => g.principal.kind === 'user' && g.principal.userId === userId);
  if (mine.length === 0) return fail('geen-toegang', 'Deze persoon heeft geen eigen toegang tot dit dossier.');
  const at = expiresAt === null ? null : Date.parse(expiresAt);
  if (at !== null && (Number.isNaN(at) || at <= c.now().getTime()))
    return fail('einddatum-ongeldig', 'Gebruik intrekken om toegang nu te beëindigen.');
  return submitAccess(c, st, dossierId, 'revoke', {
    revokes: mine.map((g) => ({ principal: g.principal, scope: g.scope })),
    grants: mine.map((g) => ({ principal: g.principal, scope: g.scope, right: g.right, expiresAt: at })),
    recipients: c.directory.certificatesOf(userId),
    reason: 'Einddatum gewijzigd',
  });
}

export async function revoke(c: ClientCore, dossierId: DossierId, userId: UserId, reden?: string): Promise<Result<void>> {
  const st = c.dossiers.get(dossierId);
  if (!st?.access) return unknownDossier();
  const pii = dossierSession(c, st).checkFreeText('toegang', reden ?? '');
  if (!pii.ok) return pii;
  const seen = new Set<string>();
  const revokes: RevokeSpec[] = [];
  for (const g of st.access.grants) {
    if (g.principal.kind !== 'user' || g.principal.userId !== userId) continue;
    const k = `${g.scope}`;
    if (seen.has(k)) continue;
    seen.add(k);
    revokes.push({ principal: g.principal, scope: g.scope });
  }
  // Grants the process gives this person back at the next reconcile are not removed; what stays is said plainly [R47].
  const blijft = await accessBeyondOwnGrants(c, st, st.access, userId);
  const weg = revokes.filter((r) => !blijft.processScopes.has(r.scope));
  const naam = c.directory.nameOf(userId);
  if (weg.length === 0) {
    if (blijft.reasons.length > 0)
      return fail(
        'toegang-blijft',
        `${naam} is niet verwijderd: ${blijft.reasons.join('; ')}. Zolang dat zo is, houdt deze persoon toegang tot het dossier.`,
      );
    return fail('geen-toegang', 'Deze persoon heeft geen eigen toegang tot dit dossier.');
  }
  // Revoking makes the key holders no longer all entitled: the builder rotates those scopes.
  c.accessQueue.rememberRemoval(dossierId, userId);
  const r = await submitAccess(c, st, dossierId, 'revoke', { revokes: weg, reason: reden ?? 'Toegang ingetrokken' });
  if (!r.ok || blijft.reasons.length === 0) return r;
  return fail(
    'toegang-deels-ingetrokken',
    `De eigen toegang van ${naam} is ingetrokken, maar ${naam} houdt toegang: ${blijft.reasons.join('; ')}.`,
  );
}

/**
 * Why a person keeps reading after their own grants are revoked: a group grant
 * covers them (their role at their organisation, an SWV role), or the process
 * names them (aanvrager, coördinator, behandelaar) and reconcile would give the
 * access back. Each reason in Dutch, for the Toegang screen [R47].
 */
export async function accessBeyondOwnGrants(
  c: ClientCore,
  st: DossierState,
  access: DossierAccess,
  userId: UserId,
): Promise<{ reasons: string[]; processScopes: Set<Scope> }> {
  const processScopes = new Set<Scope>();
  const cert = c.directory.person(userId)?.user ?? [...access.recipients.values()].find((x) => x.body.user === userId);
  if (!cert) return { reasons: [], processScopes };
  const subject = { userId, organisationId: cert.body.organisation, roles: cert.body.roles };
  const at = c.now().getTime();
  const reasons = new Set<string>();
  for (const g of access.grants) {
    if (g.principal.kind === 'user' || !grantActive(g, at) || !principalMatches(g.principal, subject, access.swv)) continue;
    const p = g.principal;
    const org = c.directory.person(userId)?.organisatieNaam ?? 'de eigen organisatie';
    reasons.add(
      p.kind === 'role'
        ? `de rol ${roleLabel(p.role)} in het samenwerkingsverband geeft toegang`
        : p.role === undefined
          ? `iedereen van ${org} heeft toegang`
          : `de rol ${roleLabel(p.role)} van ${org} geeft toegang; dat verandert alleen als de rol of de organisatie van deze persoon wijzigt`,
    );
  }
  const swvId = c.id?.swvId;
  // A linked ouder's access all hangs on her link, which this removal ends.
  if (swvId !== undefined && !linkedOuders(c, access, at).includes(userId)) {
    const { perHulpvraag } = await processDesired(c, st, access, swvId);
    for (const hv of perHulpvraag) {
      const mine = hv.desired.filter((d) => d.principal.kind === 'user' && d.principal.userId === userId);
      if (mine.length === 0) continue;
      for (const d of mine) processScopes.add(d.scope);
      const ctx = hv.context;
      const als =
        ctx.coordinator === userId
          ? 'coördinator'
          : ctx.behandelaars.includes(userId)
            ? 'behandelaar'
            : ctx.aanvrager === userId
              ? 'aanvrager'
              : 'betrokkene';
      reasons.add(
        `het proces van de hulpvraag '${hv.titel}' geeft toegang aan deze persoon als ${als}; wijs eerst een ander aan of breng de hulpvraag naar een status zonder die toegang`,
      );
    }
  }
  return { reasons: [...reasons], processScopes };
}

export function whoCanRead(c: ClientCore, dossierId: DossierId): Result<readonly ReaderEntry[]> {
  const st = c.dossiers.get(dossierId);
  if (!st?.access) return unknownDossier();
  const byUser = new Map<string, { scopes: Scope[]; rights: Set<string>; until: number | null; organisation: string }>();
  for (const sr of listReaders(st.access, c.now())) {
    for (const r of sr.readers) {
      if (r.right === null) continue;
      const e = byUser.get(r.user) ?? { scopes: [], rights: new Set<string>(), until: null, organisation: r.organisation };
      e.scopes.push(sr.scope);
      e.rights.add(r.right === 'admin' ? 'write' : r.right);
      const u = r.until?.getTime() ?? null;
      e.until = e.until === null || u === null ? (e.until ?? u) : Math.max(e.until, u);
      byUser.set(r.user, e);
    }
  }
  return ok(
    [...byUser.entries()].map(([user, e]) => ({
      userId: asId<UserId>(user),
      naam: c.directory.nameOf(user),
      organisatie: c.directory.person(user as UserId)?.organisatieNaam ?? '',
      scopes: e.scopes,
      rights: [...e.rights] as ('read' | 'write')[],
      expiresAt: e.until === null ? null : new Date(e.until).toISOString(),
    })),
  );
}

export function accessLog(c: ClientCore, dossierId: DossierId): Result<readonly AccessLogEntry[]> {
  const st = c.dossiers.get(dossierId);
  if (!st?.access) return unknownDossier();
  const actions: Record<AclRecordType, AccessLogEntry['action']> = {
    genesis: 'toegang-gegeven',
    grant: 'toegang-gegeven',
    revoke: 'toegang-ingetrokken',
    rotate: 'sleutel-vernieuwd',
    'device-revocation': 'toegang-ingetrokken',
    'user-end': 'toegang-ingetrokken',
    bewaartermijn: 'bewaartermijn-vastgelegd',
    bewaarplicht: 'bewaarplicht-vastgelegd',
  };
  const entries: AccessLogEntry[] = [
    ...st.access.records.map((r) => ({
      at: new Date(r.at).toISOString(),
      actor: r.signerUser,
      actorNaam: c.directory.nameOf(r.signerUser),
      action: actions[r.type],
      ...(r.subject === undefined ? {} : { subject: r.subject }),
    })),
    ...st.accessEvents.map((e) => ({
      at: new Date(e.at).toISOString(),
      actor: e.actor,
      actorNaam: c.directory.nameOf(e.actor),
      action: e.action,
    })),
  ];
  return ok(entries.sort((a, b) => a.at.localeCompare(b.at)));
}

/** A removal that a concurrent access record undid (or the relay never took) is made again. */
export async function enforceRemovals(c: ClientCore, st: DossierState): Promise<void> {
  const gone = c.accessQueue.removalsIn(st.id);
  if (!gone || !st.confirmed || (await c.store.pending(roomOf(st.id, 'toegang'))).length > 0) return;
  for (const userId of gone) {
    const still = st.confirmed.grants.some((g) => g.principal.kind === 'user' && g.principal.userId === userId);
    if (still) await revoke(c, st.id, userId, 'Toegang ingetrokken');
  }
}

/**
 * People who joined after a group grant was made (a new IB at the school, a
 * successor coördinator, a new FG) match it but hold no key box: an admin
 * device seals the current keys to them. Removed people are never newcomers:
 * their certificates stay among the recipients, and user grants are not groups.
 */
export async function shareKeysWithNewcomers(c: ClientCore, st: DossierState): Promise<void> {
  const id = c.id;
  if (!id || !st.access) return;
  const now = c.now().getTime();
  if (!isAdmin(st.access, { userId: id.userId, organisationId: id.organisationId, roles: id.roles }, now)) return;
  const people = c.directory.certificates();
  const newcomers = new Map<string, UserCertificate>();
  for (const g of st.access.grants) {
    if (g.principal.kind === 'user' || (g.expiresAt !== null && g.expiresAt <= now)) continue;
    for (const cert of recipientsFor(g.principal, id.swvId, people)) {
      const hex = keyHex(cert.body.agreementKey);
      if (!st.access.recipients.has(hex) && cert.body.validUntil > now) newcomers.set(hex, cert);
    }
  }
  // A recipient's device the root re-certified on a fresh agreement key (P49): the same person and device,
  // whatever kind of grant reached it; the superseded key then stops being entitled, so keys rotate [R155].
  const devices = new Set([...st.access.recipients.values()].map((r) => `${r.body.user}|${deviceOfCertificate(r)}`));
  for (const user of new Set([...st.access.recipients.values()].map((r) => r.body.user))) {
    if ((c.directory.endOf(user)?.endedAt ?? Infinity) <= now) continue;
    for (const cert of c.directory.certificatesOf(user)) {
      const hex = keyHex(cert.body.agreementKey);
      if (!st.access.recipients.has(hex) && cert.body.validUntil > now && devices.has(`${user}|${deviceOfCertificate(cert)}`))
        newcomers.set(hex, cert);
    }
  }
  // Runs every tick for every dossier: the outbox is read only when there is someone to add.
  if (newcomers.size === 0 || (await c.store.pending(roomOf(st.id, 'toegang'))).length > 0) return;
  const r = await submitAccess(c, st, st.id, 'grant', {
    grants: [],
    recipients: [...newcomers.values()],
    reason: 'Sleutels voor nieuwe collega’s',
  });
  if (r.ok)
    c.notifyLater(
      'status',
      roomOf(st.id, 'toegang'),
      [...newcomers.values()].map((cert) => cert.body.user),
    );
}

/** Per hulpvraag of the dossier: its context and titel, and the grants its current status wants. */
export interface HulpvraagAccessNeed {
  readonly titel: string;
  readonly context: HulpvraagContext;
  readonly desired: readonly DesiredGrant[];
}

/** What one hulpvraag's process wants, from its document and its verified status (null when not readable here). */
export async function hulpvraagAccessInput(
  c: ClientCore,
  st: DossierState,
  hvId: HulpvraagId,
): Promise<{ titel: string; input: HulpvraagAccessInput } | null> {
  await workflowOf(c, st, hvId);
  const state = currentState(c, st, hvId);
  if (!state.ok) return null;
  const sd = statusDefinition(state.value.definition, state.value.status);
  const doc = st.docs.get(`hulpvraag:${hvId}`)?.doc;
  // Only aanpakken a dossier admin signed invite anyone [R134] (workflowOf above verified them).
  const aanpak = doc
    ? aanpakOf(st, hvId, doc).map((a) => ({ behandelaar: asId<UserId>(a.behandelaar), expiresAt: aanpakExpiry(a.einddatum) }))
    : [];
  const eerderBenoemd = doc ? eerderBenoemdOf(st, hvId, doc) : [];
  const processAccess = state.value.definition.statuses.flatMap((x) => x.access);
  const verzoeken = doc && c.id ? await readOverlegrondeVerzoeken(c.provider, doc, hvId, c.id.roots, trustedRevocations(st)) : [];
  const overlegrondeVerzoeken = verzoeken.map((v) => ({ ...v, einddatum: Date.parse(v.einddatum) }));
  // Organisations that wait for the ouders' toestemming get nothing until it stands [R118].
  const context = metToestemming(c, st, state.value.definition, state.value.context);
  const input: HulpvraagAccessInput = {
    context,
    access: sd?.access ?? [],
    end: sd?.end === true,
    aanpak,
    eerderBenoemd,
    processAccess,
    overlegrondeVerzoeken,
  };
  if (verzoeken.length === 0) return { titel: state.value.titel, input };
  // A request is granted only for people the picker offers, judged on this (admin) device's own
  // member list and access list, as startOverlegronde judges them [R132]. Computed only when there are
  // requests (it walks the access list). No one is left out as "me": naming its own starter (a
  // coördinator or behandelaar) gives a request nothing more.
  const lezers = whoCanRead(c, st.id);
  const mogelijk = new Set(mogelijkeDeelnemers(directory(c), lezers.ok ? lezers.value : [], hvId, '').map((p) => p.userId));
  return { titel: state.value.titel, input: { ...input, mogelijkeDeelnemers: mogelijk } };
}

/**
 * What the statuses of the hulpvragen want (the one computation reconcile and a
 * removal's check share), the scopes the process decides and who each names.
 * `only`: just that hulpvraag (a status change, an aanpak); `leerling` is
 * dossier-wide and is then only added to, never taken away (the tick's sweep does that).
 */
export async function processDesired(
  c: ClientCore,
  st: DossierState,
  access: DossierAccess,
  swvId: SwvId,
  only?: HulpvraagId,
): Promise<{ desired: DesiredGrant[]; scopes: Set<Scope>; named: Map<Scope, Set<UserId>>; perHulpvraag: HulpvraagAccessNeed[] }> {
  const now = c.now().getTime();
  const desired: DesiredGrant[] = [];
  const perHulpvraag: HulpvraagAccessNeed[] = [];
  const scopes = new Set<Scope>(only === undefined ? ['leerling'] : []);
  const named = new Map<Scope, Set<UserId>>();
  const ouders = linkedOuders(c, access, now);
  for (const scope of st.docs.keys()) {
    if (scopeKind(scope) !== 'hulpvraag') continue;
    const hvId = asId<HulpvraagId>(scope.slice('hulpvraag:'.length));
    if (only !== undefined && hvId !== only) continue;
    const hv = await hulpvraagAccessInput(c, st, hvId);
    if (hv === null) continue;
    for (const k of ['hulpvraag', 'formulieren', 'lvs'] as const) scopes.add(`${k}:${hvId}`);
    for (const [s, people] of namedScopes(hv.input)) named.set(s, new Set([...(named.get(s) ?? []), ...people]));
    const mine = desiredForHulpvraag(hv.input, swvId, ouders, now);
    desired.push(...mine);
    perHulpvraag.push({ titel: hv.titel, context: hv.input.context, desired: mine });
  }
  return { desired, scopes, named, perHulpvraag };
}

/** Submits what `planWorkflowAccess` found, with key boxes for everyone a new grant covers. */
export async function submitWorkflowPlan(
  c: ClientCore,
  st: DossierState,
  plan: { grants: GrantSpec[]; revokes: RevokeSpec[] },
  reason: string,
  names?: Record<string, string>,
): Promise<Result<UserId[]>> {
  const id = c.id;
  if (!id) return locked();
  if (plan.grants.length === 0 && plan.revokes.length === 0) return ok([]);
  const people = c.directory.certificates();
  const recipients = new Map<string, UserCertificate>();
  for (const g of plan.grants)
    for (const cert of recipientsFor(g.principal, id.swvId, people)) recipients.set(keyHex(cert.body.agreementKey), cert);
  const r = await submitAccess(c, st, st.id, plan.revokes.length > 0 ? 'revoke' : 'grant', {
    grants: plan.grants,
    revokes: plan.revokes,
    recipients: [...recipients.values()],
    reason,
    ...(names ? { names } : {}),
  });
  if (!r.ok) return r;
  const users = [...recipients.values()].map((cert) => cert.body.user);
  c.notifyLater('status', roomOf(st.id, 'toegang'), users);
  return ok(users);
}

/**
 * Admin devices bring the access list in line with the process [R23, R90]: the
 * tick sweeps every hulpvraag; a status change, an aanpak or a new coördinator
 * passes `only` and reconciles just that hulpvraag.
 */
export async function reconcile(c: ClientCore, st: DossierState, only?: HulpvraagId): Promise<void> {
  const id = c.id;
  if (!id || !st.access) return;
  const subject = { userId: id.userId, organisationId: id.organisationId, roles: id.roles };
  const now = c.now().getTime();
  if (!isAdmin(st.access, subject, now)) return;
  const { desired, scopes, named } = await processDesired(c, st, st.access, id.swvId, only);
  // Dossiers made before the FG's oversight grant existed get it here (never taken away: toegang is no hulpvraag scope).
  desired.push(privacyOversight(id.swvId));
  const plan = planWorkflowAccess(st.access, { desired, revocable: scopes, named }, now);
  await submitWorkflowPlan(c, st, plan, 'Toegang volgt de status');
}

/** An admin device makes the key rotations that are due (core/access/rotation) as one access record. */
export async function rotateDueKeys(c: ClientCore, st: DossierState, id: Identity, now: Date): Promise<void> {
  const access = st.access;
  // Admins rotate everything due, writers the scopes they write (performDueRotations decides) [R42].
  if (!access || rotationsDue(access, now).length === 0) return;
  await c.relay.engine?.submitBuilt(roomOf(st.id, 'toegang'), 'acl', async (counter) => {
    const rot = await performDueRotations(c.provider, access, {
      signer: { chain: id.chain, deviceSecretKey: id.device.secretKey },
      keyring: st.keyring,
      now,
      counter,
    });
    if (!rot.ok) return fail(rot.error.code, rot.error.message);
    if (rot.value === null) return fail('niets-te-doen', 'Geen vernieuwing nodig.');
    const applied = await applyAccessRecord(c.provider, st.access, rot.value.envelope, id.roots, now);
    if (!applied.ok) return applied;
    st.access = applied.value;
    st.keyring = mergeKeyrings(st.keyring, rot.value.keyring);
    const { encodeEnvelope } = await import('../crypto/envelope.js');
    return ok(encodeEnvelope(rot.value.envelope));
  });
}
