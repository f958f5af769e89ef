// Whose school a hulpvraag is decides whose IB moves it, who reads it as "eigen school" and whose
// bevoegd gezag signs its forms. Any writer of the hulpvraag can write the document's `schoolId`;
// a partnerschool that writes its own organisation there must gain nothing: the school is the
// dossier's owner in the signed access list [R126]. BaO-BaO on a real relay on 127.0.0.1; the
// attacker is the partnerschool's own client writing the field directly.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HulpvraagId } from '../../core/model/ids.js';
import { mutate } from '../../core/client/client-rooms.js';
import { eventually, type Member } from '../sync/harness.js';
import { internals, startWorld, type World } from './dossier-world.js';
import { ProcessWalk } from './process-walk.js';

const GESTART = 'BaO-BaO overleg gestart';

let world: World;
let ilse: Member, paul: Member;
let walk: ProcessWalk;
let hv: HulpvraagId;

beforeAll(async () => {
  world = await startWorld([
    { naam: 'Ilse Bakker', functie: 'intern begeleider', organisation: { naam: 'OBS De Linde', kind: 'school' }, roles: ['intern-begeleider'] },
    { naam: 'Paul Partner', functie: 'intern begeleider', organisation: { naam: 'OBS De Wilg', kind: 'school' }, roles: ['intern-begeleider'] },
  ]);
  [ilse, paul] = world.members as [Member, Member];
  walk = await ProcessWalk.open(ilse, 'BaO-BaO overleg');
  hv = await walk.nieuw('Overleg over een mogelijke overstap', [{ organisationId: walk.orgOf(paul), relatie: 'partnerschool' }]);
  await walk.naar(ilse, hv, GESTART, { omschrijving: 'Overleg met OBS De Wilg; ouders gaven toestemming op het formulier.' });
  await eventually(async () => (await walk.status(paul, hv)) === GESTART, 'partnerschool leest de hulpvraag', 30_000);
}, 180_000);

afterAll(async () => {
  await world?.close();
});

describe('the school of a hulpvraag', () => {
  it('[R126] a partnerschool that writes its own organisation as the hulpvraag\'s school gains no school role there', async () => {
    expect(await walk.moves(paul, hv)).toEqual([]);
    const pc = internals(paul.tc);
    const pst = pc.dossiers.get(walk.dossier);
    if (!pst) throw new Error('dossier ontbreekt bij de partnerschool');
    const w = await mutate(pc, pst, `hulpvraag:${hv}`, (doc) => doc.getMap('meta').set('schoolId', walk.orgOf(paul)));
    if (!w.ok) throw new Error(w.error.message);
    expect((await paul.tc.client.flush(30_000)).ok).toBe(true);
    await eventually(async () => {
      await walk.sync(ilse);
      return internals(ilse.tc).dossiers.get(walk.dossier)?.docs.get(`hulpvraag:${hv}`)?.doc.getMap('meta').get('schoolId') === walk.orgOf(paul);
    }, 'het vervalste veld komt bij de school aan', 30_000);
    await ilse.tc.client.tick();
    expect((await ilse.tc.client.flush(30_000)).ok).toBe(true);
    // The partnerschool's IB still moves nothing, on its own client and as the school's client judges it.
    expect(await walk.moves(paul, hv)).toEqual([]);
    await walk.geweigerd(paul, hv, 'BaO-BaO overleg afgerond');
    // And the owning school's IB still does.
    expect((await walk.moves(ilse, hv)).length).toBeGreaterThan(0);
  });
});
