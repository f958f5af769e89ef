// A hulpvraag's status is derived: its signed status events, each verified once, folded
// with the process definition into the workflow state.
import type * as Y from 'yjs';
import { DEFAULT_SWV_PROCESS_CONFIG } from '../workflow/definition.js';
import { initialState } from '../workflow/engine.js';
import { foldStatusEvents } from '../workflow/fold.js';
import type { HulpvraagContext, WorkflowState } from '../workflow/state.js';
import { processById } from '../processes/process-set.js';
import { asId } from '../model/ids.js';
import type { HulpvraagId, OrganisationId, UserId } from '../model/ids.js';
import { ok, fail, type Result } from '../result.js';
import * as docs from './dossier-docs.js';
import { trustedRevocations, type DossierState } from './dossier-state.js';
import { signedItemKey, verifyStatusEvent } from './signed-event.js';
import { betrokkenOf, verifyBetrokken } from './betrokken-getekend.js';
import { coordinatorOf, verifyCoordinator } from './coordinator-getekend.js';
import { aanpakOf, verifyAanpak } from './aanpak-getekend.js';
import type { ClientCore } from './client-core.js';

/**
 * The workflow's view of a hulpvraag; behandelaars come from its aanpak (003), so the process's BEHANDELAAR
 * access and notifications reach them. The caller passes the aanpakken a dossier admin signed (`aanpakOf`) [R134].
 */
export function contextFor(
  hvId: HulpvraagId,
  m: {
    schoolId: string;
    aanvrager: string;
    coordinator: string | null;
    betrokken?: readonly docs.BetrokkenOrganisatie[];
    behandelaars?: readonly string[];
  },
): HulpvraagContext {
  return {
    hulpvraagId: hvId,
    schoolId: asId<OrganisationId>(m.schoolId),
    aanvrager: asId<UserId>(m.aanvrager),
    coordinator: m.coordinator === null ? null : asId<UserId>(m.coordinator),
    behandelaars: [...new Set((m.behandelaars ?? []).map((u) => asId<UserId>(u)))],
    // The organisations the hulpvraag names (voorschoolse voorziening, school van voorkeur, …): the process reaches
    // them. The caller passes the list a dossier admin signed (`betrokkenOf`), never the document's word alone [R49].
    betrokkenOrganisaties: (m.betrokken ?? []).map((b) => ({ organisationId: asId<OrganisationId>(b.organisationId), relatie: b.relatie })),
  };
}

/**
 * The context of a hulpvraag as its document and the dossier say it. The school whose roles count
 * ("eigen school") is the dossier's owner from the signed access list, never the document's `schoolId`:
 * any writer of the hulpvraag (a partnerschool, the SWV) can write that field, and would otherwise make
 * its own organisation the school [R126]. The organisations it names are the list an admin signed [R125].
 */
export function hulpvraagContext(st: DossierState, hvId: HulpvraagId, meta: docs.HulpvraagMeta, doc: Y.Doc): HulpvraagContext {
  return contextFor(hvId, {
    schoolId: st.access?.owner ?? meta.schoolId,
    aanvrager: aanvragerOf(st, meta),
    // Named in a signed setting by a dossier admin or the SWV, never by the document's plain field [R127].
    coordinator: coordinatorOf(st, hvId, doc),
    betrokken: betrokkenOf(st, hvId, doc),
    // Invited by an aanpak a dossier admin signed, never by another writer's entry [R134].
    behandelaars: aanpakOf(st, hvId, doc).map((a) => a.behandelaar),
  });
}

/**
 * The aanvrager as the document names it, when that is a person of the owning school (the IB or COO who
 * filed it, or the successor a staff change named); anyone else a writer puts there is nobody ('') [R127].
 */
function aanvragerOf(st: DossierState, meta: docs.HulpvraagMeta): string {
  const access = st.access;
  if (!access) return '';
  const ofOwner = [...access.recipients.values()].some(
    (cert) => cert.body.user === meta.aanvrager && cert.body.organisation === access.owner,
  );
  return ofOwner ? meta.aanvrager : '';
}

/** Status is derived: verify every signed event (once), then fold with the process definition. */
export async function workflowOf(
  c: ClientCore,
  st: DossierState,
  hvId: HulpvraagId,
): Promise<
  Result<{
    state: WorkflowState;
    meta: docs.HulpvraagMeta;
    rejected: { at: string; actor: string; reden: string }[];
    verified: Map<string, boolean>;
  }>
> {
  const id = c.id;
  const d = st.docs.get(`hulpvraag:${hvId}`);
  const meta = d ? docs.readHulpvraagMeta(d.doc) : null;
  if (!id || !d || !meta) return fail('niet-beschikbaar', 'Deze hulpvraag is (nog) niet beschikbaar.');
  const def = processById(meta.processId);
  if (!def.ok) return def;
  await verifyBetrokken(c, st, hvId, d.doc);
  await verifyCoordinator(c, st, hvId, d.doc);
  await verifyAanpak(c, st, hvId, d.doc);
  const init = initialState(def.value, meta.titel, hulpvraagContext(st, hvId, meta, d.doc), DEFAULT_SWV_PROCESS_CONFIG);
  if (!init.ok) return init;
  const events = [];
  const rejected: { at: string; actor: string; reden: string }[] = [];
  const verified = new Map<string, boolean>();
  const revocations = trustedRevocations(st);
  for (const item of docs.statusItems(d.doc)) {
    const key = signedItemKey(item);
    let ev = st.verifiedEvents.get(key);
    if (ev === undefined) {
      const r = await verifyStatusEvent(c.provider, item, hvId, id.roots, revocations);
      ev = r.ok ? r.value : null;
      st.verifiedEvents.set(key, ev);
      if (!r.ok) rejected.push({ at: '', actor: '', reden: r.error.message });
    }
    if (ev) {
      events.push(ev);
      verified.set(ev.id, true);
    }
  }
  const folded = foldStatusEvents(init.value, events);
  for (const r of folded.rejected) rejected.push({ at: r.event.at, actor: r.event.actor.userId, reden: r.error.message });
  return ok({ state: folded.state, meta, rejected, verified });
}

/** The fold of the events verified so far (synchronous views; refreshViews verifies the rest), with the hulpvraag's document and meta. */
export function verifiedFold(
  st: DossierState,
  hvId: HulpvraagId,
): Result<{ folded: ReturnType<typeof foldStatusEvents>; meta: docs.HulpvraagMeta; doc: Y.Doc }> {
  const d = st.docs.get(`hulpvraag:${hvId}`);
  const meta = d ? docs.readHulpvraagMeta(d.doc) : null;
  if (!d || !meta) return fail('niet-beschikbaar', 'Deze hulpvraag is (nog) niet beschikbaar.');
  const def = processById(meta.processId);
  if (!def.ok) return def;
  trustedRevocations(st);
  const init = initialState(def.value, meta.titel, hulpvraagContext(st, hvId, meta, d.doc), DEFAULT_SWV_PROCESS_CONFIG);
  if (!init.ok) return init;
  const events = docs.statusItems(d.doc).flatMap((item) => {
    const ev = st.verifiedEvents.get(signedItemKey(item));
    return ev ? [ev] : [];
  });
  return ok({ folded: foldStatusEvents(init.value, events), meta, doc: d.doc });
}

export function currentState(_c: ClientCore, st: DossierState, hvId: HulpvraagId): Result<WorkflowState> {
  const f = verifiedFold(st, hvId);
  return f.ok ? ok(f.value.folded.state) : f;
}
