// A device that subscribes to a dossier's rooms before the relay has stored the
// access record that opens them (a dossier created offline, a new hulpvraag)
// is refused "dossier-onbekend"/"geen-toegang" for the moment. It must
// subscribe again, or it never hears anyone else's changes in those rooms.
// Real relay on 127.0.0.1.
import { describe, it, expect } from 'vitest';
import { useTestRelay, buildWorld, eventually } from './harness.js';

const testRelay = useTestRelay();

describe('subscriptions refused as too early are made again', () => {
  it("an IB who filed a dossier offline still receives the coördinator's status change after reconnecting", async () => {
    const relay = await testRelay();
    const { beheerder, members } = await buildWorld(relay.url, [
      { naam: 'Ilse Bakker', functie: 'IB', organisation: { naam: 'OBS Eik', kind: 'school' }, roles: ['intern-begeleider'] },
      { naam: 'Cor Visser', functie: 'coördinator', organisation: { naam: 'SWV', kind: 'swv' }, roles: ['swv-coordinator'] },
    ]);
    const [ib, coo] = members as [(typeof members)[0], (typeof members)[0]];
    // Offline: on reconnect the IB subscribes to every room at once, before its genesis record is stored.
    ib.tc.client.setOnline(false);
    const d = await ib.tc.client.createDossier({
      voornaam: 'Fenna',
      achternaam: 'Vroegdijk',
      geboortedatum: '2012-02-02',
      adressen: [],
      ouders: [],
    });
    if (!d.ok) throw new Error(d.error.message);
    // Schakelvoorziening: indienen needs no signed form (002), so this test stays about sync alone [R48].
    const h = await ib.tc.client.createHulpvraag(d.value, { titel: 'Schakelvoorziening', omschrijving: 'Extra ondersteuning nodig' });
    if (!h.ok) throw new Error(h.error.message);
    expect((await ib.tc.client.changeStatus(d.value, h.value, 'SV aanvraag indienen')).ok).toBe(true);
    ib.tc.client.setOnline(true);
    expect((await ib.tc.client.flush(15_000)).ok).toBe(true);
    await ib.tc.client.tick();
    expect((await ib.tc.client.flush(15_000)).ok).toBe(true);

    await eventually(async () => {
      await coo.tc.client.tick();
      await coo.tc.client.refreshViews();
      const v = coo.tc.client.getHulpvraag(d.value, h.value);
      return v.ok && v.value.status === 'SV aanvraag indienen';
    }, 'de coördinator ziet de ingediende hulpvraag');
    expect((await coo.tc.client.changeStatus(d.value, h.value, 'SV vragen gesteld', 'Graag het OPP toevoegen.')).ok).toBe(true);
    expect((await coo.tc.client.flush(10_000)).ok).toBe(true);

    // Without ticking the IB: the live subscription alone must bring the change.
    await eventually(async () => {
      await ib.tc.client.refreshViews();
      const v = ib.tc.client.getHulpvraag(d.value, h.value);
      return v.ok && v.value.status === 'SV vragen gesteld';
    }, 'de IB ziet de vragen van de coördinator');
    // Drafts of no dossier (remembered list filters, read markers) survive the tick's clean-up of lost dossiers.
    await ib.tc.client.saveDraft('lijst-filters', null, '{"status":"SV vragen gesteld"}');
    await ib.tc.client.tick();
    await ib.tc.client.tick();
    expect(await ib.tc.client.loadDraft('lijst-filters')).toBe('{"status":"SV vragen gesteld"}');
    for (const c of [beheerder, ib.tc, coo.tc]) await c.client.close();
  });
});
