// Mailboxes carry secrets sealed under one-time codes (device links, invitations):
// the relay enforces a shorter life the writer asks for (a device link: 15
// minutes), whatever the clients' clocks say, and deletes a box on a `take`
// read so it no longer holds the bytes [P42, R58]. In-process relay, fake clock.
import { describe, expect, it } from 'vitest';
import { ok } from '../../core/result.js';
import { DEFAULT_LIMITS, type ClientMessage, type RelayMessage } from '../../core/sync/protocol.js';
import { decodeRelayMessage, encodeClientMessage } from '../../core/sync/protocol-codec.js';
import { Relay } from '../../sync-server/relay.js';
import { MemoryStorage } from '../../sync-server/storage-memory.js';
import { silentLogger } from '../../sync-server/log.js';
import type { AuthenticatedDevice, RelayPolicy } from '../../sync-server/policy.js';

const nobody: RelayPolicy<AuthenticatedDevice, 'open'> = {
  verifyChain: () => Promise.resolve({ ok: false, error: { code: 'keten-ongeldig', message: 'x' } }),
  applyAcl: () => Promise.resolve(ok('open' as const)),
  checkAppend: () => ok(undefined),
  checkRead: () => ok(undefined),
  checkEpoch: () => ok(undefined),
  checkRecord: () => ok(undefined),
  members: () => new Set(),
  nextExpiry: () => undefined,
  mayNumberTlv: () => false,
};

async function anonymousPeer(now: () => number) {
  const storage = new MemoryStorage();
  const relay = await Relay.open({
    storage,
    policy: nobody,
    limits: DEFAULT_LIMITS,
    origins: ['ws://test'],
    allowSwvRegistration: false,
    log: silentLogger,
    now,
  });
  const inbox: RelayMessage[] = [];
  const session = relay.connect({
    send: (frame) => {
      const m = decodeRelayMessage(frame);
      if (m.ok) inbox.push(m.value);
    },
    close: () => undefined,
    bufferedAmount: () => 0,
  });
  const send = async (m: ClientMessage) => {
    await session.receive(encodeClientMessage(m));
    return inbox.at(-1);
  };
  return { storage, send };
}

const box = new Uint8Array(32).fill(7);
const secret = new Uint8Array([1, 2, 3, 4]);

describe('mailbox lifetime and delete on read [P42][R58]', () => {
  it('a box put for 15 minutes is gone after 15 minutes, though the default is 7 days', async () => {
    let clock = Date.now();
    const { send } = await anonymousPeer(() => clock);
    expect(await send({ type: 'mailbox-put', box, ciphertext: secret, ttlSeconds: 15 * 60 })).toEqual({ type: 'done', of: 'mailbox-put' });
    clock += 14 * 60_000;
    expect(await send({ type: 'mailbox-get', box })).toMatchObject({ type: 'mailbox', ciphertext: secret });
    clock += 2 * 60_000;
    expect(await send({ type: 'mailbox-get', box })).toMatchObject({ type: 'mailbox', ciphertext: null });
  });

  it('a take returns the bytes once; afterwards the relay answers nothing and its storage no longer holds them', async () => {
    const clock = Date.now();
    const { send, storage } = await anonymousPeer(() => clock);
    await send({ type: 'mailbox-put', box, ciphertext: secret });
    expect(await send({ type: 'mailbox-get', box, take: true })).toMatchObject({ type: 'mailbox', ciphertext: secret });
    expect(await send({ type: 'mailbox-get', box })).toMatchObject({ type: 'mailbox', ciphertext: null });
    // Not merely hidden: nothing of the bytes is left, also for a reader that ignores expiry.
    expect(await storage.mailboxGet(box, -1)).toEqual(new Uint8Array(0));
  });
});
