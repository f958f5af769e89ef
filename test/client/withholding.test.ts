// A relay that hides the record removing a member from one writer: the writer
// keeps sealing under the old key (which the removed member still holds), and
// the colluding relay stores those writes. Within one sync the writer sees that
// records arrive under a key period it never got, and a reader sees the write
// was made behind the removal [R40, R41]. The hostile relay is a proxy on
// 127.0.0.1 in front of the real relay (test/client/withholding-relay.ts),
// which itself lets the writer's old-epoch appends through (a test-only tamper).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roomOf } from '../../core/access/rooms.js';
import { BEHIND_REMOVAL_WARNING, WITHHELD_WARNING } from '../../core/client/client-trust.js';
import type { DossierId } from '../../core/model/ids.js';
import { ok } from '../../core/result.js';
import { eventually, joinMember, type Member } from '../sync/harness.js';
import { LEERLING, startWorld, type World } from './dossier-world.js';
import { startWithholdingRelay, type WithholdingRelay } from './withholding-relay.js';

let world: World;
let proxy: WithholdingRelay;
let ilse: Member, olga: Member, sanne: Member;
let dossier: DossierId;

const warnings = async (m: Member): Promise<readonly string[]> => {
  await m.tc.client.tick();
  const d = await m.tc.client.openDossier(dossier);
  return d.ok ? d.value.waarschuwingen : [];
};

beforeAll(async () => {
  world = await startWorld([
    {
      naam: 'Ilse Bakker',
      functie: 'intern begeleider',
      organisation: { naam: 'OBS De Linde', kind: 'school' },
      roles: ['intern-begeleider'],
    },
    { naam: 'Olga Smit', functie: 'ouder', organisation: { naam: 'Ouders', kind: 'ouders' }, roles: ['ouder'] },
  ]);
  [ilse, olga] = world.members as [Member, Member];
  proxy = await startWithholdingRelay(world.relay.url);
  // Clients sign the relay address they log in to: the relay also answers to the proxy's.
  (world.relay.running.relay.opts.origins as string[]).push(proxy.url);
  // Sanne, a second IB of the school, reaches the relay only through the proxy.
  sanne = await joinMember(world.beheerder, proxy.url, {
    naam: 'Sanne Smit',
    functie: 'intern begeleider',
    organisation: { naam: 'OBS De Linde', kind: 'school' },
    roles: ['intern-begeleider'],
  });
  world.members.push(sanne);
  await eventually(async () => {
    await ilse.tc.client.tick();
    return ilse.tc.client.directory().some((p) => p.userId === sanne.userId);
  }, 'Ilse kent Sanne');
  const d = await ilse.tc.client.createDossier(LEERLING);
  if (!d.ok) throw new Error(d.error.message);
  dossier = d.value;
  expect((await ilse.tc.client.grant(dossier, { userId: olga.userId, scopes: ['leerling'], rights: ['read'], expiresAt: null })).ok).toBe(
    true,
  );
  expect((await ilse.tc.client.flush(15_000)).ok).toBe(true);
  for (const m of [sanne, olga]) {
    await eventually(async () => {
      await m.tc.client.tick();
      const l = m.tc.client.getLeerling(dossier);
      return l.ok && l.value.voornaam === LEERLING.voornaam;
    }, `${m.naam} leest de leerling`);
  }
}, 180_000);

afterAll(async () => {
  await world?.close();
  await proxy?.stop();
});

describe('a withheld removal is noticed', () => {
  it('[R40, R41] the writer kept behind and a reader both show it within one sync', async () => {
    const toegang = roomOf(dossier, 'toegang');
    const relay = world.relay.running.relay;
    // The relay hides everything from the next access record on from Sanne, and stores her old-key writes.
    proxy.withhold(toegang, (await relay.opts.storage.headSeq(toegang)) + 1);
    const device = sanne.tc.client.me()?.deviceId;
    const honest = relay.opts.policy.checkRecord.bind(relay.opts.policy);
    relay.opts.policy.checkRecord = (a, d, room, kind, epoch, now) =>
      d.deviceId === device ? ok(undefined) : honest(a, d, room, kind, epoch, now);

    expect(await warnings(ilse)).toEqual([]);
    expect(await warnings(sanne)).toEqual([]);
    // Ilse removes Olga (one record: revoke and a new leerling key) and writes under the new key.
    expect((await ilse.tc.client.revoke(dossier, olga.userId)).ok).toBe(true);
    expect((await ilse.tc.client.flush(15_000)).ok).toBe(true);
    expect((await ilse.tc.client.updateLeerling(dossier, { achternaam: 'Na de verwijdering' })).ok).toBe(true);
    expect((await ilse.tc.client.flush(15_000)).ok).toBe(true);
    // Sanne never got the removal: she writes under the old key, which Olga still holds.
    expect((await sanne.tc.client.updateLeerling(dossier, { voornaam: 'Fenne' })).ok).toBe(true);
    expect((await sanne.tc.client.flush(15_000)).ok).toBe(true);

    await eventually(async () => (await warnings(sanne)).includes(WITHHELD_WARNING), 'Sanne ziet dat de relay iets achterhoudt');
    await eventually(
      async () => (await warnings(ilse)).includes(BEHIND_REMOVAL_WARNING),
      'Ilse ziet dat Sanne achter een verwijdering schreef',
    );
  });
});
