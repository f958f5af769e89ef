// The SWV's privacy officer (FG) oversees every dossier's access list — who can
// read which part until when, who opened it — without reading any content
// (DESIGN §8; issue 7's privacy view). Real relay on 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import type { DossierId, HulpvraagId } from '../../core/model/ids.js';
import { eventually, joinMember, type Member } from '../sync/harness.js';
import { fileHulpvraag, startWorld, type World } from './dossier-world.js';

let world: World;
let ilse: Member, fg: Member;
let dossier: DossierId;
let hv: HulpvraagId;

beforeAll(async () => {
  world = await startWorld([
    {
      naam: 'Ilse Bakker',
      functie: 'intern begeleider',
      organisation: { naam: 'OBS De Linde', kind: 'school' },
      roles: ['intern-begeleider'],
    },
    {
      naam: 'Fien Gerritsen',
      functie: 'functionaris gegevensbescherming',
      organisation: { naam: 'SWV Noord', kind: 'swv' },
      roles: ['privacy-officer'],
    },
  ]);
  [ilse, fg] = world.members as [Member, Member];
  // The FG is offline while the dossier is made and opened: its first fetch then holds the access
  // records and the sealed "geopend" event in one batch (the event needs a key from those records).
  fg.tc.client.setOnline(false);
  ({ dossier, hv } = await fileHulpvraag(ilse, 'TLV VSO', 'Lopende aanvraag'));
  await ilse.tc.client.openDossier(dossier);
  expect((await ilse.tc.client.flush(30_000)).ok).toBe(true);
  fg.tc.client.setOnline(true);
}, 120_000);

afterAll(async () => {
  await world?.close();
});

describe('the privacy officer sees who can read what, never the content', () => {
  it('the FG holds the access list and log of a new dossier, but not the leerling, the hulpvraag or its forms', async () => {
    let laatste = '';
    onTestFailed(() => console.error('laatste stand bij de FG:', laatste));
    await eventually(
      async () => {
        await ilse.tc.client.tick();
        await fg.tc.client.tick();
        const r = fg.tc.client.whoCanRead(dossier);
        // The IB's "geopend" event is sealed and sent in the background: it arrives in its own time.
        const log = fg.tc.client.accessLog(dossier);
        laatste = JSON.stringify({
          lezers: r.ok ? r.value.map((x) => x.naam) : r.error.code,
          log: log.ok ? log.value.map((e) => e.action) : log.error.code,
        });
        return (
          r.ok &&
          r.value.some((x) => x.userId === ilse.userId) &&
          log.ok &&
          log.value.some((e) => e.action === 'geopend' && e.actor === ilse.userId)
        );
      },
      'FG ziet wie kan lezen en wie opende',
      30_000,
    );
    const mij = fg.tc.client.whoCanRead(dossier);
    const fgRegel = mij.ok ? mij.value.find((x) => x.userId === fg.userId) : undefined;
    expect(fgRegel?.scopes).toEqual(['toegang']);
    expect(fgRegel?.rights).toEqual(['read']);
    expect(fg.tc.client.getLeerling(dossier).ok).toBe(false);
    expect(fg.tc.client.getHulpvraag(dossier, hv).ok).toBe(false);
    expect(fg.tc.client.getForm(dossier, hv).ok).toBe(false);
    expect(fg.tc.client.listDossiers().find((d) => d.id === dossier)?.leerlingNaam).toBeNull();
  }, 120_000);

  it('an FG who joins later gets the same oversight of existing dossiers at the school device’s next tick', async () => {
    const fien2 = await joinMember(world.beheerder, world.relay.url, {
      naam: 'Frank Gerrits',
      functie: 'FG',
      organisation: { naam: 'SWV Noord', kind: 'swv' },
      roles: ['privacy-officer'],
    });
    world.members.push(fien2);
    await eventually(async () => {
      await ilse.tc.client.tick();
      await fien2.tc.client.tick();
      const r = fien2.tc.client.whoCanRead(dossier);
      return r.ok && r.value.some((x) => x.userId === ilse.userId);
    }, 'nieuwe FG ziet het dossier');
    expect(fien2.tc.client.getLeerling(dossier).ok).toBe(false);
  }, 120_000);
});
