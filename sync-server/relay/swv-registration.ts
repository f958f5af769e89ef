// SWV registration [P20]: before login, an SWV registers its root key with a
// proof of possession. A registered root is kept forever and never replaced.
import type { ClientMessageOf } from '../../core/sync/protocol.js';
import { registerSwvMessage } from '../../core/sync/protocol-signing.js';
import type { AuthenticatedDevice } from '../policy.js';
import { refuse, RefusalError } from './refusal.js';
import type { RelaySession } from './session.js';

export async function onRegisterSwv<D extends AuthenticatedDevice, A>(
  s: RelaySession<D, A>,
  msg: ClientMessageOf<'register-swv'>,
): Promise<void> {
  if (!s.relay.opts.allowSwvRegistration) throw new RefusalError(refuse('swv-registratie-uit'));
  // Registered roots are kept forever: anonymous registrations share the relay-wide budget of mailbox writes.
  s.takeMailboxWrite();
  if (!(await s.verifySignature(msg.rootPublicKey, registerSwvMessage(msg.swvId, msg.rootPublicKey), msg.proof)))
    throw new RefusalError(refuse('bewijs-ongeldig'));
  const outcome = await s.relay.registerSwv(msg.swvId, msg.rootPublicKey);
  if (outcome === 'other') throw new RefusalError(refuse('swv-bestaat-al'));
  if (outcome === 'stored') s.relay.log('info', 'swv-registered', {});
  s.send({ type: 'done', of: 'register-swv' });
}
