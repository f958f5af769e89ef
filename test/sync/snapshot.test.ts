// Snapshots: a member with write right posts a sealed snapshot; a member who
// comes later starts from it instead of every record, and can still re-verify
// who made each status transition from the events' own signatures [R5].
import { describe, it, expect } from 'vitest';
import { useTestRelay, buildWorld, eventually } from './harness.js';
import { roomOf } from '../../core/access/rooms.js';

const testRelay = useTestRelay();

describe('snapshots', () => {
  it('a member who joins later starts from the snapshot and still sees signed, attributable status history', async () => {
    const relay = await testRelay();
    const { beheerder, members } = await buildWorld(relay.url, [
      { naam: 'Ilse Bakker', functie: 'IB', organisation: { naam: 'OBS Eik', kind: 'school' }, roles: ['intern-begeleider'] },
      { naam: 'Cor Visser', functie: 'coördinator', organisation: { naam: 'SWV', kind: 'swv' }, roles: ['swv-coordinator', 'swv-loket'] },
    ]);
    const [ib, coo] = members as [(typeof members)[0], (typeof members)[0]];
    coo.tc.client.setOnline(false);
    const d = await ib.tc.client.createDossier({
      voornaam: 'Sam',
      achternaam: 'Snapshotter',
      geboortedatum: '2013-01-01',
      adressen: [],
      ouders: [],
    });
    if (!d.ok) throw new Error(d.error.message);
    // Schakelvoorziening: indienen needs no signed form (002), so this test stays about sync alone [R48].
    const h = await ib.tc.client.createHulpvraag(d.value, { titel: 'Schakelvoorziening', omschrijving: 'Start' });
    if (!h.ok) throw new Error(h.error.message);
    expect((await ib.tc.client.changeStatus(d.value, h.value, 'SV aanvraag indienen')).ok).toBe(true);
    const EDITS = 120;
    for (let i = 0; i < EDITS; i++)
      expect((await ib.tc.client.updateHulpvraag(d.value, h.value, { labels: [`ronde-${i}`] })).ok).toBe(true);
    expect((await ib.tc.client.flush(30_000)).ok).toBe(true);
    await ib.tc.client.tick();
    expect((await ib.tc.client.flush(30_000)).ok).toBe(true);
    const room = roomOf(d.value, `hulpvraag:${h.value}`);
    const head = await ib.tc.client.localStore.cursor(room);
    expect(head).toBeGreaterThan(EDITS);
    await ib.tc.client.snapshotNow(d.value);
    await new Promise((r) => setTimeout(r, 500));

    coo.tc.client.setOnline(true);
    await eventually(async () => {
      await coo.tc.client.tick();
      await coo.tc.client.refreshViews();
      const v = coo.tc.client.getHulpvraag(d.value, h.value);
      return v.ok && v.value.labels[0] === `ronde-${EDITS - 1}` && v.value.status === 'SV aanvraag indienen';
    }, 'coördinator heeft de hulpvraag');
    // Started from the snapshot: far fewer records on the device than the room holds.
    const stored = await coo.tc.client.localStore.countReceived(room);
    expect(stored).toBeLessThan(EDITS / 2);
    const v = coo.tc.client.getHulpvraag(d.value, h.value);
    if (!v.ok) throw new Error(v.error.message);
    expect(v.value.history).toHaveLength(1);
    expect(v.value.history[0]?.actorNaam).toBe('Ilse Bakker');
    expect(v.value.history[0]?.geverifieerd).toBe(true);
    console.log(`momentopname: ${head} records in de ruimte, nieuw lid ontving er ${stored} plus de momentopname`);
    for (const c of [beheerder, ib.tc, coo.tc]) await c.client.close();
  }, 90_000);
});
