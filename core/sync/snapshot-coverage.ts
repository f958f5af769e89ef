// Whether a snapshot holds everything a member already received of its room
// [P85, R121]. A snapshot replaces the records it covers for every device that
// catches up after it: one that leaves updates out (a stale state posted by a
// member, or an honest author from whom the relay withheld records) would make
// those updates vanish for every later reader. A member who holds such an update
// refuses the snapshot and fetches the records instead. Two checks, both over
// what this device received at or below the snapshot's coversSeq:
// - the author's signed claim: per author device, the highest envelope counter
//   covered (as secsync's parentSnapshotUpdateClocks), against the counters in
//   the headers this device holds;
// - the content itself: every Yjs item and deletion of those records must be
//   in the snapshot's state, so a claim that is true on paper but a state that
//   is not (a stale document posted with fresh counters) is refused as well.
import * as Y from 'yjs';

/** Per author device, the highest envelope counter: sorted by device, each device once (the snapshot's public `k`). */
export type AuthorClocks = readonly (readonly [string, number])[];

/** Merges envelope headers (and earlier clocks) into author clocks, highest counter per device. */
export function authorClocksOf(
  headers: Iterable<{ readonly author: string; readonly counter: number }>,
  base: AuthorClocks = [],
): AuthorClocks {
  const max = new Map<string, number>(base.map(([d, n]) => [d, n]));
  for (const h of headers) if ((max.get(h.author) ?? -1) < h.counter) max.set(h.author, h.counter);
  return [...max].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The first author device whose updates this device holds beyond what `claimed` covers, or null. */
export function uncoveredAuthor(claimed: AuthorClocks, known: AuthorClocks): string | null {
  const claim = new Map(claimed.map(([d, n]) => [d, n]));
  for (const [device, counter] of known) if ((claim.get(device) ?? -1) < counter) return device;
  return null;
}

/** What decoding a Yjs update yields (`Y.decodeUpdate`). */
export type DecodedUpdate = ReturnType<typeof Y.decodeUpdate>;

/** The Yjs content of a room's received records: per Yjs client the end of its items, and the deleted ranges. */
export class RoomCoverage {
  private readonly ends = new Map<number, number>();
  private readonly deleted = new Map<number, [number, number][]>();

  /** Notes one received update (or snapshot state) that was applied. */
  note(decoded: DecodedUpdate): void {
    for (const s of decoded.structs) {
      if (s instanceof Y.Skip) continue;
      const end = s.id.clock + s.length;
      if ((this.ends.get(s.id.client) ?? 0) < end) this.ends.set(s.id.client, end);
    }
    for (const [client, items] of decoded.ds.clients) {
      let ranges = this.deleted.get(client);
      if (!ranges) this.deleted.set(client, (ranges = []));
      for (const d of items) ranges.push([d.clock, d.len]);
    }
    // Keep the lists short: a long-lived room deletes a lot, in adjacent ranges.
    for (const [client, ranges] of this.deleted) if (ranges.length > 256) this.deleted.set(client, mergeRanges(ranges));
  }

  /** What of this coverage `state` (a snapshot's Yjs state) lacks, in Dutch, or null when it holds all of it. */
  missingIn(state: DecodedUpdate): string | null {
    const ends = new Map<number, number>();
    for (const s of state.structs) {
      if (s instanceof Y.Skip) continue;
      const end = s.id.clock + s.length;
      if ((ends.get(s.id.client) ?? 0) < end) ends.set(s.id.client, end);
    }
    for (const [client, end] of this.ends) if ((ends.get(client) ?? 0) < end) return 'tekst of velden';
    for (const [client, ranges] of this.deleted) {
      const theirs = mergeRanges((state.ds.clients.get(client) ?? []).map((d) => [d.clock, d.len] as [number, number]));
      for (const [clock, len] of mergeRanges(ranges)) if (!within(theirs, clock, len)) return 'verwijderingen';
    }
    return null;
  }
}

/** Sorted, non-overlapping [clock, len] ranges. */
function mergeRanges(ranges: readonly (readonly [number, number])[]): [number, number][] {
  const sorted = [...ranges].filter(([, len]) => len > 0).sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [clock, len] of sorted) {
    const last = out[out.length - 1];
    if (last && clock <= last[0] + last[1]) last[1] = Math.max(last[1], clock + len - last[0]);
    else out.push([clock, len]);
  }
  return out;
}

/** Whether [clock, clock+len) lies inside one of the merged `ranges`. */
function within(ranges: readonly (readonly [number, number])[], clock: number, len: number): boolean {
  return ranges.some(([c, l]) => c <= clock && clock + len <= c + l);
}
