// Background work on each tick: purging what we lost, notifications, uploads, access
// upkeep, key rotation, snapshots and the index.
import { openGrantedOverlegronden } from './client-overlegronde.js';
import { atLeast } from '../access/principal.js';
import { parseRoom, roomOf, type Scope } from '../access/rooms.js';
import { asId } from '../model/ids.js';
import type { DossierId } from '../model/ids.js';
import { encodeSnapshotPublicPart } from '../sync/protocol-signing.js';
import { heldAuthorClocks } from './client-snapshots.js';
import { encodeSnapshotPayload, type DossierState } from './dossier-state.js';
import { enforceRemovals, rotateDueKeys, shareKeysWithNewcomers } from './client-access.js';
import { syncUserEnds } from './client-user-ends.js';
import { syncDeviceRevocations } from './client-devices.js';
import { uploadPendingBlobs } from './client-bijlagen.js';
import type { ClientCore } from './client-core.js';
import { refreshDirectory } from './client-directory.js';
import { rotateDirectoryKeysIfDue } from './client-directory-keys.js';
import { flushIndex } from './client-index.js';
import { processJoinRequests } from './client-onboarding.js';
import { processKeyRenewals, pursueKeyRenewal } from './client-key-renewal.js';
import { followDossier, loadDossier, purge, runRetries } from './client-rooms.js';
import { discoverDossiersIfDue } from './client-discovery.js';
import { legBewaartermijnVast, shredDue } from './client-retention.js';
import { encodeMarkerPayload, markerDue } from './client-seen.js';
import { dossierSession } from './dossier-session.js';

/**
 * A dossier on screen says, now and then, per room, which record it received last [P16, R116]:
 * the other members compare that with what the relay sent them. Only open dossiers, so a device
 * that follows hundreds of dossiers does not write hundreds of markers.
 */
function sendSeenMarkers(c: ClientCore, st: DossierState): void {
  if (!st.open || !c.relay.engine?.connected) return;
  for (const room of st.trust.seen.keys()) {
    const part = markerDue(st, room, c.now().getTime(), c.seenMarkerIntervalMs);
    if (part !== null) c.background(c.relay.engine.submit(room, 'seen', encodeMarkerPayload(c.session.deviceCert), part));
  }
}

/** Records in a room since its last snapshot before a member with write right posts a new one. */
export const SNAPSHOT_THRESHOLD = 500;

/** Background tick: expiry purge, notifications, pending uploads, reconcile, rotations, snapshots. */
export async function tick(c: ClientCore): Promise<void> {
  const id = c.id;
  if (!id) return;
  const now = c.now();
  // Dossiers in the database that this client does not hold: another page of this device started
  // following them (a notification, a device link), or rows arrived during a purge. Purging them here
  // deleted what the other page had just fetched; loading them lets the access check below decide.
  for (const d of await c.store.dossierIds()) {
    if (!c.dossiers.has(asId<DossierId>(d))) await loadDossier(c, asId<DossierId>(d));
  }
  // Dossiers whose deletion moment passed: records and keys go first, before anything is sent [R82].
  await shredDue(c);
  for (const st of [...c.dossiers.values()]) {
    if (st.access && !c.hasAnyAccess(st)) {
      c.emit({ kind: 'access-lost', dossierId: st.id });
      await purge(c, st.id);
    }
  }
  if (c.relay.engine?.connected) {
    c.diagnostics.enterTickStep('outbox versturen');
    await c.relay.engine.pump();
    c.diagnostics.enterTickStep('meldingen ophalen');
    await pullNotifications(c);
    c.diagnostics.enterTickStep('bijlagen uploaden');
    await uploadPendingBlobs(c);
    c.diagnostics.enterTickStep('aanmeldingen en ledenlijst');
    if (id.beheert) await c.serialBeheer(() => processJoinRequests(c));
    else await refreshDirectory(c);
    c.diagnostics.enterTickStep('beëindigde gebruikers');
    await syncUserEnds(c);
    // An end whose key rotation did not finish (offline, root locked) is rotated at a later tick [R151].
    if (id.beheert) await c.serialBeheer(() => rotateDirectoryKeysIfDue(c));
    await syncDeviceRevocations(c);
    c.diagnostics.enterTickStep('sleutelvernieuwing');
    if (id.beheert && c.session.rootKey) await c.serialBeheer(() => processKeyRenewals(c));
    await pursueKeyRenewal(c);
    c.diagnostics.enterTickStep('dossiers die dit apparaat mag lezen');
    await discoverDossiersIfDue(c);
  }
  for (const st of c.dossiers.values()) {
    if (!st.access) continue;
    if (c.accessQueue.hasRetries(st.id)) runRetries(c, st);
    // Rooms that waited for a key: the key may have come in between; fetch them again.
    for (const room of [...st.stalled]) {
      st.stalled.delete(room);
      c.diagnostics.enterTickStep(`${room} opnieuw ophalen`);
      await c.relay.engine?.resync(room);
    }
    c.diagnostics.enterTickStep('verwijderingen en afstemming');
    await enforceRemovals(c, st);
    await dossierSession(c, st).reconcileAccess();
    await openGrantedOverlegronden(c, st);
    await shareKeysWithNewcomers(c, st);
    await legBewaartermijnVast(c, st.id, { background: true });
    c.diagnostics.enterTickStep('sleutelrotatie');
    await rotateDueKeys(c, st, id, now);
    c.diagnostics.enterTickStep('momentopname');
    await maybeSnapshot(c, st);
    c.diagnostics.enterTickStep('ontvangstbewijzen');
    sendSeenMarkers(c, st);
  }
  c.diagnostics.enterTickStep('index');
  c.diagnostics.setQuarantined((await c.store.quarantined()).length);
  await flushIndex(c);
  c.diagnostics.enterTickStep('klaar');
}

async function maybeSnapshot(c: ClientCore, st: DossierState): Promise<void> {
  if (!c.relay.engine?.connected) return;
  for (const scope of st.docs.keys()) {
    const room = roomOf(st.id, scope);
    const head = await c.store.cursor(room);
    if (head - (c.roomSync.lastSnapshot(room)?.seq ?? 0) >= SNAPSHOT_THRESHOLD) await postRoomSnapshot(c, st, scope);
  }
}

/** Forces a snapshot of every writable room of a dossier now (tests, benchmarks). */
export async function snapshotNow(c: ClientCore, dossierId: DossierId): Promise<void> {
  const st = c.dossiers.get(dossierId);
  if (!st || !c.relay.engine) return;
  for (const scope of st.docs.keys()) await postRoomSnapshot(c, st, scope);
}

/**
 * Posts the room's state as a snapshot covering this device's cursor, with the per-author clocks it
 * covers [P85] and the hash of this device's last known snapshot as `prev`. Its own hash becomes the
 * next `prev`: before, an own snapshot was remembered without it, so a device's second snapshot of a
 * room never fitted the relay's chain and was refused.
 */
async function postRoomSnapshot(c: ClientCore, st: DossierState, scope: Scope): Promise<void> {
  const doc = st.docs.get(scope);
  if (!c.relay.engine || !doc || !atLeast(c.myAccess(st, scope), 'write')) return;
  const room = roomOf(st.id, scope);
  const head = await c.store.cursor(room);
  const last = c.roomSync.lastSnapshot(room);
  const r = await c.relay.engine.postSnapshot(
    room,
    head,
    encodeSnapshotPayload(doc.state(), c.session.deviceCert),
    encodeSnapshotPublicPart({
      prev: (last?.hash ?? null) as Uint8Array<ArrayBuffer> | null,
      coversSeq: head,
      k: await heldAuthorClocks(c, room, head),
    }),
  );
  if (r.ok) c.roomSync.rememberSnapshot(room, { hash: r.value, seq: head });
}

export async function pullNotifications(c: ClientCore): Promise<void> {
  if (!c.relay.conn?.ready) return;
  await c.relay.conn.pullNotifications();
}

export function receivedNotifications(c: ClientCore): readonly { readonly kind: string; readonly room: string; readonly at: number }[] {
  return c.notifications.all();
}

export async function onNotifications(
  c: ClientCore,
  items: readonly { readonly kind: string; readonly room: string; readonly at: number }[],
): Promise<void> {
  c.notifications.add(items);
  for (const it of items) {
    const parsed = parseRoom(it.room);
    if (parsed.ok) await followDossier(c, parsed.value.dossier);
  }
}
