// A device asks for a certificate on a fresh agreement key [P49]: its own signed
// request goes into the relay's register (../key-renewals.ts), which the
// beheerder's device reads. Refused requests are never stored.
import type { ClientMessageOf } from '../../core/sync/protocol.js';
import type { AuthenticatedDevice } from '../policy.js';
import { refuse, RefusalError } from './refusal.js';
import type { RelaySession } from './session.js';

type Session<D extends AuthenticatedDevice, A> = RelaySession<D, A>;

export async function onKeyRenewalPut<D extends AuthenticatedDevice, A>(
  s: Session<D, A>,
  msg: ClientMessageOf<'key-renewal-put'>,
): Promise<void> {
  const device = s.requireDevice();
  s.takeRecordToken();
  const r = await s.relay.keyRenewals.add(msg.record, device, s.relay.now());
  if (!r.ok) throw new RefusalError(refuse('vernieuwing-ongeldig', { reason: r.reason }));
  s.relay.log('info', 'key-renewal-requested', {});
  s.send({ type: 'done', of: 'key-renewal-put' });
}

export async function onKeyRenewalsGet<D extends AuthenticatedDevice, A>(s: Session<D, A>): Promise<void> {
  await Promise.resolve();
  const device = s.requireDevice();
  s.takeRecordToken();
  s.send({ type: 'key-renewals', records: s.relay.keyRenewals.records(device.swvId) });
}
