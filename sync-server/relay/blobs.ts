// Attachments [P17]: stored by hash per room for members with write right,
// served to members with read right, one at a time per connection so a client
// that does not read cannot pile them up in the relay's memory.
import type { RoomId } from '../../core/model/ids.js';
import type { ClientMessageOf } from '../../core/sync/protocol.js';
import type { AuthenticatedDevice } from '../policy.js';
import { sha256Native } from '../node-crypto.js';
import { fromAccess, refuse, RefusalError } from './refusal.js';
import type { RelaySession } from './session.js';

type Session<D extends AuthenticatedDevice, A> = RelaySession<D, A>;

async function memberCheck<D extends AuthenticatedDevice, A>(
  s: Session<D, A>,
  room: RoomId,
  dossier: string,
  write: boolean,
): Promise<void> {
  const device = s.requireDevice();
  await s.relay.withLiveDossier(dossier, (st) => {
    if (st.access === undefined) throw new RefusalError(refuse('dossier-onbekend'));
    const now = new Date(s.relay.now());
    const check = write
      ? s.relay.opts.policy.checkAppend(st.access, device, room, 'update', now)
      : s.relay.opts.policy.checkRead(st.access, device, room, now);
    if (!check.ok) throw new RefusalError(fromAccess(check.error, write));
    return Promise.resolve();
  });
}

export async function onBlobPut<D extends AuthenticatedDevice, A>(s: Session<D, A>, msg: ClientMessageOf<'blob-put'>): Promise<void> {
  const device = s.requireDevice();
  s.takeRecordToken();
  if (msg.data.length > s.relay.limits.maxBlobBytes) throw new RefusalError(refuse('limiet-overschreden', { limit: 'maxBlobBytes' }));
  const { room, dossier } = s.roomOf(msg.room);
  await memberCheck(s, room, dossier, true);
  if (!Buffer.from(sha256Native(msg.data)).equals(Buffer.from(msg.hash))) throw new RefusalError(refuse('bijlage-onjuist'));
  await s.relay.checkQuota(device.swvId, msg.data.length);
  await s.relay.opts.storage.putBlob(room, msg.hash, msg.data);
  s.relay.countUsage(device.swvId, msg.data.length);
  s.send({ type: 'blob-stored', ref: msg.ref, hash: msg.hash });
}

export async function onBlobGet<D extends AuthenticatedDevice, A>(s: Session<D, A>, msg: ClientMessageOf<'blob-get'>): Promise<void> {
  s.requireDevice();
  s.takeRecordToken();
  const { room, dossier } = s.roomOf(msg.room);
  await memberCheck(s, room, dossier, false);
  // A client asking for a 10 MB attachment again and again without reading cannot pile it up in memory.
  await s.inOutputTurn(async () => {
    if (!(await s.whenDrained())) return;
    const data = await s.relay.opts.storage.getBlob(room, msg.hash);
    if (data === undefined) throw new RefusalError(refuse('bijlage-onbekend'));
    s.send({ type: 'blob', ref: msg.ref, hash: msg.hash, data });
    if (s.device !== undefined) s.relay.served.note(dossier, s.device, 'bijlage', 1);
  });
}
