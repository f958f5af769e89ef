// What the relay handed out of a dossier, to which person's device, when
// [P52, R115]. The access log's "geopend" entries are written by the client
// that opened the dossier: a modified client can leave them out. The relay
// notes what it serves anyway; the FG and the dossier's members read it here,
// beside what each person reported. Counts and times only: the relay learns
// nothing from this it did not see while serving.
import type { IsoDateTime } from '../model/dates.js';
import { asId, type DossierId, type UserId } from '../model/ids.js';
import { fail, ok, type Result } from '../result.js';
import type { ClientCore } from './client-core.js';

export interface ServedLogRow {
  readonly userId: UserId;
  readonly naam: string;
  /** The device that received it (its id, as in the device list of the account). */
  readonly deviceId: string;
  /** A dossier part (`leerling`, `hulpvraag:<id>`, …) or `bijlage`. */
  readonly onderdeel: string;
  readonly eerste: IsoDateTime;
  readonly laatste: IsoDateTime;
  /** Records (updates, snapshots) or attachments in that hour. */
  readonly aantal: number;
  /** Whether this person's own client reported opening the dossier ("geopend") in the access log at all. */
  readonly geopendGemeld: boolean;
}

export async function servedLog(c: ClientCore, dossierId: DossierId): Promise<Result<readonly ServedLogRow[]>> {
  const st = c.dossiers.get(dossierId);
  if (!st?.access) return fail('dossier-onbekend', 'Dit dossier is op dit apparaat niet (meer) beschikbaar.');
  const conn = c.conn;
  if (!conn?.ready) return fail('offline', 'Het overzicht van de server is alleen online op te vragen. Probeer het opnieuw als er verbinding is.');
  const got = await conn.servedLog(dossierId);
  if (!got.ok) return got;
  const reported = new Set(st.accessEvents.filter((e) => e.action === 'geopend').map((e) => e.actor as string));
  return ok(
    got.value.map((e) => ({
      userId: asId<UserId>(e.user),
      naam: c.nameOf(e.user),
      deviceId: e.device,
      onderdeel: e.scope,
      eerste: new Date(e.first).toISOString(),
      laatste: new Date(e.last).toISOString(),
      aantal: e.count,
      geopendGemeld: reported.has(e.user),
    })),
  );
}
