// The served log on the session's side [P52, P83]: what went out to a device
// is noted (the store is ../served-log.ts), and a member or the FG may ask for
// a dossier's log, signed by the relay's identity.
import type { RoomId } from '../../core/model/ids.js';
import { asId } from '../../core/model/ids.js';
import { parseRoom } from '../../core/access/rooms.js';
import type { ClientMessageOf } from '../../core/sync/protocol.js';
import { signServedLog } from '../../core/sync/served-log-signature.js';
import type { AuthenticatedDevice } from '../policy.js';
import { fromAccess, refuse, RefusalError } from './refusal.js';
import type { RelaySession } from './session.js';

type Session<D extends AuthenticatedDevice, A> = RelaySession<D, A>;

/** Records of a dossier part went out to this device: noted in the served log, toegang excepted [P52]. */
export function noteServed<D extends AuthenticatedDevice, A>(s: Session<D, A>, room: string, count: number): void {
  const parsed = parseRoom(room);
  if (!parsed.ok || parsed.value.scope === 'toegang' || s.device === undefined) return;
  s.relay.served.note(parsed.value.dossier, s.device, parsed.value.scope, count);
}

/** The served log of a dossier, for anyone who may read its access list (members, the FG) [P52]. */
export async function onServedLogGet<D extends AuthenticatedDevice, A>(
  s: Session<D, A>,
  msg: ClientMessageOf<'served-log-get'>,
): Promise<void> {
  const device = s.requireDevice();
  s.takeRecordToken();
  const room = asId<RoomId>(`${msg.dossier}/toegang`);
  await s.relay.withLiveDossier(msg.dossier, (st) => {
    if (st.access === undefined) throw new RefusalError(refuse('dossier-onbekend'));
    const check = s.relay.opts.policy.checkRead(st.access, device, room, new Date(s.relay.now()));
    if (!check.ok) throw new RefusalError(fromAccess(check.error, false));
    return Promise.resolve();
  });
  const entries = await s.relay.served.list(msg.dossier);
  // Signed, so the relay answers for what it says it served [P83].
  const signed = await signServedLog(s.relay.crypto, s.relay.identity, {
    dossier: msg.dossier,
    at: s.relay.now(),
    entries: entries.map((e) => ({ device: e.device, user: e.user, scope: e.scope, first: e.first, last: e.last, count: e.count })),
  });
  s.send({
    type: 'served-log',
    ref: msg.ref,
    entries: [...signed.entries],
    at: signed.at,
    relayKey: signed.relayKey,
    signature: signed.signature,
  });
}
