// Registers the relay keeps in reserved rooms (`#einde/<swv>`, `#intrekking/<swv>`):
// room names no client can use, since client rooms start with a dossier id.
// Reading one back at start-up is the same walk for every register.
import type { RelayStorage } from './storage.js';

/** Calls `each` with every stored record of every room whose name starts with `prefix`, in seq order per room. */
export async function forEachReservedRecord(
  storage: RelayStorage,
  prefix: string,
  each: (envelope: Uint8Array) => Promise<void>,
): Promise<void> {
  for (const room of await storage.listRooms()) {
    if (!room.startsWith(prefix)) continue;
    let after = 0;
    for (;;) {
      const recs = await storage.readRecords(room, after, 500, 4 * 1024 * 1024);
      if (recs.length === 0) break;
      for (const r of recs) {
        after = r.seq;
        await each(r.envelope);
      }
    }
  }
}
