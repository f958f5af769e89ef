// Hulpvragen: filing one, its view, status changes (signed events) and the workflow's
// effects on access and notifications.
import * as Y from 'yjs';
import { isAdmin } from '../access/dossier-access.js';
import { atLeast } from '../access/principal.js';
import { roomOf, type Scope } from '../access/rooms.js';
import { DEFAULT_SWV_PROCESS_CONFIG } from '../workflow/definition.js';
import { statusDefinition, transition } from '../workflow/engine.js';
import { availableTransitions } from '../workflow/available.js';
import { processById, processForTitel } from '../processes/process-set.js';
import { asId } from '../model/ids.js';
import type { DossierId, HulpvraagId, OrganisationId, OverlegrondeId, StatusEventId, UserId } from '../model/ids.js';
import type { TlvAfgifte } from '../model/tlv-verklaring.js';
import { drawVolgnummer, tlvZonderNummer, type TlvInvoer } from './client-tlv-register.js';
import { checkToestemmingVoorStatus, metToestemming } from './client-toestemming.js';
import type { StatusEvent } from '../model/status-event.js';
import type { Actor } from '../model/user.js';
import { ok, fail, type Result } from '../result.js';
import type { BetrokkenOrganisatie, HulpvraagInput, HulpvraagView, StatusHistoryEntry, TransitionOption } from './api.js';
import * as docs from './dossier-docs.js';
import type { DossierState } from './dossier-state.js';
import { signedItemKey, signStatusEvent, type SignedEventItem } from './signed-event.js';
import { betrokkenOf, pushBetrokken, signBetrokken, verifyBetrokken } from './betrokken-getekend.js';
import { coordinatorOf, mayNameCoordinator, pushCoordinator, signCoordinator, verifyCoordinator } from './coordinator-getekend.js';
import { aanpakViewOf } from './aanpak.js';
import { aanpakOf } from './aanpak-getekend.js';
import { desiredForHulpvraag, notifyRecipients, planWorkflowAccess } from './workflow-access.js';
import { submitWorkflowPlan } from './client-access.js';
import type { ClientCore } from './client-core.js';
import { newId } from './client-core.js';
import { createDossier } from './client-dossiers.js';
import type { Leerling } from '../model/leerling.js';
import { dossierSession } from './dossier-session.js';
import { contextFor, currentState, hulpvraagContext, verifiedFold, workflowOf } from './client-workflow.js';
import { linkedOuders } from './client-ouders.js';
import { aanwezigVoorOvergang } from './client-vereisten.js';
import { checkVereisten, vereistVoor } from '../workflow/vereisten.js';
import { legBewaartermijnVast } from './client-retention.js';
import { locked } from './state/session.js';
import { unknownDossier } from './state/dossier-registry.js';

export async function createHulpvraag(c: ClientCore, dossierId: DossierId, input: HulpvraagInput): Promise<Result<HulpvraagId>> {
  const idr = c.requireId();
  if (!idr.ok) return idr;
  const id = idr.value;
  const st = c.dossiers.get(dossierId);
  if (!st?.access) return unknownDossier();
  if (!isAdmin(st.access, { userId: id.userId, organisationId: id.organisationId, roles: id.roles }, c.now().getTime())) {
    return fail('niet-toegestaan', 'Alleen de school die eigenaar is van het dossier kan een hulpvraag indienen.');
  }
  const def = processForTitel(input.titel);
  if (!def.ok) return def;
  const pii = dossierSession(c, st).checkFreeText('hulpvraag', `${input.omschrijving} ${(input.labels ?? []).join(' ')}`);
  if (!pii.ok) return pii;
  const hvId = asId<HulpvraagId>(newId(c.provider));
  const betrokken = [...(input.betrokkenOrganisaties ?? [])];
  const ctx = contextFor(hvId, { schoolId: id.organisationId, aanvrager: id.userId, coordinator: null, betrokken });
  const actor: Actor = { userId: id.userId, organisationId: id.organisationId, roles: id.roles };
  const { startProcess } = await import('../workflow/engine.js');
  const started = startProcess(def.value, input.titel, ctx, DEFAULT_SWV_PROCESS_CONFIG, actor, c.now());
  if (!started.ok) return started;
  // Access as the start status says, through the one workflow → access function [R23]: the school's
  // group grants (IB, COO, bevoegd gezag who signs the form, …) and linked ouders [R46] exist at once.
  const at = c.now().getTime();
  const sd = statusDefinition(def.value, started.value.state.status);
  const desired = desiredForHulpvraag(
    { context: ctx, access: sd?.access ?? [], end: sd?.end === true, aanpak: [], eerderBenoemd: [], processAccess: [] },
    id.swvId,
    linkedOuders(c, st.access, at),
    at,
  );
  const plan = planWorkflowAccess(st.access, { desired, revocable: new Set(), named: new Map() }, at);
  const acc = await submitWorkflowPlan(c, st, plan, 'Hulpvraag aangemaakt');
  if (!acc.ok) return acc;
  const now = c.now().toISOString();
  // The organisations it names, signed by this admin's device: only such a list reaches anyone [R49].
  const betrokkenItem = betrokken.length > 0 ? await signBetrokken(c, hvId, betrokken) : null;
  const w = await dossierSession(c, st).write(`hulpvraag:${hvId}`, (doc) => {
    docs.writeHulpvraagMeta(doc, {
      titel: input.titel,
      processId: def.value.id,
      omschrijving: input.omschrijving,
      labels: [...(input.labels ?? [])],
      datum: input.datum ?? now.slice(0, 10),
      schoolId: id.organisationId,
      schoolNaam: id.chain.organisation.body.naam,
      aanvrager: id.userId,
      contactpersoon: c.directory.nameOf(id.userId),
      email: id.email,
      aangemaaktOp: now,
    });
    if (betrokkenItem) pushBetrokken(doc, betrokkenItem);
  });
  if (!w.ok) return w;
  const hvDoc = st.docs.get(`hulpvraag:${hvId}`)?.doc;
  if (hvDoc) await verifyBetrokken(c, st, hvId, hvDoc);
  // The start status's meldingen (e.g. the SWV coördinator of a new bezwaar), content-free.
  const gemeld = new Set<string>();
  for (const e of started.value.effects)
    for (const u of notifyRecipients(e, ctx, id.swvId, c.directory.certificates(), linkedOuders(c, st.access, at))) gemeld.add(u);
  c.notifyLater('status', roomOf(dossierId, 'toegang'), [...gemeld]);
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
    actorNaam: c.directory.nameOf(h.by),
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
    coordinator: coordinatorOf(st, hulpvraagId, doc),
    status: s.status,
    statusLabel: s.status,
    history,
    rejected: folded.rejected.map((r) => ({ at: r.event.at, actor: r.event.actor.userId, reden: r.error.message })),
    bijlagen: docs.readBijlagen(doc),
    overlegronden: docs.readOverlegrondeIds(doc).map((x) => asId<OverlegrondeId>(x)),
    aangemaaktOp: meta.aangemaaktOp,
    tlv: s.tlv,
    school: { naam: meta.schoolNaam, aanvrager: asId<UserId>(meta.aanvrager), contactpersoon: meta.contactpersoon, email: meta.email },
    // Only the aanpakken a dossier admin signed: another writer's entry shows nobody as invited [R134].
    aanpak: aanpakViewOf(aanpakOf(st, hulpvraagId, doc), (u) => c.directory.nameOf(u)),
    betrokkenOrganisaties: betrokkenOf(st, hulpvraagId, doc).map((b) => ({
      organisationId: asId<OrganisationId>(b.organisationId),
      relatie: b.relatie,
    })),
  });
}

export function allowedTransitions(c: ClientCore, dossierId: DossierId, hulpvraagId: HulpvraagId): Result<readonly TransitionOption[]> {
  const id = c.id;
  if (!id) return locked();
  const st = c.dossiers.get(dossierId);
  const view = getHulpvraag(c, dossierId, hulpvraagId);
  if (!view.ok || !st) return view.ok ? unknownDossier() : view;
  if (!atLeast(c.myAccess(st, `hulpvraag:${hulpvraagId}`), 'write')) return ok([]);
  const stateR = currentState(c, st, hulpvraagId);
  if (!stateR.ok) return stateR;
  const actor: Actor = { userId: id.userId, organisationId: id.organisationId, roles: id.roles };
  return ok(availableTransitions(stateR.value, actor).map((t) => ({ to: t.to, label: t.to })));
}

/**
 * A status change by this person. A status that records a TLV takes its data without the volgnummer:
 * once the change is allowed, the number is drawn from the SWV's register [P71] and signed into the event.
 */
export async function changeStatus(
  c: ClientCore,
  dossierId: DossierId,
  hulpvraagId: HulpvraagId,
  to: string,
  omschrijving?: string,
  extra?: { readonly tlv?: TlvInvoer },
): Promise<Result<string>> {
  const id = c.id;
  if (!id) return locked();
  const st = c.dossiers.get(dossierId);
  if (!st) return unknownDossier();
  await workflowOf(c, st, hulpvraagId);
  const cur = currentState(c, st, hulpvraagId);
  if (!cur.ok) return cur;
  if (omschrijving) {
    const pii = dossierSession(c, st).checkFreeText('hulpvraag', omschrijving);
    if (!pii.ok) return pii;
  }
  // One event, checked first and then signed: only its TLV (the register's number) may differ between the two.
  const eventId = asId<StatusEventId>(newId(c.provider));
  const at = c.now().toISOString();
  const eventWith = (tlv: TlvAfgifte | undefined): StatusEvent =>
    ({
      kind: 'status-change',
      id: eventId,
      at,
      from: cur.value.status,
      to,
      ...(omschrijving ? { omschrijving } : {}),
      ...(tlv ? { tlv } : {}),
    }) as StatusEvent;
  // Any number the caller put in is ignored: only the register gives one. Checked first with a stand-in
  // number, so a change that is not allowed uses no number of the register.
  const invoer = extra?.tlv === undefined ? undefined : tlvZonderNummer(extra.tlv);
  const actor: Actor = { userId: id.userId, organisationId: id.organisationId, roles: id.roles };
  let event = eventWith(invoer === undefined ? undefined : { ...invoer, volgnummer: 1 });
  let t = transition(cur.value, event, actor, c.now());
  if (!t.ok) return t;
  // A signed form and required bijlagen before indienen, where the process says so (002 stap 5–7).
  const vereist = vereistVoor(cur.value.definition, cur.value.status, to);
  if (vereist !== null) {
    const v = checkVereisten(to, vereist, await aanwezigVoorOvergang(c, st, dossierId, hulpvraagId, cur.value.titel));
    if (!v.ok) return v;
  }
  // Sharing with the school van voorkeur waits for a linked ouder's toestemming (001) [R118].
  const toestemming = checkToestemmingVoorStatus(c, st, cur.value.definition, hulpvraagId, to);
  if (!toestemming.ok) return toestemming;
  if (invoer !== undefined) {
    // A status that records no TLV keeps none in its event; one that does gets the register's number.
    const recordsTlv = t.value.state.tlv !== cur.value.tlv;
    let nummer: { readonly volgnummer: number; readonly bewijs: string } | undefined;
    if (recordsTlv) {
      const drawn = await drawVolgnummer(c, hulpvraagId);
      if (!drawn.ok) return drawn;
      nummer = drawn.value;
    }
    event = eventWith(nummer === undefined ? undefined : { ...invoer, ...nummer });
    t = transition(cur.value, event, actor, c.now());
    if (!t.ok) return t;
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
  if (!id) return locked();
  const item = await signStatusEvent(c.provider, hulpvraagId, event, { secretKey: id.device.secretKey, chainBytes: id.publicChainBytes });
  st.verifiedEvents.set(signedItemKey(item), {
    ...event,
    actor: { userId: id.userId, organisationId: id.organisationId, roles: id.roles },
  });
  const w = await dossierSession(c, st).write(`hulpvraag:${hulpvraagId}`, (doc) => docs.pushStatusItem(doc, item));
  if (!w.ok) return w;
  await runEffects(c, st, hulpvraagId, effects);
  return ok(newStatus);
}

/**
 * The one path for workflow effects: access follows the status (reconciled by
 * an admin device), notifications go to the relay content-free, an ending
 * status closes the overlegronden.
 */
async function runEffects(
  c: ClientCore,
  st: DossierState,
  hvId: HulpvraagId,
  effects: readonly import('../workflow/effects.js').WorkflowEffect[],
): Promise<void> {
  const id = c.id;
  if (!id) return;
  const meta = st.docs.get(`hulpvraag:${hvId}`);
  const m = meta ? docs.readHulpvraagMeta(meta.doc) : null;
  if (!m || !meta) return;
  const def = processById(m.processId);
  // Meldingen follow the same toestemming as access: an organisation still waiting for it hears nothing [R118].
  const named = hulpvraagContext(st, hvId, m, meta.doc);
  const ctx = def.ok ? metToestemming(c, st, def.value, named) : named;
  const ouders = st.access ? linkedOuders(c, st.access, c.now().getTime()) : [];
  const recipients = new Set<string>();
  for (const e of effects) {
    for (const u of notifyRecipients(e, ctx, id.swvId, c.directory.certificates(), ouders)) if (u !== id.userId) recipients.add(u);
    if (e.kind === 'close-overlegronden') {
      for (const o of docs.readOverlegrondeIds(meta?.doc ?? new Y.Doc())) {
        const scope: Scope = `overlegronde:${o}`;
        if (atLeast(c.myAccess(st, scope), 'write')) {
          await dossierSession(c, st).write(scope, (doc) => doc.getMap('meta').set('geslotenOp', e.at));
        }
      }
    }
  }
  // Only the hulpvraag that changed: the full sweep stays in the tick.
  await dossierSession(c, st).reconcileAccess(hvId);
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
  if (!st) return unknownDossier();
  const pii = dossierSession(c, st).checkFreeText('hulpvraag', `${patch.omschrijving ?? ''} ${(patch.labels ?? []).join(' ')}`);
  if (!pii.ok) return pii;
  // Whom the hulpvraag is shared with is the owning school's (the dossier admin's) choice, not every writer's [R49].
  let betrokkenItem: SignedEventItem | null = null;
  let coordinatorItem: SignedEventItem | null = null;
  if (patch.coordinator !== undefined) {
    // Naming the coördinator gives access and a role: a dossier admin's or the SWV's to do (003, 002) [R127].
    const id = c.id;
    if (
      !id ||
      !st.access ||
      !mayNameCoordinator(
        st.access,
        { userId: id.userId, organisationId: id.organisationId, roles: id.roles, organisationKind: id.chain.organisation.body.soort },
        c.now().getTime(),
      )
    ) {
      return fail(
        'niet-toegestaan',
        'Alleen de school die eigenaar is van het dossier of het samenwerkingsverband kan de coördinator kiezen.',
      );
    }
    coordinatorItem = await signCoordinator(c, hulpvraagId, patch.coordinator);
  }
  if (patch.betrokkenOrganisaties !== undefined) {
    const id = c.id;
    if (
      !id ||
      !st.access ||
      !isAdmin(st.access, { userId: id.userId, organisationId: id.organisationId, roles: id.roles }, c.now().getTime())
    ) {
      return fail('niet-toegestaan', 'Alleen de eigenaar van het dossier kan organisaties aan een hulpvraag koppelen of ontkoppelen.');
    }
    betrokkenItem = await signBetrokken(c, hulpvraagId, patch.betrokkenOrganisaties);
  }
  const w = await dossierSession(c, st).write(`hulpvraag:${hulpvraagId}`, (doc) => {
    const m = doc.getMap('meta');
    if (patch.omschrijving !== undefined) m.set('omschrijving', patch.omschrijving);
    if (patch.labels !== undefined) m.set('labels', [...patch.labels]);
    if (coordinatorItem) pushCoordinator(doc, coordinatorItem);
    if (betrokkenItem) pushBetrokken(doc, betrokkenItem);
  });
  if (!w.ok) return w;
  const hvDoc = st.docs.get(`hulpvraag:${hulpvraagId}`)?.doc;
  if (betrokkenItem && hvDoc) await verifyBetrokken(c, st, hulpvraagId, hvDoc);
  if (coordinatorItem && hvDoc) await verifyCoordinator(c, st, hulpvraagId, hvDoc);
  // A newly named organisation or coördinator gets the access its status gives at once (and a replaced
  // coördinator loses it), when this device administers the dossier [R49, R90].
  if (patch.betrokkenOrganisaties !== undefined || patch.coordinator !== undefined)
    await dossierSession(c, st).reconcileAccess(hulpvraagId);
  return ok(undefined);
}

/**
 * A new leerling's dossier with its first hulpvraag (002: "Nieuw" starts with both). The dossier
 * is made first; when the hulpvraag then fails, the dossier stays (without one) and the failure is returned.
 */
export async function createDossierWithHulpvraag(
  c: ClientCore,
  leerling: Omit<Leerling, 'id'>,
  input: HulpvraagInput,
): Promise<Result<{ readonly dossierId: DossierId; readonly hulpvraagId: HulpvraagId }>> {
  const d = await createDossier(c, leerling);
  if (!d.ok) return d;
  const h = await createHulpvraag(c, d.value, input);
  return h.ok ? ok({ dossierId: d.value, hulpvraagId: h.value }) : h;
}
