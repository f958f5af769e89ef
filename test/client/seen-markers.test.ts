// [R116, P16] Members compare what the relay showed them through signed seen
// markers. A hostile relay (a proxy on 127.0.0.1 in front of the real relay)
// hides one record from Sanne, or hands her two records in each other's place;
// Ilse's markers name the record she received, so Sanne's dossier says so
// within one sync. With honest delivery the same markers raise nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roomOf } from '../../core/access/rooms.js';
import { FORK_WARNING, HIDDEN_WARNING } from '../../core/client/client-seen.js';
import { seenMarkerOf } from '../../core/sync/protocol-seen.js';
import type { DossierId } from '../../core/model/ids.js';
import { eventually, joinMember, type Member } from '../sync/harness.js';
import { LEERLING, startWorld, type World } from './dossier-world.js';
import { startWithholdingRelay, type WithholdingRelay } from './withholding-relay.js';

let world: World;
let proxy: WithholdingRelay;
let ilse: Member, jan: Member, sanne: Member;

const IB = (naam: string) => ({
  naam,
  functie: 'intern begeleider',
  organisation: { naam: 'OBS De Linde', kind: 'school' as const },
  roles: ['intern-begeleider' as const],
  seenMarkerIntervalMs: 0,
});

const warnings = async (m: Member, dossier: DossierId): Promise<readonly string[]> => {
  await m.tc.client.tick();
  const d = await m.tc.client.openDossier(dossier);
  return d.ok ? d.value.waarschuwingen : [];
};

/** A dossier all three have open and read, and the leerling room's head at the relay. */
async function sharedDossier(voornaam: string): Promise<{ dossier: DossierId; room: string }> {
  const d = await ilse.tc.client.createDossier({ ...LEERLING, voornaam });
  if (!d.ok) throw new Error(d.error.message);
  expect((await ilse.tc.client.flush(15_000)).ok).toBe(true);
  for (const m of [ilse, jan, sanne]) {
    await eventually(async () => {
      await m.tc.client.tick();
      await m.tc.client.openDossier(d.value);
      const l = m.tc.client.getLeerling(d.value);
      return l.ok && l.value.voornaam === voornaam;
    }, `${m.naam} leest ${voornaam}`);
  }
  return { dossier: d.value, room: roomOf(d.value, 'leerling') };
}

/** Jan writes twice; Ilse receives both and marks what she saw. */
async function janWritesTwiceIlseMarks(dossier: DossierId): Promise<void> {
  expect((await jan.tc.client.updateLeerling(dossier, { achternaam: 'Eerste' })).ok).toBe(true);
  expect((await jan.tc.client.flush(15_000)).ok).toBe(true);
  expect((await jan.tc.client.updateLeerling(dossier, { achternaam: 'Tweede' })).ok).toBe(true);
  expect((await jan.tc.client.flush(15_000)).ok).toBe(true);
  await eventually(async () => {
    await ilse.tc.client.tick();
    const l = ilse.tc.client.getLeerling(dossier);
    return l.ok && l.value.achternaam === 'Tweede';
  }, 'Ilse ziet beide wijzigingen');
  // Her tick with the second change received sends the marker naming it.
  await ilse.tc.client.tick();
  expect((await ilse.tc.client.flush(15_000)).ok).toBe(true);
}

beforeAll(async () => {
  world = await startWorld([IB('Ilse Bakker'), IB('Jan de Wit')]);
  [ilse, jan] = world.members as [Member, Member];
  proxy = await startWithholdingRelay(world.relay.url);
  (world.relay.running.relay.opts.origins as string[]).push(proxy.url);
  // Sanne reaches the relay only through the proxy.
  sanne = await joinMember(world.beheerder, proxy.url, IB('Sanne Smit'));
  world.members.push(sanne);
  for (const m of [ilse, jan]) {
    await eventually(async () => {
      await m.tc.client.tick();
      return m.tc.client.directory().some((p) => p.userId === sanne.userId);
    }, `${m.naam} kent Sanne`);
  }
}, 180_000);

afterAll(async () => {
  await world?.close();
  await proxy?.stop();
});

describe('seen markers expose a relay that shows members different logs [R116]', () => {
  it('honest delivery: markers flow and nobody is warned', async () => {
    const { dossier, room } = await sharedDossier('Eerlijk');
    await janWritesTwiceIlseMarks(dossier);
    const head = await world.relay.running.relay.opts.storage.headSeq(room);
    await eventually(async () => {
      await sanne.tc.client.tick();
      const l = sanne.tc.client.getLeerling(dossier);
      return l.ok && l.value.achternaam === 'Tweede' && (await world.relay.running.relay.opts.storage.headSeq(room)) >= head;
    }, 'Sanne ziet alles');
    // Ilse's marker is in the log (the relay checked its hash against its own record, P8.8), reached Sanne, and raised nothing.
    const stored = await world.relay.running.relay.opts.storage.readRecords(room, 0, 1000, 64 * 1024 * 1024);
    const markers = stored.flatMap((r) => seenMarkerOf(r.seq, r.envelope) ?? []);
    expect(markers.some((m) => m.author === ilse.tc.client.me()?.deviceId && m.headHash !== undefined)).toBe(true);
    await new Promise((r) => setTimeout(r, 500));
    expect(await warnings(sanne, dossier)).toEqual([]);
    expect(await warnings(jan, dossier)).toEqual([]);
  }, 120_000);

  it('a record hidden from one member is shown as withheld once another member’s marker names it', async () => {
    const { dossier, room } = await sharedDossier('Verborgen');
    const relay = world.relay.running.relay;
    proxy.hideOne(room, (await relay.opts.storage.headSeq(room)) + 1);
    await janWritesTwiceIlseMarks(dossier);
    await eventually(
      async () => (await warnings(sanne, dossier)).includes(HIDDEN_WARNING),
      'Sanne ziet dat iets achtergehouden wordt',
      30_000,
    );
    // Without the hidden record her copy lags: the warning is what tells her.
    const l = sanne.tc.client.getLeerling(dossier);
    expect(l.ok && l.value.achternaam).not.toBe('Tweede');
    expect(await warnings(ilse, dossier)).toEqual([]);
  }, 120_000);

  it('two records handed over in each other’s place (a fork) are shown once another member’s marker names one', async () => {
    const { dossier, room } = await sharedDossier('Gevorkt');
    const relay = world.relay.running.relay;
    proxy.swap(room, (await relay.opts.storage.headSeq(room)) + 1);
    await janWritesTwiceIlseMarks(dossier);
    await eventually(async () => (await warnings(sanne, dossier)).includes(FORK_WARNING), 'Sanne ziet een andere versie', 30_000);
    expect(await warnings(ilse, dossier)).toEqual([]);
  }, 120_000);
});
