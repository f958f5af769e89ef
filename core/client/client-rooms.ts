// A dossier's local state: the access view folded from the toegang log (plus our own
// records still in the outbox), the rooms it opens, and writing to both.
import { noteDocGap } from './client-gaps.js';
import { rotationsDue } from '../access/rotation.js';
import { rotateDueKeys } from './client-access.js';
import { revocationKey } from '../access/device-chain.js';
import { noteOwnWrite, seenHead } from './client-trust.js';
import { equalBytes } from '../crypto/bytes.js';
import { decodeEnvelope, envelopeHash, type Envelope } from '../crypto/envelope.js';
import { applyAccessRecord, foldAccessRecords } from '../access/apply-record.js';
import { buildAccessRecord, type AccessChange } from '../access/build-record.js';
import type { AclRecordType } from '../access/acl-record.js';
import { keyringGet, mergeKeyrings, unlockKeyring } from '../access/keyring.js';
import { roomOf, type Scope } from '../access/rooms.js';
import type { DossierId } from '../model/ids.js';
import { ok, fail, type Result } from '../result.js';
import { openLocal } from '../store/local-seal.js';
import { openBatch } from '../sync/open-batch.js';
import { RoomDoc } from '../sync/room-doc.js';
import { decodeSnapshotPayload, decodeUpdatePayload, encodeUpdatePayload, type DossierState } from './dossier-state.js';
import { applyAccessEvent } from './client-authors.js';
import type { ClientCore } from './client-core.js';
import type { AccessIntent } from './state/access-queue.js';
import { ownAgreementKeys } from './client-key-renewal.js';
import { locked } from './state/session.js';

/** Folds the local toegang log, derives keys, loads every readable room from the local log. */
/**
 * Starts following a dossier this device has no records of yet (named by a notification or a device
 * link): an empty cursor row makes every later start of any page load it, so the dossier is not lost
 * when the page that learned of it closes before its first records arrive.
 */
export async function followDossier(c: ClientCore, dossierId: DossierId): Promise<void> {
  c.dossiers.unmarkPurged(dossierId);
  if (c.dossiers.has(dossierId)) return;
  c.dossierState(dossierId);
  await c.store.putReceived(roomOf(dossierId, 'toegang'), [], 0);
  await c.relay.engine?.watch(roomOf(dossierId, 'toegang'));
}

export async function loadDossier(c: ClientCore, dossierId: DossierId): Promise<void> {
  const id = c.id;
  if (!id) return;
  const st = c.dossierState(dossierId);
  const toegang = roomOf(dossierId, 'toegang');
  const rows = await c.store.readReceived(toegang);
  const acl: Envelope[] = [];
  for (const r of rows) {
    const env = decodeEnvelope(r.bytes);
    if (env.ok && env.value.header.kind === 'acl') acl.push(env.value);
  }
  const folded = await foldAccessRecords(c.provider, acl, id.roots, c.now());
  st.confirmed = folded.access;
  await reapplyPending(c, st);
  for (const r of rows) {
    const env = decodeEnvelope(r.bytes);
    if (env.ok && env.value.header.kind === 'access') await applyAccessEvent(c, st, env.value);
  }
  await c.relay.engine?.watch(toegang);
  await afterAccessChange(c, st);
}

/**
 * Our own access records still in the outbox are applied on top of the
 * relay-ordered list (offline work). If the relay ordered someone else's
 * record first, ours no longer fits and is left out (the relay refuses it;
 * the workflow reconcile writes a new one).
 */
/**
 * Rebuilds the optimistic access view. Serialised per dossier: a rebuild that started before our own
 * record reached the outbox must not finish after a later one and put back a view without it.
 */
export function reapplyPending(c: ClientCore, st: DossierState): Promise<void> {
  return c.accessQueue.rebuildInOrder(st.id, () => rebuildAccessView(c, st));
}

async function rebuildAccessView(c: ClientCore, st: DossierState): Promise<void> {
  const id = c.id;
  if (!id) return;
  let cur = st.confirmed;
  const toegang = roomOf(st.id, 'toegang');
  // Still in the outbox, and acknowledged but not yet received back. The outbox is read first: an ack
  // moves a row from the outbox into the log atomically, so reading in this order sees every row at
  // least once (duplicates are skipped below); the other order missed a row acked in between, and the
  // writer briefly lost the right its own record had just given ("U mag dit onderdeel … niet wijzigen").
  const pending = await c.store.pending(toegang);
  const acked = await c.store.readReceived(toegang, await c.store.cursor(toegang));
  const ours = [...acked.filter((r) => !pending.some((p) => equalBytes(p.bytes, r.bytes))), ...pending];
  for (const r of ours) {
    const env = decodeEnvelope(r.bytes);
    if (!env.ok || env.value.header.kind !== 'acl') continue;
    const hash = await envelopeHash(c.provider, env.value);
    if (cur?.records.some((x) => equalBytes(x.hash, hash))) continue;
    const next = await applyAccessRecord(c.provider, cur, env.value, id.roots, c.now());
    if (next.ok) cur = next.value;
  }
  st.access = cur;
  // Rebuild the keyring from the boxes only: a key from an own record that the relay did not take
  // must not live on next to the real key of the same epoch.
  let ring: import('../access/keyring.js').Keyring = new Map();
  // While renewing, boxes to the new agreement key count too: admins share keys with it before the switch [R155].
  for (const a of [st.confirmed, st.access])
    for (const own of ownAgreementKeys(id)) if (a) ring = await unlockKeyring(c.provider, a, own, ring);
  let retiredAny = false;
  for (const [scope, epochs] of st.keyring) {
    for (const [epoch, key] of epochs) {
      const now = keyringGet(ring, scope, epoch);
      if (now === undefined || !equalBytes(now, key)) {
        st.retired.push(key);
        retiredAny = true;
      }
    }
  }
  st.keyring = ring;
  if (retiredAny) c.background(c.relay.engine?.resealRooms([...st.docs.keys()].map((s) => roomOf(st.id, s))));
}

/** An own access change the relay did not take: made again once the relay's order is known here. */
export function queueRetry(c: ClientCore, st: DossierState, intent: AccessIntent): void {
  c.accessQueue.enqueueRetry(st.id, intent);
  runRetries(c, st);
}

/** An end of a person or a device revocation that the access list already holds: retrying it would only repeat it. */
function alreadyRecorded(st: DossierState, intent: { type: AclRecordType; change: AccessChange }): boolean {
  const body = intent.change.revocation?.revocation.body;
  if (!st.access || !body) return false;
  if (intent.type === 'user-end' && body.t === 'einde') return st.access.ended.has(body.user);
  if (intent.type === 'device-revocation' && body.t === 'intrekking')
    return st.access.revocations.has(revocationKey(body.user, body.device));
  return false;
}

/** Serialised, not awaited by the receive path: each retry is built on the state at that moment. */
export function runRetries(c: ClientCore, st: DossierState): void {
  c.accessQueue.chainRetries(async () => {
    for (const intent of c.accessQueue.takeRetries(st.id)) {
      // Someone else's record that came first may already have done it (another member carried the same end in).
      if (alreadyRecorded(st, intent)) continue;
      const r = await submitAccess(c, st, st.id, intent.type, intent.change, intent.attempts + 1);
      if (!r.ok && intent.attempts + 1 < 10 && r.error.code !== 'acl-ongeldig')
        c.accessQueue.enqueueRetry(st.id, { ...intent, attempts: intent.attempts + 1 });
    }
  });
}

/** After the access list changed: open newly readable rooms, resync stalled ones. */
export async function afterAccessChange(c: ClientCore, st: DossierState): Promise<void> {
  if (!st.access || !c.id) return;
  for (const scope of st.access.scopes.keys()) {
    if (scope === 'toegang') continue;
    const hasKey = (st.access.scopes.get(scope)?.epochs ?? []).some((e) => keyringGet(st.keyring, scope, e.epoch) !== undefined);
    if (!hasKey || c.myAccess(st, scope) === null) continue;
    await ensureRoom(c, st, scope);
  }
  for (const room of [...st.stalled]) {
    st.stalled.delete(room);
    await c.relay.engine?.resync(room);
  }
  await c.relay.engine?.resealStale();
  c.markDirty(st.id);
  c.emit({ kind: 'dossier', dossierId: st.id });
}

/** Loads a room's document from the sealed local cache and log, then subscribes. */
export async function ensureRoom(c: ClientCore, st: DossierState, scope: Scope): Promise<RoomDoc> {
  const existing = st.docs.get(scope);
  if (existing) return existing;
  const id = c.id;
  const room = roomOf(st.id, scope);
  const doc = new RoomDoc(room, (update) => {
    if (!c.relay.engine || !c.session.deviceCert) return;
    // Never seal under a key a member who is no longer entitled still holds: rotate first, in the same queue [R42].
    const now = c.now();
    if (c.id && st.access && rotationsDue(st.access, now).some((d) => d.scope === scope)) c.background(rotateDueKeys(c, st, c.id, now));
    noteOwnWrite(st, room);
    c.pendingWrites.add(c.relay.engine.submit(room, 'update', encodeUpdatePayload(update, c.session.deviceCert, seenHead(st))));
  });
  st.docs.set(scope, doc);
  doc.onChange(() => {
    c.markDirty(st.id);
    c.emit({ kind: 'dossier', dossierId: st.id });
  });
  if (id) {
    let after = 0;
    const cache = await c.store.getDocCache(room);
    if (cache) {
      const opened = await openLocal(c.provider, id.localKey, `doc:${room}`, cache.bytes);
      if (opened.ok) {
        doc.applyRemote([opened.value]);
        after = cache.seq;
      }
    }
    const rows = await c.store.readReceived(room, after);
    const pending = await c.store.pending(room);
    // Verified when they arrived; opened again here as one bounded batch (the position stands in for seq).
    const local = [...rows, ...pending].map((r, i) => ({ seq: i, bytes: r.bytes }));
    const { opened } = await openBatch(c.provider, room, local, {
      keyFor: (e) => keyringGet(st.keyring, scope, e),
      authorize: () => ok(undefined),
    });
    const updates: Uint8Array[] = [];
    for (const o of opened) {
      if (o.envelope.header.kind === 'snapshot') {
        const s = decodeSnapshotPayload(o.plaintext);
        if (s) updates.push(s);
      } else if (o.envelope.header.kind === 'update') {
        const u = decodeUpdatePayload(o.plaintext);
        if (u) updates.push(u.update);
      }
    }
    doc.applyRemote(updates);
    // A document left incomplete in an earlier session is fetched again like one found so after a batch [R120].
    noteDocGap(c, st, scope, room, doc.doc, 0);
  }
  await c.relay.engine?.watch(room);
  return doc;
}

export async function submitAccess(
  c: ClientCore,
  st: DossierState | null,
  dossierId: DossierId,
  type: AclRecordType,
  change: AccessChange,
  attempts = 0,
): Promise<Result<void>> {
  const id = c.id;
  const engine = c.relay.engine;
  if (!id || !engine) return locked();
  const state = st ?? c.dossierState(dossierId);
  let built: Result<{ envelope: Envelope }> = fail('niet-gebouwd', 'Het toegangsrecord is niet gemaakt.');
  const r = await engine.submitBuilt(roomOf(dossierId, 'toegang'), 'acl', async (counter) => {
    const b = await buildAccessRecord(c.provider, state.access, {
      type,
      ...(type === 'genesis' ? { dossier: dossierId } : {}),
      signer: { chain: id.chain, deviceSecretKey: id.device.secretKey },
      at: c.now(),
      counter,
      change,
      keyring: state.keyring,
    });
    if (!b.ok) return b;
    built = ok(b.value);
    const applied = await applyAccessRecord(c.provider, state.access, b.value.envelope, id.roots, c.now());
    if (!applied.ok) return applied;
    state.access = applied.value;
    state.keyring = mergeKeyrings(state.keyring, b.value.keyring);
    c.accessQueue.rememberIntent(await envelopeHash(c.provider, b.value.envelope), { type, change, attempts });
    const { encodeEnvelope } = await import('../crypto/envelope.js');
    return ok(encodeEnvelope(b.value.envelope));
  });
  if (!r.ok) return r;
  if (!built.ok) return built;
  // The record is in the outbox now: rebuild the optimistic view (receiving may have run meanwhile).
  await reapplyPending(c, state);
  await afterAccessChange(c, state);
  return ok(undefined);
}

/** Deletes everything this device holds for a dossier (access expired or revoked). */
export async function purge(c: ClientCore, dossierId: DossierId): Promise<void> {
  const st = c.dossiers.get(dossierId);
  if (st) {
    for (const scope of st.docs.keys()) c.relay.engine?.unwatch(roomOf(dossierId, scope));
    for (const d of st.docs.values()) d.destroy();
    st.awareness.destroy();
  }
  c.relay.engine?.unwatch(roomOf(dossierId, 'toegang'));
  c.dossiers.forget(dossierId);
  c.dossiers.markPurged(dossierId);
  await c.store.purgeDossier(dossierId);
  c.emit({ kind: 'index' });
}
