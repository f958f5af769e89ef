// A beheerder's invitations are written over a logged-in connection, so they
// count against the SWV's mailboxes [P21]: with the anonymous pool filled by
// a stranger, the beheerder can still invite. Real relay on 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient as RawClient } from '../relay/helpers.js';
import { startWorld, type World } from './dossier-world.js';

let world: World;
beforeAll(async () => {
  world = await startWorld([], ['--anonymous-mailboxes', '4']);
}, 120_000);
afterAll(async () => {
  await world?.close();
});

describe('mailboxes of a logged-in device [P21]', () => {
  it('[P21] a beheerder still creates an invitation when an anonymous client has filled the anonymous mailbox pool', async () => {
    const stranger = await RawClient.open(world.relay.url);
    let full = false;
    for (let i = 1; i <= 40 && !full; i++) {
      stranger.send({ type: 'mailbox-put', box: new Uint8Array(32).fill(i), ciphertext: new Uint8Array([i]) });
      const before = stranger.received.length;
      const deadline = Date.now() + 10_000;
      while (stranger.received.length <= before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      const m = stranger.received.at(-1);
      full = m?.type === 'error' && m.limit === 'maxMailboxes';
    }
    stranger.close();
    expect(full).toBe(true);
    const inv = await world.beheerder.client.createInvitation({
      profile: {
        voornaam: 'Ilse',
        achternaam: 'Jansen',
        functie: 'intern begeleider',
        organisatieNaam: 'OBS De Linde',
        email: 'ilse@sim.test',
      },
      organisation: { naam: 'OBS De Linde', kind: 'school' },
      roles: ['intern-begeleider'],
    });
    expect(inv.ok ? 'ok' : inv.error.message).toBe('ok');
  });
});
