// The room log [P6–P12, P15, P17]: subscribe and the pump that sends a room's
// snapshot and records in order without gaps, appends and snapshots (both
// through the one `checkWrite`), and awareness between a room's subscribers.
import type { RoomId } from '../../core/model/ids.js';
import { decodeEnvelope, verifyEnvelopeSignature, type Envelope, type EnvelopeHeader } from '../../core/crypto/envelope.js';
import type { ClientMessageOf } from '../../core/sync/protocol.js';
import { decodeSeenPublicPart, decodeSnapshotPublicPart } from '../../core/sync/protocol-signing.js';
import type { AuthenticatedDevice } from '../policy.js';
import type { AppendOutcome } from '../storage.js';
import { sha256Native } from '../node-crypto.js';
import { fromAccess, refuse, RefusalError } from './refusal.js';
import { noteServed } from './served-log.js';
import type { RelaySession } from './session.js';

export interface Subscription {
  readonly room: RoomId;
  readonly dossier: string;
  sentUpTo: number;
  first: boolean;
  /** The client refused the room's snapshot and asks for the records instead [P85]. */
  readonly withoutSnapshot: boolean;
  pumping: boolean;
  again: boolean;
}

type Session<D extends AuthenticatedDevice, A> = RelaySession<D, A>;

// ---------- subscriptions [P6, P7] ----------

export async function onSubscribe<D extends AuthenticatedDevice, A>(s: Session<D, A>, msg: ClientMessageOf<'subscribe'>): Promise<void> {
  const device = s.requireDevice();
  // Each subscribe reads from storage: counted like a record so a subscribe loop is a flood too.
  s.takeRecordToken();
  const { room, dossier } = s.roomOf(msg.room);
  if (!s.subscriptions.has(room) && s.subscriptions.size + s.subscribing >= s.relay.limits.openRooms) {
    throw new RefusalError(refuse('limiet-overschreden', { limit: 'openRooms' }));
  }
  // Subscriptions being checked count too, or a burst of subscribes would slip past the limit.
  s.subscribing++;
  await s.relay
    .withLiveDossier(dossier, (st) => {
      if (st.access === undefined) {
        // The toegang room of a dossier without genesis may be subscribed (to wait for it); nothing else.
        if (!room.endsWith('/toegang')) throw new RefusalError(refuse('dossier-onbekend'));
      } else {
        const check = s.relay.opts.policy.checkRead(st.access, device, room, new Date(s.relay.now()));
        if (!check.ok) throw new RefusalError(fromAccess(check.error, false));
      }
      s.subscriptions.set(room, {
        room,
        dossier,
        sentUpTo: msg.afterSeq,
        first: true,
        withoutSnapshot: msg.withoutSnapshot === true,
        pumping: false,
        again: false,
      });
      s.relay.addSubscriber(room, s);
      return Promise.resolve();
    })
    .finally(() => s.subscribing--);
  s.pump(room);
}

export function onUnsubscribe<D extends AuthenticatedDevice, A>(s: Session<D, A>, msg: ClientMessageOf<'unsubscribe'>): Promise<void> {
  s.requireDevice();
  if (s.subscriptions.delete(msg.room)) s.relay.removeSubscriber(msg.room, s);
  s.send({ type: 'done', of: 'unsubscribe' });
  return Promise.resolve();
}

/**
 * Sends everything after `sentUpTo` from storage, batch by batch; live records take the same path, so there are no
 * gaps [P7]. A live subscriber whose next records are all in the relay's memory of recent commits gets them from there.
 */
export function pumpRoom<D extends AuthenticatedDevice, A>(s: Session<D, A>, room: string): void {
  const sub = s.subscriptions.get(room);
  if (sub === undefined) return;
  if (sub.pumping) {
    sub.again = true;
    return;
  }
  sub.pumping = true;
  void pumpLoop(s, sub)
    .catch(() => {
      s.relay.log('error', 'pump-failed', { conn: s.id });
      s.endSubscription(sub.room, 'opslag-fout', null);
    })
    .finally(() => {
      sub.pumping = false;
    });
}

async function pumpLoop<D extends AuthenticatedDevice, A>(s: Session<D, A>, sub: Subscription): Promise<void> {
  do {
    sub.again = false;
    for (;;) {
      if (s.isClosed || s.subscriptions.get(sub.room) !== sub) return;
      const next = await s.inOutputTurn(() => pumpBatch(s, sub));
      if (next === 'stop') return;
      if (next === 'done') break;
    }
  } while (sub.again);
}

/** Reads and sends one batch once the client has read what was sent before; 'more' when there may be more to send. */
async function pumpBatch<D extends AuthenticatedDevice, A>(s: Session<D, A>, sub: Subscription): Promise<'more' | 'done' | 'stop'> {
  const storage = s.relay.opts.storage;
  if (!(await s.whenDrained())) return 'stop';
  if (s.subscriptions.get(sub.room) !== sub) return 'stop';
  if (!sub.first) {
    // A live subscriber a few records behind gets them from memory, in the frame its peers get too.
    const recent = s.relay.recent.frameAfter(sub.room, sub.sentUpTo);
    if (recent === 'caught-up') return 'done';
    if (recent !== undefined) {
      sub.sentUpTo = recent.head;
      s.sendFrame(recent.frame);
      noteServed(s, sub.room, recent.count);
      return 'done';
    }
  }
  let snapshot: { coversSeq: number; envelope: Uint8Array } | null = null;
  if (sub.first && !sub.withoutSnapshot) {
    const snap = await storage.getSnapshot(sub.room);
    if (snap !== undefined && snap.coversSeq > sub.sentUpTo) {
      snapshot = { coversSeq: snap.coversSeq, envelope: snap.envelope };
      sub.sentUpTo = snap.coversSeq;
    }
  }
  const head = await storage.headSeq(sub.room);
  const records = await storage.readRecords(sub.room, sub.sentUpTo, 1000, s.relay.limits.batchBytes);
  if (records.length === 0 && !sub.first && snapshot === null) return 'done';
  const last = records[records.length - 1];
  if (last !== undefined) sub.sentUpTo = last.seq;
  // Records deleted by GC below the head are skipped, so the client never waits for them.
  if (records.length === 0 && sub.sentUpTo < head) sub.sentUpTo = head;
  const live = sub.sentUpTo >= head;
  sub.first = false;
  if (s.subscriptions.get(sub.room) !== sub) return 'stop';
  s.send({
    type: 'records',
    room: sub.room,
    snapshot,
    records: records.map((r) => ({ seq: r.seq, envelope: r.envelope })),
    headSeq: Math.max(head, sub.sentUpTo),
    live,
  });
  noteServed(s, sub.room, records.length + (snapshot === null ? 0 : 1));
  return records.length === 0 ? 'done' : 'more';
}

// ---------- appends [P8–P12] ----------

/** Decodes and checks an envelope against this session and the named room (signature included). */
async function checkEnvelope<D extends AuthenticatedDevice, A>(
  s: Session<D, A>,
  device: D,
  room: RoomId,
  bytes: Uint8Array,
  kinds: readonly string[],
  limit: 'maxRecordBytes' | 'maxBlobBytes' = 'maxRecordBytes',
): Promise<Envelope> {
  if (bytes.length > s.relay.limits[limit]) throw new RefusalError(refuse('limiet-overschreden', { limit }));
  const env = decodeEnvelope(bytes);
  if (!env.ok) throw new RefusalError(refuse('envelop-ongeldig', { reason: env.error.code }));
  const h = env.value.header;
  if (h.room !== room) throw new RefusalError(refuse('ruimte-onjuist'));
  if (h.author !== device.deviceId) throw new RefusalError(refuse('auteur-onjuist'));
  if (!kinds.includes(h.kind)) throw new RefusalError(refuse('soort-onjuist', { reason: h.kind }));
  if (!(await verifyEnvelopeSignature(s.relay.crypto, env.value))) throw new RefusalError(refuse('handtekening-ongeldig'));
  return env.value;
}

/**
 * "May this device write this envelope here now" [P9, P10, P15], for appends and snapshots alike: an access
 * record only in the toegang room (the first one, with no access yet, is checked as a genesis by applyAcl);
 * otherwise the dossier must be known, the device must hold write right on the room for the kind, and content
 * (update, snapshot) must be sealed under an epoch the author may write. Run inside the dossier's turn, with
 * the clock read there, so an expired grant cannot slip through while waiting.
 */
function checkWrite<D extends AuthenticatedDevice, A>(
  s: Session<D, A>,
  access: A | undefined,
  device: D,
  room: RoomId,
  h: EnvelopeHeader,
  now: Date,
): void {
  const policy = s.relay.opts.policy;
  if (h.kind === 'acl' && !room.endsWith('/toegang')) throw new RefusalError(refuse('soort-onjuist', { reason: 'acl' }));
  if (access === undefined) {
    if (h.kind === 'acl') return;
    throw new RefusalError(refuse('dossier-onbekend'));
  }
  const may = policy.checkAppend(access, device, room, h.kind, now);
  if (!may.ok) throw new RefusalError(fromAccess(may.error, true));
  if (h.kind === 'update' || h.kind === 'snapshot') {
    const author = policy.checkRecord(access, device, room, h.kind, h.epoch, now);
    if (!author.ok) throw new RefusalError(fromAccess(author.error, true));
  }
}

export async function onAppend<D extends AuthenticatedDevice, A>(s: Session<D, A>, msg: ClientMessageOf<'append'>): Promise<void> {
  const device = s.requireDevice();
  s.takeRecordToken();
  const { room, dossier } = s.roomOf(msg.room);
  // Checks run in arrival order per connection; the commit itself is shared with other appends (group commit).
  const checked = s.order.then(
    () => checkedAppend(s, device, room, dossier, msg),
    () => checkedAppend(s, device, room, dossier, msg),
  );
  s.order = checked;
  const outcome = await (await checked).p;
  if (outcome.kind === 'conflict') throw new RefusalError(refuse('teller-conflict'));
  s.send({ type: 'ack', ref: msg.ref, seq: outcome.seq, duplicate: outcome.kind === 'duplicate' });
  if (outcome.kind === 'stored') {
    s.relay.announce(room, outcome.seq, msg.envelope);
    s.relay.countUsage(device.swvId, msg.envelope.length);
  }
}

/** Resolves once the append is checked and queued; `p` resolves when it is durable (wrapped so the order chain does not wait for the disk). */
async function checkedAppend<D extends AuthenticatedDevice, A>(
  s: Session<D, A>,
  device: D,
  room: RoomId,
  dossier: string,
  msg: ClientMessageOf<'append'>,
): Promise<{ p: Promise<AppendOutcome> }> {
  const env = await checkEnvelope(s, device, room, msg.envelope, ['update', 'keybox', 'acl', 'access', 'seen']);
  const h = env.header;
  const relay = s.relay;
  const policy = relay.opts.policy;
  const item = { room, author: h.author, counter: h.counter, envelope: msg.envelope };
  if (h.kind === 'acl') {
    // Access changes are applied and stored one at a time per dossier, so the state always matches the log [P15].
    const outcome = await relay.withLiveDossier(dossier, async (st): Promise<AppendOutcome> => {
      // The clock is read once the dossier's turn has come: waiting for it must not let an expired grant or a stale `at` through.
      const now = new Date(relay.now());
      checkWrite(s, st.access, device, room, h, now);
      const next = await policy.applyAcl(st.access, env, relay.swvRoots, now, true);
      if (!next.ok) {
        // A replay of a stored record no longer fits the chain: answer it with its original seq (read only, nothing written).
        const slot = await relay.opts.storage.lookup(room, h.author, h.counter);
        if (slot !== undefined) {
          if (Buffer.from(slot.hash).equals(Buffer.from(sha256Native(msg.envelope)))) return { kind: 'duplicate', seq: slot.seq };
          throw new RefusalError(refuse('teller-conflict'));
        }
        throw new RefusalError(refuse('toegangsrecord-geweigerd', { reason: next.error.code }));
      }
      // A revoked device never becomes a key recipient again, also in a dossier made after its revocation [R149].
      for (const r of policy.addedRecipients?.(st.access, next.value) ?? []) {
        const revokedAt = relay.deviceRevocations.revokedAt(device.swvId, r.user, r.device);
        if (revokedAt !== undefined && revokedAt <= now.getTime())
          throw new RefusalError(refuse('toegangsrecord-geweigerd', { reason: 'ontvanger-ingetrokken' }));
      }
      const outcome = await relay.committer.append(item);
      if (outcome.kind === 'stored') {
        st.access = next.value;
        relay.revalidate(dossier, st);
      }
      return outcome;
    });
    return { p: Promise.resolve(outcome) };
  }
  return relay.withLiveDossier(dossier, async (st) => {
    if (st.access === undefined) throw new RefusalError(refuse('dossier-onbekend'));
    const now = new Date(relay.now());
    // A replay is answered with its original seq even if the epoch has since rotated [P11]: the record was valid when stored.
    const slot = await relay.opts.storage.lookup(room, h.author, h.counter);
    if (slot !== undefined) {
      if (!Buffer.from(slot.hash).equals(Buffer.from(sha256Native(msg.envelope)))) throw new RefusalError(refuse('teller-conflict'));
      return { p: Promise.resolve<AppendOutcome>({ kind: 'duplicate', seq: slot.seq }) };
    }
    checkWrite(s, st.access, device, room, h, now);
    if (h.kind === 'seen') {
      const seen = decodeSeenPublicPart(env.publicPart);
      if (!seen.ok) throw new RefusalError(refuse('envelop-ongeldig', { reason: seen.error.code }));
      if (seen.value.upToSeq > (await relay.opts.storage.headSeq(room)))
        throw new RefusalError(refuse('bericht-ongeldig', { reason: 'seen-voorbij-head' }));
      const { headHash, upToSeq } = seen.value;
      if (headHash !== undefined && upToSeq > 0) {
        // The marker names the record it saw at upToSeq: it must be the one in this log (unless collected).
        const [at] = await relay.opts.storage.readRecords(room, upToSeq - 1, 1, Number.MAX_SAFE_INTEGER);
        if (at?.seq === upToSeq && !Buffer.from(sha256Native(at.envelope)).equals(Buffer.from(headHash))) {
          throw new RefusalError(refuse('bericht-ongeldig', { reason: 'seen-hash-onjuist' }));
        }
      }
    }
    await relay.checkQuota(device.swvId, msg.envelope.length);
    // Queue the commit while holding the dossier's turn, then wait outside it (group commit).
    return { p: relay.committer.append(item) };
  });
}

export async function onSnapshot<D extends AuthenticatedDevice, A>(s: Session<D, A>, msg: ClientMessageOf<'snapshot'>): Promise<void> {
  const device = s.requireDevice();
  s.takeRecordToken();
  const { room, dossier } = s.roomOf(msg.room);
  // A snapshot holds a whole document: it may be as large as an attachment.
  const env = await checkEnvelope(s, device, room, msg.envelope, ['snapshot'], 'maxBlobBytes');
  const part = decodeSnapshotPublicPart(env.publicPart);
  if (!part.ok) throw new RefusalError(refuse('envelop-ongeldig', { reason: part.error.code }));
  if (part.value.coversSeq !== msg.coversSeq) throw new RefusalError(refuse('momentopname-onjuist', { reason: 'coversSeq' }));
  const storage = s.relay.opts.storage;
  const outcome = await s.relay.withLiveDossier(dossier, async (st) => {
    checkWrite(s, st.access, device, room, env.header, new Date(s.relay.now()));
    const hash = sha256Native(msg.envelope);
    const current = await storage.getSnapshot(room);
    if (current !== undefined && Buffer.from(current.hash).equals(Buffer.from(hash))) return 'duplicate' as const;
    if (msg.coversSeq > (await storage.headSeq(room))) throw new RefusalError(refuse('momentopname-onjuist', { reason: 'voorbij-head' }));
    if (current !== undefined && msg.coversSeq < current.coversSeq)
      throw new RefusalError(refuse('momentopname-onjuist', { reason: 'ouder' }));
    const stored = await storage.putSnapshot(
      room,
      { coversSeq: msg.coversSeq, envelope: msg.envelope, hash, storedAt: s.relay.now() },
      part.value.prev,
    );
    if (stored === 'conflict') throw new RefusalError(refuse('momentopname-onjuist', { reason: 'vorige' }));
    return 'stored' as const;
  });
  s.send({ type: 'ack', ref: msg.ref, seq: msg.coversSeq, duplicate: outcome === 'duplicate' });
}

export async function onAwareness<D extends AuthenticatedDevice, A>(s: Session<D, A>, msg: ClientMessageOf<'awareness'>): Promise<void> {
  const device = s.requireDevice();
  s.takeRecordToken();
  const { room } = s.roomOf(msg.room);
  // Only subscribers may speak in a room: their read right was checked and is re-checked on every access change.
  if (!s.subscriptions.has(room)) throw new RefusalError(refuse('geen-toegang'));
  await checkEnvelope(s, device, room, msg.envelope, ['awareness']);
  s.relay.forwardAwareness(room, s, msg.envelope);
}
