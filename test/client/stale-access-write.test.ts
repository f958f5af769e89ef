// A writer who was offline while a member was removed holds changes sealed
// under the key that member still has. Before anything goes out after a
// reconnect, the dossier's access list must be current in this connection; a
// change it made under a key the list has rotated away from is sealed again
// under the new key. So even a relay that stores old-epoch writes (a test-only
// tamper on the real relay on 127.0.0.1) never receives one the removed member
// could read [R122].
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roomOf } from '../../core/access/rooms.js';
import { currentEpoch } from '../../core/access/dossier-access.js';
import { decodeEnvelope } from '../../core/crypto/envelope.js';
import type { DossierId } from '../../core/model/ids.js';
import { ok } from '../../core/result.js';
import { eventually, type Member } from '../sync/harness.js';
import { internals, LEERLING, startWorld, TWO_IBS, type World } from './dossier-world.js';

let world: World;
let ilse: Member, sanne: Member, wim: Member;
let dossier: DossierId;

beforeAll(async () => {
  world = await startWorld([
    ...TWO_IBS,
    { naam: 'Wim Jansen', functie: 'jeugdconsulent', organisation: { naam: 'Jeugdteam', kind: 'zorgpartner' }, roles: ['regierolhouder'] },
  ]);
  [ilse, sanne, wim] = world.members as [Member, Member, Member];
  const d = await ilse.tc.client.createDossier(LEERLING);
  if (!d.ok) throw new Error(d.error.message);
  dossier = d.value;
  expect((await ilse.tc.client.grant(dossier, { userId: wim.userId, scopes: ['leerling'], rights: ['read'], expiresAt: null })).ok).toBe(
    true,
  );
  expect((await ilse.tc.client.flush(15_000)).ok).toBe(true);
  for (const m of [wim, sanne]) {
    await eventually(async () => {
      await m.tc.client.tick();
      const l = m.tc.client.getLeerling(dossier);
      return l.ok && l.value.voornaam === LEERLING.voornaam;
    }, `${m.naam} leest de leerling`);
  }
}, 180_000);

afterAll(async () => {
  await world?.close();
});

describe('writing after being away while a member was removed', () => {
  it('[R122] the change made offline under the old key goes out sealed under the new key, even to a relay that would store the old one', async () => {
    const room = roomOf(dossier, 'leerling');
    const relay = world.relay.running.relay;
    const sanneDevice = sanne.tc.client.me()?.deviceId;
    // The relay stops enforcing the epoch for Sanne's device: it would store what she sends under the old key.
    const policy = relay.opts.policy;
    const honestRecord = policy.checkRecord.bind(policy);
    policy.checkRecord = (a, d, r, kind, epoch, now) =>
      d.deviceId === sanneDevice ? ok(undefined) : honestRecord(a, d, r, kind, epoch, now);

    sanne.tc.client.setOnline(false);
    const oldEpoch = currentEpoch(internals(sanne.tc).dossiers.get(dossier)?.access?.scopes.get('leerling'))?.epoch;
    expect(oldEpoch).toBeDefined();
    // Ilse removes Wim: the leerling key rotates, and Wim never gets the new one.
    expect((await ilse.tc.client.revoke(dossier, wim.userId)).ok).toBe(true);
    expect((await ilse.tc.client.flush(15_000)).ok).toBe(true);
    const newEpoch = currentEpoch(internals(ilse.tc).dossiers.get(dossier)?.access?.scopes.get('leerling'))?.epoch;
    expect(newEpoch).toBeGreaterThan(oldEpoch!);
    const headBefore = await relay.opts.storage.headSeq(room);

    // Offline, Sanne changes the achternaam: sealed now, under the key she has (the old one).
    expect((await sanne.tc.client.updateLeerling(dossier, { achternaam: 'Na de verwijdering' })).ok).toBe(true);
    sanne.tc.client.setOnline(true);
    await eventually(
      async () => {
        await ilse.tc.client.tick();
        const l = ilse.tc.client.getLeerling(dossier);
        return l.ok && l.value.achternaam === 'Na de verwijdering';
      },
      'Ilse leest de wijziging van Sanne',
      30_000,
    );

    // Everything Sanne's device sent after the removal is sealed under the new key.
    const stored = await relay.opts.storage.readRecords(room, headBefore, 1000, 16 * 1024 * 1024);
    const fromSanne = stored.map((r) => decodeEnvelope(r.envelope)).filter((e) => e.ok && e.value.header.author === sanneDevice);
    expect(fromSanne.length).toBeGreaterThan(0);
    for (const e of fromSanne) expect(e.ok ? e.value.header.epoch : -1).toBe(newEpoch);
  });
});
