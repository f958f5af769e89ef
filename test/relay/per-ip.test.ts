// Pre-auth work is bounded per client address, shared by all of that
// address's connections [P29]: many connections from one address no longer
// get one budget each, and one anonymous client cannot drain the relay-wide
// budget of writes before login. Real connections from 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RelayMessage } from '../../core/sync/protocol.js';
import { PROTOCOL_ERRORS } from '../../core/sync/protocol-errors.js';
import { makeWorld, type World } from '../access/fixtures.js';
import { TestClient, login, startTestRelay } from './helpers.js';
import { KeyedBuckets } from '../../sync-server/rate-limit.js';

let w: World;
const open: TestClient[] = [];
beforeAll(async () => {
  w = await makeWorld();
});
afterAll(() => {
  for (const c of open) c.close();
});

async function connect(url: string): Promise<TestClient> {
  const c = await TestClient.open(url);
  open.push(c);
  return c;
}

/** The next frame the relay sends after `before` frames, or undefined when the connection closed first. */
async function nextAfter(c: TestClient, before: number): Promise<RelayMessage | undefined> {
  const deadline = Date.now() + 10_000;
  while (c.received.length <= before && c.closeCode === undefined && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  return c.received[before];
}

const box = (i: number) => new Uint8Array(32).fill(i);

describe('per-address budgets before login [P29]', () => {
  it('[P29] frames before login from many connections of one address share one budget; beyond it the connection is refused', async () => {
    // Per connection 10/s with a burst of 20 (the default) would allow every frame below.
    const relay = await startTestRelay(w, ['--pre-auth-frames-per-ip-per-minute', '12']);
    try {
      let answered = 0;
      const refused: RelayMessage[] = [];
      for (let k = 0; k < 4; k++) {
        const c = await connect(relay.url);
        for (let i = 0; i < 5; i++) {
          c.send({ type: 'mailbox-get', box: box(i + 1) });
          const m = await nextAfter(c, c.received.length);
          if (m?.type === 'mailbox') answered++;
          else if (m !== undefined) refused.push(m);
          if (m?.type !== 'mailbox') break;
        }
      }
      expect(refused.length).toBeGreaterThan(0);
      expect(refused[0]).toMatchObject({
        type: 'error',
        code: 'limiet-overschreden',
        limit: 'preAuthFramesPerIp',
        fatal: true,
        message: PROTOCOL_ERRORS['limiet-overschreden'],
      });
      expect(answered).toBeLessThan(20);
      // The relay itself is unharmed.
      const health = await fetch(relay.url.replace('ws://', 'http://') + '/healthz');
      expect(health.status).toBe(200);
    } finally {
      await relay.stop();
    }
  });

  it('[P29] anonymous mailbox writes from one address share one budget, and a refused write is not stored', async () => {
    const relay = await startTestRelay(w, ['--anonymous-writes-per-ip-per-minute', '4']);
    try {
      const done: number[] = [];
      const refused: number[] = [];
      let n = 0;
      for (let k = 0; k < 3; k++) {
        const c = await connect(relay.url);
        for (let i = 0; i < 3; i++) {
          const id = ++n;
          c.send({ type: 'mailbox-put', box: box(id), ciphertext: new Uint8Array([id, 1, 2, 3]) });
          const m = await nextAfter(c, c.received.length);
          if (m?.type === 'done') done.push(id);
          else {
            expect(m).toMatchObject({
              type: 'error',
              code: 'limiet-overschreden',
              limit: 'anonymousWritesPerIp',
              fatal: false,
              message: PROTOCOL_ERRORS['limiet-overschreden'],
            });
            refused.push(id);
          }
        }
      }
      expect(refused.length).toBeGreaterThanOrEqual(4);
      const reader = await connect(relay.url);
      for (const id of refused) {
        reader.send({ type: 'mailbox-get', box: box(id) });
        expect((await reader.wait('mailbox')).ciphertext).toBeNull();
      }
      reader.send({ type: 'mailbox-get', box: box(done[0] ?? 0) });
      expect((await reader.wait('mailbox')).ciphertext).toEqual(new Uint8Array([done[0] ?? 0, 1, 2, 3]));
    } finally {
      await relay.stop();
    }
  });
});

describe('mailbox capacity per SWV [P21]', () => {
  it('[P21][P29] an anonymous flood from one address is refused, and a logged-in device of an SWV can still put an invitation mailbox, up to its SWV cap', async () => {
    const relay = await startTestRelay(w, [
      '--anonymous-mailboxes',
      '3',
      '--mailboxes-per-swv',
      '2',
      '--anonymous-writes-per-ip-per-minute',
      '6',
    ]);
    try {
      const flood = await connect(relay.url);
      const limits: (string | null)[] = [];
      for (let i = 1; i <= 8; i++) {
        flood.send({ type: 'mailbox-put', box: box(i), ciphertext: new Uint8Array([i]) });
        const m = await nextAfter(flood, flood.received.length);
        limits.push(m?.type === 'done' ? 'done' : m?.type === 'error' ? m.limit : 'geen antwoord');
      }
      expect(limits.slice(0, 3)).toEqual(['done', 'done', 'done']);
      expect(limits.slice(3).every((l) => l === 'maxMailboxes' || l === 'anonymousWritesPerIp')).toBe(true);
      expect(limits).toContain('anonymousWritesPerIp');

      // The anonymous pool is full; the coördinator's invitations count against the SWV.
      const coordinator = await login(relay.url, w.coordinator);
      open.push(coordinator);
      const invitation = new Uint8Array([7, 7, 7]);
      coordinator.send({ type: 'mailbox-put', box: box(100), ciphertext: invitation, ttlSeconds: 3600 });
      expect(await nextAfter(coordinator, coordinator.received.length)).toEqual({ type: 'done', of: 'mailbox-put' });
      coordinator.send({ type: 'mailbox-put', box: box(101), ciphertext: invitation });
      expect(await nextAfter(coordinator, coordinator.received.length)).toEqual({ type: 'done', of: 'mailbox-put' });
      // The SWV's own cap holds too, and the refused mailbox is not stored.
      coordinator.send({ type: 'mailbox-put', box: box(102), ciphertext: invitation });
      expect(await nextAfter(coordinator, coordinator.received.length)).toMatchObject({
        type: 'error',
        code: 'limiet-overschreden',
        limit: 'mailboxesPerSwv',
        fatal: false,
        message: PROTOCOL_ERRORS['limiet-overschreden'],
      });

      const joiner = await connect(relay.url);
      joiner.send({ type: 'mailbox-get', box: box(100) });
      expect((await joiner.wait('mailbox')).ciphertext).toEqual(invitation);
      joiner.send({ type: 'mailbox-get', box: box(102) });
      expect((await joiner.wait('mailbox')).ciphertext).toBeNull();
    } finally {
      await relay.stop();
    }
  });
});

describe('per-address buckets in bounded memory [P29]', () => {
  it('[P29] keeps at most maxKeys addresses, forgetting idle (refilled) ones before busy ones', () => {
    let clock = 0;
    const b = new KeyedBuckets(1, 2, 100, () => clock);
    // A busy address: its bucket is empty.
    expect(b.take('busy')).toBe(true);
    expect(b.take('busy')).toBe(true);
    expect(b.take('busy')).toBe(false);
    for (let i = 0; i < 1000; i++) b.take(`idle-${i}`, 0);
    expect(b.size).toBeLessThanOrEqual(100);
    // The busy address was not forgotten (that would hand it a new, full bucket).
    expect(b.take('busy')).toBe(false);
    clock += 1000;
    expect(b.take('busy')).toBe(true);
  });
});
