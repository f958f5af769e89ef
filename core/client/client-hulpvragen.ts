// Hulpvragen: filing one, its view, status changes (signed events) and the workflow's
// effects on access and notifications.
import * as Y from 'yjs';
import type { GrantSpec } from '../access/acl-record.js';
import type { UserCertificate } from '../access/certificate.js';
import { isAdmin, keyHex } from '../access/dossier-access.js';
import { atLeast, principalKey } from '../access/principal.js';
import { roomOf, type Scope } from '../access/rooms.js';
import { DEFAULT_SWV_PROCESS_CONFIG } from '../workflow/definition.js';
import { statusDefinition, transition } from '../workflow/engine.js';
import { availableTransitions } from '../workflow/available.js';
import { processForTitel } from '../processes/index.js';
import { asId } from '../model/ids.js';
import type { DossierId, HulpvraagId, OrganisationId, OverlegrondeId, StatusEventId, UserId } from '../model/ids.js';
import type { TlvAfgifte } from '../model/tlv.js';
import type { StatusEvent } from '../model/status-event.js';
import type { Actor } from '../model/user.js';
import { ok, fail, type Result } from '../result.js';
import type { BetrokkenOrganisatie, HulpvraagInput, HulpvraagView, StatusHistoryEntry, TransitionOption } from './api.js';
import * as docs from './dossier-docs.js';
import type { DossierState } from './dossier-state.js';
import { signedItemKey, signStatusEvent } from './signed-event.js';
import { aanpakViewOf } from './aanpak.js';
import { desiredGrants, notifyRecipients, recipientsFor } from './workflow-access.js';
import { reconcile } from './client-access.js';
import type { ClientCore } from './client-core.js';
import { newId } from './client-core.js';
import { checkNoPii } from './client-dossiers.js';
import { mutate, submitAccess } from './client-rooms.js';
import { contextFor, currentState, verifiedFold, workflowOf } from './client-workflow.js';
import { linkedOuders, ouderLinkGrants } from './client-ouders.js';
import { aanwezigVoorOvergang } from './client-vereisten.js';
import { checkVereisten, vereistVoor } from '../workflow/vereisten.js';
import { legBewaartermijnVast } from './client-retention.js';

export async function createHulpvraag(c: ClientCore, dossierId: DossierId, input: HulpvraagInput): Promise<Result<HulpvraagId>> {
  const idr = c.requireId();
  if (!idr.ok) return idr;
  const id = idr.value;
  const st = c.dossiers.get(dossierId);
  if (!st?.access) return fail('dossier-onbekend', 'Onbekend dossier.');
  if (!isAdmin(st.access, { userId: id.userId, organisationId: id.organisationId, roles: id.roles }, c.now().getTime())) {
    return fail('niet-toegestaan', 'Alleen de school die eigenaar is van het dossier kan een hulpvraag indienen.');
  }
  const def = processForTitel(input.titel);
  if (!def.ok) return def;
  const pii = checkNoPii(c, st, `${input.omschrijving} ${(input.labels ?? []).join(' ')}`);
  if (!pii.ok) return pii;
  const hvId = asId<HulpvraagId>(newId(c.provider));
  const betrokken = [...(input.betrokkenOrganisaties ?? [])];
  const ctx = contextFor(hvId, { schoolId: id.organisationId, aanvrager: id.userId, coordinator: null, betrokken });
  const actor: Actor = { userId: id.userId, organisationId: id.organisationId, roles: id.roles };
  const { startProcess } = await import('../workflow/engine.js');
  const started = startProcess(def.value, input.titel, ctx, DEFAULT_SWV_PROCESS_CONFIG, actor, c.now());
  if (!started.ok) return started;
  // Access as the start status says, through the function reconcile uses (one path): the school's
  // group grants (IB, COO, bevoegd gezag who signs the form, …) exist at once, not after the next tick.
  const ouders = linkedOuders(c, st.access, c.now().getTime());
  const processGrants: GrantSpec[] = desiredGrants(statusDefinition(def.value, started.value.state.status)?.access ?? [], ctx, id.swvId, ouders).map((g) => ({
    principal: g.principal,
    scope: g.scope,
    right: g.right,
    expiresAt: null,
  }));
  // Ouders linked to this dossier read the new hulpvraag of their own child at once [R46].
  const grantKey = (g: GrantSpec): string => `${principalKey(g.principal)}|${g.scope}`;
  const taken = new Set(processGrants.map(grantKey));
  const grants = [...processGrants, ...ouders.flatMap((u) => ouderLinkGrants(u, [hvId])).filter((g) => g.scope !== 'leerling' && !taken.has(grantKey(g)))];
  const people = c.certificates();
  const recipients = new Map<string, UserCertificate>();
  for (const g of grants) for (const cert of recipientsFor(g.principal, id.swvId, people)) recipients.set(keyHex(cert.body.agreementKey), cert);
  const acc = await submitAccess(c, st, dossierId, 'grant', { grants, recipients: [...recipients.values()], reason: 'Hulpvraag aangemaakt' });
  if (!acc.ok) return acc;
  // Colleagues learn of the dossier through a content-free notification of its toegang room.
  c.notifyLater('status', roomOf(dossierId, 'toegang'), [...recipients.values()].map((cert) => cert.body.user));
  const now = c.now().toISOString();
  const w = await mutate(c, st, `hulpvraag:${hvId}`, (doc) => {
    docs.writeHulpvraagMeta(doc, {
      titel: input.titel,
      processId: def.value.id,
      omschrijving: input.omschrijving,
      labels: [...(input.labels ?? [])],
      coordinator: null,
      datum: input.datum ?? now.slice(0, 10),
      schoolId: id.organisationId,
      schoolNaam: id.chain.organisation.body.naam,
      aanvrager: id.userId,
      contactpersoon: c.nameOf(id.userId),
      email: id.email,
      aangemaaktOp: now,
    });
    if (betrokken.length > 0) docs.writeBetrokken(doc, betrokken);
  });
  if (!w.ok) return w;
  // An open hulpvraag lifts a fixed retention date: the dossier is in use again [R80].
  await legBewaartermijnVast(c, dossierId);
  return ok(hvId);
}

export function getHulpvraag(c: ClientCore, dossierId: DossierId, hulpvraagId: HulpvraagId): Result<HulpvraagView> {
  // Synchronous view: uses events verified so far; unverified ones are checked by refreshViews().
  const st = c.dossiers.get(dossierId);
  if (!st) return fail('niet-beschikbaar', 'Deze hulpvraag is (nog) niet beschikbaar.');
  const f = verifiedFold(st, hulpvraagId);
  if (!f.ok) return f;
  const { folded, meta, doc } = f.value;
  const s = folded.state;
  const history: StatusHistoryEntry[] = s.history.map((h) => ({
    at: h.at,
    from: h.from,
    to: h.to,
    actor: h.by,
    actorNaam: c.nameOf(h.by),
    ...(h.omschrijving === undefined ? {} : { omschrijving: h.omschrijving }),
    geverifieerd: true,
  }));
  return ok({
    id: hulpvraagId,
    dossierId,
    titel: meta.titel,
    processId: meta.processId,
    omschrijving: meta.omschrijving,
    labels: meta.labels,
    coordinator: meta.coordinator === null ? null : asId<UserId>(meta.coordinator),
    status: s.status,
    statusLabel: s.status,
    history,
    rejected: folded.rejected.map((r) => ({ at: r.event.at, actor: r.event.actor.userId, reden: r.error.message })),
    bijlagen: docs.readBijlagen(doc),
    overlegronden: docs.readOverlegrondeIds(doc).map((x) => asId<OverlegrondeId>(x)),
    aangemaaktOp: meta.aangemaaktOp,
    tlv: s.tlv,
    school: { naam: meta.schoolNaam, aanvrager: asId<UserId>(meta.aanvrager), contactpersoon: meta.contactpersoon, email: meta.email },
    aanpak: aanpakViewOf(docs.readAanpak(doc), (u) => c.nameOf(u)),
    betrokkenOrganisaties: docs.readBetrokken(doc).map((b) => ({ organisationId: asId<OrganisationId>(b.organisationId), relatie: b.relatie })),
  });
}

export function allowedTransitions(c: ClientCore, dossierId: DossierId, hulpvraagId: HulpvraagId): Result<readonly TransitionOption[]> {
  const id = c.id;
  if (!id) return fail('vergrendeld', 'Kindkluis is vergrendeld.');
  const st = c.dossiers.get(dossierId);
  const view = getHulpvraag(c, dossierId, hulpvraagId);
  if (!view.ok || !st) return view.ok ? fail('dossier-onbekend', 'Onbekend dossier.') : view;
  if (!atLeast(c.myAccess(st, `hulpvraag:${hulpvraagId}`), 'write')) return ok([]);
  const stateR = currentState(c, st, hulpvraagId);
  if (!stateR.ok) return stateR;
  const actor: Actor = { userId: id.userId, organisationId: id.organisationId, roles: id.roles };
  return ok(availableTransitions(stateR.value, actor).map((t) => ({ to: t.to, label: t.to })));
}

export async function changeStatus(c: ClientCore, dossierId: DossierId, hulpvraagId: HulpvraagId, to: string, omschrijving?: string, extra?: { readonly tlv?: TlvAfgifte }): Promise<Result<string>> {
  const id = c.id;
  if (!id) return fail('vergrendeld', 'Kindkluis is vergrendeld.');
  const st = c.dossiers.get(dossierId);
  if (!st) return fail('dossier-onbekend', 'Onbekend dossier.');
  await workflowOf(c, st, hulpvraagId);
  const cur = currentState(c, st, hulpvraagId);
  if (!cur.ok) return cur;
  if (omschrijving) {
    const pii = checkNoPii(c, st, omschrijving);
    if (!pii.ok) return pii;
  }
  const event = {
    kind: 'status-change',
    id: asId<StatusEventId>(newId(c.provider)),
    at: c.now().toISOString(),
    from: cur.value.status,
    to,
    ...(omschrijving ? { omschrijving } : {}),
    ...(extra?.tlv ? { tlv: extra.tlv } : {}),
  } as StatusEvent;
  const actor: Actor = { userId: id.userId, organisationId: id.organisationId, roles: id.roles };
  const t = transition(cur.value, event, actor, c.now());
  if (!t.ok) return t;
  // A signed form and required bijlagen before indienen, where the process says so (002 stap 5–7).
  const vereist = vereistVoor(cur.value.definition, cur.value.status, to);
  if (vereist !== null) {
    const v = checkVereisten(to, vereist, await aanwezigVoorOvergang(c, st, dossierId, hulpvraagId, cur.value.titel));
    if (!v.ok) return v;
  }
  const r = await appendEvent(c, st, hulpvraagId, event, t.value.effects, t.value.state.status);
  // An end status fixes the retention date in the access list [R80]; if this fails, the next tick tries again.
  if (r.ok) await legBewaartermijnVast(c, dossierId);
  return r;
}

export async function appendEvent(
  c: ClientCore,
  st: DossierState,
  hulpvraagId: HulpvraagId,
  event: StatusEvent,
  effects: readonly import('../workflow/effects.js').WorkflowEffect[],
  newStatus: string,
): Promise<Result<string>> {
  const id = c.id;
  if (!id) return fail('vergrendeld', 'Kindkluis is vergrendeld.');
  const item = await signStatusEvent(c.provider, hulpvraagId, event, { secretKey: id.device.secretKey, chainBytes: id.publicChainBytes });
  st.verifiedEvents.set(signedItemKey(item), { ...event, actor: { userId: id.userId, organisationId: id.organisationId, roles: id.roles } });
  const w = await mutate(c, st, `hulpvraag:${hulpvraagId}`, (doc) => docs.pushStatusItem(doc, item));
  if (!w.ok) return w;
  await runEffects(c, st, hulpvraagId, effects);
  return ok(newStatus);
}

/**
 * The one path for workflow effects: access follows the status (reconciled by
 * an admin device), notifications go to the relay content-free, an ending
 * status closes the overlegronden.
 */
async function runEffects(c: ClientCore, st: DossierState, hvId: HulpvraagId, effects: readonly import('../workflow/effects.js').WorkflowEffect[]): Promise<void> {
  const id = c.id;
  if (!id) return;
  const meta = st.docs.get(`hulpvraag:${hvId}`);
  const m = meta ? docs.readHulpvraagMeta(meta.doc) : null;
  if (!m) return;
  const ctx = contextFor(hvId, m, meta?.doc);
  const ouders = st.access ? linkedOuders(c, st.access, c.now().getTime()) : [];
  const recipients = new Set<string>();
  for (const e of effects) {
    for (const u of notifyRecipients(e, ctx, id.swvId, c.certificates(), ouders)) if (u !== id.userId) recipients.add(u);
    if (e.kind === 'close-overlegronden') {
      for (const o of docs.readOverlegrondeIds(meta?.doc ?? new Y.Doc())) {
        const scope: Scope = `overlegronde:${o}`;
        if (atLeast(c.myAccess(st, scope), 'write')) {
          await mutate(c, st, scope, (doc) => doc.getMap('meta').set('geslotenOp', e.at));
        }
      }
    }
  }
  await reconcile(c, st);
  c.notifyLater('status', roomOf(st.id, 'toegang'), [...recipients]);
}

export async function updateHulpvraag(
  c: ClientCore,
  dossierId: DossierId,
  hulpvraagId: HulpvraagId,
  patch: {
    readonly omschrijving?: string;
    readonly labels?: readonly string[];
    readonly coordinator?: UserId | null;
    /** The full list of involved organisations; access follows at the next reconcile of an admin device. */
    readonly betrokkenOrganisaties?: readonly BetrokkenOrganisatie[];
  },
): Promise<Result<void>> {
  const st = c.dossiers.get(dossierId);
  if (!st) return fail('dossier-onbekend', 'Onbekend dossier.');
  const pii = checkNoPii(c, st, `${patch.omschrijving ?? ''} ${(patch.labels ?? []).join(' ')}`);
  if (!pii.ok) return pii;
  const w = await mutate(c, st, `hulpvraag:${hulpvraagId}`, (doc) => {
    const m = doc.getMap('meta');
    if (patch.omschrijving !== undefined) m.set('omschrijving', patch.omschrijving);
    if (patch.labels !== undefined) m.set('labels', [...patch.labels]);
    if (patch.coordinator !== undefined) m.set('coordinator', patch.coordinator);
    if (patch.betrokkenOrganisaties !== undefined) docs.writeBetrokken(doc, patch.betrokkenOrganisaties);
  });
  if (!w.ok) return w;
  // A newly named organisation gets the access its status gives at once, when this device administers the dossier.
  if (patch.betrokkenOrganisaties !== undefined) await reconcile(c, st);
  return ok(undefined);
}
