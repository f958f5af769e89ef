// Certificates and device chains: coded errors, multi-SWV identities, names off
// the relay, revocation, and the compact encoding.
import { describe, expect, it, beforeAll } from 'vitest';
import fc from 'fast-check';
import { asId, type DeviceId, type SwvId, type UserId } from '../../core/model/ids.js';
import type { Role } from '../../core/model/role.js';
import { deviceIdFromPublicKey } from '../../core/crypto/device-id.js';
import {
  decodeDeviceChain,
  encodeDeviceChain,
  revocationKey,
  stripProfile,
  verifyDeviceChain,
  verifyDeviceRevocation,
} from '../../core/access/device-chain.js';
import { issueDeviceCertificate, issueDeviceRevocation } from '../../core/access/certificate.js';
import { utf8Encode } from '../../core/crypto/bytes.js';
import { T0, at, makeMember, makeOrg, makeSwv, makeWorld, provider, type World } from './fixtures.js';

let w: World;
beforeAll(async () => {
  w = await makeWorld();
});

describe('device chains', () => {
  it('[R1] a chain device → user → SWV root verifies and yields the certified user, organisation and roles', async () => {
    const v = await verifyDeviceChain(provider, w.ib.chain, w.roots, T0);
    expect(v.ok).toBe(true);
    if (!v.ok) return;
    expect(v.value.userId).toBe('u-ib-a');
    expect(v.value.organisationId).toBe('brin-12ab');
    expect(v.value.organisationKind).toBe('school');
    expect(v.value.roles).toEqual(['intern-begeleider']);
    expect(v.value.deviceId).toBe(deviceIdFromPublicKey(w.ib.device.publicKey));
    expect(v.value.profile?.achternaam).toBe('de Vries-u-ib-a');
  });

  it('[R1] an expired user certificate, device certificate or organisation certificate gives `verlopen`', async () => {
    for (const when of [at(400)]) {
      const r = await verifyDeviceChain(provider, w.ib.chain, w.roots, when);
      expect(r.ok ? 'ok' : r.error.code).toBe('verlopen');
    }
    const shortDevice = await makeMember(w.swv, w.orgs.schoolA, 'u-kort', ['intern-begeleider'], { deviceValidUntil: at(1) });
    const r = await verifyDeviceChain(provider, shortDevice.chain, w.roots, at(2));
    expect(r.ok ? 'ok' : r.error.code).toBe('verlopen');
    const oldOrg = await makeOrg(w.swv, 'brin-oud', 'Oude school', 'school', at(3));
    const m = await makeMember(w.swv, oldOrg, 'u-oud', ['intern-begeleider']);
    const r2 = await verifyDeviceChain(provider, m.chain, w.roots, at(4));
    expect(r2.ok ? 'ok' : r2.error.code).toBe('verlopen');
    const early = await verifyDeviceChain(provider, w.ib.chain, w.roots, at(-60));
    expect(early.ok ? 'ok' : early.error.code).toBe('nog-niet-geldig');
  });

  it('[R1] a chain from an SWV this device does not know gives `onbekend-swv`', async () => {
    const r = await verifyDeviceChain(provider, w.ib.chain, new Map([[asId<SwvId>('swv-ander'), w.swv.root.publicKey]]), T0);
    expect(r.ok ? 'ok' : r.error.code).toBe('onbekend-swv');
  });

  it('[R1] a certificate signed by another root, or a device certified by another user, gives `verkeerde-ondertekenaar`', async () => {
    const rogue = await makeSwv(w.swv.id);
    const forged = await makeMember(rogue, await makeOrg(rogue, 'brin-12ab', 'OBS De Regenboog', 'school'), 'u-ib-a', [
      'intern-begeleider',
    ]);
    const r = await verifyDeviceChain(provider, forged.chain, w.roots, T0);
    expect(r.ok ? 'ok' : r.error.code).toBe('verkeerde-ondertekenaar');
    // The coordinator's identity certifies a device, which is then presented under the IB's user certificate.
    const stolenDevice = await issueDeviceCertificate(
      provider,
      { user: w.ib.userId, signing: w.coordinator.identity.signing },
      {
        validFrom: at(-1),
        validUntil: at(30),
      },
    );
    const r2 = await verifyDeviceChain(provider, { ...w.ib.chain, device: stolenDevice }, w.roots, T0);
    expect(r2.ok ? 'ok' : r2.error.code).toBe('verkeerde-ondertekenaar');
  });

  it('[R1] a tampered certificate body (an added role) no longer verifies', async () => {
    const roles: Role[] = ['intern-begeleider', 'swv-beheerder'];
    const tampered = { ...w.ib.chain, user: { ...w.ib.chain.user, body: { ...w.ib.chain.user.body, roles } } };
    const r = await verifyDeviceChain(provider, tampered, w.roots, T0);
    expect(r.ok ? 'ok' : r.error.code).toBe('verkeerde-ondertekenaar');
  });

  it('[R1] certificates that do not name each other (other organisation) give `keten-ongeldig`', async () => {
    const r = await verifyDeviceChain(provider, { ...w.ib.chain, organisation: w.orgs.schoolB }, w.roots, T0);
    expect(r.ok ? 'ok' : r.error.code).toBe('keten-ongeldig');
  });

  it('[R2] one identity holds certificates from two SWVs and one device certificate works in both', async () => {
    const vo = await makeSwv('swv-vo-2802');
    const voOrg = await makeOrg(vo, 'brin-12ab', 'OBS De Regenboog', 'school');
    const inVo = await makeMember(vo, voOrg, 'u-ib-a', ['ondersteuningscoordinator'], { identity: w.ib.identity });
    const roots = new Map([...w.roots, [vo.id, vo.root.publicKey]]);
    // The device certificate from the PO chain, combined with the VO user certificate.
    const crossed = { organisation: voOrg, user: inVo.certificate, device: w.ib.chain.device };
    const a = await verifyDeviceChain(provider, w.ib.chain, roots, T0);
    const b = await verifyDeviceChain(provider, crossed, roots, T0);
    expect(a.ok && b.ok).toBe(true);
    if (!a.ok || !b.ok) return;
    expect(a.value.userId).toBe(b.value.userId);
    expect(a.value.swvId).not.toBe(b.value.swvId);
    expect(b.value.roles).toEqual(['ondersteuningscoordinator']);
    // The VO root alone does not vouch for the PO certificate.
    const onlyVo = await verifyDeviceChain(provider, w.ib.chain, new Map([[vo.id, vo.root.publicKey]]), T0);
    expect(onlyVo.ok).toBe(false);
  });

  it('[R3] the chain shown to the relay carries no names, and a profile that does not open the commitment is refused', async () => {
    const bytes = encodeDeviceChain(stripProfile(w.ib.chain));
    const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
    expect(text).not.toContain('Sanne');
    expect(text).not.toContain('de Vries');
    const withFake = { ...w.ib.chain, profile: { ...w.ib.profile, achternaam: 'Jansen' } };
    const r = await verifyDeviceChain(provider, withFake, w.roots, T0);
    expect(r.ok ? 'ok' : r.error.code).toBe('keten-ongeldig');
    const stripped = await verifyDeviceChain(provider, stripProfile(w.ib.chain), w.roots, T0);
    expect(stripped.ok && stripped.value.profile).toBeUndefined();
  });

  it('[R1] encodeDeviceChain/decodeDeviceChain round-trip, and any single flipped byte is refused or fails verification', async () => {
    const bytes = encodeDeviceChain(w.ib.chain);
    const back = decodeDeviceChain(bytes);
    expect(back.ok).toBe(true);
    if (back.ok) expect(encodeDeviceChain(back.value)).toEqual(bytes);
    expect(bytes.length).toBeLessThan(1200);
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: bytes.length - 1 }), fc.integer({ min: 1, max: 255 }), async (i, x) => {
        const copy = bytes.slice();
        copy[i] = (copy[i] ?? 0) ^ x;
        const decoded = decodeDeviceChain(copy);
        if (!decoded.ok) return true;
        const v = await verifyDeviceChain(provider, decoded.value, w.roots, T0);
        // The only way a flipped byte can still verify is if it landed in a field that is not covered by a signature; none is.
        return !v.ok;
      }),
      { numRuns: 150 },
    );
  });

  it('[R27] decodeDeviceChain refuses garbage with a coded error instead of throwing', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
        const r = decodeDeviceChain(b);
        return !r.ok && r.error.code === 'keten-ongeldig';
      }),
    );
    expect(decodeDeviceChain(utf8Encode('{"o":1}')).ok).toBe(false);
  });
});

describe('device revocation', () => {
  it('[R4] a device revoked by its own user gives `ingetrokken` from the revocation time on', async () => {
    const rev = await issueDeviceRevocation(provider, w.ib.identity.signing.secretKey, {
      swv: w.swv.id,
      user: w.ib.userId,
      device: w.ib.verified.deviceId,
      revokedAt: at(10),
      by: 'gebruiker',
    });
    const v = await verifyDeviceRevocation(provider, rev, w.roots, w.ib.certificate);
    expect(v.ok).toBe(true);
    if (!v.ok) return;
    const revs = new Map([[v.value.key, v.value.revokedAt]]);
    expect((await verifyDeviceChain(provider, w.ib.chain, w.roots, at(9), revs)).ok).toBe(true);
    const r = await verifyDeviceChain(provider, w.ib.chain, w.roots, at(10), revs);
    expect(r.ok ? 'ok' : r.error.code).toBe('ingetrokken');
  });

  it('[R4] the SWV root can revoke any device; another user cannot revoke a device that is not theirs', async () => {
    const bySwv = await issueDeviceRevocation(provider, w.swv.root.secretKey, {
      swv: w.swv.id,
      user: w.ib.userId,
      device: w.ib.verified.deviceId,
      revokedAt: T0,
      by: 'swv',
    });
    expect((await verifyDeviceRevocation(provider, bySwv, w.roots)).ok).toBe(true);
    // The coordinator signs a revocation of the IB's device, claiming it is the IB's own.
    const forged = await issueDeviceRevocation(provider, w.coordinator.identity.signing.secretKey, {
      swv: w.swv.id,
      user: w.ib.userId,
      device: w.ib.verified.deviceId,
      revokedAt: T0,
      by: 'gebruiker',
    });
    const a = await verifyDeviceRevocation(provider, forged, w.roots, w.ib.certificate);
    expect(a.ok ? 'ok' : a.error.code).toBe('verkeerde-ondertekenaar');
    const b = await verifyDeviceRevocation(provider, forged, w.roots, w.coordinator.certificate);
    expect(b.ok ? 'ok' : b.error.code).toBe('verkeerde-ondertekenaar');
    // A revocation the coordinator may sign (its own user id) names the coordinator, so it never matches the IB's chain.
    const own = await issueDeviceRevocation(provider, w.coordinator.identity.signing.secretKey, {
      swv: w.swv.id,
      user: w.coordinator.userId,
      device: w.ib.verified.deviceId,
      revokedAt: T0,
      by: 'gebruiker',
    });
    const c = await verifyDeviceRevocation(provider, own, w.roots, w.coordinator.certificate);
    expect(c.ok).toBe(true);
    if (!c.ok) return;
    expect(c.value.key).toBe(revocationKey(asId<UserId>('u-coord'), w.ib.verified.deviceId as DeviceId));
    expect((await verifyDeviceChain(provider, w.ib.chain, w.roots, T0, new Map([[c.value.key, c.value.revokedAt]]))).ok).toBe(true);
  });
});
