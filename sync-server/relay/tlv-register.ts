// The TLV register of an SWV [P71]: volgnummers handed out once each, and the
// register (numbers, commitments, who and when) for the SWV's own devices.
import { TLV_REGISTER_PAGE, type ClientMessageOf } from '../../core/sync/protocol.js';
import type { AuthenticatedDevice } from '../policy.js';
import { refuse, RefusalError } from './refusal.js';
import type { RelaySession } from './session.js';

type Session<D extends AuthenticatedDevice, A> = RelaySession<D, A>;

/**
 * The next volgnummer of the device's SWV [P71], for its own office only. The register row is
 * committed before the answer, so an answered number is never given again, also after a crash.
 */
export async function onTlvNumberClaim<D extends AuthenticatedDevice, A>(
  s: Session<D, A>,
  msg: ClientMessageOf<'tlv-number-claim'>,
): Promise<void> {
  const device = s.requireDevice();
  s.takeRecordToken();
  if (!s.relay.opts.policy.mayNumberTlv(device)) throw new RefusalError(refuse('tlv-register-geweigerd'));
  const e = await s.relay.opts.storage.claimTlvNumber(device.swvId, msg.claim, device.userId, s.relay.now());
  s.relay.log('info', 'tlv-number', { duplicate: e.duplicate });
  s.send({ type: 'tlv-number', ref: msg.ref, volgnummer: e.volgnummer, at: e.at, duplicate: e.duplicate });
}

/** The register of the device's own SWV: numbers, commitments, who and when; no hulpvraag is named [P71]. */
export async function onTlvRegisterGet<D extends AuthenticatedDevice, A>(
  s: Session<D, A>,
  msg: ClientMessageOf<'tlv-register-get'>,
): Promise<void> {
  const device = s.requireDevice();
  s.takeRecordToken();
  const entries = await s.relay.opts.storage.listTlvNumbers(device.swvId, msg.after, TLV_REGISTER_PAGE);
  const last = entries.at(-1);
  s.send({
    type: 'tlv-register',
    ref: msg.ref,
    entries,
    next: entries.length === TLV_REGISTER_PAGE && last !== undefined ? last.volgnummer : null,
  });
}
