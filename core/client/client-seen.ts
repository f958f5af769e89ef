// Signed seen markers between members [P16, R116]. A relay can show members
// different logs of a room: hide one record from one member, or hand two
// members different records at the same seq (a fork). Each device that has a
// dossier open appends, now and then, a `seen` record naming the newest seq it
// received from others and the SHA-256 of that record's bytes; the relay
// cannot forge it (device-signed) and checks it against its own log (P8.8).
// Every member compares others' markers with what it received itself: a
// marker naming a seq this device never got (while it did get later ones), or
// another record at a seq it holds, is shown on the dossier. A relay that
// hides the markers too must then hide everything after them from that member
// for good, which R40 and a conversation between the members expose.
import type { Envelope } from '../crypto/envelope.js';
import { encodeCanonical, decodeCanonical } from '../crypto/canonical.js';
import { recordHash, seenMarkerOf, checkSeenMarkers } from '../sync/protocol-seen.js';
import { encodeSeenPublicPart } from '../sync/protocol-signing.js';
import type { RelayRecord } from '../sync/relay-link.js';
import type { DossierState } from './dossier-state.js';

/** A marker at most this often per room (and only when the room moved on since the last one). */
export const MARKER_INTERVAL_MS = 60_000;
/** Record hashes kept per room: markers name recent seqs. */
const HASHES_KEPT = 512;
/** Records hashed per received batch, its newest: a marker names the head, and a 10,000-record open stays cheap. */
const HASHED_PER_BATCH = 64;
/** Gaps remembered per room. */
const GAPS_KEPT = 1_000;

export const HIDDEN_WARNING =
  'De relay houdt mogelijk wijzigingen achter: een ander lid heeft een wijziging ontvangen die dit apparaat niet kreeg.';
export const FORK_WARNING =
  'De relay toont leden verschillende versies van dit dossier: een ander lid ontving op dezelfde plaats een andere wijziging.';

export interface RoomSeen {
  /** Seq → SHA-256 of the record bytes received at it (the newest HASHES_KEPT). */
  readonly hashes: Map<number, Uint8Array<ArrayBuffer>>;
  /** Seqs the relay skipped between two records it sent this session. */
  readonly gaps: Set<number>;
  /** The last seq received this session (0 before the first). */
  last: number;
  /** The last marker this device sent: the seq it named, and when. */
  sent: { seq: number; at: number } | null;
  /** Devices whose markers show a hidden record, or a different record at a seq. */
  readonly hiddenBy: Set<string>;
  readonly forkedBy: Set<string>;
}

const roomSeen = (st: DossierState, room: string): RoomSeen => {
  let s = st.trust.seen.get(room);
  if (s === undefined)
    st.trust.seen.set(room, (s = { hashes: new Map(), gaps: new Set(), last: 0, sent: null, hiddenBy: new Set(), forkedBy: new Set() }));
  return s;
};

/**
 * Records the relay sent, in seq order, before they are judged: the seqs it skipped this
 * session. `coveredUpTo`: a snapshot in the batch covers the seqs up to it (skipped on purpose).
 */
export function noteRecords(st: DossierState, room: string, records: readonly RelayRecord[], coveredUpTo: number): void {
  const s = roomSeen(st, room);
  if (coveredUpTo > s.last) s.last = coveredUpTo;
  for (const r of records) {
    // A skipped record that arrives after all (a refetch, R120) is no longer missing.
    s.gaps.delete(r.seq);
    if (s.last > 0 && r.seq > s.last + 1) for (let q = s.last + 1; q < r.seq && s.gaps.size < GAPS_KEPT; q++) s.gaps.add(q);
    if (r.seq > s.last) s.last = r.seq;
  }
}

/** The seqs the relay skipped this session and never sent since, lowest first. */
export function missingSeqs(st: DossierState, room: string): number[] {
  return [...(st.trust.seen.get(room)?.gaps ?? [])].sort((a, b) => a - b);
}

/** Whether the record at `index` of a batch of `length` is among those hashed (the newest only, so a 10,000-record open stays cheap). */
export const hashedInBatch = (index: number, length: number): boolean => index >= length - HASHED_PER_BATCH;

/** An accepted update (never a marker: markers name content records) that a marker of this device may name. */
export function noteUpdateHash(st: DossierState, room: string, seq: number, bytes: Uint8Array): void {
  const s = roomSeen(st, room);
  s.hashes.set(seq, recordHash(bytes));
  if (s.hashes.size > HASHES_KEPT) {
    const oldest = Math.min(...s.hashes.keys());
    s.hashes.delete(oldest);
  }
}

/** The plaintext of a marker: the author's device chain, so readers can place the author like an update's [P30]. */
export const encodeMarkerPayload = (chain: Uint8Array | null): Uint8Array => encodeCanonical({ c: chain });
export function decodeMarkerPayload(bytes: Uint8Array): { chain: Uint8Array | null } | null {
  const v = decodeCanonical(bytes);
  if (!v.ok || typeof v.value !== 'object' || v.value === null || !('c' in v.value)) return null;
  const c = (v.value as { c: unknown }).c;
  return c === null || c instanceof Uint8Array ? { chain: c } : null;
}

/** A verified marker of another member (author placed by the caller): compared with what this device received. */
export function judgeMarker(st: DossierState, room: string, seq: number, bytes: Uint8Array, env: Envelope, self: string): void {
  const marker = seenMarkerOf(seq, bytes);
  if (marker === undefined || env.header.author === self) return;
  const s = roomSeen(st, room);
  // Hidden: the author saw everything up to upToSeq, and the relay skipped a seq below it for this device.
  const hidden = [...s.gaps].some((g) => g <= marker.upToSeq);
  const report = checkSeenMarkers(self, s.last, [marker], (q) => s.hashes.get(q));
  if (hidden || report.withheld) s.hiddenBy.add(marker.author);
  if (report.forked) s.forkedBy.add(marker.author);
}

/** The marker to send for a room now, or null: only when this device received something new since its last one. */
export function markerDue(st: DossierState, room: string, now: number, intervalMs = MARKER_INTERVAL_MS): Uint8Array | null {
  const s = st.trust.seen.get(room);
  if (s === undefined || s.hashes.size === 0) return null;
  const head = Math.max(...s.hashes.keys());
  if (s.sent !== null && (s.sent.seq >= head || now - s.sent.at < intervalMs)) return null;
  const hash = s.hashes.get(head)!;
  s.sent = { seq: head, at: now };
  return encodeSeenPublicPart({ upToSeq: head, headHash: hash });
}

/** Warnings from markers, for the dossier's list of trust warnings. */
export function seenWarnings(st: DossierState): string[] {
  const rooms = [...st.trust.seen.values()];
  const out: string[] = [];
  if (rooms.some((s) => s.hiddenBy.size > 0)) out.push(HIDDEN_WARNING);
  if (rooms.some((s) => s.forkedBy.size > 0)) out.push(FORK_WARNING);
  return out;
}
