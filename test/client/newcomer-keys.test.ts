// A colleague who joins after a dossier exists is covered by the school's group
// grant but held no key: the school's device shares the current keys with her at
// its next tick, so a successor can take over (staff change). Real relay.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DossierId, HulpvraagId } from '../../core/model/ids.js';
import { eventually, joinMember, type Member } from '../sync/harness.js';
import { fileHulpvraag, startWorld, type World } from './dossier-world.js';

let world: World;
let ilse: Member;
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
    { naam: 'Cor Visser', functie: 'coördinator', organisation: { naam: 'SWV Noord', kind: 'swv' }, roles: ['swv-coordinator'] },
  ]);
  [ilse] = world.members as [Member];
  ({ dossier, hv } = await fileHulpvraag(ilse, 'TLV VSO', 'Lopende aanvraag'));
  // The school's device settles the access list (workflow grants) before anyone new joins.
  for (let i = 0; i < 3; i++) await ilse.tc.client.tick();
  expect((await ilse.tc.client.flush(30_000)).ok).toBe(true);
}, 120_000);

afterAll(async () => {
  await world?.close();
});

describe('keys for people who join after a group grant', () => {
  it('a new IB of the same school reads the existing dossier after the school device ticks; someone of another school does not', async () => {
    const sanne = await joinMember(world.beheerder, world.relay.url, {
      naam: 'Sanne Smit',
      functie: 'intern begeleider',
      organisation: { naam: 'OBS De Linde', kind: 'school' },
      roles: ['intern-begeleider'],
    });
    const bob = await joinMember(world.beheerder, world.relay.url, {
      naam: 'Bob Beuk',
      functie: 'intern begeleider',
      organisation: { naam: 'OBS De Beuk', kind: 'school' },
      roles: ['intern-begeleider'],
    });
    world.members.push(sanne, bob);
    await eventually(async () => {
      await ilse.tc.client.tick();
      return ilse.tc.client.directory().some((p) => p.userId === sanne.userId);
    }, 'Ilse kent Sanne');
    await eventually(async () => {
      await ilse.tc.client.tick();
      await sanne.tc.client.tick();
      const l = sanne.tc.client.getLeerling(dossier);
      return l.ok && l.value.achternaam === 'Kwartel' && sanne.tc.client.getHulpvraag(dossier, hv).ok;
    }, 'Sanne leest het dossier');
    await bob.tc.client.tick();
    expect(bob.tc.client.listDossiers().map((d) => d.id)).not.toContain(dossier);
    // Once shared, another tick adds nothing: the access log has one key-sharing record for her.
    const voor = ilse.tc.client.accessLog(dossier);
    await ilse.tc.client.tick();
    const na = ilse.tc.client.accessLog(dossier);
    expect(na.ok && voor.ok && na.value.length).toBe(voor.ok ? voor.value.length : -1);
    // And she can take over as successor: the open hulpvraag names her.
    const w = await sanne.tc.client.staffChange(ilse.userId, sanne.userId);
    expect(w.ok && w.value.hulpvragen).toBe(1);
  }, 120_000);
});
