// Two pages of one browser (the extension's background and an open tab) share
// one database, each with its own client. What one page starts following (a
// new dossier named by a notification) must not be deleted by the other
// page's tick because that page has not heard of it yet: it loads it instead.
// Real relay on 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, newClient, PASS, type Member, type TestClient } from '../sync/harness.js';
import { fileHulpvraag, startWorld, TWO_IBS, type World, internals } from './dossier-world.js';

let world: World;
let ilse: Member, sanne: Member;
let tweede: TestClient;

beforeAll(async () => {
  world = await startWorld(TWO_IBS);
  [ilse, sanne] = world.members as [Member, Member];
  // Sanne's second page, on the same database, opened before the dossier exists.
  tweede = await newClient(world.relay.url, { factory: sanne.tc.factory, dbName: sanne.tc.dbName });
  const unlocked = await tweede.client.unlock(PASS);
  if (!unlocked.ok) throw new Error(unlocked.error.message);
  // Offline for now, so it cannot hear of the dossier itself (the relay tells every session of the user).
  tweede.client.setOnline(false);
}, 120_000);

afterAll(async () => {
  await tweede?.client.close();
  await world?.close();
});

describe('two pages on one database', () => {
  it("a dossier one page starts following survives the other page's tick, which loads it", async () => {
    const { dossier, hv } = await fileHulpvraag(ilse);
    // The first page hears of it and stores its records.
    await eventually(async () => {
      await sanne.tc.client.tick();
      return sanne.tc.client.getHulpvraag(dossier, hv).ok;
    }, 'de eerste pagina heeft het dossier');
    await sanne.tc.client.flush(15_000);
    expect(await internals(sanne.tc).store.countDossierRows(dossier)).toBeGreaterThan(0);
    // The other page ticks without having heard of it: nothing is deleted, and it shows the dossier too.
    await tweede.client.tick();
    expect(await internals(sanne.tc).store.countDossierRows(dossier)).toBeGreaterThan(0);
    tweede.client.setOnline(true);
    await eventually(async () => {
      await tweede.client.tick();
      return tweede.client.getHulpvraag(dossier, hv).ok;
    }, 'de tweede pagina toont het dossier ook');
    expect(sanne.tc.client.getHulpvraag(dossier, hv).ok).toBe(true);
  });
});
