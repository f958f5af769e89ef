// Who works on a hulpvraag: behandelaars added through an aanpak, and handing a leaving
// staff member's hulpvragen and access to a successor.
import { effectiveRight, isAdmin } from '../access/dossier-access.js';
import { atLeast } from '../access/principal.js';
import { roomOf, scopeKind, type Scope } from '../access/rooms.js';
import { statusDefinition } from '../workflow/engine.js';
import { asId } from '../model/ids.js';
import type { DossierId, HulpvraagId, UserId } from '../model/ids.js';
import { ok, fail, type Result } from '../result.js';
import type { AanpakInput, StaffChangeOptions, StaffChangeReport } from './api.js';
import * as docs from './dossier-docs.js';
import { checkAanpakInput } from './aanpak.js';
import { pushAanpak, signAanpak, verifyAanpak } from './aanpak-getekend.js';
import { planStaffChange } from './dossier-staff-change.js';
import { coordinatorOf, mayNameCoordinator, pushCoordinator, signCoordinator } from './coordinator-getekend.js';
import { revoke } from './client-access.js';
import type { ClientCore } from './client-core.js';
import { newId } from './client-core.js';
import { submitAccess } from './client-rooms.js';
import { dossierSession } from './dossier-session.js';
import { currentState } from './client-workflow.js';
import { locked } from './state/session.js';
import { unknownDossier } from './state/dossier-registry.js';

export async function addAanpak(
  c: ClientCore,
  dossierId: DossierId,
  hulpvraagId: HulpvraagId,
  input: AanpakInput,
): Promise<Result<string>> {
  const id = c.id;
  if (!id) return locked();
  const st = c.dossiers.get(dossierId);
  if (!st?.access) return unknownDossier();
  const me = { userId: id.userId, organisationId: id.organisationId, roles: id.roles };
  if (!isAdmin(st.access, me, c.now().getTime()))
    return fail('niet-toegestaan', 'Alleen de school die eigenaar is van het dossier kan een aanpak toevoegen.');
  const person = c.directory.person(input.behandelaar);
  if (!person) return fail('persoon-onbekend', 'De behandelaar staat niet in de ledenlijst van het samenwerkingsverband.');
  const checked = checkAanpakInput(input, c.now());
  if (!checked.ok) return checked;
  const pii = dossierSession(c, st).checkFreeText('hulpvraag', input.omschrijving);
  if (!pii.ok) return pii;
  const aanpakId = newId(c.provider);
  const scope: Scope = `hulpvraag:${hulpvraagId}`;
  // Signed by this admin's device: only such an aanpak invites anyone, on every reader [R134].
  const item = await signAanpak(c, hulpvraagId, {
    id: aanpakId,
    behandelaar: input.behandelaar,
    omschrijving: input.omschrijving,
    startdatum: input.startdatum,
    einddatum: input.einddatum ?? null,
  });
  const w = await dossierSession(c, st).write(scope, (doc) => pushAanpak(doc, item));
  if (!w.ok) return w;
  const hvDoc = st.docs.get(scope)?.doc;
  if (hvDoc) await verifyAanpak(c, st, hulpvraagId, hvDoc);
  // The one workflow → access path [R23]: where the process gives behandelaars access (003) that,
  // otherwise read on this hulpvraag until the aanpak's einddatum so they can take it up.
  await dossierSession(c, st).reconcileAccess(hulpvraagId);
  const subject = { userId: person.user.body.user, organisationId: person.user.body.organisation, roles: person.user.body.roles };
  if (!atLeast(st.access ? effectiveRight(st.access, subject, scope, c.now().getTime()) : null, 'read')) {
    return fail('toegang-niet-gegeven', 'De aanpak is opgeslagen, maar de behandelaar heeft nog geen toegang; probeer het zo opnieuw.');
  }
  c.notifyLater('status', roomOf(dossierId, 'toegang'), [input.behandelaar]);
  return ok(aanpakId);
}

export async function staffChange(
  c: ClientCore,
  van: UserId,
  naar: UserId,
  options: StaffChangeOptions = {},
): Promise<Result<StaffChangeReport>> {
  const id = c.id;
  if (!id) return locked();
  if (van === naar) return fail('zelfde-persoon', 'Kies als opvolger iemand anders dan de vertrekkende medewerker.');
  const from = c.directory.person(van);
  const to = c.directory.person(naar);
  if (!from || !to) return fail('persoon-onbekend', 'Vertrekkende medewerker en opvolger moeten allebei in de ledenlijst staan.');
  // A successor elsewhere would carry a school's dossiers to another organisation: that is a grant per dossier, on purpose.
  if (from.user.body.organisation !== to.user.body.organisation) {
    return fail('andere-organisatie', 'De opvolger werkt bij een andere organisatie. Geef toegang dan per dossier op het tabblad Toegang.');
  }
  const now = c.now().getTime();
  const me = { userId: id.userId, organisationId: id.organisationId, roles: id.roles };
  const successor = {
    subject: { userId: naar, organisationId: to.user.body.organisation, roles: to.user.body.roles },
    naam: c.directory.nameOf(naar),
    email: to.email,
  };
  let hulpvragen = 0;
  let dossiers = 0;
  let nietBereikbaar = 0;
  let ingetrokken = 0;
  for (const st of [...c.dossiers.values()]) {
    if (!st.access || !c.hasAnyAccess(st)) continue;
    const hvs = [...st.docs.entries()].flatMap(([scope, d]) => {
      if (scopeKind(scope) !== 'hulpvraag') return [];
      const meta = docs.readHulpvraagMeta(d.doc);
      const hvId = asId<HulpvraagId>(scope.slice('hulpvraag:'.length));
      const coordinator = coordinatorOf(st, hvId, d.doc);
      // Only hulpvragen that name the departing person can change: fold the workflow of those alone.
      if (!meta || (meta.aanvrager !== van && coordinator !== van)) return [];
      const state = currentState(c, st, hvId);
      return [
        { id: hvId, meta, coordinator, open: !state.ok || statusDefinition(state.value.definition, state.value.status)?.end !== true },
      ];
    });
    const plan = planStaffChange(st.access, hvs, van, successor, now);
    const eigenToegang = st.access.grants.some(
      (g) => g.principal.kind === 'user' && g.principal.userId === van && g.scope !== `notities:${van}`,
    );
    const intrekken = options.toegangIntrekken === true && eigenToegang;
    if (plan.grants.length === 0 && plan.hulpvragen.length === 0 && !intrekken) continue;
    let reached = false;
    let missed = false;
    if (plan.grants.length > 0) {
      if (isAdmin(st.access, me, now)) {
        const g = await submitAccess(c, st, st.id, 'grant', {
          grants: plan.grants,
          recipients: c.directory.certificatesOf(to.user.body.user),
          reason: 'Wisseling van personeel',
          names: { [`user:${naar}`]: successor.naam },
        });
        if (g.ok) reached = true;
        else missed = true;
      } else missed = true;
    }
    for (const h of plan.hulpvragen) {
      // Schoolgegevens are the owning school's to change; the coördinator a dossier admin's or the SWV's (R127).
      const { coordinator, ...plain } = h.patch;
      const mag =
        coordinator === undefined
          ? isAdmin(st.access, me, now)
          : mayNameCoordinator(st.access, { ...me, organisationKind: id.chain.organisation.body.soort }, now);
      if (!mag) {
        missed = true;
        continue;
      }
      const item = coordinator === undefined ? null : await signCoordinator(c, h.id, coordinator);
      const w = await dossierSession(c, st).write(`hulpvraag:${h.id}`, (doc) =>
        item ? pushCoordinator(doc, item) : docs.writeHulpvraagMeta(doc, plain),
      );
      if (w.ok) {
        hulpvragen++;
        reached = true;
        // The successor gets what the process gives a coördinator; the replaced one loses it [R90].
        await dossierSession(c, st).reconcileAccess(h.id);
      } else missed = true;
    }
    // Only once the successor holds what the departing person held: a dossier is never left without its people.
    if (intrekken && !missed) {
      if (!isAdmin(st.access, me, now)) missed = true;
      else {
        const r = await revoke(c, st.id, van, 'Wisseling van personeel: vertrokken');
        // Partly: the own grants are gone; what a closed hulpvraag's process still gives them stays (R47).
        if (r.ok || r.error.code === 'toegang-deels-ingetrokken') {
          ingetrokken++;
          reached = true;
        } else missed = true;
      }
    }
    if (reached) {
      dossiers++;
      c.notifyLater('status', roomOf(st.id, 'toegang'), [naar]);
    }
    if (missed) nietBereikbaar++;
  }
  return ok({ hulpvragen, dossiers, nietBereikbaar, ingetrokken });
}
