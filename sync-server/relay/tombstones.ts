// Tombstones [P60, R83]: what is left of a dossier deleted at the end of its
// retention (the deletion itself is ../retention.ts).
import type { ClientMessageOf } from '../../core/sync/protocol.js';
import type { AuthenticatedDevice } from '../policy.js';
import type { RelaySession } from './session.js';

/**
 * A deleted dossier's tombstone record, for a device that still holds the dossier [P60, R83]: the signed
 * `bewaartermijn` record names nobody and holds no key, so any logged-in device may ask; the client
 * checks it against the access list it holds before it deletes anything.
 */
export async function onTombstoneGet<D extends AuthenticatedDevice, A>(
  s: RelaySession<D, A>,
  msg: ClientMessageOf<'tombstone-get'>,
): Promise<void> {
  s.requireDevice();
  s.takeRecordToken();
  const t = await s.relay.retention.tombstone(msg.dossier);
  s.send({ type: 'tombstone', ref: msg.ref, record: t === undefined || t.record.length === 0 ? null : t.record });
}
