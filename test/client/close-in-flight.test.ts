// Closing a client while it is still storing what it just received (the tab
// closes, the user locks) must let that work finish before the database closes:
// before, close() slept 50 ms and then closed under it (DatabaseClosedError).
// Real relay on 127.0.0.1; the store call is held open on purpose so the
// interleaving is certain instead of lucky.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DossierId, HulpvraagId } from '../../core/model/ids.js';
import { eventually, newClient, PASS, type Member } from '../sync/harness.js';
import { fileHulpvraag, startWorld, TWO_IBS, type World, internals } from './dossier-world.js';

let world: World;
let ilse: Member, sanne: Member;
let dossier: DossierId, hv: HulpvraagId;

beforeAll(async () => {
  world = await startWorld(TWO_IBS);
  [ilse, sanne] = world.members as [Member, Member];
  ({ dossier, hv } = await fileHulpvraag(ilse));
  await eventually(async () => {
    await sanne.tc.client.tick();
    return sanne.tc.client.getHulpvraag(dossier, hv).ok;
  }, 'Sanne heeft de hulpvraag');
}, 120_000);

afterAll(async () => {
  await world?.close();
});

describe('closing with work in flight', () => {
  it('close() waits for a received batch that is still being stored, and the reopened client has it', async () => {
    const core = internals(sanne.tc);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let entered = false;
    let outcome: string | null = null;
    const original = core.store.putReceived.bind(core.store);
    core.store.putReceived = async (...args: Parameters<typeof original>) => {
      entered = true;
      await gate;
      try {
        await original(...args);
        outcome = 'opgeslagen';
      } catch (e) {
        outcome = e instanceof Error ? e.name : String(e);
        throw e;
      }
    };

    const tekst = 'Aangevuld na het gesprek met de ouders';
    expect((await ilse.tc.client.updateHulpvraag(dossier, hv, { omschrijving: tekst })).ok).toBe(true);
    expect((await ilse.tc.client.flush(15_000)).ok).toBe(true);
    await eventually(() => entered, 'Sanne slaat een ontvangen batch op');

    let closed = false;
    const closing = sanne.tc.client.close().then(() => (closed = true));
    await new Promise((r) => setTimeout(r, 400));
    expect(closed, 'close() wacht op de lopende opslag').toBe(false);
    release();
    await closing;
    expect(outcome).toBe('opgeslagen');

    // The same database, opened again: the batch is there (no refetch needed to show it).
    const reopened = await newClient(world.relay.url, { factory: sanne.tc.factory, dbName: sanne.tc.dbName });
    world.members[1] = { ...sanne, tc: reopened };
    expect((await reopened.client.unlock(PASS)).ok).toBe(true);
    await eventually(() => {
      const h = reopened.client.getHulpvraag(dossier, hv);
      return h.ok && h.value.omschrijving === tekst;
    }, 'de heropende client toont de wijziging');
  });
});
