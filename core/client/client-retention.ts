// A dossier's retention on the client (issue 20) [R80–R83]: the date as this
// person can compute it from the end statuses of its hulpvragen and the process
// retention data (core/processes/retention.ts); the signed `bewaartermijn`
// record that fixes it in the access list when a hulpvraag reaches an end
// status; the FG's `bewaarplicht` hold; the FG's overview of coming deletions;
// and the crypto-shredding itself: once the deletion moment has passed, this
// device deletes the dossier's records and every epoch key it holds.
import { bewaarbeleidVan } from './client-bewaarbeleid.js';
import { scopeKind } from '../access/rooms.js';
import { atLeast } from '../access/principal.js';
import { currentEpoch, isAdmin } from '../access/dossier-access.js';
import { keyringGet } from '../access/keyring.js';
import { dayOf, dayStart, vernietigd, vernietiging } from '../access/retention-record.js';
import { asId, type DossierId, type HulpvraagId } from '../model/ids.js';
import { processOfHulpvraag } from '../processes/process-set.js';
import { dossierBewaarTot, type BewaarStand, type HulpvraagEinde } from '../processes/retention.js';
import { ok, fail, type Result } from '../result.js';
import type { BewaarOverzichtRegel } from './api.js';
import type { ClientCore } from './client-core.js';
import { getHulpvraag } from './client-hulpvragen.js';
import { workflowOf } from './client-workflow.js';
import { purge, submitAccess } from './client-rooms.js';
import { startKeyRenewal } from './client-key-renewal.js';
import { locked } from './state/session.js';
import { unknownDossier } from './state/dossier-registry.js';

/** The date from the hulpvragen this person reads, postponed by the holds in the access list. */
export function bewaartermijn(c: ClientCore, dossierId: DossierId): Result<BewaarStand> {
  const st = c.dossiers.get(dossierId);
  if (!st?.access) return unknownDossier();
  const plicht = st.access.bewaren?.plichtTot ?? null;
  const holds = plicht === null ? [] : [{ reden: 'bewaarplicht', tot: plicht }];
  const einden: HulpvraagEinde[] = [];
  for (const scope of st.access.scopes.keys()) {
    if (scopeKind(scope) !== 'hulpvraag') continue;
    const hv = getHulpvraag(c, dossierId, asId<HulpvraagId>(scope.slice('hulpvraag:'.length)));
    if (!hv.ok) {
      // Someone who cannot read every hulpvraag (the FG) takes the date from the signed record [R80].
      const tot = st.access.bewaren?.tot ?? null;
      if (tot === null)
        return fail('onvolledig', 'U kunt niet alle hulpvragen van dit dossier lezen en er is nog geen bewaartermijn vastgelegd.');
      return ok(
        plicht !== null && plicht > tot
          ? { soort: 'termijn', tot: plicht, door: 'bewaarplicht' }
          : { soort: 'termijn', tot, door: 'bewaartermijn' },
      );
    }
    const def = processOfHulpvraag(hv.value);
    const end = def.ok && def.value.statuses.find((s) => s.status === hv.value.status)?.end === true;
    const last = hv.value.history.at(-1);
    einden.push({ processId: hv.value.processId, status: hv.value.status, eindeOp: end && last ? last.at.slice(0, 10) : null });
  }
  return ok(dossierBewaarTot(einden, holds, bewaarbeleidVan(c)));
}

/**
 * After a status change (and on each tick): when the date this person computes differs from the one
 * in the access list, a signed `bewaartermijn` record fixes it (null when a hulpvraag is open again).
 * Only someone who reads every hulpvraag and writes to the dossier computes it; others leave it be.
 */
export async function legBewaartermijnVast(
  c: ClientCore,
  dossierId: DossierId,
  opts: { readonly background?: boolean } = {},
): Promise<Result<void>> {
  const id = c.id;
  const st = c.dossiers.get(dossierId);
  if (!id || !st?.access) return ok(undefined);
  const now = c.now().getTime();
  // From the tick at most every ten minutes per dossier: it reads every hulpvraag, and a device may follow hundreds.
  if (opts.background === true) {
    if (!c.retentionCheckPace.claimCheck(dossierId, now, 10 * 60_000)) return ok(undefined);
  }
  if (vernietigd(st.access, now)) return ok(undefined);
  const subject = { userId: id.userId, organisationId: id.organisationId, roles: id.roles };
  const writes =
    isAdmin(st.access, subject, now) || [...st.access.scopes.keys()].some((s) => s !== 'toegang' && atLeast(c.myAccess(st, s), 'write'));
  if (!writes) return ok(undefined);
  // Judge from every status event verified, not from what was verified so far.
  for (const scope of st.access.scopes.keys())
    if (scopeKind(scope) === 'hulpvraag') await workflowOf(c, st, asId<HulpvraagId>(scope.slice('hulpvraag:'.length)));
  const stand = bewaartermijnZonderPlicht(c, dossierId);
  if (stand === undefined) return ok(undefined);
  const tot = stand.soort === 'termijn' ? stand.tot : null;
  if ((st.access.bewaren?.tot ?? null) === tot) return ok(undefined);
  // Lifting a fixed date is the act of the device that reopens or adds a hulpvraag, never of a background
  // check: a device still catching up (an end status not yet received) would otherwise undo the date.
  if (opts.background === true && tot === null) return ok(undefined);
  // A date already past (an old end status, a short policy) is fixed at the earliest the rule allows.
  return submitAccess(c, st, dossierId, 'bewaartermijn', {
    bewaren: { tot },
    reason: tot === null ? 'Hulpvraag weer open' : 'Eindstatus bereikt',
  });
}

function bewaartermijnZonderPlicht(c: ClientCore, dossierId: DossierId): BewaarStand | undefined {
  const st = c.dossiers.get(dossierId);
  if (!st?.access) return undefined;
  const einden: HulpvraagEinde[] = [];
  for (const scope of st.access.scopes.keys()) {
    if (scopeKind(scope) !== 'hulpvraag') continue;
    const hv = getHulpvraag(c, dossierId, asId<HulpvraagId>(scope.slice('hulpvraag:'.length)));
    if (!hv.ok) return undefined;
    const def = processOfHulpvraag(hv.value);
    const end = def.ok && def.value.statuses.find((s) => s.status === hv.value.status)?.end === true;
    const last = hv.value.history.at(-1);
    einden.push({ processId: hv.value.processId, status: hv.value.status, eindeOp: end && last ? last.at.slice(0, 10) : null });
  }
  return dossierBewaarTot(einden, [], bewaarbeleidVan(c));
}

/** The FG places a hold (bezwaar, juridische procedure) until `tot`: deletion waits until after it [R81]. */
export async function plaatsBewaarplicht(
  c: ClientCore,
  dossierId: DossierId,
  input: { readonly reden: string; readonly tot: string },
): Promise<Result<void>> {
  const id = c.id;
  if (!id) return locked();
  const st = c.dossiers.get(dossierId);
  if (!st?.access) return unknownDossier();
  if (!id.roles.includes('privacy-officer'))
    return fail('niet-toegestaan', 'Alleen de functionaris gegevensbescherming (FG) kan een bewaarplicht vastleggen.');
  if (input.reden.trim() === '') return fail('reden-ontbreekt', 'Geef aan waarom het dossier langer bewaard moet worden.');
  if (Number.isNaN(dayStart(input.tot)) || dayStart(input.tot) <= c.now().getTime())
    return fail('einddatum-ongeldig', 'De bewaarplicht moet een einddatum in de toekomst hebben.');
  if (vernietigd(st.access, c.now().getTime())) return fail('dossier-vernietigd', 'De bewaartermijn van dit dossier is al verstreken.');
  const toegang = currentEpoch(st.access.scopes.get('toegang'));
  if (toegang === undefined || keyringGet(st.keyring, 'toegang', toegang.epoch) === undefined) {
    return fail(
      'sleutel-ontbreekt',
      'Dit apparaat heeft de sleutel van de toegangslijst van dit dossier nog niet. Die wordt gedeeld zodra een beheerder van het dossier online is; probeer het daarna opnieuw.',
    );
  }
  return submitAccess(c, st, dossierId, 'bewaarplicht', { bewaren: { tot: input.tot }, reason: input.reden.trim() });
}

/** Per dossier this device holds the access list of: the fixed date, any hold, and when it is deleted (soonest first). */
export function bewaarOverzicht(c: ClientCore): readonly BewaarOverzichtRegel[] {
  const rows: BewaarOverzichtRegel[] = [];
  for (const st of c.dossiers.values()) {
    if (!st.access) continue;
    const v = vernietiging(st.access);
    const toegang = currentEpoch(st.access.scopes.get('toegang'));
    const kanVastleggen = toegang !== undefined && keyringGet(st.keyring, 'toegang', toegang.epoch) !== undefined;
    rows.push({
      dossierId: st.id,
      bewaarTot: v.bewaarTot,
      bewaarplichtTot: v.bewaarplichtTot,
      vernietigOp: v.vernietigOp === undefined ? null : dayOf(v.vernietigOp),
      kanVastleggen,
    });
  }
  return rows.sort((a, b) => (a.vernietigOp ?? '9999').localeCompare(b.vernietigOp ?? '9999'));
}

/**
 * Crypto-shredding on this device [R82]: every dossier whose deletion moment (by the relay-confirmed
 * access list) has passed loses its records, drafts, index rows and every epoch key here.
 */
export async function shredDue(c: ClientCore): Promise<void> {
  const now = c.now().getTime();
  for (const st of [...c.dossiers.values()]) {
    if (st.confirmed === undefined || !vernietigd(st.confirmed, now)) continue;
    c.emit({ kind: 'access-lost', dossierId: st.id });
    await purge(c, st.id);
    // Its key boxes in an old copy of the relay's files are sealed to this device's agreement key: renew it [R155].
    await startKeyRenewal(c);
  }
}
