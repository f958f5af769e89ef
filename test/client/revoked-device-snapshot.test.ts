// A snapshot replaces a room's state for whoever subscribes later: one from a
// device that has been revoked is refused by every client, whatever key it is
// sealed under and whenever it was posted [R36]. Real relay on 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { issueDeviceRevocation } from '../../core/access/certificate.js';
import { roomOf } from '../../core/access/rooms.js';
import { submitAccess } from '../../core/client/client-rooms.js';
import { writeLeerling } from '../../core/client/dossier-docs.js';
import { encodeSnapshotPayload } from '../../core/client/dossier-state.js';
import { encodeSnapshotPublicPart } from '../../core/sync/protocol-signing.js';
import type { DossierId } from '../../core/model/ids.js';
import { eventually, type Member } from '../sync/harness.js';
import { internals, LEERLING, startWorld, type World } from './dossier-world.js';

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
    { naam: 'Cor Visser', functie: 'coördinator', organisation: { naam: 'SWV', kind: 'swv' }, roles: ['swv-coordinator'] },
  ]);
  [ilse, sanne, cor] = world.members as [Member, Member, Member];
  const d = await ilse.tc.client.createDossier(LEERLING);
  if (!d.ok) throw new Error(d.error.message);
  dossier = d.value;
  await eventually(async () => {
    await sanne.tc.client.tick();
    const l = sanne.tc.client.getLeerling(dossier);
    return l.ok && l.value.voornaam === LEERLING.voornaam;
  }, 'Sanne leest de leerling');
}, 120_000);

afterAll(async () => {
  await world?.close();
});

describe('a snapshot from a revoked device', () => {
  it('[R36] is refused and reported by a reader who joins later, even one it posted before the revocation', async () => {
    // Whoever holds Sanne's device posts the leerling tab with another voornaam as a snapshot, while the device still counts.
    const me = sanne.tc.client.me();
    if (!me) throw new Error('geen identiteit');
    const relay = world.relay.running.relay;
    const sc = internals(sanne.tc);
    const room = roomOf(dossier, 'leerling');
    const local = sc.dossiers.get(dossier)?.docs.get('leerling');
    if (!local) throw new Error('Sanne heeft het leerlingdocument niet');
    const scratch = new Y.Doc();
    Y.applyUpdate(scratch, local.state());
    writeLeerling(scratch, { ...LEERLING, voornaam: 'Overschreven' });
    const head = await sc.store.cursor(room);
    const r = await sc.relay.engine?.postSnapshot(
      room,
      head,
      encodeSnapshotPayload(Y.encodeStateAsUpdate(scratch), sc.session.deviceCert),
      encodeSnapshotPublicPart({ prev: null, coversSeq: head }),
    );
    expect(r?.ok, r && !r.ok ? r.error.message : '').toBe(true);
    await eventually(async () => (await relay.opts.storage.getSnapshot(room)) !== undefined, 'de relay bewaart de momentopname');

    // The device turns out to be lost: the SWV revokes it, and Ilse records the revocation in the dossier.
    const beheer = internals(world.beheerder);
    if (!beheer.session.rootKey) throw new Error('geen beheerderssleutel');
    const revocation = await issueDeviceRevocation(beheer.provider, beheer.session.rootKey.secretKey, {
      swv: me.swvId,
      user: me.userId,
      device: me.deviceId,
      revokedAt: new Date(),
      by: 'swv',
    });
    const ic = internals(ilse.tc);
    const st = ic.dossiers.get(dossier);
    if (!st) throw new Error('Ilse heeft de dossierstaat niet');
    expect((await submitAccess(ic, st, dossier, 'device-revocation', { revocation: { revocation, userCertificate: null } })).ok).toBe(true);
    expect((await ilse.tc.client.flush(15_000)).ok).toBe(true);

    // Cor reads from now on and subscribes from 0: the relay serves him the snapshot first.
    expect((await ilse.tc.client.grant(dossier, { userId: cor.userId, scopes: ['leerling'], rights: ['read'], expiresAt: null })).ok).toBe(
      true,
    );
    expect((await ilse.tc.client.flush(15_000)).ok).toBe(true);
    await eventually(async () => {
      await cor.tc.client.tick();
      return (await internals(cor.tc).store.quarantined()).some((q) => q.room === room && q.code === 'ingetrokken');
    }, 'Cor zet de momentopname in quarantaine');
    const l = cor.tc.client.getLeerling(dossier);
    expect(l.ok ? l.value.voornaam : null).not.toBe('Overschreven');
  });
});
