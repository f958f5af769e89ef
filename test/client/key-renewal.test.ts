// Agreement key renewal (PROTOCOL P49) [R155], against a real relay on 127.0.0.1: the relay's register
// takes only a device's own signed request and keeps it durably; a forged request that a tampering relay
// hands the beheerder gets no certificate, while a real one does. The whole renewal after
// crypto-shredding (every device switches, the old copy opens with no key left) is walked in
// retention-shredding.test.ts [R84].
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceOfCertificate } from '../../core/access/certificate.js';
import { encodeKeyRenewal, signKeyRenewal, verifyKeyRenewal, type KeyRenewalRequest } from '../../core/access/key-renewal.js';
import { nobleProvider } from '../../core/crypto/noble-provider.js';
import { KeyRenewals } from '../../sync-server/key-renewals.js';
import { eventually, ROOT_PASS, type Member } from '../sync/harness.js';
import { internals, startWorld, TWO_IBS, type World } from './dossier-world.js';

let world: World;
let ilse: Member, sanne: Member;

beforeAll(async () => {
  world = await startWorld(TWO_IBS);
  [ilse, sanne] = world.members as [Member, Member];
}, 120_000);

afterAll(async () => {
  await world?.close();
});

const idOf = (m: Member) => {
  const id = internals(m.tc).id;
  if (!id) throw new Error('geen identiteit');
  return id;
};
const connOf = (m: Member) => {
  const conn = internals(m.tc).relay.conn;
  if (!conn?.ready) throw new Error('niet verbonden');
  return conn;
};
const refusal = (r: { ok: boolean; error?: { code: string } }) => (r.ok ? 'ok' : r.error?.code);
/** The certificate of this member's device in the beheerder's member list. */
const certInList = (m: Member) => {
  const person = internals(world.beheerder).directory.person(m.userId);
  const id = idOf(m);
  return [person?.user, ...(person?.apparaten ?? [])].find((c) => c !== undefined && deviceOfCertificate(c) === id.deviceId);
};

describe('agreement key renewal [P49, R155]', () => {
  it("the relay keeps only a device's own signed request, the newest per device, durably", async () => {
    const conn = connOf(ilse);
    const me = idOf(ilse);
    const other = idOf(sanne);
    const fresh = await nobleProvider.x25519KeyPair();
    const base = { swv: me.swvId, user: me.userId, device: me.deviceId, agreementKey: fresh.publicKey };

    expect(refusal(await conn.putKeyRenewal(new Uint8Array([1, 2, 3])))).toBe('vernieuwing-ongeldig');
    // Ilse's key signs a request that names Sanne's device: the signature is not Sanne's.
    const namedOther = await signKeyRenewal(nobleProvider, me.device.secretKey, {
      ...base,
      user: other.userId,
      device: other.deviceId,
      at: Date.now(),
    });
    expect(refusal(await conn.putKeyRenewal(encodeKeyRenewal(namedOther)))).toBe('vernieuwing-ongeldig');
    // Sanne's own, correctly signed request, handed in over Ilse's connection: not Ilse's to give.
    const sannes = await signKeyRenewal(nobleProvider, other.device.secretKey, {
      ...base,
      user: other.userId,
      device: other.deviceId,
      at: Date.now(),
    });
    expect(refusal(await conn.putKeyRenewal(encodeKeyRenewal(sannes)))).toBe('vernieuwing-ongeldig');
    // A request for a moment far ahead would outrank every later one.
    const future = await signKeyRenewal(nobleProvider, me.device.secretKey, { ...base, at: Date.now() + 3600_000 });
    expect(refusal(await conn.putKeyRenewal(encodeKeyRenewal(future)))).toBe('vernieuwing-ongeldig');
    let listed = await conn.keyRenewals();
    expect(listed.ok && listed.value.length).toBe(0);

    const at = Date.now();
    expect(
      refusal(await conn.putKeyRenewal(encodeKeyRenewal(await signKeyRenewal(nobleProvider, me.device.secretKey, { ...base, at })))),
    ).toBe('ok');
    // An older request after a newer one is refused; the newer one stays.
    expect(
      refusal(
        await conn.putKeyRenewal(encodeKeyRenewal(await signKeyRenewal(nobleProvider, me.device.secretKey, { ...base, at: at - 1000 }))),
      ),
    ).toBe('vernieuwing-ongeldig');
    listed = await conn.keyRenewals();
    expect(listed.ok && listed.value.length).toBe(1);
    const kept = listed.ok ? await verifyKeyRenewal(nobleProvider, listed.value[0]!) : undefined;
    expect(kept?.ok && kept.value.body.at).toBe(at);
    expect(ilse.tc.client.syncState().connected).toBe(true);

    // Durable: a register read back from the relay's storage holds it (and verifies it again).
    const reread = new KeyRenewals(world.relay.running.relay.opts.storage, nobleProvider);
    await reread.load();
    expect(reread.records(me.swvId).length).toBe(1);
  });

  it("a forged request that a tampering relay hands the beheerder gets no certificate; the device's own one does", async () => {
    const target = idOf(sanne);
    const before = certInList(sanne);
    expect(before).toBeDefined();
    // The relay's register is bypassed: it hands out a request for Sanne's device on the attacker's key,
    // signed by the attacker.
    const attacker = await nobleProvider.ed25519KeyPair();
    const attackerAgreement = await nobleProvider.x25519KeyPair();
    const forged: KeyRenewalRequest = {
      ...(await signKeyRenewal(nobleProvider, attacker.secretKey, {
        swv: target.swvId,
        user: target.userId,
        device: target.deviceId,
        agreementKey: attackerAgreement.publicKey,
        at: Date.now(),
      })),
    };
    const register = world.relay.running.relay.keyRenewals as unknown as { kept: Map<string, Map<string, KeyRenewalRequest>> };
    register.kept.set(target.swvId, new Map([[target.deviceId, forged]]));
    for (let i = 0; i < 3; i++) await world.beheerder.client.tick();
    expect(Buffer.from(certInList(sanne)!.body.agreementKey).equals(Buffer.from(before!.body.agreementKey))).toBe(true);

    // Sanne's device asks for itself: the beheerder's device certifies the key she asked for.
    const fresh = await nobleProvider.x25519KeyPair();
    const own = await signKeyRenewal(nobleProvider, target.device.secretKey, {
      swv: target.swvId,
      user: target.userId,
      device: target.deviceId,
      agreementKey: fresh.publicKey,
      at: Date.now(),
    });
    // With the SWV key locked the beheerder sees that one device waits, and nothing is certified yet.
    world.beheerder.client.lockRoot();
    expect(refusal(await connOf(sanne).putKeyRenewal(encodeKeyRenewal(own)))).toBe('ok');
    expect(await world.beheerder.client.wachtendeSleutelvernieuwingen()).toEqual({ ok: true, value: 1 });
    await world.beheerder.client.tick();
    expect(Buffer.from(certInList(sanne)!.body.agreementKey).equals(Buffer.from(before!.body.agreementKey))).toBe(true);
    expect((await world.beheerder.client.unlockRoot(ROOT_PASS)).ok).toBe(true);
    await eventually(
      async () => {
        await world.beheerder.client.tick();
        return Buffer.from(certInList(sanne)!.body.agreementKey).equals(Buffer.from(fresh.publicKey));
      },
      'de beheerder certificeert de nieuwe sleutel',
      30_000,
    );
    expect(await world.beheerder.client.wachtendeSleutelvernieuwingen()).toEqual({ ok: true, value: 0 });
    const renewed = certInList(sanne)!;
    // Same person, organisation, roles, profile and device; later than the one it replaces.
    expect(renewed.body.user).toBe(before!.body.user);
    expect(renewed.body.organisation).toBe(before!.body.organisation);
    expect(renewed.body.roles).toEqual(before!.body.roles);
    expect(Buffer.from(renewed.body.profileCommitment).equals(Buffer.from(before!.body.profileCommitment))).toBe(true);
    expect(Buffer.from(renewed.body.signingKey).equals(Buffer.from(before!.body.signingKey))).toBe(true);
    expect(renewed.body.validFrom).toBeGreaterThan(before!.body.validFrom);
  });
});
