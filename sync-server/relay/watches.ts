// Watches [P45] and the dossier list [P46]: how a device follows thousands of
// rooms without subscribing to them. A watch costs one head read now and one
// small notice per committed record; read right is checked as for subscribe.
import type { RoomId } from '../../core/model/ids.js';
import { asId } from '../../core/model/ids.js';
import { parseRoom } from '../../core/access/rooms.js';
import { DOSSIER_PAGE, MAX_WATCH_BATCH, WATCHES_PER_TOKEN, type ClientMessageOf } from '../../core/sync/protocol.js';
import type { AuthenticatedDevice } from '../policy.js';
import { fromAccess } from './refusal.js';
import type { RelaySession } from './session.js';

type Session<D extends AuthenticatedDevice, A> = RelaySession<D, A>;

/**
 * Watching a room costs the relay one head read now and one small notice per committed record,
 * and no storage reads after that: a device follows thousands of rooms this way and subscribes
 * only to fetch (or to the dossier on screen). Read right is checked like a subscription's.
 */
export async function onWatch<D extends AuthenticatedDevice, A>(s: Session<D, A>, msg: ClientMessageOf<'watch'>): Promise<void> {
  const device = s.requireDevice();
  for (let i = 0; i < Math.ceil(msg.rooms.length / WATCHES_PER_TOKEN); i++) s.takeRecordToken();
  const changed: { room: string; headSeq: number }[] = [];
  const refused: { room: string; code: string }[] = [];
  const byDossier = new Map<string, { room: RoomId; afterSeq: number }[]>();
  for (const item of msg.rooms) {
    const parsed = parseRoom(item.room);
    if (!parsed.ok) {
      refused.push({ room: item.room, code: 'ruimte-ongeldig' });
      continue;
    }
    const list = byDossier.get(parsed.value.dossier) ?? [];
    list.push({ room: asId<RoomId>(item.room), afterSeq: item.afterSeq });
    byDossier.set(parsed.value.dossier, list);
  }
  const storage = s.relay.opts.storage;
  for (const [dossier, items] of byDossier) {
    const admitted = await s.relay.withDossier(dossier, (st) => {
      const now = new Date(s.relay.now());
      const ok: { room: RoomId; afterSeq: number }[] = [];
      for (const item of items) {
        const code = st.vernietigd === true ? 'dossier-vernietigd' : watchRefusal(s, st.access, device, item.room, now);
        if (code !== null) refused.push({ room: item.room, code });
        else {
          addWatch(s, dossier, item.room);
          ok.push(item);
        }
      }
      return Promise.resolve(ok);
    });
    for (const item of admitted) {
      const head = await storage.headSeq(item.room);
      if (head > item.afterSeq) changed.push({ room: item.room, headSeq: head });
    }
  }
  s.send({ type: 'heads', ref: msg.ref, changed, refused });
}

export function onUnwatch<D extends AuthenticatedDevice, A>(s: Session<D, A>, msg: ClientMessageOf<'unwatch'>): Promise<void> {
  s.requireDevice();
  for (const room of msg.rooms) {
    const parsed = parseRoom(room);
    if (parsed.ok) removeWatch(s, parsed.value.dossier, asId<RoomId>(room));
  }
  s.send({ type: 'done', of: 'unwatch' });
  return Promise.resolve();
}

/** The dossiers this device may read, a page at a time [P46]. */
export async function onListDossiers<D extends AuthenticatedDevice, A>(
  s: Session<D, A>,
  msg: ClientMessageOf<'list-dossiers'>,
): Promise<void> {
  const device = s.requireDevice();
  s.takeRecordToken();
  const page = await s.relay.readableDossiers(device, msg.after, DOSSIER_PAGE);
  s.send({ type: 'dossier-list', ref: msg.ref, ids: page.ids, next: page.next });
}

function watchRefusal<D extends AuthenticatedDevice, A>(
  s: Session<D, A>,
  access: A | undefined,
  device: D,
  room: RoomId,
  now: Date,
): string | null {
  if (!watchesRoom(s, room) && s.watchCount >= s.relay.limits.watchedRooms) return 'limiet-overschreden';
  // The toegang room of a dossier without genesis may be watched (to wait for it); nothing else.
  if (access === undefined) return room.endsWith('/toegang') ? null : 'dossier-onbekend';
  const check = s.relay.opts.policy.checkRead(access, device, room, now);
  return check.ok ? null : fromAccess(check.error, false).code;
}

function watchesRoom<D extends AuthenticatedDevice, A>(s: Session<D, A>, room: RoomId): boolean {
  const parsed = parseRoom(room);
  return parsed.ok && (s.watches.get(parsed.value.dossier)?.has(room) ?? false);
}

function addWatch<D extends AuthenticatedDevice, A>(s: Session<D, A>, dossier: string, room: RoomId): void {
  let rooms = s.watches.get(dossier);
  if (rooms === undefined) s.watches.set(dossier, (rooms = new Set()));
  if (rooms.has(room)) return;
  rooms.add(room);
  s.watchCount++;
  s.relay.addWatcher(room, s);
}

function removeWatch<D extends AuthenticatedDevice, A>(s: Session<D, A>, dossier: string, room: RoomId): void {
  const rooms = s.watches.get(dossier);
  if (rooms === undefined || !rooms.delete(room)) return;
  if (rooms.size === 0) s.watches.delete(dossier);
  s.watchCount--;
  s.pendingHeads.delete(room);
  s.relay.removeWatcher(room, s);
}

/** Access to watched rooms ended: they are dropped and the client is told which, with the reason. */
export function endWatches<D extends AuthenticatedDevice, A>(
  s: Session<D, A>,
  dossier: string,
  rooms: readonly RoomId[],
  code: string,
): void {
  for (const room of rooms) removeWatch(s, dossier, room);
  s.send({ type: 'heads', ref: null, changed: [], refused: rooms.map((room) => ({ room, code })) });
}

/** A watched room has a new head: pushed on the next turn of the event loop, coalesced with others. */
export function noteHead<D extends AuthenticatedDevice, A>(s: Session<D, A>, room: string, seq: number | undefined): void {
  const known = s.pendingHeads.get(room);
  s.pendingHeads.set(room, seq === undefined || (s.pendingHeads.has(room) && known === undefined) ? undefined : Math.max(seq, known ?? 0));
  if (s.headsScheduled) return;
  s.headsScheduled = true;
  setImmediate(() => void flushHeads(s));
}

async function flushHeads<D extends AuthenticatedDevice, A>(s: Session<D, A>): Promise<void> {
  s.headsScheduled = false;
  const items = [...s.pendingHeads];
  s.pendingHeads.clear();
  const changed: { room: string; headSeq: number }[] = [];
  for (const [room, seq] of items) {
    try {
      changed.push({ room, headSeq: seq ?? (await s.relay.opts.storage.headSeq(room)) });
    } catch {
      s.relay.log('error', 'head-read-failed', { conn: s.id });
    }
  }
  for (let i = 0; i < changed.length; i += MAX_WATCH_BATCH * 4)
    s.send({ type: 'heads', ref: null, changed: changed.slice(i, i + MAX_WATCH_BATCH * 4), refused: [] });
}
