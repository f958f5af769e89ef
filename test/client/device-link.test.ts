// A second device for the same account: the IB links her home laptop with a
// one-time code. The new device has its own device key (the relay and the
// access log tell the two apart), reads and writes the dossiers the account
// follows, and stores nothing readable. The code works once, not after it
// expires, and not when mistyped. Real relay on 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDBKeyRange } from 'fake-indexeddb';
import { scanDatabaseForMarker } from '../../core/store/marker-scan.js';
import type { DossierId, HulpvraagId } from '../../core/model/ids.js';
import { eventually, newClient, type Member, type TestClient } from '../sync/harness.js';
import { fileHulpvraag, LEERLING, startWorld, type World } from './dossier-world.js';

const THUIS = 'een andere wachtwoordzin voor thuis';
let world: World;
let ilse: Member, sanne: Member;
let dossier: DossierId, hv: HulpvraagId;
const extra: TestClient[] = [];

beforeAll(async () => {
  world = await startWorld([
    { naam: 'Ilse Bakker', functie: 'intern begeleider', organisation: { naam: 'OBS De Linde', kind: 'school' }, roles: ['intern-begeleider'] },
    { naam: 'Sanne Smit', functie: 'intern begeleider', organisation: { naam: 'OBS De Linde', kind: 'school' }, roles: ['intern-begeleider'] },
  ]);
  [ilse, sanne] = world.members as [Member, Member];
  ({ dossier, hv } = await fileHulpvraag(ilse));
}, 120_000);

afterAll(async () => {
  for (const t of extra) await t.client.close();
  await world?.close();
});

describe('linking a second device', () => {
  it('the linked device is the same user with its own device key, reads and writes the dossier, and stores nothing readable', async () => {
    const link = await ilse.tc.client.linkDevice();
    if (!link.ok) throw new Error(link.error.message);
    expect(Date.parse(link.value.geldigTot)).toBeGreaterThan(Date.now());
    const thuis = await newClient(world.relay.url);
    extra.push(thuis);
    const joined = await thuis.client.joinAsLinkedDevice(link.value.code.toLowerCase(), THUIS);
    if (!joined.ok) throw new Error(joined.error.message);
    const school = ilse.tc.client.me();
    expect(joined.value.userId).toBe(school?.userId);
    expect(joined.value.deviceId).not.toBe(school?.deviceId);
    expect(joined.value.recoveryCode.length).toBeGreaterThan(20);

    // It follows the account's dossier without any notification, and opens it with the user's keys.
    await eventually(async () => {
      await thuis.client.tick();
      return thuis.client.getHulpvraag(dossier, hv).ok && thuis.client.getLeerling(dossier).ok;
    }, 'het gekoppelde apparaat leest het dossier');
    const leerling = thuis.client.getLeerling(dossier);
    expect(leerling.ok && leerling.value.achternaam).toBe(LEERLING.achternaam);

    // A change made at home reaches the school laptop and a colleague.
    const tekst = 'Thuis aangevuld na het oudergesprek';
    expect((await thuis.client.updateHulpvraag(dossier, hv, { omschrijving: tekst })).ok).toBe(true);
    expect((await thuis.client.flush(15_000)).ok).toBe(true);
    for (const m of [ilse, sanne]) {
      await eventually(async () => {
        await m.tc.client.tick();
        const h = m.tc.client.getHulpvraag(dossier, hv);
        return h.ok && h.value.omschrijving === tekst;
      }, `${m.naam} ziet de wijziging van thuis`);
    }

    // The new passphrase opens it; nothing readable about the leerling is on its disk.
    await thuis.client.lock();
    expect((await thuis.client.unlock(THUIS)).ok).toBe(true);
    await thuis.client.flush(15_000);
    for (const marker of [LEERLING.voornaam, LEERLING.achternaam]) {
      const scan = await scanDatabaseForMarker(thuis.dbName, { indexedDB: thuis.factory, IDBKeyRange }, marker);
      expect(scan.hits, marker).toEqual([]);
    }
  });

  it('a code works once, and a mistyped or malformed code is refused in Dutch', async () => {
    const link = await ilse.tc.client.linkDevice();
    if (!link.ok) throw new Error(link.error.message);
    const eerste = await newClient(world.relay.url);
    extra.push(eerste);
    expect((await eerste.client.joinAsLinkedDevice(link.value.code, THUIS)).ok).toBe(true);
    const tweede = await newClient(world.relay.url);
    extra.push(tweede);
    const again = await tweede.client.joinAsLinkedDevice(link.value.code, THUIS);
    expect(again.ok ? 'ok' : again.error.code).toBe('koppeling-ongeldig');
    const anders = link.value.code.replace(/^./, (ch) => (ch === '2' ? '3' : '2'));
    const mis = await tweede.client.joinAsLinkedDevice(anders, THUIS);
    expect(mis.ok ? 'ok' : mis.error.code).toBe('geen-koppeling');
    const kapot = await tweede.client.joinAsLinkedDevice('ABC', THUIS);
    expect(kapot.ok ? '' : kapot.error.message).toContain('koppelcode');
    expect(tweede.client.lockState()).toBe('geen-identiteit');
  });

  it('an expired code is refused, and a browser that already has an account cannot take another', async () => {
    const link = await ilse.tc.client.linkDevice();
    if (!link.ok) throw new Error(link.error.message);
    const later = await newClient(world.relay.url, { now: () => new Date(Date.now() + 16 * 60_000) });
    extra.push(later);
    const r = await later.client.joinAsLinkedDevice(link.value.code, THUIS);
    expect(r.ok ? 'ok' : r.error.code).toBe('koppeling-verlopen');
    const al = await sanne.tc.client.joinAsLinkedDevice(link.value.code, THUIS);
    expect(al.ok ? 'ok' : al.error.code).toBe('al-ingesteld');
  });
});
