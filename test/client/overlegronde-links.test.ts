// Overlegronde messages through the real client against a real relay on
// 127.0.0.1: links are refused with a reason (seed 000), plain messages with
// @mentions of participants go through.
import { describe, expect, it } from 'vitest';
import { useTestRelay, buildWorld, type Member } from '../sync/harness.js';
import { BESTUUR, readyToSubmit } from './indienen-world.js';

const testRelay = useTestRelay();

describe('overlegronde messages in the client', () => {
  it('refuses links in titel or tekst with a Dutch reason and stores nothing, but posts a message with an @mention', async () => {
    const relay = await testRelay();
    const { members } = await buildWorld(relay.url, [
      { naam: 'Ilse Bakker', functie: 'IB', organisation: { naam: 'OBS De Linde', kind: 'school' }, roles: ['intern-begeleider'] },
      { naam: 'Cor Visser', functie: 'coördinator', organisation: { naam: 'SWV Links', kind: 'swv' }, roles: ['swv-coordinator'] },
      BESTUUR,
    ]);
    const [ib, coo, bestuur] = members as [Member, Member, Member];
    const d = await ib.tc.client.createDossier({
      voornaam: 'Fenna',
      achternaam: 'Linkerhand',
      geboortedatum: '2013-04-05',
      adressen: [],
      ouders: [],
    });
    if (!d.ok) throw new Error(d.error.message);
    const hv = await ib.tc.client.createHulpvraag(d.value, { titel: 'TLV VSO', omschrijving: 'Overleg over ondersteuning' });
    if (!hv.ok) throw new Error(hv.error.message);
    await readyToSubmit(ib, bestuur, d.value, hv.value);
    const st = await ib.tc.client.changeStatus(d.value, hv.value, 'TLV aanvraag indienen');
    if (!st.ok) throw new Error(st.error.message);
    const or = await ib.tc.client.startOverlegronde(d.value, hv.value, {
      titel: 'Overleg',
      omschrijving: 'Afstemmen',
      einddatum: new Date(Date.now() + 7 * 86_400_000).toISOString(),
      deelnemers: [coo.userId],
    });
    if (!or.ok) throw new Error(or.error.message);

    for (const [titel, tekst] of [
      ['Verslag', 'Zie www.voorbeeld.nl voor het verslag'],
      ['Verslag', 'Het plan staat op schooldrive.nl/plan-2026'],
      ['https://teams.example.com/meet', 'Doe mee'],
    ] as const) {
      const r = await ib.tc.client.postMessage(d.value, or.value, titel, tekst);
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.code).toBe('bericht-bevat-link');
        expect(r.error.message).toMatch(/link/);
      }
    }
    const good = await ib.tc.client.postMessage(d.value, or.value, 'Vraag', `Kun jij kijken, @${coo.handle}?`);
    expect(good.ok).toBe(true);
    const view = ib.tc.client.getOverlegronde(d.value, or.value);
    if (!view.ok) throw new Error(view.error.message);
    const berichten = JSON.stringify(view.value);
    expect(berichten).not.toMatch(/voorbeeld\.nl|schooldrive|teams\.example/);
    expect(berichten).toMatch(/Kun jij kijken/);
  });

  it('advises against more overlegronden once a dossier has three running, and counts an ended one no more (seed 000)', async () => {
    const relay = await testRelay();
    const { members } = await buildWorld(relay.url, [
      { naam: 'Ilse Bakker', functie: 'IB', organisation: { naam: 'OBS De Linde', kind: 'school' }, roles: ['intern-begeleider'] },
      { naam: 'Cor Visser', functie: 'coördinator', organisation: { naam: 'SWV Links', kind: 'swv' }, roles: ['swv-coordinator'] },
    ]);
    const [ib, coo] = members as [Member, Member];
    const d = await ib.tc.client.createDossier({
      voornaam: 'Fenna',
      achternaam: 'Rondeel',
      geboortedatum: '2013-04-05',
      adressen: [],
      ouders: [],
    });
    if (!d.ok) throw new Error(d.error.message);
    const hv = await ib.tc.client.createHulpvraag(d.value, { titel: 'BaO-BaO overleg', omschrijving: 'Overleg over ondersteuning' });
    if (!hv.ok) throw new Error(hv.error.message);
    for (let i = 1; i <= 3; i++) {
      expect(ib.tc.client.overlegrondenStand(d.value)).toEqual({ ok: true, value: { lopend: i - 1, advies: null } });
      const or = await ib.tc.client.startOverlegronde(d.value, hv.value, {
        titel: `Overleg ${i}`,
        omschrijving: 'Afstemmen',
        einddatum: new Date(Date.now() + 7 * 86_400_000).toISOString(),
        deelnemers: [coo.userId],
      });
      if (!or.ok) throw new Error(or.error.message);
    }
    const veel = ib.tc.client.overlegrondenStand(d.value);
    expect(veel.ok && veel.value.lopend).toBe(3);
    expect(veel.ok && veel.value.advies).toMatch(/al 3 lopende overlegronden/);
    // An end status closes the hulpvraag's rondes: the count goes down again.
    const einde = await ib.tc.client.changeStatus(d.value, hv.value, 'BaO-BaO overleg afgerond');
    if (!einde.ok) throw new Error(einde.error.message);
    expect(ib.tc.client.overlegrondenStand(d.value)).toEqual({ ok: true, value: { lopend: 0, advies: null } });
  });
});
