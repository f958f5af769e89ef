// Awareness (who is looking at which tab, who is typing): sealed like content, sent through
// the toegang room, never stored.
import { encodeAwarenessUpdate, applyAwarenessUpdate, removeAwarenessStates } from 'y-protocols/awareness.js';
import { decodeEnvelope, openEnvelope } from '../crypto/envelope.js';
import { keyringGet } from '../access/keyring.js';
import { parseRoom, roomOf } from '../access/rooms.js';
import { currentMembers } from '../access/dossier-access.js';
import { asId } from '../model/ids.js';
import type { DossierId, RoomId, UserId } from '../model/ids.js';
import type { AwarenessEntry } from './api.js';
import type { ClientCore } from './client-core.js';
import { userOfDevice } from './client-authors.js';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

/**
 * Applies a peer's presence only as far as it speaks for itself: the envelope is
 * signed by the author device (checked by openEnvelope), every state in it must
 * name that device's user, and a client id stays bound to the device that first
 * announced it, so no member can show someone else as present or hide them.
 */
export async function receiveAwareness(c: ClientCore, room: string, bytes: Uint8Array): Promise<void> {
  const parsed = parseRoom(room);
  const env = decodeEnvelope(bytes);
  if (!parsed.ok || !env.ok || env.value.header.kind !== 'awareness') return;
  const st = c.dossiers.get(parsed.value.dossier);
  if (!st) return;
  const key = keyringGet(st.keyring, parsed.value.scope, env.value.header.epoch);
  if (!key) return;
  const plain = await openEnvelope(c.provider, env.value, { key, room: room as RoomId, epoch: env.value.header.epoch });
  if (!plain.ok) return;
  const device = env.value.header.author;
  const user = userOfDevice(c, st, device);
  if (user === null) return;
  const own = ownEntries(plain.value, (clientId, state) => {
    const owner = st.awarenessOwners.get(clientId);
    if (owner !== undefined && owner !== device) return false;
    if (state !== null && (typeof state !== 'object' || (state as { userId?: unknown }).userId !== user)) return false;
    st.awarenessOwners.set(clientId, device);
    return true;
  });
  if (own === null) return;
  try {
    applyAwarenessUpdate(st.awareness, own, 'remote');
  } catch {
    return;
  }
  c.emit({ kind: 'awareness', dossierId: st.id });
}

/** The entries of a y-protocols awareness update that `keep` accepts, re-encoded; `null` if malformed or none left. */
function ownEntries(update: Uint8Array, keep: (clientId: number, state: unknown) => boolean): Uint8Array | null {
  const kept: { clientId: number; clock: number; json: string }[] = [];
  try {
    const d = decoding.createDecoder(update);
    const n = decoding.readVarUint(d);
    if (n > 64) return null;
    for (let i = 0; i < n; i++) {
      const clientId = decoding.readVarUint(d);
      const clock = decoding.readVarUint(d);
      const json = decoding.readVarString(d);
      if (json.length > 4_096) return null;
      if (keep(clientId, JSON.parse(json) as unknown)) kept.push({ clientId, clock, json });
    }
  } catch {
    return null;
  }
  if (kept.length === 0) return null;
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, kept.length);
  for (const k of kept) {
    encoding.writeVarUint(e, k.clientId);
    encoding.writeVarUint(e, k.clock);
    encoding.writeVarString(e, k.json);
  }
  return encoding.toUint8Array(e);
}

export function setAwareness(c: ClientCore, dossierId: DossierId, state: { readonly tab: string; readonly typing: boolean } | null): void {
  const id = c.id;
  const st = c.dossiers.get(dossierId);
  if (!id || !st) return;
  if (state === null) {
    removeAwarenessStates(st.awareness, [st.awareness.clientID], 'local');
  } else st.awareness.setLocalState({ userId: id.userId, naam: c.directory.nameOf(id.userId), tab: state.tab, typing: state.typing });
  const update = encodeAwarenessUpdate(st.awareness, [st.awareness.clientID]);
  // Presence travels only on live subscriptions of the toegang room: showing it means being on screen (P45).
  const focused = state === null || st.open ? Promise.resolve() : (c.relay.engine?.focus(dossierId) ?? Promise.resolve());
  c.background(focused.then(() => c.relay.engine?.sendAwareness(roomOf(dossierId, 'toegang'), update)));
}

export function awareness(c: ClientCore, dossierId: DossierId): readonly AwarenessEntry[] {
  const st = c.dossiers.get(dossierId);
  if (!st?.access) return [];
  // Someone removed from the dossier is gone at once, not when their last state times out (30 s).
  const members = currentMembers(st.access, c.now());
  const out: AwarenessEntry[] = [];
  for (const [clientId, s] of st.awareness.getStates()) {
    if (clientId === st.awareness.clientID) continue;
    const v = s as { userId?: unknown; naam?: unknown; tab?: unknown; typing?: unknown };
    if (typeof v.userId !== 'string' || typeof v.tab !== 'string' || !members.has(v.userId)) continue;
    out.push({ userId: asId<UserId>(v.userId), naam: c.directory.nameOf(v.userId), tab: v.tab, typing: v.typing === true });
  }
  return out;
}
