// An intern begeleider leaves: the beheerder ends her. She still holds the directory key and the staff
// key from her join and, refused by the relay at login, could still read the member list from the
// relay's mailboxes anonymously. So ending her rotates both keys: every remaining device (a second
// device of a member too) gets the new keys, an ouder only the new directory key, and the list is
// published under the new keys only [R151, PROTOCOL P48]. Real relay on 127.0.0.1; attacker = the
// ended IB's own keys against the relay's mailboxes.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { directoryKeyBox, openDirectoryKeyDelivery } from '../../core/client/directory-key-delivery.js';
import { directoryBox, openWith } from '../../core/client/onboarding.js';
import { equalBytes } from '../../core/crypto/bytes.js';
import type { SwvId } from '../../core/model/ids.js';
import { eventually, joinExtraDevice, joinMember, type Member } from '../sync/harness.js';
import { internals, startWorld, type World } from './dossier-world.js';

let world: World;
let ilse: Member, sanne: Member, olga: Member, ilseThuis: Member;

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
    { naam: 'Olga Kwartel', functie: 'ouder', organisation: { naam: 'Ouders', kind: 'ouders' }, roles: ['ouder'] },
  ]);
  [ilse, sanne, olga] = world.members as [Member, Member, Member];
  // Ilse's laptop at home: a second device with its own certificate and agreement key [R148].
  const tc = await joinExtraDevice(world.beheerder, world.relay.url, ilse.userId);
  ilseThuis = { naam: 'Ilse Bakker (thuis)', handle: 'ilse.thuis', tc, userId: ilse.userId };
  world.members.push(ilseThuis);
  await eventually(async () => {
    await tc.client.tick();
    return tc.client.directory().length === 4;
  }, 'ledenlijst op Ilses tweede apparaat');
}, 180_000);

afterAll(async () => {
  await world?.close();
});

const names = (m: Member): string[] => m.tc.client.directory().map((d) => `${d.profile.voornaam} ${d.profile.achternaam}`);

/** Every byte string the relay holds in a mailbox, or null. */
async function mailbox(box: Uint8Array): Promise<Uint8Array | null> {
  const conn = await internals(ilse.tc).anonymous();
  if (!conn.ok) throw new Error('geen verbinding');
  const got = await conn.value.mailboxGet(box);
  conn.value.close();
  if (!got.ok) throw new Error(got.error.message);
  return got.value !== null && got.value.length > 0 ? got.value : null;
}

describe('rotating the directory and staff keys when someone is ended [R151][R103]', () => {
  it("the ended IB's old keys open none of the pages published after her end; every remaining device sees a newcomer", async () => {
    const s = internals(sanne.tc).id;
    const beheer = internals(world.beheerder);
    if (!s || !beheer.id) throw new Error('vergrendeld');
    const swv: SwvId = s.swvId;
    const oud = { directoryKey: s.directoryKey, staffKey: s.staffKey };
    expect(oud.staffKey).not.toBeNull();
    expect(s.directoryEpoch).toBe(0);

    const r = await world.beheerder.client.endPerson(s.userId, 'uit-dienst');
    expect(r.ok, r.ok ? '' : r.error.message).toBe(true);

    // A colleague joins after the end: the list is published again, under the current keys only.
    const nina = await joinMember(world.beheerder, world.relay.url, {
      naam: 'Nina Nieuw',
      functie: 'intern begeleider',
      organisation: { naam: 'OBS De Linde', kind: 'school' },
      roles: ['intern-begeleider'],
    });
    world.members.push(nina);
    for (const m of [ilse, ilseThuis, olga]) {
      await eventually(
        async () => {
          await m.tc.client.tick();
          return names(m).includes('Nina Nieuw');
        },
        `${m.naam} ziet Nina`,
        30_000,
      );
    }
    // Nina joined with the current keys and reads the list without any delivery.
    await eventually(async () => {
      await nina.tc.client.tick();
      return names(nina).includes('Ilse Bakker');
    }, 'Nina ziet de ledenlijst');

    // The pages the beheerder published after the end: Sanne's old keys open none of them.
    const nu = beheer.id;
    if (!nu?.staffKey) throw new Error('geen sleutels');
    const pages: Uint8Array[] = [];
    for (const [key, label] of [
      [nu.directoryKey, swv],
      [nu.staffKey, `${swv}/ouders`],
    ] as const) {
      for (let i = 0; i < 64; i++) {
        const page = await mailbox(await directoryBox(beheer.provider, key, label, i));
        if (page === null) break;
        pages.push(page);
      }
    }
    expect(pages.length).toBeGreaterThanOrEqual(2);
    for (const page of pages) {
      for (const key of [oud.directoryKey, oud.staffKey]) {
        if (!key) continue;
        expect((await openWith(beheer.provider, key, 'kindkluis/ledenlijst/v2', page)).ok, 'een oude sleutel opent een nieuwe pagina').toBe(
          false,
        );
      }
    }
    // Under the old keys' box names the relay holds no list any more (the old pages were taken off).
    expect(await mailbox(await directoryBox(beheer.provider, oud.directoryKey, swv, 0))).toBeNull();
    if (oud.staffKey) expect(await mailbox(await directoryBox(beheer.provider, oud.staffKey, `${swv}/ouders`, 0))).toBeNull();

    // Sanne can name the box of Ilse's delivery (old directory key) but not open it: it is sealed to Ilse's device.
    const i1 = internals(ilse.tc).id;
    if (!i1) throw new Error('Ilse is vergrendeld');
    const levering = await mailbox(await directoryKeyBox(beheer.provider, oud.directoryKey, swv, 1, i1.deviceId));
    expect(levering).not.toBeNull();
    const root = s.roots.get(swv);
    if (!root || !levering) throw new Error('geen basissleutel');
    const geopend = await openDirectoryKeyDelivery(
      beheer.provider,
      s.userAgreement,
      root,
      { swv, epoch: 1, device: i1.deviceId },
      levering,
    );
    expect(geopend.ok ? 'geopend' : geopend.error.code).toBe('ledenlijst-sleutel-ongeldig');

    expect(nu.directoryEpoch).toBe(1);
    // Every remaining staff device holds the new keys; the ouder the new directory key but no staff key.
    for (const m of [ilse, ilseThuis]) {
      const id = internals(m.tc).id;
      expect(id?.directoryEpoch).toBe(1);
      expect(id && equalBytes(id.directoryKey, nu.directoryKey)).toBe(true);
      expect(id?.staffKey && equalBytes(id.staffKey, nu.staffKey)).toBe(true);
    }
    const o = internals(olga.tc).id;
    expect(o?.directoryEpoch).toBe(1);
    expect(o && equalBytes(o.directoryKey, nu.directoryKey)).toBe(true);
    expect(o?.staffKey).toBeNull();
  }, 180_000);

  it('a rotation the relay did not take at the end is finished at a later tick of the beheerder', async () => {
    const beheer = internals(world.beheerder);
    const nina = world.members.find((m) => m.naam === 'Nina Nieuw');
    const n = nina ? internals(nina.tc).id : null;
    if (!nina || !n || !beheer.id) throw new Error('geen Nina');
    const ninaKey = n.directoryKey;
    // The end reaches the relay over the open session; the deliveries need a mailbox connection, which fails.
    const dead = vi.spyOn(beheer.relay, 'addressAt').mockReturnValue('ws://127.0.0.1:9');
    const r = await world.beheerder.client.endPerson(n.userId, 'rol-beeindigd');
    dead.mockRestore();
    expect(r.ok ? 'ok' : r.error.code).toBe('offline');
    expect(beheer.id.directoryEpoch).toBe(1);
    await world.beheerder.client.tick();
    const nu = beheer.id;
    expect(nu.directoryEpoch).toBe(2);
    const page = await mailbox(await directoryBox(beheer.provider, nu.directoryKey, nu.swvId, 0));
    if (!page) throw new Error('geen pagina');
    expect((await openWith(beheer.provider, ninaKey, 'kindkluis/ledenlijst/v2', page)).ok).toBe(false);
    await eventually(async () => {
      await ilse.tc.client.tick();
      return internals(ilse.tc).id?.directoryEpoch === 2;
    }, 'Ilse heeft de sleutels van tijdvak 2');
    expect(internals(ilse.tc).id?.directoryKey).toEqual(nu.directoryKey);
  }, 60_000);
});
