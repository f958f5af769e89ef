// Which dossiers this device may read, asked of the relay (P46). Notifications
// tell a device of new work as it happens, but a device misses them when it was
// offline, when the sender's notifications were refused for load, when its badge
// queue was capped, or when it joined after the dossiers were shared (a new IB of
// a school with hundreds of dossiers). The relay enforces read access on every
// subscribe anyway, so it lists the dossiers whose access list lets this device
// read them; the device follows the ones it does not know. Only ids travel.
import { asId, type DossierId } from '../model/ids.js';
import type { ClientCore } from './client-core.js';
import { followDossier } from './client-rooms.js';

/** How often a connected device asks again (besides right after connecting). */
export const DISCOVERY_INTERVAL_MS = 60_000;

export async function discoverDossiers(c: ClientCore): Promise<void> {
  const conn = c.relay.conn;
  if (!c.id || !conn?.ready) return;
  c.roomSync.discoveredAt(Date.now());
  const listed = await conn.listDossiers();
  if (!listed.ok) return;
  for (const id of listed.value) {
    if (!c.dossiers.has(asId<DossierId>(id))) await followDossier(c, asId<DossierId>(id));
  }
}

/** From the tick: ask again once the interval has passed. */
export async function discoverDossiersIfDue(c: ClientCore): Promise<void> {
  if (c.roomSync.discoveryDue(Date.now(), DISCOVERY_INTERVAL_MS)) await discoverDossiers(c);
}
