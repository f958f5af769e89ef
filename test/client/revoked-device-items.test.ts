// A device revocation in a dossier's access list also judges what that device
// signed inside the documents: a status change it signed at or after the
// revocation time no longer counts, one from before still does. (A stolen
// device whose certificate is valid could otherwise keep signing until the
// revocation reaches the relay.) Real relay on 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueDeviceRevocation } from '../../core/access/certificate.js';
import { submitAccess } from '../../core/client/client-rooms.js';
import type { DossierId, HulpvraagId } from '../../core/model/ids.js';
import { eventually, type Member } from '../sync/harness.js';
import { fileHulpvraag, startWorld, TWO_IBS, type World, internals } from './dossier-world.js';
import { BESTUUR, readyToSubmit } from './indienen-world.js';

let world: World;
let ilse: Member, sanne: Member;
let dossier: DossierId, voor: HulpvraagId, na: HulpvraagId;
const statusBij = (m: Member, hv: HulpvraagId) => {
  const h = m.tc.client.getHulpvraag(dossier, hv);
  return h.ok ? h.value.status : null;
};

beforeAll(async () => {
  world = await startWorld([...TWO_IBS, BESTUUR]);
  const [i, s, bestuur] = world.members as [Member, Member, Member];
  [ilse, sanne] = [i, s];
  ({ dossier, hv: voor } = await fileHulpvraag(ilse));
  const tweede = await ilse.tc.client.createHulpvraag(dossier, { titel: 'TLV VSO', omschrijving: 'Tweede aanvraag' });
  if (!tweede.ok) throw new Error(tweede.error.message);
  na = tweede.value;
  // Indienen needs the bevoegd gezag's signature and the OPP (002 stap 5–7) [R48].
  await readyToSubmit(ilse, bestuur, dossier, voor);
  await readyToSubmit(ilse, bestuur, dossier, na);
}, 120_000);

afterAll(async () => {
  await world?.close();
});

describe('signed items of a revoked device', () => {
  it('a status change signed after the revocation time stops counting; one signed before still counts', async () => {
    const begin = statusBij(ilse, voor);
    expect((await ilse.tc.client.changeStatus(dossier, voor, 'TLV aanvraag indienen')).ok).toBe(true);
    await new Promise((r) => setTimeout(r, 20));
    // The device went missing here; the SWV learns of it later.
    const vermist = new Date();
    await new Promise((r) => setTimeout(r, 20));
    expect((await ilse.tc.client.changeStatus(dossier, na, 'TLV aanvraag indienen')).ok).toBe(true);
    expect((await ilse.tc.client.flush(15_000)).ok).toBe(true);
    const ingediend = statusBij(ilse, voor);
    expect(ingediend).not.toBe(begin);

    // Before the revocation Sanne sees both changes.
    await eventually(async () => {
      await sanne.tc.client.tick();
      await sanne.tc.client.refreshViews();
      return statusBij(sanne, voor) === ingediend && statusBij(sanne, na) === ingediend;
    }, 'Sanne ziet beide statuswijzigingen');

    // The SWV root revokes Ilse's device as of `vermist`; Sanne, a member, puts it in the access list.
    const beheer = internals(world.beheerder);
    const me = ilse.tc.client.me();
    if (!beheer.session.rootKey || !me) throw new Error('geen beheerderssleutel of identiteit');
    const revocation = await issueDeviceRevocation(beheer.provider, beheer.session.rootKey.secretKey, {
      swv: me.swvId,
      user: me.userId,
      device: me.deviceId,
      revokedAt: vermist,
      by: 'swv',
    });
    const core = internals(sanne.tc);
    const st = core.dossiers.get(dossier);
    if (!st) throw new Error('Sanne heeft de dossierstaat niet');
    const r = await submitAccess(core, st, dossier, 'device-revocation', { revocation: { revocation, userCertificate: null } });
    expect(r.ok, r.ok ? '' : r.error.message).toBe(true);

    // No refreshViews here: the client re-verifies on its own (the index flush), so the list never keeps the start status.
    await eventually(async () => {
      await sanne.tc.client.tick();
      return statusBij(sanne, na) === begin;
    }, 'de wijziging na de intrekking telt niet meer');
    expect(statusBij(sanne, voor)).toBe(ingediend);
    const lijst = await sanne.tc.client.listHulpvragen();
    expect(lijst.ok && lijst.value.find((h) => h.hulpvraagId === voor)?.status).toBe(ingediend);
  });
});
