// Mailboxes [P21, P42]: small ciphertexts under a random box name that anyone
// may write, also before login (invitations, device links, SWV directory
// pages). Rate-limited per address and relay-wide, capped in number, expiring.
import type { ClientMessageOf } from '../../core/sync/protocol.js';
import type { AuthenticatedDevice } from '../policy.js';
import { refuse, RefusalError } from './refusal.js';
import type { RelaySession } from './session.js';

type Session<D extends AuthenticatedDevice, A> = RelaySession<D, A>;

/** 50,000 × 16 KiB ≈ 800 MiB at most; invitations and SWV directory pages need far fewer. */
const DEFAULT_MAX_MAILBOXES = 50_000;
const DEFAULT_MAILBOXES_PER_SWV = 20_000;

export async function onMailboxPut<D extends AuthenticatedDevice, A>(s: Session<D, A>, msg: ClientMessageOf<'mailbox-put'>): Promise<void> {
  s.takeMailboxWrite();
  const storage = s.relay.opts.storage;
  // A logged-in device's mailboxes (invitations, device links, directory pages) count against its SWV;
  // writes before login against the anonymous pool, so an anonymous flood cannot fill what SWVs need [P21].
  const owner = s.device?.swvId ?? null;
  const max =
    owner === null ? (s.relay.opts.maxMailboxes ?? DEFAULT_MAX_MAILBOXES) : (s.relay.opts.mailboxesPerSwv ?? DEFAULT_MAILBOXES_PER_SWV);
  const limit = owner === null ? 'maxMailboxes' : 'mailboxesPerSwv';
  // The rate limit alone would let writers fill the disk over the 7-day lifetime: the totals are capped too.
  if ((await storage.mailboxCountOf(owner)) >= max) {
    await storage.purgeMailboxes(s.relay.now());
    if ((await storage.mailboxCountOf(owner)) >= max) throw new RefusalError(refuse('limiet-overschreden', { limit }));
  }
  const ttl = Math.min(s.relay.opts.mailboxTtlMs ?? 7 * 24 * 3600_000, (msg.ttlSeconds ?? Infinity) * 1000);
  await s.relay.opts.storage.mailboxPut(msg.box, msg.ciphertext, s.relay.now() + ttl, owner ?? undefined);
  s.send({ type: 'done', of: 'mailbox-put' });
}

export async function onMailboxGet<D extends AuthenticatedDevice, A>(s: Session<D, A>, msg: ClientMessageOf<'mailbox-get'>): Promise<void> {
  const ciphertext = await s.relay.opts.storage.mailboxGet(msg.box, s.relay.now());
  // Delete on read [P42]: the bytes are overwritten with nothing and expire at once (a take is a write: same budget).
  if (msg.take === true && ciphertext !== undefined) {
    s.takeMailboxWrite();
    await s.relay.opts.storage.mailboxPut(msg.box, new Uint8Array(0), 0, s.device?.swvId);
  }
  s.send({ type: 'mailbox', box: msg.box, ciphertext: ciphertext ?? null });
}
