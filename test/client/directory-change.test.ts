// When someone joins the SWV, open screens learn of it: the member list
// refresh raises a 'directory' change (the extension's lists of people, e.g.
// the behandelaar choice in Aanpak, re-read it). Real relay on 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientChange } from '../../core/client/api.js';
import { eventually, joinMember, type Member } from '../sync/harness.js';
import { startWorld, type World } from './dossier-world.js';

let world: World;
let ilse: Member;

beforeAll(async () => {
  world = await startWorld([
    {
      naam: 'Ilse Bakker',
      functie: 'intern begeleider',
      organisation: { naam: 'OBS De Linde', kind: 'school' },
      roles: ['intern-begeleider'],
    },
  ]);
  [ilse] = world.members as [Member];
}, 120_000);

afterAll(async () => {
  await world?.close();
});

describe('member list changes', () => {
  it('a newcomer raises one "directory" change at the others, and none while nothing changes', async () => {
    const changes: ClientChange['kind'][] = [];
    const stop = ilse.tc.client.subscribe((c) => changes.push(c.kind));
    await ilse.tc.client.tick();
    expect(changes).not.toContain('directory');
    const rik = await joinMember(world.beheerder, world.relay.url, {
      naam: 'Rik Regie',
      functie: 'jeugdconsulent',
      organisation: { naam: 'Jeugdteam', kind: 'zorgpartner' },
      roles: ['regierolhouder'],
    });
    world.members.push(rik);
    await eventually(async () => {
      await ilse.tc.client.tick();
      return changes.includes('directory');
    }, 'Ilse hoort dat de ledenlijst veranderde');
    expect(ilse.tc.client.directory().some((p) => p.userId === rik.userId)).toBe(true);
    const seen = changes.filter((k) => k === 'directory').length;
    await ilse.tc.client.tick();
    expect(changes.filter((k) => k === 'directory').length).toBe(seen);
    stop();
  });
});
