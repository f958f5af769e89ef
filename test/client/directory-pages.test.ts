// The member list on the relay is root-signed with a version counter [R103,
// PROTOCOL P82]. Every member holds the directory key, so any member (or the
// relay, replaying what it stored) can put bytes in the directory's mailboxes:
// a page the root did not sign, or an older list put back, is refused, and the
// member's list stays as it was. Real relay on 127.0.0.1, attacker = a real
// member client writing the mailbox with the key it holds. Ouders are listed to
// staff only: the ouders' part is sealed with a key ouders never get.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { directoryBox, sealDirectory, sealSignedDirectory } from '../../core/client/onboarding.js';
import { eventually, joinMember } from '../sync/harness.js';
import { internals, startWorld, type World } from './dossier-world.js';

let world: World;

beforeAll(async () => {
  world = await startWorld([
    {
      naam: 'Ilse Visser',
      functie: 'intern begeleider',
      organisation: { naam: 'OBS De Linde', kind: 'school' },
      roles: ['intern-begeleider'],
    },
    { naam: 'Mark Mol', functie: 'leerkracht', organisation: { naam: 'OBS De Linde', kind: 'school' }, roles: ['intern-begeleider'] },
    { naam: 'Olga Kwartel', functie: 'ouder', organisation: { naam: 'Ouders', kind: 'ouders' }, roles: ['ouder'] },
    { naam: 'Otto Mees', functie: 'ouder', organisation: { naam: 'Ouders', kind: 'ouders' }, roles: ['ouder'] },
  ]);
}, 120_000);

afterAll(async () => {
  await world?.close();
});

const names = (i: number) =>
  world.members[i]?.tc.client
    .directory()
    .map((d) => `${d.profile.voornaam} ${d.profile.achternaam}`)
    .sort() ?? [];

describe('root-signed, versioned directory pages [R103]', () => {
  it('an old page put back (replay) and a page a member sealed without the root are refused', async () => {
    const [ilse, mark] = world.members;
    if (!ilse || !mark) throw new Error('geen leden');
    const mc = internals(mark.tc);
    const id = mc.id;
    if (!id) throw new Error('Mark is vergrendeld');
    const box = await directoryBox(mc.provider, id.directoryKey, id.swvId, 0);
    // Mark (a member, later the attacker) keeps a copy of today's page.
    const conn = await mc.mailboxConnection();
    if (!conn.ok) throw new Error('geen verbinding');
    const oud = await conn.value.mailboxGet(box);
    conn.value.close();
    if (!oud.ok || !oud.value) throw new Error('geen ledenlijst');
    const oudePagina = oud.value;

    // A new colleague joins: the beheerder publishes a newer list, Ilse sees her.
    await joinMember(world.beheerder, world.relay.url, {
      naam: 'Nina Nieuw',
      functie: 'intern begeleider',
      organisation: { naam: 'OBS De Linde', kind: 'school' },
      roles: ['intern-begeleider'],
    });
    await eventually(async () => {
      await ilse.tc.client.tick();
      await mark.tc.client.tick();
      return names(0).includes('Nina Nieuw') && names(1).includes('Nina Nieuw');
    }, 'Ilse en Mark zien Nina');
    const voor = names(0);

    // Replay: Mark puts the old page back. Ilse refuses it and keeps the newer list.
    const put = async (bytes: Uint8Array) => {
      const c = await mc.mailboxConnection();
      if (!c.ok) throw new Error('geen verbinding');
      const r = await c.value.mailboxPut(box, bytes);
      c.value.close();
      if (!r.ok) throw new Error(r.error.message);
    };
    await put(oudePagina);
    const ic = internals(ilse.tc);
    const { refreshDirectory } = await import('../../core/client/client-directory.js');
    const replay = await refreshDirectory(ic);
    expect(replay.ok ? 'ok' : replay.error.code).toBe('ledenlijst-verouderd');
    expect(names(0)).toEqual(voor);

    // Forgery: Mark seals a page with the directory key he holds. Certificates he cannot forge, but the e-mail
    // address and organisation name beside them are not in any certificate: he gives Nina his own address (for
    // her notifications and the invitations people send her). Old unsigned form, and signed with his own key
    // instead of the root's at a far higher version: both refused, Nina's address stays hers.
    const nina = mc.directory.people().find((r) => r.profile.voornaam === 'Nina');
    if (!nina) throw new Error('Mark kent Nina niet');
    const vals = [{ ...nina, email: 'mark@kwaad.test', organisatieNaam: 'Kwaadwillend' }];
    const [unsigned] = await sealDirectory(mc.provider, id.directoryKey, vals);
    const [wrongKey] = await sealSignedDirectory(
      mc.provider,
      id.directoryKey,
      id.userSigning.secretKey,
      id.swvId,
      Date.now() + 10 ** 9,
      vals,
    );
    const ninaEmail = () => ilse.tc.client.directory().find((d) => d.profile.voornaam === 'Nina')?.profile.email;
    expect(ninaEmail()).toBe('nina@sim.test');
    for (const forged of [unsigned, wrongKey]) {
      if (!forged) throw new Error('geen pagina');
      await put(forged);
      const r = await refreshDirectory(ic);
      expect(r.ok ? 'ok' : r.error.code).toMatch(/^ledenlijst-(ongeldig|niet-ondertekend)$/);
      await ilse.tc.client.tick();
      expect(ninaEmail()).toBe('nina@sim.test');
      expect(names(0)).toEqual(voor);
    }
  }, 90_000);

  it('ouders are listed to staff only: an ouder sees the staff and herself, not other ouders; the IB sees them', async () => {
    const [ilse, , olga] = world.members;
    if (!ilse || !olga) throw new Error('geen leden');
    await ilse.tc.client.tick();
    await olga.tc.client.tick();
    expect(names(0)).toEqual(expect.arrayContaining(['Olga Kwartel', 'Otto Mees']));
    expect(names(2)).toContain('Olga Kwartel');
    expect(names(2)).toContain('Ilse Visser');
    expect(names(2)).not.toContain('Otto Mees');
    // Not even in what her device can open at the relay: she holds no staff key.
    expect(internals(olga.tc).id?.staffKey).toBeNull();
  });
});
