// A second device for the same account: the IB links her home laptop with a
// one-time code. The new device has its own device key (the relay and the
// access log tell the two apart), reads and writes the dossiers the account
// follows, and stores nothing readable. The code works once (the relay then
// holds nothing under it, R58), not after it expires, and not when mistyped.
// Real relay on 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDBKeyRange } from 'fake-indexeddb';
import { scanDatabaseForMarker } from '../../core/store/marker-scan.js';
import type { DossierId, HulpvraagId } from '../../core/model/ids.js';
import { eventually, newClient, type Member, type TestClient } from '../sync/harness.js';
import type { Onboarded } from '../../core/client/api.js';
import { fileHulpvraag, internals, LEERLING, startWorld, TWO_IBS, type World } from './dossier-world.js';
import { deviceLinkBox } from '../../core/client/device-link.js';
import { normaliseInvitationCode } from '../../core/client/onboarding.js';

const normaliseOk = (code: string): string => {
  const n = normaliseInvitationCode(code);
  if (!n.ok) throw new Error(n.error.message);
  return n.value;
};

const THUIS = 'een andere wachtwoordzin voor thuis';
let world: World;
let ilse: Member, sanne: Member;
let dossier: DossierId, hv: HulpvraagId;
const extra: TestClient[] = [];

beforeAll(async () => {
  world = await startWorld(TWO_IBS);
  [ilse, sanne] = world.members as [Member, Member];
  ({ dossier, hv } = await fileHulpvraag(ilse));
}, 120_000);

afterAll(async () => {
  for (const t of extra) await t.client.close();
  await world?.close();
});

/** `from` makes a code and a fresh browser joins with it: the linked device and what joining returned. */
async function linkNewDevice(from: TestClient): Promise<{ device: TestClient; me: Onboarded }> {
  const link = await from.client.linkDevice();
  if (!link.ok) throw new Error(link.error.message);
  const device = await newClient(world.relay.url);
  extra.push(device);
  const joined = await device.client.joinAsLinkedDevice(link.value.code, THUIS);
  if (!joined.ok) throw new Error(joined.error.message);
  return { device, me: joined.value };
}

describe('linking a second device', () => {
  it('the linked device is the same user with its own device key, reads and writes the dossier, and stores nothing readable', async () => {
    const link = await ilse.tc.client.linkDevice();
    if (!link.ok) throw new Error(link.error.message);
    expect(Date.parse(link.value.geldigTot)).toBeGreaterThan(Date.now());
    const thuis = await newClient(world.relay.url);
    extra.push(thuis);
    const joined = await thuis.client.joinAsLinkedDevice(link.value.code.toLowerCase(), THUIS);
    if (!joined.ok) throw new Error(joined.error.message);
    const school = ilse.tc.client.me();
    expect(joined.value.userId).toBe(school?.userId);
    expect(joined.value.deviceId).not.toBe(school?.deviceId);
    expect(joined.value.recoveryCode.length).toBeGreaterThan(20);

    // It follows the account's dossier without any notification, and opens it with the user's keys.
    await eventually(async () => {
      await thuis.client.tick();
      return thuis.client.getHulpvraag(dossier, hv).ok && thuis.client.getLeerling(dossier).ok;
    }, 'het gekoppelde apparaat leest het dossier');
    const leerling = thuis.client.getLeerling(dossier);
    expect(leerling.ok && leerling.value.achternaam).toBe(LEERLING.achternaam);

    // A change made at home reaches the school laptop and a colleague.
    const tekst = 'Thuis aangevuld na het oudergesprek';
    expect((await thuis.client.updateHulpvraag(dossier, hv, { omschrijving: tekst })).ok).toBe(true);
    expect((await thuis.client.flush(15_000)).ok).toBe(true);
    for (const m of [ilse, sanne]) {
      await eventually(async () => {
        await m.tc.client.tick();
        const h = m.tc.client.getHulpvraag(dossier, hv);
        return h.ok && h.value.omschrijving === tekst;
      }, `${m.naam} ziet de wijziging van thuis`);
    }

    // The new passphrase opens it; nothing readable about the leerling is on its disk.
    await thuis.client.lock();
    expect((await thuis.client.unlock(THUIS)).ok).toBe(true);
    await thuis.client.flush(15_000);
    for (const marker of [LEERLING.voornaam, LEERLING.achternaam]) {
      const scan = await scanDatabaseForMarker(thuis.dbName, { indexedDB: thuis.factory, IDBKeyRange }, marker);
      expect(scan.hits, marker).toEqual([]);
    }
  });

  it('a code works once, and a mistyped or malformed code is refused in Dutch', async () => {
    const link = await ilse.tc.client.linkDevice();
    if (!link.ok) throw new Error(link.error.message);
    const eerste = await newClient(world.relay.url);
    extra.push(eerste);
    expect((await eerste.client.joinAsLinkedDevice(link.value.code, THUIS)).ok).toBe(true);
    // Delete on read [R58]: the relay holds nothing under the code any more, not even something in its place.
    const anon = await internals(ilse.tc).anonymous();
    if (!anon.ok) throw new Error(anon.error.message);
    const left = await anon.value.mailboxGet(await deviceLinkBox(internals(ilse.tc).provider, normaliseOk(link.value.code)));
    anon.value.close();
    expect(left.ok && left.value).toBeNull();
    const tweede = await newClient(world.relay.url);
    extra.push(tweede);
    const again = await tweede.client.joinAsLinkedDevice(link.value.code, THUIS);
    expect(again.ok ? 'ok' : again.error.code).toBe('geen-koppeling');
    const anders = link.value.code.replace(/^./, (ch) => (ch === '2' ? '3' : '2'));
    const mis = await tweede.client.joinAsLinkedDevice(anders, THUIS);
    expect(mis.ok ? 'ok' : mis.error.code).toBe('geen-koppeling');
    const kapot = await tweede.client.joinAsLinkedDevice('ABC', THUIS);
    expect(kapot.ok ? '' : kapot.error.message).toContain('koppelcode');
    expect(tweede.client.lockState()).toBe('geen-identiteit');
  });

  it('an expired code is refused, and a browser that already has an account cannot take another', async () => {
    const link = await ilse.tc.client.linkDevice();
    if (!link.ok) throw new Error(link.error.message);
    const later = await newClient(world.relay.url, { now: () => new Date(Date.now() + 16 * 60_000) });
    extra.push(later);
    const r = await later.client.joinAsLinkedDevice(link.value.code, THUIS);
    expect(r.ok ? 'ok' : r.error.code).toBe('koppeling-verlopen');
    const al = await sanne.tc.client.joinAsLinkedDevice(link.value.code, THUIS);
    expect(al.ok ? 'ok' : al.error.code).toBe('al-ingesteld');
  });

  it('a lost device is revoked from another device of the account: its later changes no longer reach anyone', async () => {
    const { device: kwijt, me: joined } = await linkNewDevice(ilse.tc);
    await eventually(async () => {
      await kwijt.client.tick();
      return kwijt.client.getHulpvraag(dossier, hv).ok;
    }, 'het tweede apparaat heeft het dossier');
    // It works on the dossier once, so the school laptop sees it among the account's devices.
    expect((await kwijt.client.updateHulpvraag(dossier, hv, { labels: ['van het tweede apparaat'] })).ok).toBe(true);
    expect((await kwijt.client.flush(15_000)).ok).toBe(true);
    await eventually(async () => {
      await ilse.tc.client.tick();
      return ilse.tc.client.devices().some((d) => d.deviceId === joined.deviceId);
    }, 'de schoollaptop kent het tweede apparaat');
    expect(ilse.tc.client.devices().find((d) => d.ditApparaat)?.deviceId).toBe(ilse.tc.client.me()?.deviceId);
    const eigen = await ilse.tc.client.revokeDevice(ilse.tc.client.me()!.deviceId);
    expect(eigen.ok ? 'ok' : eigen.error.code).toBe('dit-apparaat');

    // The laptop is lost: revoke it from the school laptop.
    const r = await ilse.tc.client.revokeDevice(joined.deviceId);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.dossiers).toBe(1);
    expect((await ilse.tc.client.flush(15_000)).ok).toBe(true);
    expect(ilse.tc.client.devices().find((d) => d.deviceId === joined.deviceId)?.ingetrokken).toBe(true);

    // Whatever the lost device writes now is refused by the relay and never reaches the others.
    await kwijt.client.tick();
    await kwijt.client.updateHulpvraag(dossier, hv, { omschrijving: 'Geschreven na het intrekken' });
    await kwijt.client.flush(3_000);
    await new Promise((res) => setTimeout(res, 500));
    for (const m of [ilse, sanne]) {
      await m.tc.client.tick();
      const h = m.tc.client.getHulpvraag(dossier, hv);
      expect(h.ok && h.value.omschrijving).not.toBe('Geschreven na het intrekken');
    }
  });

  it('a dossier shared after linking reaches the linked device too, though the other device took the notification', async () => {
    const { device: laptop } = await linkNewDevice(sanne.tc);
    // The laptop is offline while a new dossier is shared with Sanne; her school device takes the notification.
    laptop.client.setOnline(false);
    const nieuw = await fileHulpvraag(ilse, 'TLV VSO', 'Een nieuw dossier na het koppelen');
    await eventually(async () => {
      await sanne.tc.client.tick();
      return sanne.tc.client.getHulpvraag(nieuw.dossier, nieuw.hv).ok;
    }, 'Sannes schoolapparaat heeft het nieuwe dossier');
    await sanne.tc.client.tick();
    laptop.client.setOnline(true);
    await eventually(async () => {
      await laptop.client.tick();
      return laptop.client.getHulpvraag(nieuw.dossier, nieuw.hv).ok;
    }, 'de laptop krijgt het nieuwe dossier via de dossierlijst van het account', 30_000);
  });

  it("a beheerder's linked device does not get the SWV root key: Beheer stays on the first device", async () => {
    expect(world.beheerder.client.me()?.basissleutel).toBe(true);
    const { device: tweede, me: joined } = await linkNewDevice(world.beheerder);
    expect(joined.roles).toContain('swv-beheerder');
    expect(joined.basissleutel).toBe(false);
    const beheer = await tweede.client.organisations();
    expect(beheer.ok ? 'ok' : beheer.error.code).toBe('geen-beheerder');
  });
});
