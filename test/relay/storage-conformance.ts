// The one conformance suite every RelayStorage implementation must pass
// (lmdb now, Postgres later). Call it from a *.test.ts with a factory.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { MAX_QUEUED_NOTIFICATIONS, type RelayStorage } from '../../sync-server/storage.js';

export interface StorageHarness {
  readonly storage: RelayStorage;
  /** Closes and opens the same data again (absent for memory-only stores). */
  readonly reopen?: () => Promise<RelayStorage>;
  /** Opens a second store on the same data while the first stays open, as a second relay on one database would (Postgres only). */
  readonly openAnother?: () => Promise<RelayStorage>;
  readonly cleanup: () => Promise<void>;
}

const env = (text: string): Uint8Array => new TextEncoder().encode(text);
const sha = (b: Uint8Array) => new Uint8Array(createHash('sha256').update(b).digest());

export function runStorageConformance(name: string, make: () => Promise<StorageHarness>): void {
  const withStore = (fn: (h: StorageHarness) => Promise<void>) => async () => {
    const h = await make();
    try {
      await fn(h);
    } finally {
      await h.cleanup();
    }
  };

  describe(`RelayStorage conformance: ${name}`, () => {
    it(
      'assigns seqs from 1 without gaps, per room [P10]',
      withStore(async ({ storage: s }) => {
        const out = await s.appendBatch([
          { room: 'a/leerling', author: 'd1', counter: 1, envelope: env('a1') },
          { room: 'b/leerling', author: 'd1', counter: 1, envelope: env('b1') },
          { room: 'a/leerling', author: 'd1', counter: 2, envelope: env('a2') },
        ]);
        expect(out).toEqual([
          { kind: 'stored', seq: 1 },
          { kind: 'stored', seq: 1 },
          { kind: 'stored', seq: 2 },
        ]);
        expect(await s.appendBatch([{ room: 'a/leerling', author: 'd2', counter: 1, envelope: env('a3') }])).toEqual([
          { kind: 'stored', seq: 3 },
        ]);
        expect(await s.headSeq('a/leerling')).toBe(3);
        expect(await s.headSeq('zzz/leerling')).toBe(0);
        expect((await s.listRooms()).sort()).toEqual(['a/leerling', 'b/leerling']);
      }),
    );

    it(
      'acknowledges a replay with the original seq and stores it once [P11]',
      withStore(async ({ storage: s }) => {
        await s.appendBatch([{ room: 'r/leerling', author: 'd', counter: 5, envelope: env('x') }]);
        await s.appendBatch([{ room: 'r/leerling', author: 'd', counter: 3, envelope: env('y') }]);
        const again = await s.appendBatch([{ room: 'r/leerling', author: 'd', counter: 5, envelope: env('x') }]);
        expect(again).toEqual([{ kind: 'duplicate', seq: 1 }]);
        expect(await s.lookup('r/leerling', 'd', 5)).toEqual({ seq: 1, hash: sha(env('x')) });
        expect(await s.lookup('r/leerling', 'd', 4)).toBeUndefined();
        expect((await s.readRecords('r/leerling', 0, 100, 1e9)).map((r) => r.seq)).toEqual([1, 2]);
      }),
    );

    it(
      'refuses the same counter with different bytes as a conflict [P11]',
      withStore(async ({ storage: s }) => {
        await s.appendBatch([{ room: 'r/leerling', author: 'd', counter: 1, envelope: env('x') }]);
        expect(await s.appendBatch([{ room: 'r/leerling', author: 'd', counter: 1, envelope: env('other') }])).toEqual([
          { kind: 'conflict', seq: 1 },
        ]);
        expect(await s.headSeq('r/leerling')).toBe(1);
      }),
    );

    it(
      'sees earlier items of the same batch when checking replays [P11]',
      withStore(async ({ storage: s }) => {
        const out = await s.appendBatch([
          { room: 'r/leerling', author: 'd', counter: 1, envelope: env('x') },
          { room: 'r/leerling', author: 'd', counter: 1, envelope: env('x') },
          { room: 'r/leerling', author: 'd', counter: 1, envelope: env('z') },
        ]);
        expect(out).toEqual([
          { kind: 'stored', seq: 1 },
          { kind: 'duplicate', seq: 1 },
          { kind: 'conflict', seq: 1 },
        ]);
      }),
    );

    it(
      'returns records byte-identical, in order, paged by count and bytes',
      withStore(async ({ storage: s }) => {
        const items = Array.from({ length: 20 }, (_, i) => ({
          room: 'p/leerling',
          author: 'd',
          counter: i + 1,
          envelope: new Uint8Array(100).fill(i),
        }));
        await s.appendBatch(items);
        const page = await s.readRecords('p/leerling', 5, 4, 1e9);
        expect(page.map((r) => r.seq)).toEqual([6, 7, 8, 9]);
        expect(page[0]?.envelope).toEqual(new Uint8Array(100).fill(5));
        expect((await s.readRecords('p/leerling', 0, 100, 250)).length).toBe(3);
        expect(await s.readRecords('p/leerling', 20, 10, 1e9)).toEqual([]);
        // A room whose name extends another's is not mixed in.
        await s.appendBatch([{ room: 'p/leerlingx', author: 'd', counter: 1, envelope: env('q') }]);
        expect((await s.readRecords('p/leerling', 19, 10, 1e9)).map((r) => r.seq)).toEqual([20]);
      }),
    );

    it(
      'deletes records by id without reusing seqs [P22]',
      withStore(async ({ storage: s }) => {
        await s.appendBatch([1, 2, 3].map((c) => ({ room: 'g/leerling', author: 'd', counter: c, envelope: env(`r${c}`) })));
        expect(await s.deleteRecordsUpTo('g/leerling', 2)).toBe(2);
        expect((await s.readRecords('g/leerling', 0, 10, 1e9)).map((r) => r.seq)).toEqual([3]);
        expect(await s.appendBatch([{ room: 'g/leerling', author: 'd', counter: 4, envelope: env('r4') }])).toEqual([
          { kind: 'stored', seq: 4 },
        ]);
        await s.deleteRoom('g/leerling');
        expect(await s.readRecords('g/leerling', 0, 10, 1e9)).toEqual([]);
        expect(await s.headSeq('g/leerling')).toBe(4);
        expect(await s.appendBatch([{ room: 'g/leerling', author: 'd', counter: 1, envelope: env('new') }])).toEqual([
          { kind: 'stored', seq: 5 },
        ]);
      }),
    );

    it(
      'stores snapshots only when they extend the current one [P13]',
      withStore(async ({ storage: s }) => {
        const first = { coversSeq: 3, envelope: env('s1'), hash: sha(env('s1')), storedAt: 10 };
        expect(await s.putSnapshot('s/leerling', first, sha(env('nope')))).toBe('conflict');
        expect(await s.putSnapshot('s/leerling', first, null)).toBe('stored');
        expect(await s.putSnapshot('s/leerling', { coversSeq: 5, envelope: env('s2'), hash: sha(env('s2')), storedAt: 20 }, null)).toBe(
          'conflict',
        );
        expect(
          await s.putSnapshot('s/leerling', { coversSeq: 5, envelope: env('s2'), hash: sha(env('s2')), storedAt: 20 }, first.hash),
        ).toBe('stored');
        const cur = await s.getSnapshot('s/leerling');
        expect(cur?.coversSeq).toBe(5);
        expect(cur?.envelope).toEqual(env('s2'));
        expect(cur?.storedAt).toBe(20);
        expect(await s.getSnapshot('t/leerling')).toBeUndefined();
      }),
    );

    it(
      'keeps blobs per room and deletes them per dossier [P17, P22]',
      withStore(async ({ storage: s }) => {
        const data = new Uint8Array(5000).fill(9);
        await s.putBlob('d1/hulpvraag:a', sha(data), data);
        await s.putBlob('d1/leerling', sha(data), data);
        await s.putBlob('d1-x/leerling', sha(data), data);
        await s.putBlob('d10/leerling', sha(data), data);
        expect(await s.getBlob('d1/hulpvraag:a', sha(data))).toEqual(data);
        expect(await s.getBlob('d1/hulpvraag:b', sha(data))).toBeUndefined();
        expect(await s.deleteBlobs('d1')).toBe(2);
        expect(await s.getBlob('d1/leerling', sha(data))).toBeUndefined();
        expect(await s.getBlob('d1-x/leerling', sha(data))).toEqual(data);
        expect(await s.getBlob('d10/leerling', sha(data))).toEqual(data);
      }),
    );

    it(
      'never replaces a registered SWV root with another key [P20]',
      withStore(async ({ storage: s }) => {
        const k1 = new Uint8Array(32).fill(1);
        expect(await s.putSwvRoot('swv1', k1)).toBe('stored');
        expect(await s.putSwvRoot('swv1', k1)).toBe('same');
        expect(await s.putSwvRoot('swv1', new Uint8Array(32).fill(2))).toBe('other');
        expect(await s.listSwvRoots()).toEqual(new Map([['swv1', k1]]));
      }),
    );

    it(
      'expires mailboxes [P21]',
      withStore(async ({ storage: s }) => {
        const box = new Uint8Array(32).fill(4);
        await s.mailboxPut(box, env('invite'), 1000);
        expect(await s.mailboxGet(box, 999)).toEqual(env('invite'));
        expect(await s.mailboxGet(box, 1000)).toBeUndefined();
        expect(await s.purgeMailboxes(2000)).toBe(1);
      }),
    );

    it(
      'keeps e-mail addresses and queued notifications per user [P18]',
      withStore(async ({ storage: s }) => {
        await s.setEmail('u1', 'a@b.example');
        expect(await s.getEmail('u1')).toBe('a@b.example');
        await s.setEmail('u1', null);
        expect(await s.getEmail('u1')).toBeUndefined();
        await s.queueNotification('u1', { kind: 'status', room: 'x/leerling', at: 1 });
        await s.queueNotification('u10', { kind: 'mention', room: 'x/leerling', at: 2 });
        await s.queueNotification('u1', { kind: 'mention', room: 'y/leerling', at: 3 });
        expect((await s.takeNotifications('u1')).map((n) => n.at)).toEqual([1, 3]);
        expect(await s.takeNotifications('u1')).toEqual([]);
        expect((await s.takeNotifications('u10')).length).toBe(1);
      }),
    );

    it(
      'keeps at most MAX_QUEUED_NOTIFICATIONS per user, dropping the oldest, so a user who never pulls cannot have the disk filled [P18, P24]',
      withStore(async ({ storage: s }) => {
        for (let i = 1; i <= MAX_QUEUED_NOTIFICATIONS + 25; i++)
          await s.queueNotification('u1', { kind: 'mention', room: 'x/leerling', at: i });
        await s.queueNotification('u2', { kind: 'status', room: 'x/leerling', at: 7 });
        const kept = (await s.takeNotifications('u1')).map((n) => n.at);
        expect(kept).toHaveLength(MAX_QUEUED_NOTIFICATIONS);
        expect(kept[0]).toBe(26);
        expect(kept.at(-1)).toBe(MAX_QUEUED_NOTIFICATIONS + 25);
        expect((await s.takeNotifications('u2')).map((n) => n.at)).toEqual([7]);
      }),
    );

    it(
      'keeps pending e-mail digests per user: the earliest moment wins, due ones are taken once, earliest first [P19]',
      withStore(async (h) => {
        const s = h.storage;
        expect(await s.takeDueDigests(1e15, 100)).toEqual([]);
        await s.markDigestDue('u1', 1000);
        await s.markDigestDue('u1', 5000); // a later notification does not postpone the open window
        await s.markDigestDue('u2', 2000);
        await s.markDigestDue('u3', 900);
        await s.markDigestDue('u3', 800); // an earlier moment does move it forward
        await s.markDigestDue('u4', 9000);
        expect(await s.takeDueDigests(999, 100)).toEqual(['u3']);
        expect(await s.takeDueDigests(2000, 1)).toEqual(['u1']);
        expect(await s.takeDueDigests(2000, 100)).toEqual(['u2']);
        expect(await s.takeDueDigests(2000, 100)).toEqual([]);
        // Taken means gone: a new notification opens a new window.
        await s.markDigestDue('u1', 3000);
        if (h.reopen !== undefined) await h.reopen();
        // Pending digests survive a close and reopen.
        expect(await h.storage.takeDueDigests(10_000, 100)).toEqual(['u1', 'u4']);
        expect(await h.storage.takeDueDigests(10_000, 100)).toEqual([]);
      }),
    );

    it(
      'hands each due digest to exactly one of several concurrent takers [P19]',
      withStore(async ({ storage: s }) => {
        const users = Array.from({ length: 60 }, (_, i) => `u${String(i).padStart(2, '0')}`);
        for (const [i, u] of users.entries()) await s.markDigestDue(u, 100 + i);
        const taken = (await Promise.all(Array.from({ length: 6 }, () => s.takeDueDigests(1000, 15)))).flat();
        const rest = await s.takeDueDigests(1000, 1000);
        expect([...taken, ...rest].sort()).toEqual(users);
      }),
    );

    it(
      'counts mailboxes per owner SWV and before login; an overwrite moves the count; purged ones stop counting [P21]',
      withStore(async (h) => {
        const s = h.storage;
        await s.mailboxPut(new Uint8Array(32).fill(1), env('a'), 1000);
        await s.mailboxPut(new Uint8Array(32).fill(2), env('b'), 3000, 'swv-a');
        await s.mailboxPut(new Uint8Array(32).fill(3), env('c'), 3000, 'swv-a');
        await s.mailboxPut(new Uint8Array(32).fill(4), env('d'), 3000, 'swv-b');
        expect([
          await s.mailboxCountOf(null),
          await s.mailboxCountOf('swv-a'),
          await s.mailboxCountOf('swv-b'),
          await s.mailboxCountOf('swv-c'),
        ]).toEqual([1, 2, 1, 0]);
        // Overwritten by a device of another SWV: counts there now.
        await s.mailboxPut(new Uint8Array(32).fill(3), env('c2'), 500, 'swv-b');
        expect([await s.mailboxCountOf('swv-a'), await s.mailboxCountOf('swv-b')]).toEqual([1, 2]);
        expect(await s.mailboxCount()).toBe(4);
        await s.purgeMailboxes(2000);
        expect([await s.mailboxCountOf(null), await s.mailboxCountOf('swv-a'), await s.mailboxCountOf('swv-b')]).toEqual([0, 1, 1]);
        if (h.reopen === undefined) return;
        const again = await h.reopen();
        expect([await again.mailboxCountOf(null), await again.mailboxCountOf('swv-a'), await again.mailboxCountOf('swv-b')]).toEqual([
          0, 1, 1,
        ]);
      }),
    );

    it(
      'counts stored mailboxes, expired ones until purged [P21]',
      withStore(async ({ storage: s }) => {
        expect(await s.mailboxCount()).toBe(0);
        await s.mailboxPut(new Uint8Array(32).fill(1), env('a'), 1000);
        await s.mailboxPut(new Uint8Array(32).fill(2), env('b'), 3000);
        await s.mailboxPut(new Uint8Array(32).fill(2), env('c'), 3000);
        expect(await s.mailboxCount()).toBe(2);
        await s.purgeMailboxes(2000);
        expect(await s.mailboxCount()).toBe(1);
      }),
    );

    it(
      'behaves like a model log under random appends and replays [P10, P11]',
      withStore(async ({ storage: s }) => {
        await fc.assert(
          fc.asyncProperty(
            fc.array(
              fc.record({
                room: fc.constantFrom('m1/leerling', 'm2/leerling'),
                author: fc.constantFrom('d1', 'd2'),
                counter: fc.integer({ min: 1, max: 6 }),
                v: fc.integer({ min: 0, max: 1 }),
              }),
              { maxLength: 25 },
            ),
            fc.integer({ min: 1, max: 5 }),
            async (ops, batchSize) => {
              const model = new Map<string, { seq: number; v: number }>();
              const heads = new Map<string, number>();
              const prefix = `${Math.random().toString(36).slice(2)}`;
              for (let i = 0; i < ops.length; i += batchSize) {
                const batch = ops.slice(i, i + batchSize);
                const outs = await s.appendBatch(
                  batch.map((o) => ({
                    room: prefix + o.room,
                    author: o.author,
                    counter: o.counter,
                    envelope: env(`${o.author}${o.counter}:${o.v}`),
                  })),
                );
                batch.forEach((o, j) => {
                  const key = `${o.room}|${o.author}|${o.counter}`;
                  const m = model.get(key);
                  let expected;
                  if (m === undefined) {
                    const seq = (heads.get(o.room) ?? 0) + 1;
                    heads.set(o.room, seq);
                    model.set(key, { seq, v: o.v });
                    expected = { kind: 'stored', seq };
                  } else expected = { kind: m.v === o.v ? 'duplicate' : 'conflict', seq: m.seq };
                  expect(outs[j]).toEqual(expected);
                });
              }
              for (const [room, head] of heads) {
                const recs = await s.readRecords(prefix + room, 0, 1000, 1e9);
                expect(recs.map((r) => r.seq)).toEqual(Array.from({ length: head }, (_, i) => i + 1));
              }
            },
          ),
          { numRuns: 40 },
        );
      }),
    );

    it(
      'counts bytes per SWV for its quota [P29]',
      withStore(async (h) => {
        expect(await h.storage.swvUsage('swv-a')).toBe(0);
        await h.storage.addSwvUsage('swv-a', 1000);
        await Promise.all([h.storage.addSwvUsage('swv-a', 24), h.storage.addSwvUsage('swv-b', 7)]);
        expect(await h.storage.swvUsage('swv-a')).toBe(1024);
        expect(await h.storage.listSwvUsage()).toEqual(
          new Map([
            ['swv-a', 1024],
            ['swv-b', 7],
          ]),
        );
        if (h.reopen === undefined) return;
        expect(await (await h.reopen()).swvUsage('swv-a')).toBe(1024);
      }),
    );

    it(
      'keeps the served log per dossier, merging an hour of one device and part, and forgets old hours [P52]',
      withStore(async (h) => {
        const e = (dossier: string, hour: number, device: string, scope: string, first: number, count: number) => ({
          dossier,
          hour,
          device,
          scope,
          user: `u-${device}`,
          first,
          last: first,
          count,
        });
        await h.storage.addServed([
          e('d1', 3_600_000, 'dev-a', 'leerling', 3_600_100, 2),
          e('d2', 3_600_000, 'dev-a', 'leerling', 3_600_100, 1),
        ]);
        await Promise.all([
          h.storage.addServed([e('d1', 3_600_000, 'dev-a', 'leerling', 3_600_900, 5)]),
          h.storage.addServed([e('d1', 0, 'dev-b', 'hulpvraag:x', 50, 1)]),
        ]);
        const list = await h.storage.listServed('d1', 10);
        expect(list.map((x) => [x.hour, x.device, x.scope, x.user, x.first, x.last, x.count])).toEqual([
          [0, 'dev-b', 'hulpvraag:x', 'u-dev-b', 50, 50, 1],
          [3_600_000, 'dev-a', 'leerling', 'u-dev-a', 3_600_100, 3_600_900, 7],
        ]);
        expect(await h.storage.listServed('d1', 1)).toHaveLength(1);
        expect(await h.storage.listServed('d', 10)).toEqual([]);
        expect(await h.storage.purgeServed(3_600_000)).toBe(1);
        expect((await h.storage.listServed('d1', 10)).map((x) => x.device)).toEqual(['dev-a']);
        if (h.reopen === undefined) return;
        expect(await (await h.reopen()).listServed('d2', 10)).toHaveLength(1);
      }),
    );

    it(
      'gives each SWV TLV volgnummers 1, 2, 3… once each, also to claims at the same moment; a claim again gets its own number back [P71]',
      withStore(async (h) => {
        const claim = (i: number) => new Uint8Array(32).fill(i + 1);
        const got = await Promise.all(
          Array.from({ length: 40 }, (_, i) => h.storage.claimTlvNumber('swv-a', claim(i), `u${i % 3}`, 1000 + i)),
        );
        expect(got.map((g) => g.volgnummer).sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
        expect(got.every((g) => !g.duplicate)).toBe(true);
        // Another SWV has its own register.
        expect((await h.storage.claimTlvNumber('swv-b', claim(0), 'x', 5)).volgnummer).toBe(1);
        const again = await h.storage.claimTlvNumber('swv-a', claim(7), 'u9', 9999);
        const first = got.find((g) => g.claim.every((b) => b === 8));
        expect(again).toMatchObject({ volgnummer: first?.volgnummer, duplicate: true, user: first?.user, at: first?.at });
        const page = await h.storage.listTlvNumbers('swv-a', 10, 5);
        expect(page.map((e) => e.volgnummer)).toEqual([11, 12, 13, 14, 15]);
        expect(page.every((e) => e.claim.length === 32)).toBe(true);
        expect(await h.storage.listTlvNumbers('swv-c', 0, 5)).toEqual([]);
        if (h.reopen === undefined) return;
        // After a reopen the register goes on from the last number.
        const reopened = await h.reopen();
        expect((await reopened.claimTlvNumber('swv-a', claim(100), 'u', 1)).volgnummer).toBe(41);
        expect((await reopened.listTlvNumbers('swv-a', 39, 10)).map((e) => e.volgnummer)).toEqual([40, 41]);
      }),
    );

    it(
      'keeps one tombstone per deleted dossier, across a reopen; releasing deleted bytes keeps what lives [P60]',
      withStore(async (h) => {
        await h.storage.appendBatch([
          { room: 'gone/leerling', author: 'd', counter: 1, envelope: env('weg-weg-weg') },
          { room: 'live/leerling', author: 'd', counter: 1, envelope: env('blijft') },
        ]);
        expect(await h.storage.getTombstone('gone')).toBeUndefined();
        await h.storage.putTombstone({ dossier: 'gone', at: 1234, record: env('record') });
        // A second tombstone for the same dossier changes nothing: the first fixed date stands.
        await h.storage.putTombstone({ dossier: 'gone', at: 9999, record: env('ander') });
        await h.storage.deleteRoom('gone/leerling');
        await h.storage.releaseDeleted?.();
        expect(await h.storage.getTombstone('gone')).toEqual({ dossier: 'gone', at: 1234, record: env('record') });
        expect(await h.storage.listTombstones()).toEqual(['gone']);
        expect(await h.storage.readRecords('gone/leerling', 0, 10, 1e9)).toEqual([]);
        // Writes after the release land as before, and seqs go on.
        expect(await h.storage.appendBatch([{ room: 'live/leerling', author: 'd', counter: 2, envelope: env('daarna') }])).toEqual([
          { kind: 'stored', seq: 2 },
        ]);
        expect((await h.storage.readRecords('live/leerling', 0, 10, 1e9)).map((r) => r.envelope)).toEqual([env('blijft'), env('daarna')]);
        if (h.reopen === undefined) return;
        const again = await h.reopen();
        expect(await again.getTombstone('gone')).toEqual({ dossier: 'gone', at: 1234, record: env('record') });
        expect(await again.headSeq('gone/leerling')).toBe(1);
      }),
    );

    it(
      'keeps one relay identity seed: the first stored wins, also when asked at once, across a reopen and for a second relay on the same store [P83]',
      withStore(async (h) => {
        const seed = (i: number) => new Uint8Array(32).fill(i);
        const got = await Promise.all([1, 2, 3, 4, 5].map((i) => h.storage.relayIdentitySeed(seed(i))));
        const first = got[0];
        expect(first).toHaveLength(32);
        expect(got.every((g) => Buffer.from(g).equals(Buffer.from(first ?? [])))).toBe(true);
        expect([1, 2, 3, 4, 5].some((i) => Buffer.from(seed(i)).equals(Buffer.from(first ?? [])))).toBe(true);
        // A later candidate changes nothing.
        expect(await h.storage.relayIdentitySeed(seed(9))).toEqual(first);
        if (h.openAnother !== undefined) {
          const other = await h.openAnother();
          try {
            expect(await other.relayIdentitySeed(seed(8))).toEqual(first);
          } finally {
            await other.close();
          }
        }
        if (h.reopen === undefined) return;
        expect(await (await h.reopen()).relayIdentitySeed(seed(7))).toEqual(first);
      }),
    );

    it(
      'keeps everything across a close and reopen',
      withStore(async (h) => {
        if (h.reopen === undefined) return;
        await h.storage.appendBatch([{ room: 'k/leerling', author: 'd', counter: 1, envelope: env('keep') }]);
        await h.storage.putSwvRoot('swvk', new Uint8Array(32).fill(3));
        const again = await h.reopen();
        expect((await again.readRecords('k/leerling', 0, 10, 1e9))[0]?.envelope).toEqual(env('keep'));
        expect(await again.appendBatch([{ room: 'k/leerling', author: 'd', counter: 1, envelope: env('keep') }])).toEqual([
          { kind: 'duplicate', seq: 1 },
        ]);
        expect((await again.listSwvRoots()).has('swvk')).toBe(true);
      }),
    );
  });
}
