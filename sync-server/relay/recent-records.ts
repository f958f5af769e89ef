// The last records committed in each subscribed room, kept in memory so the pump hands them to live
// subscribers without reading storage again, with the `records` frame encoded once for all of them [P7].
// What it holds is always true of storage: only records this relay committed (after the commit, so
// durable) enter, contiguous and ending at the highest seq heard in the room from any source; anything
// else (another relay's append, a seq out of order, GC, deletion, memory pressure) empties the room.
import { encodeRelayMessage } from '../../core/sync/protocol-codec.js';

interface RoomRecords {
  /**
   * The highest seq heard committed in this room since it got its first subscriber; Infinity when a
   * commit of unknown seq was heard (a reconnected listener) or the room was deleted: memory stays off.
   */
  heard: number;
  /** Contiguous records whose last seq is `heard` (empty when that cannot be vouched for). */
  records: { seq: number; envelope: Uint8Array }[];
  bytes: number;
  /** Encoded frames by the seq the subscriber has, for the current records only. */
  readonly frames: Map<number, Uint8Array>;
}

/** A frame from memory for a subscriber that has everything up to `after`, or 'caught-up' when there is nothing newer to send. */
export type RecentFrame = { readonly frame: Uint8Array; readonly count: number; readonly head: number } | 'caught-up' | undefined;

export class RecentRecords {
  /** Rooms with subscribers (opened by the first, closed with the last). */
  private readonly rooms = new Map<string, RoomRecords>();
  /** Rooms holding records, least recently appended first (evicted first when memory runs over). */
  private readonly held = new Map<string, RoomRecords>();
  private bytes = 0;

  constructor(
    private readonly perRoom: number,
    private readonly maxBytes: number,
    private readonly batchBytes: number,
  ) {}

  /** Bytes of envelopes held (for tests of bounded memory). */
  get heldBytes(): number {
    return this.bytes;
  }

  /**
   * The room got its first subscriber. A commit announced before that pumped nobody, so starting from
   * nothing is safe: every subscriber reads storage first, after it was added.
   */
  open(room: string): void {
    if (!this.rooms.has(room)) this.rooms.set(room, { heard: -1, records: [], bytes: 0, frames: new Map() });
  }

  close(room: string): void {
    const r = this.rooms.get(room);
    if (r === undefined) return;
    this.empty(room, r);
    this.rooms.delete(room);
  }

  /** This relay committed `envelope` at `seq` (durable). */
  committed(room: string, seq: number, envelope: Uint8Array): void {
    const r = this.rooms.get(room);
    if (r === undefined) return;
    const last = r.records[r.records.length - 1];
    // A view into a larger buffer (the received frame) would pin that buffer and escape the byte count.
    if (envelope.byteLength !== envelope.buffer.byteLength) envelope = new Uint8Array(envelope);
    if (last !== undefined && seq === last.seq + 1) {
      r.records.push({ seq, envelope });
    } else {
      this.empty(room, r);
      // Only a seq above every seq heard may start the records again: a record heard earlier with a
      // higher seq may have pumped subscribers that would otherwise stop below it.
      if (seq > r.heard) r.records.push({ seq, envelope });
    }
    r.heard = Math.max(r.heard, seq);
    if (r.records.length === 0) return;
    r.bytes += envelope.byteLength;
    this.bytes += envelope.byteLength;
    r.frames.clear();
    while (r.records.length > this.perRoom) {
      const old = r.records.shift();
      if (old === undefined) break;
      r.bytes -= old.envelope.byteLength;
      this.bytes -= old.envelope.byteLength;
    }
    this.held.delete(room);
    this.held.set(room, r);
    for (const [other, o] of this.held) {
      if (this.bytes <= this.maxBytes || other === room) break;
      this.empty(other, o);
    }
    if (this.bytes > this.maxBytes) this.empty(room, r);
  }

  /** Another relay committed in the room (up to `seq` when known): its records are read from storage. */
  heardElsewhere(room: string, seq: number | undefined): void {
    const r = this.rooms.get(room);
    if (r === undefined) return;
    this.empty(room, r);
    r.heard = seq === undefined ? Infinity : Math.max(r.heard, seq);
  }

  /** Records of the room are being deleted (GC): none is served from memory from now on. */
  drop(room: string): void {
    const r = this.rooms.get(room);
    if (r !== undefined) this.empty(room, r);
  }

  /** The room itself is being deleted (retention, crypto-shredding): memory stays off for it. */
  forget(room: string): void {
    this.heardElsewhere(room, undefined);
  }

  /** The records after `after` from memory, when memory holds all of them; undefined means: read storage. */
  frameAfter(room: string, after: number): RecentFrame {
    const r = this.rooms.get(room);
    const first = r?.records[0];
    const last = r?.records[r.records.length - 1];
    if (r === undefined || first === undefined || last === undefined) return undefined;
    // Every seq heard is ≤ last.seq; one committed but not yet heard will pump again when it is.
    if (after >= last.seq) return 'caught-up';
    if (after + 1 < first.seq) return undefined;
    const cached = r.frames.get(after);
    if (cached !== undefined) return { frame: cached, count: last.seq - after, head: last.seq };
    const records = r.records.slice(after + 1 - first.seq);
    let bytes = 0;
    for (const rec of records) bytes += rec.envelope.byteLength;
    if (bytes > this.batchBytes) return undefined;
    const frame = encodeRelayMessage({ type: 'records', room, snapshot: null, records, headSeq: last.seq, live: true });
    r.frames.set(after, frame);
    return { frame, count: records.length, head: last.seq };
  }

  private empty(room: string, r: RoomRecords): void {
    this.bytes -= r.bytes;
    r.bytes = 0;
    r.records = [];
    r.frames.clear();
    this.held.delete(room);
  }
}
