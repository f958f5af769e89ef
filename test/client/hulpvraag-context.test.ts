// Whose school a hulpvraag is decides whose IB moves it, who reads it as "eigen school" and whose
// bevoegd gezag signs its forms; its coördinator and aanvrager get what the process gives them.
// Any writer of the hulpvraag can write the document's fields; a partnerschool that writes its own
// organisation or its own people there must gain nothing: the school is the dossier's owner in the
// signed access list [R126], the coördinator a signed setting by a dossier admin or the SWV, the
// aanvrager only a person of the owning school [R127]. BaO-BaO on a real relay on 127.0.0.1; the
// attacker is the partnerschool's own client writing the document directly.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HulpvraagId } from '../../core/model/ids.js';
import { dossierSession } from '../../core/client/dossier-session.js';
import { hulpvraagAccessInput } from '../../core/client/client-access.js';
import { pushCoordinator, signCoordinator } from '../../core/client/coordinator-getekend.js';
import { eventually, type Member } from '../sync/harness.js';
import { internals, startWorld, type World } from './dossier-world.js';
import { ProcessWalk } from './process-walk.js';

const GESTART = 'BaO-BaO overleg gestart';

let world: World;
let ilse: Member, paul: Member, cor: Member;
let walk: ProcessWalk;
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
      naam: 'Paul Partner',
      functie: 'intern begeleider',
      organisation: { naam: 'OBS De Wilg', kind: 'school' },
      roles: ['intern-begeleider'],
    },
    { naam: 'Cor Visser', functie: 'coördinator', organisation: { naam: 'SWV Noord', kind: 'swv' }, roles: ['swv-coordinator'] },
  ]);
  [ilse, paul, cor] = world.members as [Member, Member, Member];
  walk = await ProcessWalk.open(ilse, 'BaO-BaO overleg');
  hv = await walk.nieuw('Overleg over een mogelijke overstap', [{ organisationId: walk.orgOf(paul), relatie: 'partnerschool' }]);
  await walk.naar(ilse, hv, GESTART, { omschrijving: 'Overleg met OBS De Wilg; ouders gaven toestemming op het formulier.' });
  await eventually(async () => (await walk.status(paul, hv)) === GESTART, 'partnerschool leest de hulpvraag', 30_000);
}, 180_000);

afterAll(async () => {
  await world?.close();
});

describe('the school of a hulpvraag', () => {
  it("[R126] a partnerschool that writes its own organisation as the hulpvraag's school gains no school role there", async () => {
    expect(await walk.moves(paul, hv)).toEqual([]);
    const pc = internals(paul.tc);
    const pst = pc.dossiers.get(walk.dossier);
    if (!pst) throw new Error('dossier ontbreekt bij de partnerschool');
    const w = await dossierSession(pc, pst).write(`hulpvraag:${hv}`, (doc) => doc.getMap('meta').set('schoolId', walk.orgOf(paul)));
    if (!w.ok) throw new Error(w.error.message);
    expect((await paul.tc.client.flush(30_000)).ok).toBe(true);
    await eventually(
      async () => {
        await walk.sync(ilse);
        return (
          internals(ilse.tc).dossiers.get(walk.dossier)?.docs.get(`hulpvraag:${hv}`)?.doc.getMap('meta').get('schoolId') ===
          walk.orgOf(paul)
        );
      },
      'het vervalste veld komt bij de school aan',
      30_000,
    );
    await ilse.tc.client.tick();
    expect((await ilse.tc.client.flush(30_000)).ok).toBe(true);
    // The partnerschool's IB still moves nothing, on its own client and as the school's client judges it.
    expect(await walk.moves(paul, hv)).toEqual([]);
    await walk.geweigerd(paul, hv, 'BaO-BaO overleg afgerond');
    // And the owning school's IB still does.
    expect((await walk.moves(ilse, hv)).length).toBeGreaterThan(0);
  });

  it('[R127] only a dossier admin or the SWV names the coördinator, and only a person of the owning school is the aanvrager', async () => {
    // The owning school's IB names the SWV coördinator: that counts.
    expect((await ilse.tc.client.updateHulpvraag(walk.dossier, hv, { coordinator: cor.userId })).ok).toBe(true);
    expect((await ilse.tc.client.flush(30_000)).ok).toBe(true);
    const coordinatorBij = async (m: Member): Promise<string | null> => {
      await walk.sync(m);
      const v = m.tc.client.getHulpvraag(walk.dossier, hv);
      return v.ok ? v.value.coordinator : 'onleesbaar';
    };
    await eventually(async () => (await coordinatorBij(paul)) === cor.userId, 'de partnerschool ziet de coördinator', 30_000);
    // The partnerschool may write the hulpvraag but not name a coördinator, in Dutch …
    const zelf = await paul.tc.client.updateHulpvraag(walk.dossier, hv, { coordinator: paul.userId });
    expect(!zelf.ok && zelf.error.code).toBe('niet-toegestaan');
    // … and its modified client that pushes a naming signed by its own device, and writes itself as aanvrager, sets nothing.
    const pc = internals(paul.tc);
    const pst = pc.dossiers.get(walk.dossier);
    if (!pst) throw new Error('dossier ontbreekt bij de partnerschool');
    const item = await signCoordinator(pc, hv, paul.userId);
    const w = await dossierSession(pc, pst).write(`hulpvraag:${hv}`, (doc) => {
      pushCoordinator(doc, item);
      doc.getMap('meta').set('aanvrager', paul.userId);
    });
    if (!w.ok) throw new Error(w.error.message);
    expect((await paul.tc.client.flush(30_000)).ok).toBe(true);
    await eventually(
      async () => {
        await walk.sync(ilse);
        return internals(ilse.tc).dossiers.get(walk.dossier)?.docs.get(`hulpvraag:${hv}`)?.doc.getArray('coordinatorGetekend').length === 2;
      },
      'de vervalste benoeming komt bij de school aan',
      30_000,
    );
    expect(await coordinatorBij(ilse)).toBe(cor.userId);
    expect(await coordinatorBij(paul)).toBe(cor.userId);
    const input = await hulpvraagAccessInput(internals(ilse.tc), internals(ilse.tc).dossiers.get(walk.dossier)!, hv);
    expect(input?.input.context.coordinator).toBe(cor.userId);
    expect(input?.input.context.aanvrager).not.toBe(paul.userId);
  });
});
