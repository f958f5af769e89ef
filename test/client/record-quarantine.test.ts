// One malformed record does not break a catching-up client: each remote
// update is checked on its own, a failing one is quarantined with its author,
// and the records after it still show [R39]. Real relay on 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { roomOf } from '../../core/access/rooms.js';
import { writeLeerling } from '../../core/client/dossier-docs.js';
import { encodeUpdatePayload } from '../../core/client/dossier-state.js';
import type { DossierId } from '../../core/model/ids.js';
import { eventually, type Member } from '../sync/harness.js';
import { internals, LEERLING, startWorld, type World } from './dossier-world.js';

let world: World;
let ilse: Member, cor: Member;
let dossier: DossierId;

beforeAll(async () => {
  world = await startWorld([
    {
      naam: 'Ilse Bakker',
      functie: 'intern begeleider',
      organisation: { naam: 'OBS De Linde', kind: 'school' },
      roles: ['intern-begeleider'],
    },
    { naam: 'Cor Visser', functie: 'coördinator', organisation: { naam: 'SWV', kind: 'swv' }, roles: ['swv-coordinator'] },
  ]);
  [ilse, cor] = world.members as [Member, Member];
  const d = await ilse.tc.client.createDossier(LEERLING);
  if (!d.ok) throw new Error(d.error.message);
  dossier = d.value;
}, 120_000);

afterAll(async () => {
  await world?.close();
});

describe('quarantine per record', () => {
  it('[R39] a malformed record in the middle of a batch is quarantined and the records after it show', async () => {
    expect((await ilse.tc.client.updateLeerling(dossier, { achternaam: 'Een' })).ok).toBe(true);
    expect((await ilse.tc.client.flush(15_000)).ok).toBe(true);
    // A correctly signed and sealed record whose Yjs update is cut off halfway (a buggy or hostile writer).
    const core = internals(ilse.tc);
    const scratch = new Y.Doc();
    writeLeerling(scratch, { ...LEERLING, achternaam: 'Twee' });
    const whole = Y.encodeStateAsUpdate(scratch);
    core.background(
      core.relay.engine?.submit(
        roomOf(dossier, 'leerling'),
        'update',
        encodeUpdatePayload(whole.slice(0, Math.floor(whole.length / 2)), core.session.deviceCert),
      ),
    );
    expect((await ilse.tc.client.flush(15_000)).ok).toBe(true);
    expect((await ilse.tc.client.updateLeerling(dossier, { achternaam: 'Drie' })).ok).toBe(true);
    expect((await ilse.tc.client.flush(15_000)).ok).toBe(true);

    // Cor reads from now on and catches up from seq 0: all three records come in one batch.
    expect((await ilse.tc.client.grant(dossier, { userId: cor.userId, scopes: ['leerling'], rights: ['read'], expiresAt: null })).ok).toBe(
      true,
    );
    expect((await ilse.tc.client.flush(15_000)).ok).toBe(true);
    await eventually(async () => {
      await cor.tc.client.tick();
      const l = cor.tc.client.getLeerling(dossier);
      return l.ok && l.value.achternaam === 'Drie';
    }, 'Cor ziet de wijziging na het beschadigde record');
    const q = (await internals(cor.tc).store.quarantined()).filter((r) => r.room === roomOf(dossier, 'leerling'));
    expect(q.map((r) => r.code)).toEqual(['update-ongeldig']);
  });
});
