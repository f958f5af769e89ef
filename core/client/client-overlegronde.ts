// Overlegronden: a time-boxed consultation round on a hulpvraag with its participants'
// access, and its signed messages with @mentions.
import { canReactInOverlegronde, checkOverlegrondePeriode, overlegrondenAdvies } from '../messages/overlegronde-rules.js';
import { composeMessage, editMessage as editCoreMessage } from '../messages/compose.js';
import { isAdmin } from '../access/dossier-access.js';
import { roomOf, scopeKind } from '../access/rooms.js';
import { atLeast } from '../access/principal.js';
import { asId } from '../model/ids.js';
import type { DossierId, HulpvraagId, MessageId, OverlegrondeId, UserId } from '../model/ids.js';
import { ok, fail, type Result } from '../result.js';
import type { AfhandelingView, MessageView, OverlegrondeInput, OverlegrondeView } from './api.js';
import * as docs from './dossier-docs.js';
import { coreMessageOf, messageViewOf, participantsOf, rondeOf, takeHandles } from './overlegronde-messages.js';
import { trustedRevocations, type DossierState } from './dossier-state.js';
import { messageTrust, signAfhandeling, signEdit, signMessage, verifyMessages } from './signed-message.js';
import type { ClientCore } from './client-core.js';
import { newId } from './client-core.js';
import { directory } from './client-directory.js';
import { dossierSession } from './dossier-session.js';
import { readOverlegrondeVerzoeken, signVerzoek, VERZOEK_ARRAY, type OverlegrondeVerzoek } from './overlegronde-verzoek.js';
import type { SignedEventItem } from './signed-event.js';
import { hulpvraagAccessInput, submitWorkflowPlan, whoCanRead } from './client-access.js';
import { mogelijkeDeelnemers } from './views/overleg-deelnemers.js';
import { overlegrondeGrants, planWorkflowAccess, verzoekToegestaan } from './workflow-access.js';
import { locked } from './state/session.js';
import { unknownDossier } from './state/dossier-registry.js';

export async function startOverlegronde(
  c: ClientCore,
  dossierId: DossierId,
  hulpvraagId: HulpvraagId,
  input: OverlegrondeInput,
): Promise<Result<OverlegrondeId>> {
  const id = c.id;
  if (!id) return locked();
  const st = c.dossiers.get(dossierId);
  if (!st?.access) return unknownDossier();
  const at = c.now().getTime();
  const admin = isAdmin(st.access, { userId: id.userId, organisationId: id.organisationId, roles: id.roles }, at);
  const einde = Date.parse(input.einddatum);
  if (Number.isNaN(einde) || einde <= at) return fail('einddatum-ongeldig', 'Kies een einddatum in de toekomst.');
  const periode = checkOverlegrondePeriode(new Date(at).toISOString(), input.einddatum);
  if (!periode.ok) return periode;
  const pii = dossierSession(c, st).checkFreeText('overlegronde', `${input.titel} ${input.omschrijving}`);
  if (!pii.ok) return pii;
  const orId = asId<OverlegrondeId>(newId(c.provider));
  const participants = input.deelnemers.filter((u) => u !== id.userId);
  const people = c.directory.certificates();
  const recipients = people.filter((c) => participants.includes(c.body.user));
  if (recipients.length !== participants.length)
    return fail('deelnemer-onbekend', 'Een of meer deelnemers zijn niet bekend in de ledenlijst.');
  // The picker's rule, also for a caller that skips the screen [R132].
  const lezers = whoCanRead(c, dossierId);
  const mag = new Set<string>(
    mogelijkeDeelnemers(directory(c), lezers.ok ? lezers.value : [], hulpvraagId, id.userId).map((p) => p.userId),
  );
  const niet = participants.filter((u) => !mag.has(u));
  if (niet.length > 0) {
    return fail(
      'deelnemer-niet-toegestaan',
      `${niet.map((u) => c.directory.nameOf(u)).join(', ')} kan niet deelnemen aan een overlegronde over deze hulpvraag: de functionaris gegevensbescherming, de beheerder en ouders die niet aan dit dossier gekoppeld zijn doen niet mee.`,
    );
  }
  const ronde = { id: orId, hulpvraagId, starter: id.userId, deelnemers: participants, einddatum: einde };
  if (!admin) {
    // The regierolhouder (003) or the coördinator asks; an admin device grants it through the one
    // workflow → access function at its next reconcile, and this client then opens it [R92].
    const hv = await hulpvraagAccessInput(c, st, hulpvraagId);
    if (
      hv === null ||
      !verzoekToegestaan({ ...hv.input, mogelijkeDeelnemers: mag }, ronde, at) ||
      !atLeast(c.myAccess(st, `hulpvraag:${hulpvraagId}`), 'write')
    ) {
      return fail(
        'geen-beheerder',
        'Alleen een beheerder van het dossier, of de coördinator of behandelaar van deze open hulpvraag, kan een overlegronde starten.',
      );
    }
    const item = await signVerzoek(
      c.provider,
      {
        hv: hulpvraagId,
        id: orId,
        deelnemers: participants,
        einddatum: new Date(einde).toISOString(),
        titel: input.titel,
        omschrijving: input.omschrijving,
        at: new Date(at).toISOString(),
      },
      {
        secretKey: id.device.secretKey,
        chainBytes: id.publicChainBytes,
      },
    );
    const w = await dossierSession(c, st).write(`hulpvraag:${hulpvraagId}`, (doc) =>
      doc.getArray<SignedEventItem>(VERZOEK_ARRAY).push([item]),
    );
    if (!w.ok) return w;
    // The school's aanvrager hears of it (content-free), so an admin device reconciles soon.
    if (hv.input.context.aanvrager !== '') c.notifyLater('status', roomOf(dossierId, 'toegang'), [hv.input.context.aanvrager]);
    return ok(orId);
  }
  // Through the one workflow → access function [R23]: participants see the overlegronde until its
  // einddatum and read the hulpvraag, never the forms.
  const plan = planWorkflowAccess(st.access, { desired: overlegrondeGrants(ronde), revocable: new Set(), named: new Map() }, at);
  const names: Record<string, string> = {};
  for (const u of participants) names[`user:${u}`] = c.directory.nameOf(u);
  const acc = await submitWorkflowPlan(c, st, plan, 'Overlegronde gestart', names);
  if (!acc.ok) return acc;
  return openOverlegronde(c, st, {
    ...ronde,
    einddatum: new Date(einde).toISOString(),
    titel: input.titel,
    omschrijving: input.omschrijving,
  });
}

/** The starter writes the overlegronde once it holds its key, links it from the hulpvraag and tells the participants. */
async function openOverlegronde(c: ClientCore, st: DossierState, v: OverlegrondeVerzoek): Promise<Result<OverlegrondeId>> {
  const orId = asId<OverlegrondeId>(v.id);
  const w = await dossierSession(c, st).write(`overlegronde:${orId}`, (doc) =>
    docs.writeOverlegrondeMeta(doc, {
      hulpvraagId: v.hulpvraagId,
      titel: v.titel,
      omschrijving: v.omschrijving,
      einddatum: v.einddatum,
      deelnemers: [v.starter, ...v.deelnemers],
      aangemaaktDoor: v.starter,
      startdatum: c.now().toISOString(),
      geslotenOp: null,
    }),
  );
  if (!w.ok) return w;
  const h = await dossierSession(c, st).write(`hulpvraag:${v.hulpvraagId}`, (doc) => docs.pushOverlegrondeId(doc, orId));
  if (!h.ok) return h;
  c.notifyLater('overlegronde', roomOf(st.id, 'toegang'), v.deelnemers);
  return ok(orId);
}

/** Overlegronden this user asked for that an admin device has granted meanwhile: open them (run by the tick). */
export async function openGrantedOverlegronden(c: ClientCore, st: DossierState): Promise<void> {
  const id = c.id;
  if (!id) return;
  for (const [scope, d] of st.docs) {
    if (scopeKind(scope) !== 'hulpvraag') continue;
    const hulpvraagId = asId<HulpvraagId>(scope.slice('hulpvraag:'.length));
    const opened = new Set(docs.readOverlegrondeIds(d.doc));
    if (d.doc.getArray('overlegrondeVerzoeken').length === 0) continue;
    for (const v of await readOverlegrondeVerzoeken(c.provider, d.doc, hulpvraagId, id.roots, trustedRevocations(st))) {
      if (v.starter !== id.userId || opened.has(v.id) || !atLeast(c.myAccess(st, `overlegronde:${v.id}`), 'write')) continue;
      await openOverlegronde(c, st, v);
    }
  }
}

export function getOverlegronde(c: ClientCore, dossierId: DossierId, overlegrondeId: OverlegrondeId): Result<OverlegrondeView> {
  const d = c.doc(dossierId, `overlegronde:${overlegrondeId}`);
  if (!d.ok) return d;
  const meta = docs.readOverlegrondeMeta(d.value.doc);
  if (!meta) return fail('niet-beschikbaar', 'De overlegronde is nog niet binnen.');
  const inRonde = new Set([meta.aangemaaktDoor, ...meta.deelnemers]);
  // Synchronous: messages whose signature is not checked yet show as unverified until refreshViews().
  trustedRevocations(d.value.st);
  const trust = messageTrust(overlegrondeId, d.value.st.verifiedMessages);
  const berichten: MessageView[] = docs.messageHistories(d.value.doc, trust).map((h) => messageViewOf(h, (u) => inRonde.has(u)));
  // Only marks whose signature proves their author [R131]; whether that author takes part is the view's rule (views/overleg-onderwerpen).
  const afhandelingen: AfhandelingView[] = docs
    .readAfhandelingen(d.value.doc)
    .filter((a) => trust.afhandeling(a))
    .map((a) => ({
      id: a.id,
      onderwerp: asId<MessageId>(a.onderwerp),
      afgehandeld: a.afgehandeld,
      door: asId<UserId>(a.auteur),
      doorNaam: c.directory.nameOf(a.auteur),
      op: a.op,
    }));
  return ok({
    id: overlegrondeId,
    hulpvraagId: asId<HulpvraagId>(meta.hulpvraagId),
    titel: meta.titel,
    omschrijving: meta.omschrijving,
    einddatum: meta.einddatum,
    deelnemers: meta.deelnemers.map((x) => asId<UserId>(x)),
    berichten,
    afhandelingen,
    gesloten: meta.geslotenOp !== null || Date.parse(meta.einddatum) <= c.now().getTime(),
  });
}

/** What posting and editing share: the ronde, its participants (for @mentions), the author's profile. */
function messageContext(c: ClientCore, dossierId: DossierId, overlegrondeId: OverlegrondeId) {
  const id = c.id;
  if (!id) return locked();
  const d = c.doc(dossierId, `overlegronde:${overlegrondeId}`);
  if (!d.ok) return d;
  const meta = docs.readOverlegrondeMeta(d.value.doc);
  if (!meta) return fail('niet-beschikbaar', 'De overlegronde is nog niet binnen.');
  const entries = directory(c);
  const people = entries.map((e) => ({ userId: e.userId, voornaam: e.profile.voornaam, achternaam: e.profile.achternaam }));
  const me = entries.find((e) => e.userId === id.userId);
  const author = {
    id: id.userId,
    voornaam: me?.profile.voornaam ?? '',
    achternaam: me?.profile.achternaam ?? '',
    functie: me?.profile.functie ?? '',
    organisatieNaam: me?.organisatieNaam ?? '',
  };
  return ok({
    id,
    st: d.value.st,
    doc: d.value.doc,
    ronde: rondeOf(overlegrondeId, meta),
    participants: participantsOf(meta, people),
    author,
  });
}

/** The onderwerp a reactie or afgehandeld mark points at: a proven message that opens one (not itself a reactie). */
async function onderwerpOf(
  c: ClientCore,
  st: DossierState,
  doc: Parameters<typeof docs.messageHistories>[0],
  overlegrondeId: OverlegrondeId,
  onderwerp: MessageId,
): Promise<Result<void>> {
  await verifyMessagesOf(c, st, overlegrondeId);
  const h = docs.messageHistories(doc, messageTrust(overlegrondeId, st.verifiedMessages)).find((x) => x.message.id === onderwerp);
  if (!h || !h.geverifieerd || h.message.antwoordOp !== undefined)
    return fail('onderwerp-onbekend', 'Dit onderwerp bestaat niet (meer) in deze overlegronde.');
  return ok(undefined);
}

export async function postMessage(
  c: ClientCore,
  dossierId: DossierId,
  overlegrondeId: OverlegrondeId,
  titel: string,
  tekst: string,
  antwoordOp?: MessageId,
): Promise<Result<MessageId>> {
  const ctx = messageContext(c, dossierId, overlegrondeId);
  if (!ctx.ok) return ctx;
  const { id, st, ronde, participants, author } = ctx.value;
  if (antwoordOp !== undefined) {
    const o = await onderwerpOf(c, st, ctx.value.doc, overlegrondeId, antwoordOp);
    if (!o.ok) return o;
  }
  // Old-style @voornaam.achternaam handles are taken first; the rest resolves by name (core/messages).
  const t = takeHandles(titel, participants);
  const x = takeHandles(tekst, participants);
  const msgId = asId<MessageId>(newId(c.provider));
  const composed = composeMessage({
    id: msgId,
    overlegronde: ronde,
    participants,
    author,
    titel: t.masked,
    tekst: x.masked,
    now: c.now(),
    ...(antwoordOp !== undefined ? { antwoordOp } : {}),
  });
  if (!composed.ok) return composed;
  const pii = dossierSession(c, st).checkFreeText('overlegronde', `${titel} ${tekst}`);
  if (!pii.ok) return pii;
  const m = composed.value.message;
  const mentioned = [...new Set([...t.ids, ...x.ids, ...m.mentions])];
  const stored = await signMessage(
    c.provider,
    overlegrondeId,
    {
      id: msgId,
      auteur: id.userId,
      auteurNaam: c.directory.nameOf(id.userId),
      titel: titel.trim(),
      tekst,
      mentions: mentioned,
      geplaatstOp: m.geplaatstOp,
      ondertekening: m.ondertekening,
      ...(antwoordOp !== undefined ? { antwoordOp } : {}),
    },
    { secretKey: id.device.secretKey, chainBytes: id.publicChainBytes },
    st.verifiedMessages,
  );
  const w = await dossierSession(c, st).write(`overlegronde:${overlegrondeId}`, (doc) => docs.pushMessage(doc, stored));
  if (!w.ok) return w;
  c.notifyLater(
    'mention',
    roomOf(dossierId, `overlegronde:${overlegrondeId}`),
    mentioned.filter((u) => u !== id.userId),
  );
  return ok(msgId);
}

export async function editMessage(
  c: ClientCore,
  dossierId: DossierId,
  overlegrondeId: OverlegrondeId,
  messageId: MessageId,
  titel: string,
  tekst: string,
): Promise<Result<void>> {
  const ctx = messageContext(c, dossierId, overlegrondeId);
  if (!ctx.ok) return ctx;
  const { id, st, doc, ronde, participants } = ctx.value;
  await verifyMessagesOf(c, st, overlegrondeId);
  const history = docs.messageHistories(doc, messageTrust(overlegrondeId, st.verifiedMessages)).find((h) => h.message.id === messageId);
  if (!history) return fail('bericht-onbekend', 'Dit bericht bestaat niet (meer) in deze overlegronde.');
  const t = takeHandles(titel, participants);
  const x = takeHandles(tekst, participants);
  const edited = editCoreMessage({
    message: coreMessageOf(history, overlegrondeId),
    overlegronde: ronde,
    participants,
    editor: id.userId,
    titel: t.masked,
    tekst: x.masked,
    now: c.now(),
  });
  if (!edited.ok) return edited;
  // An unproven message (forged in someone's name, or from before messages were signed) is nobody's to edit.
  if (!history.geverifieerd)
    return fail('bericht-niet-te-verifieren', 'Van dit bericht is niet vast te stellen wie het schreef; het kan niet bewerkt worden.');
  const pii = dossierSession(c, st).checkFreeText('overlegronde', `${titel} ${tekst}`);
  if (!pii.ok) return pii;
  const mentioned = [...new Set([...t.ids, ...x.ids, ...edited.value.message.mentions])];
  const edit = await signEdit(
    c.provider,
    overlegrondeId,
    {
      id: newId(c.provider),
      messageId,
      auteur: id.userId,
      titel: titel.trim(),
      tekst,
      mentions: mentioned,
      bewerktOp: c.now().toISOString(),
    },
    { secretKey: id.device.secretKey, chainBytes: id.publicChainBytes },
    st.verifiedMessages,
  );
  const w = await dossierSession(c, st).write(`overlegronde:${overlegrondeId}`, (d) => docs.pushEdit(d, edit));
  if (!w.ok) return w;
  // Only people this message did not mention before hear of it again.
  const before = new Set(history.versions.flatMap((v) => v.mentions));
  c.notifyLater(
    'mention',
    roomOf(dossierId, `overlegronde:${overlegrondeId}`),
    mentioned.filter((u) => u !== id.userId && !before.has(u)),
  );
  return ok(undefined);
}

/** A participant marks an onderwerp afgehandeld or reopens it: a signed mark in the ronde's document [R131]. */
export async function markeerAfgehandeld(
  c: ClientCore,
  dossierId: DossierId,
  overlegrondeId: OverlegrondeId,
  onderwerp: MessageId,
  afgehandeld: boolean,
): Promise<Result<void>> {
  const ctx = messageContext(c, dossierId, overlegrondeId);
  if (!ctx.ok) return ctx;
  const { id, st, doc, ronde } = ctx.value;
  const may = canReactInOverlegronde(ronde, id.userId, c.now());
  if (!may.ok) return may;
  const o = await onderwerpOf(c, st, doc, overlegrondeId, onderwerp);
  if (!o.ok) return o;
  const mark = await signAfhandeling(
    c.provider,
    overlegrondeId,
    { id: newId(c.provider), onderwerp, afgehandeld, auteur: id.userId, op: c.now().toISOString() },
    { secretKey: id.device.secretKey, chainBytes: id.publicChainBytes },
    st.verifiedMessages,
  );
  return dossierSession(c, st).write(`overlegronde:${overlegrondeId}`, (d) => docs.pushAfhandeling(d, mark));
}

/** Checks the signatures of the overlegronde's messages and edits not yet checked (the view reads the results). */
export async function verifyMessagesOf(c: ClientCore, st: DossierState, overlegrondeId: OverlegrondeId): Promise<void> {
  const d = st.docs.get(`overlegronde:${overlegrondeId}`);
  if (c.id && d) await verifyMessages(c.provider, overlegrondeId, d.doc, c.id.roots, st.verifiedMessages, trustedRevocations(st));
}

/** How many overlegronden of the dossier run now (those this person reads), and the advice of seed 000 when that is many. */
export function overlegrondenStand(
  c: ClientCore,
  dossierId: DossierId,
): Result<{ readonly lopend: number; readonly advies: string | null }> {
  const st = c.dossiers.get(dossierId);
  if (!st) return unknownDossier();
  let lopend = 0;
  for (const [scope, d] of st.docs) {
    if (scopeKind(scope) !== 'hulpvraag') continue;
    for (const oid of docs.readOverlegrondeIds(d.doc)) {
      const o = getOverlegronde(c, dossierId, asId<OverlegrondeId>(oid));
      if (o.ok && !o.value.gesloten) lopend++;
    }
  }
  return ok({ lopend, advies: overlegrondenAdvies(lopend) });
}
