// Noticing what a relay hides: every update names the access-list head its
// author had seen [P31]; a record written behind a removal and a record under
// a key period this device never got are shown on the dossier [R40, R41].
import { equalBytes } from '../crypto/bytes.js';
import { currentEpoch } from '../access/dossier-access.js';
import type { Scope } from '../access/rooms.js';
import type { DossierState, SeenHead } from './dossier-state.js';
import { seenWarnings, type RoomSeen } from './client-seen.js';
import { gapWarnings, type RoomGap } from './client-gaps.js';

export interface DossierTrust {
  /** Room → the newest epoch of a record this device could not open for want of a key. */
  readonly aheadOfMe: Map<string, { readonly scope: Scope; readonly epoch: number }>;
  /** Room → seqs of records written behind a removal (sealed under a key a removed member holds). */
  readonly behindRemoval: Map<string, number[]>;
  /** Room → the furthest access-list position (record count) a record in it has named so far. */
  readonly roomHeads: Map<string, number>;
  /** Room → what this device received there and what other members' seen markers say [P16, R116]. */
  readonly seen: Map<string, RoomSeen>;
  /** Room → a Yjs gap in its document and the refetches made for it [R120]. */
  readonly yjsGaps: Map<string, RoomGap>;
  /** Room → the highest seq after which its document was complete (no pending structs) this session. */
  readonly completeUpTo: Map<string, number>;
}

export const newDossierTrust = (): DossierTrust => ({
  aheadOfMe: new Map(),
  behindRemoval: new Map(),
  roomHeads: new Map(),
  seen: new Map(),
  yjsGaps: new Map(),
  completeUpTo: new Map(),
});

export const WITHHELD_WARNING =
  'De relay houdt mogelijk wijzigingen achter: er zijn wijzigingen versleuteld met een sleutel die dit apparaat nog niet kreeg.';
export const BEHIND_REMOVAL_WARNING =
  'Geschreven achter een verwijdering: een wijziging is gemaakt door iemand die een verwijdering uit het dossier nog niet kende.';

/** The head this device has seen, to bind into the updates it writes. */
export function seenHead(st: DossierState): SeenHead | null {
  const access = st.confirmed;
  return access === undefined ? null : { hash: access.head, count: access.records.length };
}

/** Our own writes name our head: later records in the room that name an older one stand out. */
export function noteOwnWrite(st: DossierState, room: string): void {
  const head = seenHead(st);
  if (head) st.trust.roomHeads.set(room, Math.max(st.trust.roomHeads.get(room) ?? 0, head.count));
}

/**
 * A received update, in room order: it was written behind a removal when a
 * record before it in this room already named a later access-list position,
 * a removal (revoke or rotation) lies in between, and it is sealed under an
 * epoch older than the scope's current one, so a removed member can read it.
 */
export function judgeWriteHead(st: DossierState, scope: Scope, room: string, seq: number, epoch: number, head: SeenHead | null): void {
  if (head === null) return;
  const records = st.confirmed?.records ?? [];
  const pos = records.findIndex((r) => equalBytes(r.hash, head.hash)) + 1;
  // A head this device does not know (yet): the key-period signal below covers a withheld rotation.
  if (pos === 0) return;
  const furthest = st.trust.roomHeads.get(room) ?? 0;
  const current = currentEpoch(st.confirmed?.scopes.get(scope))?.epoch ?? epoch;
  if (pos < furthest && epoch < current && records.slice(pos, furthest).some((r) => r.type === 'revoke' || r.type === 'rotate')) {
    const seqs = st.trust.behindRemoval.get(room) ?? [];
    if (!seqs.includes(seq)) st.trust.behindRemoval.set(room, [...seqs, seq]);
  }
  st.trust.roomHeads.set(room, Math.max(furthest, pos));
}

/** A record under an epoch this device has no key for: the relay may be withholding the access record that brings it. */
export function noteAheadOfMe(st: DossierState, scope: Scope, room: string, epoch: number): void {
  const prev = st.trust.aheadOfMe.get(room);
  if (prev === undefined || prev.epoch < epoch) st.trust.aheadOfMe.set(room, { scope, epoch });
}

/** The warnings the dossier shows now; a key-period signal clears once the access list has caught up. */
export function trustWarnings(st: DossierState): string[] {
  const out: string[] = [];
  const ahead = [...st.trust.aheadOfMe.values()].some((a) => a.epoch > (currentEpoch(st.confirmed?.scopes.get(a.scope))?.epoch ?? -1));
  if (ahead) out.push(WITHHELD_WARNING);
  if ([...st.trust.behindRemoval.values()].some((s) => s.length > 0)) out.push(BEHIND_REMOVAL_WARNING);
  for (const w of [...seenWarnings(st), ...gapWarnings(st)]) if (!out.includes(w)) out.push(w);
  return out;
}
