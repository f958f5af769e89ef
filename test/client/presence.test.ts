// Presence speaks only for its sender: a member cannot show someone else as
// present (or typing) in a dossier, nor take over another person's entry.
// Real relay on 127.0.0.1; the forger uses its own client's internals.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeAwarenessUpdate } from 'y-protocols/awareness.js';
import { roomOf } from '../../core/access/rooms.js';
import type { DossierId } from '../../core/model/ids.js';
import { eventually, type Member } from '../sync/harness.js';
import { fileHulpvraag, startWorld, type World, internals } from './dossier-world.js';

let world: World;
let ilse: Member, sanne: Member, cor: Member;
let dossier: DossierId;

beforeAll(async () => {
  world = await startWorld([
    {
      naam: 'Ilse Bakker',
      functie: 'intern begeleider',
      organisation: { naam: 'OBS De Linde', kind: 'school' },
      roles: ['intern-begeleider'],
    },
    {
      naam: 'Sanne Smit',
      functie: 'intern begeleider',
      organisation: { naam: 'OBS De Linde', kind: 'school' },
      roles: ['intern-begeleider'],
    },
    { naam: 'Cor Visser', functie: 'coördinator', organisation: { naam: 'SWV Noord', kind: 'swv' }, roles: ['swv-coordinator'] },
  ]);
  [ilse, sanne, cor] = world.members as [Member, Member, Member];
  ({ dossier } = await fileHulpvraag(ilse));
  await eventually(async () => {
    await sanne.tc.client.tick();
    return sanne.tc.client.getLeerling(dossier).ok;
  }, 'Sanne heeft het dossier');
  // Both open it (the "geopend" events carry their device certificates).
  await ilse.tc.client.openDossier(dossier);
  await sanne.tc.client.openDossier(dossier);
}, 120_000);

afterAll(async () => {
  await world?.close();
});

describe('presence in a dossier', () => {
  it('shows an honest peer by name and tab; a state in which a member claims to be someone else is dropped', async () => {
    await eventually(async () => {
      sanne.tc.client.setAwareness(dossier, { tab: 'leerling', typing: true });
      await ilse.tc.client.tick();
      await new Promise((r) => setTimeout(r, 100));
      return ilse.tc.client.awareness(dossier).some((a) => a.userId === sanne.userId && a.tab === 'leerling' && a.typing);
    }, 'Ilse ziet Sanne');

    // Sanne's device announces Cor (who is not here) as typing on the Toegang tab, under a client id of its own making.
    const core = internals(sanne.tc);
    const st = core.dossiers.get(dossier);
    if (!st) throw new Error('geen dossierstaat');
    const nep = 424_242;
    st.awareness.states.set(nep, { userId: cor.userId, naam: 'Cor Visser', tab: 'toegang', typing: true });
    st.awareness.meta.set(nep, { clock: 1, lastUpdated: Date.now() });
    await core.relay.engine?.sendAwareness(roomOf(dossier, 'toegang'), encodeAwarenessUpdate(st.awareness, [nep]));
    st.awareness.states.delete(nep);
    st.awareness.meta.delete(nep);

    // The honest update after the forgeries arrives; the forgeries never show.
    await eventually(async () => {
      sanne.tc.client.setAwareness(dossier, { tab: 'hulpvraag', typing: false });
      await new Promise((r) => setTimeout(r, 100));
      return ilse.tc.client.awareness(dossier).some((a) => a.userId === sanne.userId && a.tab === 'hulpvraag');
    }, 'Ilse ziet Sanne op het tabblad Hulpvraag');
    const gezien = ilse.tc.client.awareness(dossier);
    expect(gezien.some((a) => a.userId === cor.userId)).toBe(false);
  }, 120_000);

  it('someone removed from the dossier disappears from the presence list at once', async () => {
    expect((await ilse.tc.client.grant(dossier, { userId: cor.userId, scopes: ['leerling'], rights: ['read'], expiresAt: null })).ok).toBe(
      true,
    );
    await eventually(async () => {
      await cor.tc.client.tick();
      return cor.tc.client.getLeerling(dossier).ok;
    }, 'Cor heeft leestoegang');
    await cor.tc.client.openDossier(dossier);
    await eventually(async () => {
      cor.tc.client.setAwareness(dossier, { tab: 'leerling', typing: false });
      await ilse.tc.client.tick();
      await new Promise((r) => setTimeout(r, 100));
      return ilse.tc.client.awareness(dossier).some((a) => a.userId === cor.userId);
    }, 'Ilse ziet Cor');
    expect((await ilse.tc.client.revoke(dossier, cor.userId, 'Niet meer betrokken')).ok).toBe(true);
    // No waiting for Cor's state to time out: the access list decides.
    expect(ilse.tc.client.awareness(dossier).some((a) => a.userId === cor.userId)).toBe(false);
    expect(ilse.tc.client.awareness(dossier).some((a) => a.userId === sanne.userId)).toBe(true);
  }, 120_000);
});
