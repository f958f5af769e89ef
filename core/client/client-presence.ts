// Awareness (who is looking at which tab, who is typing): sealed like content, sent through
// the toegang room, never stored.
import { encodeAwarenessUpdate, applyAwarenessUpdate, removeAwarenessStates } from 'y-protocols/awareness.js';
import { decodeEnvelope, openEnvelope } from '../crypto/envelope.js';
import { keyringGet } from '../access/keyring.js';
import { parseRoom, roomOf } from '../access/rooms.js';
import { asId } from '../model/ids.js';
import type { DossierId, RoomId, UserId } from '../model/ids.js';
import type { AwarenessEntry } from './api.js';
import type { ClientCore } from './client-core.js';
import { bg } from './client-core.js';

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
  try {
    applyAwarenessUpdate(st.awareness, plain.value, 'remote');
  } catch {
    return;
  }
  c.emit({ kind: 'awareness', dossierId: st.id });
}

export function setAwareness(c: ClientCore, dossierId: DossierId, state: { readonly tab: string; readonly typing: boolean } | null): void {
  const id = c.id;
  const st = c.dossiers.get(dossierId);
  if (!id || !st) return;
  if (state === null) {
    removeAwarenessStates(st.awareness, [st.awareness.clientID], 'local');
  } else st.awareness.setLocalState({ userId: id.userId, naam: c.nameOf(id.userId), tab: state.tab, typing: state.typing });
  const update = encodeAwarenessUpdate(st.awareness, [st.awareness.clientID]);
  bg(c.engine?.sendAwareness(roomOf(dossierId, 'toegang'), update));
}

export function awareness(c: ClientCore, dossierId: DossierId): readonly AwarenessEntry[] {
  const st = c.dossiers.get(dossierId);
  if (!st) return [];
  const out: AwarenessEntry[] = [];
  for (const [clientId, s] of st.awareness.getStates()) {
    if (clientId === st.awareness.clientID) continue;
    const v = s as { userId?: unknown; naam?: unknown; tab?: unknown; typing?: unknown };
    if (typeof v.userId !== 'string' || typeof v.tab !== 'string') continue;
    out.push({ userId: asId<UserId>(v.userId), naam: c.nameOf(v.userId), tab: v.tab, typing: v.typing === true });
  }
  return out;
}
