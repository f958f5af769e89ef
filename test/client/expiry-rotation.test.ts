// No expiry gap: once a grant has expired, the next change is not sealed under
// a key the expired member still holds. The writer rotates the scope itself to
// exactly the entitled members (the relay checks the boxes), without waiting
// for an admin device [R42]. Real relay on 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toHex } from '../../core/crypto/bytes.js';
import { decodeEnvelope } from '../../core/crypto/envelope.js';
import { currentEpoch } from '../../core/access/dossier-access.js';
import { roomOf } from '../../core/access/rooms.js';
import type { DossierId } from '../../core/model/ids.js';
import { eventually, type Member } from '../sync/harness.js';
import { internals, LEERLING, startWorld, type World } from './dossier-world.js';

let world: World;
let ilse: Member, wim: Member, olga: Member;
let dossier: DossierId;
let expiresAt: number;

beforeAll(async () => {
  world = await startWorld([
    {
      naam: 'Ilse Bakker',
      functie: 'intern begeleider',
      organisation: { naam: 'OBS De Linde', kind: 'school' },
      roles: ['intern-begeleider'],
    },
    { naam: 'Wim Jansen', functie: 'jeugdconsulent', organisation: { naam: 'Jeugdteam', kind: 'zorgpartner' }, roles: ['regierolhouder'] },
    { naam: 'Olga Smit', functie: 'ouder', organisation: { naam: 'Ouders', kind: 'ouders' }, roles: ['ouder'] },
  ]);
  [ilse, wim, olga] = world.members as [Member, Member, Member];
  const d = await ilse.tc.client.createDossier(LEERLING);
  if (!d.ok) throw new Error(d.error.message);
  dossier = d.value;
  expiresAt = Date.now() + 5_000;
  expect(
    (await ilse.tc.client.grant(dossier, { userId: wim.userId, scopes: ['leerling'], rights: ['read', 'write'], expiresAt: null })).ok,
  ).toBe(true);
  expect(
    (
      await ilse.tc.client.grant(dossier, {
        userId: olga.userId,
        scopes: ['leerling'],
        rights: ['read'],
        expiresAt: new Date(expiresAt).toISOString(),
      })
    ).ok,
  ).toBe(true);
  expect((await ilse.tc.client.flush(15_000)).ok).toBe(true);
  for (const m of [wim, olga]) {
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

describe('no expiry gap', () => {
  it('[R42] after a grant expires a writer seals nothing new under a key the expired member holds, with no admin online', async () => {
    // The only admin device goes offline before the grant ends.
    await ilse.tc.client.lock();
    await new Promise((r) => setTimeout(r, Math.max(0, expiresAt - Date.now() + 300)));
    expect((await wim.tc.client.updateLeerling(dossier, { achternaam: 'Na het verlopen' })).ok).toBe(true);
    expect((await wim.tc.client.flush(15_000)).ok).toBe(true);

    const room = roomOf(dossier, 'leerling');
    const device = wim.tc.client.me()?.deviceId;
    const stored = await world.relay.running.relay.opts.storage.readRecords(room, 0, 10_000, Number.MAX_SAFE_INTEGER);
    const last = stored
      .map((r) => decodeEnvelope(r.envelope))
      .flatMap((e) => (e.ok && e.value.header.author === device && e.value.header.kind === 'update' ? [e.value] : []))
      .at(-1);
    expect(last).toBeDefined();
    // The epoch Wim sealed under was not given to Olga's key (the access list as the relay ordered it).
    const olgaKey = toHex(internals(olga.tc).id?.chain.user.body.agreementKey ?? new Uint8Array());
    await eventually(async () => {
      await wim.tc.client.tick();
      return (
        internals(wim.tc)
          .dossiers.get(dossier)
          ?.confirmed?.scopes.get('leerling')
          ?.epochs.some((e) => e.epoch === last?.header.epoch) === true
      );
    }, 'Wim kent de sleutelperiode van zijn wijziging');
    const info = internals(wim.tc).dossiers.get(dossier)?.confirmed?.scopes.get('leerling');
    const epoch = info?.epochs.find((e) => e.epoch === last?.header.epoch);
    expect(epoch?.holders).not.toContain(olgaKey);
    expect(currentEpoch(info)?.epoch).toBe(last?.header.epoch);
  });
});
