// The delivery of new directory keys to one device (PROTOCOL P48) [R151]: it opens only with that
// device's agreement key, and a device accepts it only when the SWV root signed it for this SWV, this
// device and exactly the epoch it asked for. The attacker is the ended person: she holds the old
// directory key (so she can name and fill the box) and everyone's public keys, but not the root.
import { describe, expect, it } from 'vitest';
import {
  directoryKeyBox,
  openDirectoryKeyDelivery,
  sealDirectoryKeyDelivery,
  type DirectoryKeyDelivery,
} from '../../core/client/directory-key-delivery.js';
import { nobleProvider as p } from '../../core/crypto/noble-provider.js';
import type { DeviceId, SwvId } from '../../core/model/ids.js';

const swv = 'swv-zuid' as SwvId;
const device = 'apparaat-ilse' as DeviceId;

async function setting() {
  const root = await p.ed25519KeyPair();
  const ilse = await p.x25519KeyPair();
  const delivery: DirectoryKeyDelivery = { swv, epoch: 1, device, directoryKey: p.randomBytes(32), staffKey: p.randomBytes(32) };
  return { root, ilse, delivery };
}

describe('directory key delivery [R151][P48]', () => {
  it('opens for the device it was sealed to, with the keys the root signed', async () => {
    const { root, ilse, delivery } = await setting();
    const sealed = await sealDirectoryKeyDelivery(p, root.secretKey, ilse.publicKey, delivery);
    expect(sealed.length).toBeLessThan(1024);
    const r = await openDirectoryKeyDelivery(p, ilse, root.publicKey, { swv, epoch: 1, device }, sealed);
    expect(r.ok && r.value.directoryKey).toEqual(delivery.directoryKey);
    expect(r.ok && r.value.staffKey).toEqual(delivery.staffKey);
    // An ouder's delivery carries no staff key.
    const ouder = await sealDirectoryKeyDelivery(p, root.secretKey, ilse.publicKey, { ...delivery, staffKey: null });
    const o = await openDirectoryKeyDelivery(p, ilse, root.publicKey, { swv, epoch: 1, device }, ouder);
    expect(o.ok && o.value.staffKey).toBeNull();
  });

  it("is refused with another device's agreement key, another epoch or device, or without the root's signature", async () => {
    const { root, ilse, delivery } = await setting();
    const sanne = await p.x25519KeyPair();
    const sealed = await sealDirectoryKeyDelivery(p, root.secretKey, ilse.publicKey, delivery);
    const code = async (r: Promise<{ ok: boolean; error?: { code: string } }>) => {
      const x = await r;
      return x.ok ? 'geopend' : x.error?.code;
    };
    // The ended person's own agreement key does not open a colleague's delivery.
    expect(await code(openDirectoryKeyDelivery(p, sanne, root.publicKey, { swv, epoch: 1, device }, sealed))).toBe(
      'ledenlijst-sleutel-ongeldig',
    );
    // An old delivery put back under a later epoch's box, or moved to another device's box.
    expect(await code(openDirectoryKeyDelivery(p, ilse, root.publicKey, { swv, epoch: 2, device }, sealed))).toBe(
      'ledenlijst-sleutel-ongeldig',
    );
    expect(await code(openDirectoryKeyDelivery(p, ilse, root.publicKey, { swv, epoch: 1, device: 'ander' as DeviceId }, sealed))).toBe(
      'ledenlijst-sleutel-ongeldig',
    );
    // She seals keys she chose to Ilse's public agreement key, signed with her own key instead of the root's.
    const eigen = await p.ed25519KeyPair();
    const forged = await sealDirectoryKeyDelivery(p, eigen.secretKey, ilse.publicKey, delivery);
    expect(await code(openDirectoryKeyDelivery(p, ilse, root.publicKey, { swv, epoch: 1, device }, forged))).toBe(
      'ledenlijst-sleutel-ongeldig',
    );
  });

  it('the box name depends on the previous directory key, the epoch and the device', async () => {
    const oud = p.randomBytes(32);
    const a = await directoryKeyBox(p, oud, swv, 1, device);
    expect(await directoryKeyBox(p, oud, swv, 1, device)).toEqual(a);
    expect(await directoryKeyBox(p, oud, swv, 2, device)).not.toEqual(a);
    expect(await directoryKeyBox(p, oud, swv, 1, 'ander' as DeviceId)).not.toEqual(a);
    expect(await directoryKeyBox(p, p.randomBytes(32), swv, 1, device)).not.toEqual(a);
  });
});
