// The SWV ends a person [P40] or revokes a lost device [P47]: signed records
// the relay checks, keeps in its registers (user-ends.ts, device-revocations.ts)
// and hands to any device of that SWV; live sessions of the ended close.
import type { ClientMessageOf } from '../../core/sync/protocol.js';
import type { AuthenticatedDevice } from '../policy.js';
import { refuse, RefusalError } from './refusal.js';
import type { RelaySession } from './session.js';

type Session<D extends AuthenticatedDevice, A> = RelaySession<D, A>;

export async function onEndUser<D extends AuthenticatedDevice, A>(s: Session<D, A>, msg: ClientMessageOf<'end-user'>): Promise<void> {
  s.requireDevice();
  s.takeRecordToken();
  const r = await s.relay.userEnds.add(msg.record, s.relay.swvRoots);
  if (!r.ok) throw new RefusalError(refuse('beeindiging-ongeldig', { reason: r.reason }));
  s.relay.log('info', 'user-ended', {});
  s.relay.endSessionsOf(r.end.swv, r.end.user);
  s.send({ type: 'done', of: 'end-user' });
}

export async function onEndedUsersGet<D extends AuthenticatedDevice, A>(s: Session<D, A>): Promise<void> {
  await Promise.resolve();
  const device = s.requireDevice();
  s.takeRecordToken();
  s.send({ type: 'ended-users', records: s.relay.userEnds.records(device.swvId) });
}

export async function onRevokeDevice<D extends AuthenticatedDevice, A>(
  s: Session<D, A>,
  msg: ClientMessageOf<'revoke-device'>,
): Promise<void> {
  const device = s.requireDevice();
  s.takeRecordToken();
  const r = await s.relay.deviceRevocations.add(msg.record, s.relay.swvRoots, device.swvId);
  if (!r.ok) throw new RefusalError(refuse('intrekking-ongeldig', { reason: r.reason }));
  s.relay.log('info', 'device-revoked', {});
  s.relay.endSessionsOfDevice(r.swv, r.verified.user, r.verified.device);
  s.send({ type: 'done', of: 'revoke-device' });
}

export async function onRevokedDevicesGet<D extends AuthenticatedDevice, A>(s: Session<D, A>): Promise<void> {
  await Promise.resolve();
  const device = s.requireDevice();
  s.takeRecordToken();
  s.send({ type: 'revoked-devices', records: s.relay.deviceRevocations.records(device.swvId) });
}
