// A device revoked with a revocation time a few seconds ahead (the revoking
// device's clock runs ahead; the relay accepts records up to 5 minutes ahead)
// loses its live subscriptions when that time comes, not only at the next
// grant expiry or certificate end [R55]. Real relay on 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueDeviceRevocation } from '../../core/access/certificate.js';
import { submitAccess } from '../../core/client/client-rooms.js';
import type { DossierId, HulpvraagId } from '../../core/model/ids.js';
import { eventually, joinExtraDevice, type Member, type TestClient } from '../sync/harness.js';
import { fileHulpvraag, internals, startWorld, TWO_IBS, type World } from './dossier-world.js';

let world: World;
let ilse: Member;
let dossier: DossierId, hv: HulpvraagId;
let kwijt: TestClient;

beforeAll(async () => {
  world = await startWorld(TWO_IBS);
  [ilse] = world.members as [Member];
  ({ dossier, hv } = await fileHulpvraag(ilse));
  kwijt = await joinExtraDevice(world.beheerder, world.relay.url, ilse.userId, 'een andere wachtwoordzin voor thuis');
  await eventually(async () => {
    await ilse.tc.client.tick();
    await kwijt.client.tick();
    return kwijt.client.getHulpvraag(dossier, hv).ok;
  }, 'het tweede apparaat heeft het dossier');
}, 120_000);

afterAll(async () => {
  await kwijt?.client.close();
  await world?.close();
});

describe('a revocation time ahead of the relay clock [R55]', () => {
  it('the revoked device keeps its subscription until revokedAt and loses it then, without any other access change', async () => {
    const core = internals(ilse.tc);
    const id = core.id;
    const lost = kwijt.client.me();
    const st = core.dossiers.get(dossier);
    if (!id || !lost || !st) throw new Error('geen identiteit of dossierstaat');
    // Ilse's laptop clock runs 3 s ahead of the relay's.
    const revokedAt = new Date(Date.now() + 3_000);
    const revocation = await issueDeviceRevocation(core.provider, id.userSigning.secretKey, {
      swv: id.swvId,
      user: id.userId,
      device: lost.deviceId,
      revokedAt,
      by: 'gebruiker',
    });
    const r = await submitAccess(core, st, dossier, 'device-revocation', {
      revocation: { revocation, userCertificate: id.chain.user },
      reason: 'Apparaat kwijt',
    });
    expect(r.ok, r.ok ? '' : r.error.message).toBe(true);
    expect((await ilse.tc.client.flush(15_000)).ok).toBe(true);

    // Nothing else changes in the dossier's access; once revokedAt has passed the relay ends the
    // lost device's subscription to the access list, and the honest client deletes the dossier.
    let lostAccess = false;
    const stop = kwijt.client.subscribe((ch) => {
      if (ch.kind === 'access-lost' && ch.dossierId === dossier) lostAccess = true;
    });
    await eventually(
      async () => {
        await kwijt.client.tick();
        return lostAccess && !kwijt.client.getLeerling(dossier).ok;
      },
      'het ingetrokken apparaat verliest het dossier op het intrekkingsmoment',
      20_000,
    );
    stop();
    expect(Date.now()).toBeGreaterThanOrEqual(revokedAt.getTime());
  });
});
