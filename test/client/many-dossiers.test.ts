// A coördinator or IB follows hundreds of dossiers, each with several rooms
// (toegang, leerling, and per hulpvraag its own). The relay allows a connection
// only `openRooms` live subscriptions and `recordsPerSecond` requests: a device
// that subscribed to every room it follows never became ready past ~51 dossiers
// (issue 19). Now it watches every room cheaply (P45) and holds live
// subscriptions only for the dossier on screen and for rooms it is catching up.
// Real relay on 127.0.0.1 with its default limits.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DossierId } from '../../core/model/ids.js';
import { eventually, type Member } from '../sync/harness.js';
import { LEERLING, startWorld, TWO_IBS, type World } from './dossier-world.js';

const DOSSIERS = Number(process.env.KK_MANY_DOSSIERS ?? 300);
let world: World;
let ilse: Member, sanne: Member;
const dossiers: DossierId[] = [];

beforeAll(async () => {
  world = await startWorld(TWO_IBS);
  [ilse, sanne] = world.members as [Member, Member];
  sanne.tc.client.setOnline(false);
  const c = ilse.tc.client;
  const t0 = Date.now();
  for (let i = 0; i < DOSSIERS; i++) {
    const d = await c.createDossier({ ...LEERLING, voornaam: `Leerling${i}` });
    if (!d.ok) throw new Error(d.error.message);
    for (const titel of ['TLV VSO', 'Financieel Arrangement']) {
      const hv = await c.createHulpvraag(d.value, { titel, omschrijving: `Hulpvraag ${titel}` });
      if (!hv.ok) throw new Error(hv.error.message);
    }
    dossiers.push(d.value);
  }
  const flushed = await c.flush(600_000);
  if (!flushed.ok) throw new Error(flushed.error.message);
  if (process.env.KK_DEBUG) console.log(`opgebouwd: ${DOSSIERS} dossiers in ${Date.now() - t0} ms`);
}, 1_200_000);

afterAll(async () => {
  await world?.close();
});

describe('a device following hundreds of dossiers with the default limits', () => {
  it('syncs every dossier and hulpvraag completely', async () => {
    const c = sanne.tc.client;
    c.setOnline(true);
    let last = 0;
    await eventually(
      async () => {
        await c.tick();
        const list = await c.listHulpvragen();
        if (Date.now() - last > 5000 && process.env.KK_DEBUG) {
          last = Date.now();
          console.log(
            c.listDossiers().length,
            list.ok ? list.value.length : list.error.code,
            JSON.stringify(c.diagnostics()).slice(0, 600),
          );
        }
        return list.ok && list.value.length === 2 * DOSSIERS;
      },
      'alle hulpvragen in de lijst',
      Number(process.env.KK_WAIT ?? 600_000),
    );
    expect(c.listDossiers().length).toBe(DOSSIERS);
  }, 900_000);
});
