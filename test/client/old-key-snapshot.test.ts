// A removed writer still holds the old key. With a relay that hides the removal
// from them and stores what they post, they could replace a room's state for
// everyone who joins later by a snapshot under that old key. Every client
// refuses it: under an older key only someone who still writes here may post a
// snapshot [R36, R37]. Proxy relay and a test-only tamper on 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { roomOf } from '../../core/access/rooms.js';
import { writeLeerling } from '../../core/client/dossier-docs.js';
import { encodeSnapshotPayload } from '../../core/client/dossier-state.js';
import { encodeSnapshotPublicPart } from '../../core/sync/protocol-signing.js';
import type { DossierId } from '../../core/model/ids.js';
import { ok } from '../../core/result.js';
import { eventually, joinMember, type Member } from '../sync/harness.js';
import { internals, LEERLING, startWorld, type World } from './dossier-world.js';
import { startWithholdingRelay, type WithholdingRelay } from './withholding-relay.js';

let world: World;
let proxy: WithholdingRelay;
let ilse: Member, cor: Member, wim: Member;
let dossier: DossierId;

beforeAll(async () => {
  world = await startWorld([
    {
      naam: 'Ilse Bakker',
      functie: 'intern begeleider',
      organisation: { naam: 'OBS De Linde', kind: 'school' },
      roles: ['intern-begeleider'],
    },
    { naam: 'Cor Visser', functie: 'coördinator', organisation: { naam: 'SWV', kind: 'swv' }, roles: ['swv-coordinator'] },
  ]);
  [ilse, cor] = world.members as [Member, Member];
  proxy = await startWithholdingRelay(world.relay.url);
  (world.relay.running.relay.opts.origins as string[]).push(proxy.url);
  wim = await joinMember(world.beheerder, proxy.url, {
    naam: 'Wim Jansen',
    functie: 'jeugdconsulent',
    organisation: { naam: 'Jeugdteam', kind: 'zorgpartner' },
    roles: ['regierolhouder'],
  });
  world.members.push(wim);
  await eventually(async () => {
    await ilse.tc.client.tick();
    return ilse.tc.client.directory().some((p) => p.userId === wim.userId);
  }, 'Ilse kent Wim');
  const d = await ilse.tc.client.createDossier(LEERLING);
  if (!d.ok) throw new Error(d.error.message);
  dossier = d.value;
  expect(
    (await ilse.tc.client.grant(dossier, { userId: wim.userId, scopes: ['leerling'], rights: ['read', 'write'], expiresAt: null })).ok,
  ).toBe(true);
  expect((await ilse.tc.client.flush(15_000)).ok).toBe(true);
  await eventually(async () => {
    await wim.tc.client.tick();
    const l = wim.tc.client.getLeerling(dossier);
    return l.ok && l.value.voornaam === LEERLING.voornaam;
  }, 'Wim leest de leerling');
}, 180_000);

afterAll(async () => {
  await world?.close();
  await proxy?.stop();
});

describe('a snapshot under an old key', () => {
  it('[R36, R37] from a removed writer is refused and reported by a reader who joins later', async () => {
    const toegang = roomOf(dossier, 'toegang');
    const room = roomOf(dossier, 'leerling');
    const relay = world.relay.running.relay;
    proxy.withhold(toegang, (await relay.opts.storage.headSeq(toegang)) + 1);
    const device = wim.tc.client.me()?.deviceId;
    const policy = relay.opts.policy;
    const honestAppend = policy.checkAppend.bind(policy);
    const honestRecord = policy.checkRecord.bind(policy);
    policy.checkAppend = (a, d, r, kind, now) => (d.deviceId === device ? ok(undefined) : honestAppend(a, d, r, kind, now));
    policy.checkRecord = (a, d, r, kind, epoch, now) => (d.deviceId === device ? ok(undefined) : honestRecord(a, d, r, kind, epoch, now));

    // Ilse removes Wim: one record, with a new leerling key that Wim does not get.
    expect((await ilse.tc.client.revoke(dossier, wim.userId)).ok).toBe(true);
    expect((await ilse.tc.client.flush(15_000)).ok).toBe(true);

    // Wim, who never heard of it, posts the leerling tab with another voornaam as a snapshot under the old key.
    const core = internals(wim.tc);
    const local = core.dossiers.get(dossier)?.docs.get('leerling');
    if (!local) throw new Error('Wim heeft het leerlingdocument niet');
    const scratch = new Y.Doc();
    Y.applyUpdate(scratch, local.state());
    writeLeerling(scratch, { ...LEERLING, voornaam: 'Overschreven' });
    const head = await core.store.cursor(room);
    const r = await core.relay.engine?.postSnapshot(
      room,
      head,
      encodeSnapshotPayload(Y.encodeStateAsUpdate(scratch), core.session.deviceCert),
      encodeSnapshotPublicPart({ prev: null, coversSeq: head }),
    );
    expect(r?.ok, r && !r.ok ? r.error.message : '').toBe(true);
    await eventually(async () => (await relay.opts.storage.getSnapshot(room)) !== undefined, 'de relay bewaart de momentopname');

    // Cor reads from now on and subscribes from 0: the relay serves him Wim's snapshot first.
    expect((await ilse.tc.client.grant(dossier, { userId: cor.userId, scopes: ['leerling'], rights: ['read'], expiresAt: null })).ok).toBe(
      true,
    );
    expect((await ilse.tc.client.flush(15_000)).ok).toBe(true);
    await eventually(async () => {
      await cor.tc.client.tick();
      return (await internals(cor.tc).store.quarantined()).some((q) => q.room === room && q.code === 'epoch-verouderd');
    }, 'Cor zet de momentopname in quarantaine');
    const l = cor.tc.client.getLeerling(dossier);
    expect(l.ok ? l.value.voornaam : null).not.toBe('Overschreven');
  });
});
