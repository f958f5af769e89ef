// Notifications [P18, P19]: a member tells other members of a dossier that
// something changed; the relay queues a bare kind and room for them (pushed to
// their live sessions, pulled otherwise, mailed as a digest by the notifier).
import { NOTIFY_KINDS, type ClientMessageOf, type NotificationItem } from '../../core/sync/protocol.js';
import type { AuthenticatedDevice } from '../policy.js';
import type { QueuedNotification } from '../storage.js';
import { fromAccess, refuse, RefusalError } from './refusal.js';
import type { RelaySession } from './session.js';

type Session<D extends AuthenticatedDevice, A> = RelaySession<D, A>;

export async function onNotify<D extends AuthenticatedDevice, A>(s: Session<D, A>, msg: ClientMessageOf<'notify'>): Promise<void> {
  const device = s.requireDevice();
  if (!s.takeNotifyToken()) throw new RefusalError(refuse('limiet-overschreden', { limit: 'notifyPerMinute' }));
  const { room, dossier } = s.roomOf(msg.room);
  const members = await s.relay.withLiveDossier(dossier, (st) => {
    if (st.access === undefined) throw new RefusalError(refuse('dossier-onbekend'));
    const now = new Date(s.relay.now());
    const check = s.relay.opts.policy.checkRead(st.access, device, room, now);
    if (!check.ok) throw new RefusalError(fromAccess(check.error, false));
    return Promise.resolve(s.relay.opts.policy.members(st.access, now));
  });
  if (!msg.recipients.every((r) => members.has(r))) throw new RefusalError(refuse('ontvanger-onbekend'));
  await s.relay.opts.notifier?.notify(msg.recipients, msg.kind, room);
  s.send({ type: 'done', of: 'notify' });
}

export async function onRegisterEmail<D extends AuthenticatedDevice, A>(
  s: Session<D, A>,
  msg: ClientMessageOf<'register-email'>,
): Promise<void> {
  const device = s.requireDevice();
  await s.relay.opts.storage.setEmail(device.userId, msg.email);
  s.send({ type: 'done', of: 'register-email' });
}

export async function onPull<D extends AuthenticatedDevice, A>(s: Session<D, A>): Promise<void> {
  const device = s.requireDevice();
  const items = await s.relay.opts.storage.takeNotifications(device.userId);
  s.send({ type: 'notifications', items: toItems(items) });
}

const isNotifyKind = (k: string): k is NotificationItem['kind'] => (NOTIFY_KINDS as readonly string[]).includes(k);

/** Queued notifications as the protocol sends them (kinds this protocol version does not know are left out). */
export const toItems = (items: readonly QueuedNotification[]): NotificationItem[] =>
  items.flatMap((i) => (isNotifyKind(i.kind) ? [{ kind: i.kind, room: i.room, at: i.at }] : []));
