// Receiving from the relay: access records in the relay's order, content updates and
// snapshots checked per author, own changes sealed again, refusals and room errors.
import type { DossierAccess } from '../access/dossier-access.js';
import { checkTombstoneRecord } from '../access/tombstone-record.js';
import { equalBytes } from '../crypto/bytes.js';
import { decodeEnvelope, envelopeHash, openEnvelope, type Envelope, type EnvelopeKind } from '../crypto/envelope.js';
import { applyAccessRecord } from '../access/apply-record.js';
import { currentEpoch } from '../access/dossier-access.js';
import { keyringGet } from '../access/keyring.js';
import { parseRoom, type Scope } from '../access/rooms.js';
import type { RoomId } from '../model/ids.js';
import { ok, fail, type Result } from '../result.js';
import type { ReceiveOutcome, WriteKey } from '../sync/sync-engine.js';
import type { RelayRecord, RelaySnapshot } from '../sync/relay-link.js';
import { decodeSnapshotPublicPart } from '../sync/protocol-signing.js';
import { openBatch } from '../sync/open-batch.js';
import { decodeSnapshotWithAuthor, decodeUpdatePayload, type DossierState } from './dossier-state.js';
import { judgeWriteHead, noteAheadOfMe } from './client-trust.js';
import { applyAccessEvent, authorDevice, authorise, userOfDevice } from './client-authors.js';
import type { ClientCore } from './client-core.js';
import type { AccessIntent } from './state/access-queue.js';
import { decodeMarkerPayload, hashedInBatch, judgeMarker, noteRecords, noteUpdateHash } from './client-seen.js';
import { judgeSnapshot } from './client-snapshots.js';
import { noteDocGap } from './client-gaps.js';
import { startKeyRenewal } from './client-key-renewal.js';
import { afterAccessChange, ensureRoom, loadDossier, purge, queueRetry, reapplyPending, runRetries } from './client-rooms.js';

export function writeKey(c: ClientCore, room: string): Result<WriteKey> {
  const parsed = parseRoom(room);
  if (!parsed.ok) return parsed;
  const st = c.dossiers.get(parsed.value.dossier);
  const info = st?.access?.scopes.get(parsed.value.scope);
  const cur = currentEpoch(info);
  const key = cur && st ? keyringGet(st.keyring, parsed.value.scope, cur.epoch) : undefined;
  if (!cur || !key) return fail('sleutel-ontbreekt', 'Dit apparaat heeft (nog) geen sleutel voor dit dossierdeel.');
  return ok({ epoch: cur.epoch, key });
}

export async function receive(
  c: ClientCore,
  room: string,
  records: readonly RelayRecord[],
  snapshot: RelaySnapshot | null,
): Promise<ReceiveOutcome> {
  const parsed = parseRoom(room);
  if (!parsed.ok) return { accepted: [], rejected: records.map((r) => ({ seq: r.seq, bytes: r.bytes, code: 'ruimte-ongeldig' })) };
  const st = c.dossierState(parsed.value.dossier);
  return parsed.value.scope === 'toegang'
    ? receiveToegang(c, st, records)
    : receiveContent(c, st, parsed.value.scope, room, records, snapshot);
}

async function receiveToegang(c: ClientCore, st: DossierState, records: readonly RelayRecord[]): Promise<ReceiveOutcome> {
  const id = c.id;
  if (!id) return { accepted: [], rejected: [] };
  const accepted: (RelayRecord & { kind: string })[] = [];
  const rejected: { seq: number; bytes: Uint8Array; code: string }[] = [];
  const retryIntents: AccessIntent[] = [];
  // Access events are sealed under a toegang key that an acl record in this same batch may bring:
  // they are opened after the keyring is updated below (opened in the loop, a new member's first
  // batch silently lost the access log entries in it).
  const events: Envelope[] = [];
  let changed = false;
  for (const r of records) {
    const env = decodeEnvelope(r.bytes);
    if (!env.ok) {
      rejected.push({ seq: r.seq, bytes: r.bytes, code: env.error.code });
      continue;
    }
    const kind = env.value.header.kind;
    if (kind === 'acl') {
      const hash = await envelopeHash(c.provider, env.value);
      if (st.confirmed?.records.some((x) => equalBytes(x.hash, hash))) {
        accepted.push({ ...r, kind });
        continue;
      }
      // Applied in the relay's order to the confirmed list, never to our optimistic view.
      const next = await applyAccessRecord(c.provider, st.confirmed, env.value, id.roots, c.now());
      if (next.ok) {
        st.confirmed = next.value;
        changed = true;
        accepted.push({ ...r, kind });
      } else {
        rejected.push({ seq: r.seq, bytes: r.bytes, code: next.error.code });
        // Our own record that the relay stored but that does not fit the chain (a concurrent record
        // came first): make the same change again on top of the relay's order.
        const intent = c.accessQueue.intentOf(hash);
        if (env.value.header.author === id.deviceId && intent && intent.attempts < 5) {
          c.accessQueue.takeIntent(hash);
          retryIntents.push(intent);
        }
      }
    } else if (kind === 'access') {
      accepted.push({ ...r, kind });
      events.push(env.value);
    } else {
      accepted.push({ ...r, kind });
    }
  }
  if (changed || retryIntents.length > 0) {
    await reapplyPending(c, st);
    await afterAccessChange(c, st);
    if (!c.hasAnyAccess(st)) c.emit({ kind: 'access-lost', dossierId: st.id });
  }
  for (const e of events) await applyAccessEvent(c, st, e);
  for (const intent of retryIntents) queueRetry(c, st, intent);
  if (changed) runRetries(c, st);
  return { accepted, rejected };
}

async function receiveContent(
  c: ClientCore,
  st: DossierState,
  scope: Scope,
  room: string,
  records: readonly RelayRecord[],
  snapshot: RelaySnapshot | null,
): Promise<ReceiveOutcome> {
  const doc = await ensureRoom(c, st, scope);
  // What the relay sent, before judging it: other members' seen markers are compared with it [R116].
  noteRecords(st, room, records, snapshot?.upToSeq ?? 0);
  // Each update with the record it came in (null for the snapshot, quarantined on its own above).
  const updates: Uint8Array[] = [];
  const sources: (RelayRecord | null)[] = [];
  const accepted: (RelayRecord & { kind: string })[] = [];
  const rejected: { seq: number; bytes: Uint8Array; code: string }[] = [];
  let retryFrom: number | undefined;
  if (snapshot) {
    // A snapshot is checked like an update: its author's chain, and write right at its epoch [R35, P30];
    // and it must hold everything this device already has of the room up to where it claims to reach [R121].
    // A refused one is quarantined (reported); the records it would replace are fetched instead.
    const checked = await checkSnapshot(c, st, scope, room, snapshot);
    if (!checked.ok) {
      c.diagnostics.report(`Momentopname geweigerd: ${checked.error.message}`);
      return {
        accepted: [],
        rejected: [{ seq: snapshot.upToSeq, bytes: snapshot.bytes, code: checked.error.code }],
        withoutSnapshot: true,
      };
    }
    updates.push(checked.value.state);
    sources.push(null);
    // Kept in the local log like a record: it stands for everything up to its coversSeq after a restart too.
    accepted.push({ seq: snapshot.upToSeq, bytes: snapshot.bytes, kind: 'snapshot' });
    const pp = decodeSnapshotPublicPart(checked.value.env.publicPart);
    c.roomSync.rememberSnapshot(room, {
      hash: await c.provider.sha256(snapshot.bytes),
      seq: pp.ok ? pp.value.coversSeq : snapshot.upToSeq,
    });
  }
  // Signature, commitment and decryption once per record, a bounded window in flight (core/sync/open-batch);
  // membership is checked below, once the author's device chain from the payload is known.
  const batch = await openBatch(c.provider, room, records, {
    keyFor: (e) => keyringGet(st.keyring, scope, e),
    authorize: () => ok(undefined),
  });
  const openedBySeq = new Map(batch.opened.map((o) => [o.seq, o]));
  const refusedBySeq = new Map(batch.rejected.map((x) => [x.seq, x.code]));
  const opened = records.map((r) => {
    const o = openedBySeq.get(r.seq);
    if (o) return { ok: true, r, env: o.envelope, plain: o.plaintext } as const;
    const env = decodeEnvelope(r.bytes);
    return { ok: false, r, code: refusedBySeq.get(r.seq) ?? 'envelop-ongeldig', env: env.ok ? env.value : undefined } as const;
  });
  for (const [index, o] of opened.entries()) {
    if (retryFrom !== undefined) break;
    if (!o.ok) {
      const newer = o.env !== undefined && o.env.header.epoch > (currentEpoch(st.access?.scopes.get(scope))?.epoch ?? -1);
      if (o.code === 'sleutel-ontbreekt' && newer && o.env) {
        retryFrom = o.r.seq;
        noteAheadOfMe(st, scope, room, o.env.header.epoch);
        st.stalled.add(room);
      } else {
        rejected.push({ seq: o.r.seq, bytes: o.r.bytes, code: o.code });
        // Our own change that went out under a key that was later retired: send it again under the real key.
        if (o.env && c.id && o.env.header.author === c.id.deviceId && o.env.header.kind === 'update') {
          const again = await reseal(c, room, o.r.bytes);
          if (again && c.relay.engine) c.background(c.relay.engine.submit(room, 'update', again.plaintext));
        }
      }
      continue;
    }
    const kind = o.env.header.kind;
    if (kind === 'update') {
      const payload = decodeUpdatePayload(o.plain);
      const user = payload ? await authorDevice(c, st, o.env, payload.chain) : null;
      if (!payload || !user) {
        rejected.push({ seq: o.r.seq, bytes: o.r.bytes, code: 'auteur-onbekend' });
        continue;
      }
      const auth = authorise(st, scope, o.env, user, c.now());
      if (!auth.ok) {
        rejected.push({ seq: o.r.seq, bytes: o.r.bytes, code: auth.error.code });
        continue;
      }
      judgeWriteHead(st, scope, room, o.r.seq, o.env.header.epoch, payload.head);
      if (hashedInBatch(index, opened.length)) noteUpdateHash(st, room, o.r.seq, o.r.bytes);
      updates.push(payload.update);
      sources.push(o.r);
    } else if (kind === 'seen') {
      // A member's marker counts only from a device placed in this dossier, like an update's author [R116].
      const payload = decodeMarkerPayload(o.plain);
      const user = payload ? await authorDevice(c, st, o.env, payload.chain) : null;
      if (!user) {
        rejected.push({ seq: o.r.seq, bytes: o.r.bytes, code: 'auteur-onbekend' });
        continue;
      }
      if (c.id) judgeMarker(st, room, o.r.seq, o.r.bytes, o.env, c.id.deviceId);
    }
    accepted.push({ ...o.r, kind });
  }
  // A record whose Yjs update does not apply is quarantined with its author; the rest of the batch applies [R39].
  for (const i of doc.applyChecked(updates)) {
    const r = sources[i];
    if (r === undefined) continue;
    if (r === null) {
      c.diagnostics.report('Een momentopname van dit dossierdeel is beschadigd.');
      continue;
    }
    const at = accepted.findIndex((a) => a.seq === r.seq);
    if (at >= 0) accepted.splice(at, 1);
    rejected.push({ seq: r.seq, bytes: r.bytes, code: 'update-ongeldig' });
    const env = decodeEnvelope(r.bytes);
    const who = env.ok ? (userOfDevice(c, st, env.value.header.author) ?? env.value.header.author) : 'onbekend';
    c.diagnostics.report(`Een wijziging van ${who} kon niet worden verwerkt en staat in quarantaine.`);
  }
  // Updates accepted, yet the document may still miss what they build on (a skipped record): noted, and
  // fetched again from the first missing seq if it persists [R120].
  const batchHead = accepted.reduce((m, a) => Math.max(m, a.seq), snapshot?.upToSeq ?? 0);
  noteDocGap(c, st, scope, room, doc.doc, batchHead);
  return retryFrom === undefined ? { accepted, rejected } : { accepted, rejected, retryFrom };
}

async function checkSnapshot(
  c: ClientCore,
  st: DossierState,
  scope: Scope,
  room: string,
  snapshot: RelaySnapshot,
): Promise<Result<{ env: Envelope; state: Uint8Array }>> {
  const env = decodeEnvelope(snapshot.bytes);
  if (!env.ok) return env;
  if (env.value.header.kind !== 'snapshot' || env.value.header.room !== room)
    return fail('soort-onjuist', 'Dit is geen momentopname van dit dossierdeel.');
  const key = keyringGet(st.keyring, scope, env.value.header.epoch);
  if (!key) return fail('sleutel-ontbreekt', 'Dit apparaat heeft de sleutel van deze momentopname niet.');
  const plain = await openEnvelope(c.provider, env.value, { key, room: room as RoomId, epoch: env.value.header.epoch });
  if (!plain.ok) return plain;
  const payload = decodeSnapshotWithAuthor(plain.value);
  if (!payload) return fail('momentopname-onjuist', 'De momentopname is onleesbaar.');
  const user = await authorDevice(c, st, env.value, payload.chain);
  if (!user) return fail('auteur-onbekend', 'De maker van deze momentopname is onbekend.');
  const auth = authorise(st, scope, env.value, user, c.now());
  if (!auth.ok) return auth;
  const whole = await judgeSnapshot(c, st, scope, room, {
    author: env.value.header.author,
    publicPart: env.value.publicPart,
    state: payload.state,
  });
  if (!whole.ok) return whole;
  return ok({ env: env.value, state: payload.state });
}

/**
 * An own pending change that must be sealed again: under an epoch that is no
 * longer current, or under a key that was retired. Returns its plaintext, or
 * null when the row is fine as it is (or cannot be opened at all).
 */
export async function reseal(
  c: ClientCore,
  room: string,
  bytes: Uint8Array,
): Promise<{ kind: EnvelopeKind; plaintext: Uint8Array } | null> {
  const parsed = parseRoom(room);
  const env = decodeEnvelope(bytes);
  if (!parsed.ok || !env.ok || env.value.header.kind !== 'update') return null;
  const st = c.dossiers.get(parsed.value.dossier);
  if (!st) return null;
  const scope = parsed.value.scope;
  const cur = currentEpoch(st.access?.scopes.get(scope));
  if (!cur) return null;
  const open = (key: Uint8Array) => openEnvelope(c.provider, env.value, { key, room: room as RoomId, epoch: env.value.header.epoch });
  const sameEpochKey = keyringGet(st.keyring, scope, env.value.header.epoch);
  if (sameEpochKey) {
    const plain = await open(sameEpochKey);
    if (plain.ok) return cur.epoch === env.value.header.epoch ? null : { kind: 'update', plaintext: plain.value };
  }
  for (const key of st.retired) {
    const plain = await open(key);
    if (plain.ok) return { kind: 'update', plaintext: plain.value };
  }
  return null;
}

export async function onRefused(c: ClientCore, room: string, code: string, message: string, bytes?: Uint8Array): Promise<void> {
  c.diagnostics.report(message);
  const parsed = parseRoom(room);
  // A refused access record: our local view ran ahead; rebuild it from what the relay accepted,
  // then make the same change again on top of it (e.g. someone else's record came first).
  if (parsed.ok && parsed.value.scope === 'toegang') {
    await loadDossier(c, parsed.value.dossier);
    const env = bytes ? decodeEnvelope(bytes) : undefined;
    if (env?.ok && env.value.header.kind === 'acl') {
      const intent = c.accessQueue.takeIntent(await envelopeHash(c.provider, env.value));
      if (intent && intent.attempts < 10 && code === 'toegangsrecord-geweigerd') {
        const st = c.dossiers.get(parsed.value.dossier);
        if (st) queueRetry(c, st, intent);
      }
    }
  }
  c.emit({ kind: 'sync', state: c.syncState() });
  void code;
}

export async function onRoomError(c: ClientCore, room: string, code: string, refusedSubscription: boolean): Promise<void> {
  const parsed = parseRoom(room);
  if (!parsed.ok) return;
  // Our own access record (a new dossier's genesis, the grant of a new hulpvraag) may not be stored
  // by the relay yet when we subscribe to the room it opens: that refusal is temporary. Subscribe
  // again shortly and at every tick, while our own view says we may read it, a bounded number of times.
  const st = c.dossiers.get(parsed.value.dossier);
  const mayRead =
    st !== undefined && (parsed.value.scope === 'toegang' ? st.access !== undefined : c.myAccess(st, parsed.value.scope) !== null);
  const early = code === 'dossier-onbekend' || (code === 'geen-toegang' && parsed.value.scope !== 'toegang');
  if (refusedSubscription && early && st && mayRead) {
    const tries = c.roomSync.countEarlyRefusal(room);
    if (tries <= 30) {
      st.stalled.add(room);
      setTimeout(
        () => {
          if (st.stalled.delete(room)) c.background(c.relay.engine?.resync(room));
        },
        Math.min(4000, 250 * tries),
      );
      return;
    }
  }
  // The relay deleted the dossier [R83]. Its word alone deletes nothing this device verified: only a
  // dossier whose signed access list here fixes a retention date, or of which it holds no access list.
  if (code === 'dossier-vernietigd' && parsed.value.scope === 'toegang') {
    const here = c.dossiers.get(parsed.value.dossier);
    c.relay.engine?.unwatch(room);
    // A device that never saw the date fixed asks for the tombstone's signed record and checks it itself.
    const bewezen =
      here?.confirmed !== undefined && (here.confirmed.bewaren?.tot ?? null) === null ? await tombstoneProves(c, here.confirmed) : true;
    if (bewezen) {
      if (here) c.emit({ kind: 'access-lost', dossierId: here.id });
      await purge(c, parsed.value.dossier);
      await startKeyRenewal(c);
    }
    return;
  }
  if (['toegang-ingetrokken', 'toegang-verlopen', 'geen-toegang'].includes(code)) {
    c.relay.engine?.unwatch(room);
    // An explicit end of access, or the relay refusing to let us read the access list at all
    // (any member may), deletes the dossier; a refused awareness message does not.
    if (parsed.value.scope === 'toegang' && (code !== 'geen-toegang' || refusedSubscription)) {
      const st = c.dossiers.get(parsed.value.dossier);
      if (st) c.emit({ kind: 'access-lost', dossierId: st.id });
      await purge(c, parsed.value.dossier);
    }
  }
}

/** The relay's tombstone for a dossier this device holds without a retention date: does its signed record prove the deletion [R83]? */
async function tombstoneProves(c: ClientCore, access: DossierAccess): Promise<boolean> {
  const id = c.id;
  const conn = c.relay.conn;
  if (!id || !conn?.ready) return false;
  const t = await conn.tombstone(access.dossier);
  if (!t.ok || t.value === null) return false;
  return (await checkTombstoneRecord(c.provider, t.value, access, id.roots, c.now().getTime())).ok;
}
