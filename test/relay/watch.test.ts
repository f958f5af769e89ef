// [P45] Watching rooms: a device follows many rooms without a subscription each.
// The relay answers a watch with the rooms that have records after the client's
// cursor, pushes a room's new head when a record is committed (never records),
// checks read right like a subscription, ends watches whose access ended, and
// bounds how many rooms one connection watches. Real relay on 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asId, type DossierId } from '../../core/model/ids.js';
import { encodeEnvelope } from '../../core/crypto/envelope.js';
import { genesisGrants } from '../../core/access/genesis.js';
import { DossierHarness, makeWorld, type World } from '../access/fixtures.js';
import { append, codeOf, login, roomId, seal, startTestRelay, type TestClient } from './helpers.js';
import type { RunningRelay } from '../../sync-server/main.js';

let w: World;
let relay: RunningRelay & { data: string };
let h: DossierHarness;
let ib: TestClient;

beforeAll(async () => {
  w = await makeWorld();
  relay = await startTestRelay(w, ['--watched-rooms', '2']);
  h = new DossierHarness(w, asId<DossierId>('dos-watch-1'));
  ib = await login(relay.url, w.ib);
  const genesis = await h.build('genesis', w.ib, { grants: genesisGrants(w.ib.organisationId, w.ib.userId, ['leerling']) }, new Date());
  expect(codeOf(await append(ib, `${h.dossier}/toegang`, encodeEnvelope(genesis)))).toBe('ack');
  await h.apply(genesis, new Date());
});
afterAll(async () => {
  ib?.close();
  await relay?.stop();
});

describe('watching rooms [P45]', () => {
  it('[P45] the answer names rooms with records after the cursor; a commit pushes the new head, not the record', async () => {
    const room = roomId(h, 'leerling');
    expect(codeOf(await append(ib, room, await seal(h, w.ib, room, 'eerste')))).toBe('ack');
    const coo = await login(relay.url, w.coo);
    try {
      coo.send({
        type: 'watch',
        ref: 1,
        rooms: [
          { room, afterSeq: 0 },
          { room: roomId(h, 'toegang'), afterSeq: 1 },
        ],
      });
      const answer = await coo.wait('heads', (m) => m.ref === 1);
      expect(answer.changed).toEqual([{ room, headSeq: 1 }]);
      expect(answer.refused).toEqual([]);
      const ack = await append(ib, room, await seal(h, w.ib, room, 'tweede'));
      expect(codeOf(ack)).toBe('ack');
      const pushed = await coo.wait('heads', (m) => m.ref === null && m.changed.length > 0);
      expect(pushed.changed).toEqual([{ room, headSeq: 2 }]);
      // Only heads: no records frame reached the watcher.
      expect(coo.received.some((m) => m.type === 'records')).toBe(false);
    } finally {
      coo.close();
    }
  });

  it('[P45] a room without read right, an unknown dossier and a malformed room are refused, each with its code', async () => {
    const other = await login(relay.url, w.ibB);
    try {
      other.send({
        type: 'watch',
        ref: 2,
        rooms: [
          { room: roomId(h, 'leerling'), afterSeq: 0 },
          { room: 'dos-bestaat-niet/leerling', afterSeq: 0 },
          { room: 'geen-ruimte', afterSeq: 0 },
          { room: 'dos-bestaat-niet/toegang', afterSeq: 0 },
        ],
      });
      const answer = await other.wait('heads', (m) => m.ref === 2);
      expect(answer.refused).toEqual([
        { room: 'geen-ruimte', code: 'ruimte-ongeldig' },
        { room: roomId(h, 'leerling'), code: 'geen-toegang' },
        { room: 'dos-bestaat-niet/leerling', code: 'dossier-onbekend' },
      ]);
      // The toegang room of a dossier that does not exist yet may be waited for, as with subscribe.
      expect(answer.changed).toEqual([]);
      // Nothing about the refused room reaches them when it changes.
      expect(codeOf(await append(ib, roomId(h, 'leerling'), await seal(h, w.ib, roomId(h, 'leerling'), 'derde')))).toBe('ack');
      await new Promise((r) => setTimeout(r, 200));
      expect(other.received.some((m) => m.type === 'heads' && m.ref === null)).toBe(false);
    } finally {
      other.close();
    }
  });

  it('[P45] a connection watches at most watchedRooms rooms; more are refused with limiet-overschreden, not dropped silently', async () => {
    const h2 = new DossierHarness(w, asId<DossierId>('dos-watch-2'));
    const genesis = await h2.build('genesis', w.ib, { grants: genesisGrants(w.ib.organisationId, w.ib.userId, ['leerling']) }, new Date());
    expect(codeOf(await append(ib, `${h2.dossier}/toegang`, encodeEnvelope(genesis)))).toBe('ack');
    const coo = await login(relay.url, w.coo);
    try {
      const rooms = [roomId(h, 'leerling'), roomId(h, 'toegang'), roomId(h2, 'toegang')].map((room) => ({ room, afterSeq: 0 }));
      coo.send({ type: 'watch', ref: 3, rooms });
      const answer = await coo.wait('heads', (m) => m.ref === 3);
      expect(answer.refused).toEqual([{ room: roomId(h2, 'toegang'), code: 'limiet-overschreden' }]);
      // Unwatching frees the places again.
      coo.send({ type: 'unwatch', rooms: [rooms[0]!.room] });
      await coo.wait('done', (m) => m.of === 'unwatch');
      coo.send({ type: 'watch', ref: 4, rooms: [rooms[2]!] });
      expect((await coo.wait('heads', (m) => m.ref === 4)).refused).toEqual([]);
    } finally {
      coo.close();
    }
  });

  it('[P45] revoking read right ends the watch at once with toegang-ingetrokken, and later heads are not sent', async () => {
    const room = roomId(h, 'leerling');
    const grant = await h.build(
      'grant',
      w.ib,
      {
        grants: [{ principal: { kind: 'user', userId: w.ggd.userId }, scope: 'leerling', right: 'read', expiresAt: null }],
        recipients: [w.ggd.certificate],
      },
      new Date(),
    );
    expect(codeOf(await append(ib, `${h.dossier}/toegang`, encodeEnvelope(grant)))).toBe('ack');
    await h.apply(grant, new Date());
    const ggd = await login(relay.url, w.ggd);
    try {
      ggd.send({ type: 'watch', ref: 5, rooms: [{ room, afterSeq: 0 }] });
      expect((await ggd.wait('heads', (m) => m.ref === 5)).refused).toEqual([]);
      const revoke = await h.build(
        'revoke',
        w.ib,
        { revokes: [{ principal: { kind: 'user', userId: w.ggd.userId }, scope: 'leerling' }] },
        new Date(),
      );
      expect(codeOf(await append(ib, `${h.dossier}/toegang`, encodeEnvelope(revoke)))).toBe('ack');
      await h.apply(revoke, new Date());
      const ended = await ggd.wait('heads', (m) => m.ref === null && m.refused.length > 0);
      expect(ended.refused).toEqual([{ room, code: 'toegang-ingetrokken' }]);
      const before = ggd.received.length;
      expect(codeOf(await append(ib, room, await seal(h, w.ib, room, 'na intrekking')))).toBe('ack');
      await new Promise((r) => setTimeout(r, 200));
      expect(ggd.received.slice(before).some((m) => m.type === 'heads' && m.changed.some((c) => c.room === room))).toBe(false);
    } finally {
      ggd.close();
    }
  });

  it('[P45] a closed connection leaves no watchers behind', async () => {
    const coo = await login(relay.url, w.coo);
    coo.send({ type: 'watch', ref: 6, rooms: [{ room: roomId(h, 'toegang'), afterSeq: 0 }] });
    await coo.wait('heads', (m) => m.ref === 6);
    coo.close();
    await new Promise((r) => setTimeout(r, 200));
    expect(relay.relay.bookkeeping.watchedRooms).toBe(0);
  });
});
