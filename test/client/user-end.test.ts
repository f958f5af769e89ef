// An intern begeleider leaves the school: the beheerder ends her in the SWV
// (uit dienst). From then on the relay refuses her everywhere, also in a
// dossier made after she left [R56]; the dossier she held keys in records the
// end and rotates her out, and no device offers her keys as a newcomer in a
// new dossier, though her certificate still claims the school's IB role [R57].
// Real relay on 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyHex, currentEpoch } from '../../core/access/dossier-access.js';
import { encodeUserEnd, issueUserEnd } from '../../core/access/user-end.js';
import type { DossierId, HulpvraagId } from '../../core/model/ids.js';
import { PROTOCOL_ERRORS } from '../../core/sync/protocol-errors.js';
import { RelayConnection } from '../../core/sync/relay-connection.js';
import { eventually, wsFactory, type Member } from '../sync/harness.js';
import { fileHulpvraag, internals, startWorld, TWO_IBS, type World } from './dossier-world.js';

let world: World;
let ilse: Member, sanne: Member;
let dossier: DossierId, hv: HulpvraagId;

beforeAll(async () => {
  world = await startWorld(TWO_IBS);
  [ilse, sanne] = world.members as [Member, Member];
  ({ dossier, hv } = await fileHulpvraag(ilse));
  await eventually(async () => {
    await sanne.tc.client.tick();
    return sanne.tc.client.getHulpvraag(dossier, hv).ok;
  }, 'Sanne leest het dossier');
}, 120_000);

afterAll(async () => {
  await world?.close();
});

/** Sanne's agreement keys (hex) as recipients of a dossier in Ilse's view confirmed by the relay. */
const sanneKeysIn = (d: DossierId): string[] => {
  const st = internals(ilse.tc).dossiers.get(d);
  return [...(st?.confirmed?.recipients.values() ?? [])]
    .filter((c) => c.body.user === sanne.tc.client.me()?.userId)
    .map((c) => keyHex(c.body.agreementKey));
};

describe('ending a person [R56][R57]', () => {
  it('an ended IB is refused by the relay, rotated out of her dossier, and never keyed into a new one', async () => {
    const sanneId = internals(sanne.tc).id;
    if (!sanneId) throw new Error('Sanne is vergrendeld');
    const [sanneKey] = sanneKeysIn(dossier);
    expect(sanneKey).toBeDefined();

    // Only the beheerder (the SWV root) can end a person.
    const zelf = await ilse.tc.client.endPerson(sanneId.userId, 'uit-dienst');
    expect(zelf.ok ? 'ok' : zelf.error.code).toBe('geen-beheerder');
    const r = await world.beheerder.client.endPerson(sanneId.userId, 'uit-dienst');
    expect(r.ok, r.ok ? '' : r.error.message).toBe(true);

    // The relay ends her live session and refuses a new login: she reads and appends nowhere in the SWV.
    await eventually(async () => !sanne.tc.client.syncState().connected, 'Sannes verbinding is beëindigd');
    const conn = new RelayConnection(world.relay.url, wsFactory, {
      provider: internals(sanne.tc).provider,
      chainBytes: sanneId.publicChainBytes,
      deviceSecretKey: sanneId.device.secretKey,
    });
    const login = await conn.whenReady();
    conn.close();
    expect(login.ok ? 'ok' : login.error.message).toBe(PROTOCOL_ERRORS['gebruiker-beeindigd']);

    // Ilse's device records the end in the dossier and rotates every key Sanne held; the relay accepts the rotation.
    await eventually(
      async () => {
        await ilse.tc.client.tick();
        await ilse.tc.client.flush(5_000);
        const confirmed = internals(ilse.tc).dossiers.get(dossier)?.confirmed;
        if (!confirmed?.ended.has(sanneId.userId)) return false;
        return [...confirmed.scopes.values()].every((info) => !(currentEpoch(info)?.holders ?? []).includes(sanneKey!));
      },
      'het einde staat in het dossier en Sanne heeft geen actuele sleutel meer',
      30_000,
    );
    const confirmed = internals(ilse.tc).dossiers.get(dossier)?.confirmed;
    const hulpvraag = confirmed?.scopes.get(`hulpvraag:${hv}`);
    expect(hulpvraag?.epochs.length).toBeGreaterThan(1);
    expect(currentEpoch(hulpvraag)?.boxes.map((b) => keyHex(b.to))).not.toContain(sanneKey);
    // The Privacy view's access log names her as the person whose access ended.
    const log = ilse.tc.client.accessLog(dossier);
    expect(log.ok && log.value.some((e) => e.action === 'toegang-ingetrokken' && e.subject === sanneId.userId)).toBe(true);

    // A dossier made after she left: the school's IB grant matches her certificate's claims, yet she gets no key.
    const nieuw = await fileHulpvraag(ilse, 'TLV VSO', 'Aanvraag na het vertrek van Sanne');
    for (let i = 0; i < 3; i++) {
      await ilse.tc.client.tick();
      expect((await ilse.tc.client.flush(10_000)).ok).toBe(true);
    }
    expect(internals(ilse.tc).dossiers.get(nieuw.dossier)?.confirmed).toBeDefined();
    expect(sanneKeysIn(nieuw.dossier)).toEqual([]);
  });

  it('an end not signed by the SWV root, or damaged, is refused by the relay and not kept', async () => {
    const core = internals(ilse.tc);
    const id = core.id;
    const conn = core.relay.conn;
    if (!id || !conn) throw new Error('Ilse is niet verbonden');
    const before = await conn.endedUsers();
    // Ilse signs an end of the beheerder with her own identity key.
    const forged = await issueUserEnd(core.provider, id.userSigning.secretKey, {
      swv: id.swvId,
      user: world.beheerder.client.me()!.userId,
      endedAt: new Date(),
      reason: 'uit-dienst',
    });
    const r = await conn.endUser(encodeUserEnd(forged));
    expect(r.ok ? 'ok' : r.error.code).toBe('beeindiging-ongeldig');
    const kapot = await conn.endUser(new Uint8Array([1, 2, 3]));
    expect(kapot.ok ? 'ok' : kapot.error.code).toBe('beeindiging-ongeldig');
    const after = await conn.endedUsers();
    expect(after.ok && after.value.length).toBe(before.ok && before.value.length);
    expect(world.beheerder.client.syncState().connected).toBe(true);
  });
});
