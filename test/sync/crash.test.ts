// A tab that dies between an edit and the relay's acknowledgement loses
// nothing: the sealed outbox survives and the reopened client sends it [P9].
// Also: the local database holds no plaintext leerling name afterwards [R1].
import { describe, it, expect } from 'vitest';
import { IDBKeyRange } from 'fake-indexeddb';
import { useTestRelay, buildWorld, eventually, newClient, PASS } from './harness.js';
import { scanDatabaseForMarker } from '../../core/store/marker-scan.js';

const testRelay = useTestRelay();

describe('crash between edit and acknowledgement', () => {
  it('keeps the sealed change and delivers it after reopening from the same database', async () => {
    const relay = await testRelay();
    const { beheerder, members } = await buildWorld(relay.url, [
      { naam: 'Ilse Bakker', functie: 'IB', organisation: { naam: 'OBS Eik', kind: 'school' }, roles: ['intern-begeleider'] },
      { naam: 'Cor Visser', functie: 'coördinator', organisation: { naam: 'SWV', kind: 'swv' }, roles: ['swv-coordinator', 'swv-loket'] },
    ]);
    const [ib, coo] = members as [(typeof members)[0], (typeof members)[0]];
    const d = await ib.tc.client.createDossier({
      voornaam: 'Noor',
      achternaam: 'Crashbestendig',
      geboortedatum: '2013-01-01',
      adressen: [],
      ouders: [],
    });
    if (!d.ok) throw new Error(d.error.message);
    // Schakelvoorziening: indienen needs no signed form (002), so this test stays about sync alone [R48].
    const h = await ib.tc.client.createHulpvraag(d.value, { titel: 'Schakelvoorziening', omschrijving: 'Start' });
    if (!h.ok) throw new Error(h.error.message);
    expect((await ib.tc.client.changeStatus(d.value, h.value, 'SV aanvraag indienen')).ok).toBe(true);
    expect((await ib.tc.client.flush(15_000)).ok).toBe(true);
    await ib.tc.client.tick();
    expect((await ib.tc.client.flush(15_000)).ok).toBe(true);

    // Offline edit, then the context dies without flushing.
    ib.tc.client.setOnline(false);
    expect((await ib.tc.client.updateHulpvraag(d.value, h.value, { omschrijving: 'Geschreven vlak voor de crash' })).ok).toBe(true);
    expect((await ib.tc.client.localStore.pending()).length).toBeGreaterThan(0);
    await ib.tc.client.close();

    const reopened = await newClient(relay.url, { factory: ib.tc.factory, dbName: ib.tc.dbName });
    expect((await reopened.client.unlock(PASS)).ok).toBe(true);
    const local = reopened.client.getHulpvraag(d.value, h.value);
    expect(local.ok && local.value.omschrijving).toBe('Geschreven vlak voor de crash');
    expect((await reopened.client.flush(15_000)).ok).toBe(true);
    await eventually(async () => {
      await coo.tc.client.tick();
      const v = coo.tc.client.getHulpvraag(d.value, h.value);
      return v.ok && v.value.omschrijving === 'Geschreven vlak voor de crash';
    }, 'coördinator ziet de wijziging van voor de crash');

    await reopened.client.listHulpvragen();
    for (const marker of ['Crashbestendig', 'Noor Crashbestendig']) {
      const rep = await scanDatabaseForMarker(ib.tc.dbName, { indexedDB: ib.tc.factory, IDBKeyRange }, marker);
      expect(rep.records).toBeGreaterThan(10);
      expect(rep.hits).toEqual([]);
    }
    for (const c of [beheerder, coo.tc, reopened]) await c.client.close();
  }, 60_000);
});
