// One authorisation, two enforcers: what the relay may refuse, every client
// refuses too, for updates and snapshots alike [R35–R38]. The hostile relay is
// the real relay on 127.0.0.1 with its access checks switched off for one
// device (a test-only tamper of its policy object): it then stores and serves
// what an honest relay refuses, as a relay colluding with a member would.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { roomOf } from '../../core/access/rooms.js';
import { writeLeerling } from '../../core/client/dossier-docs.js';
import { encodeSnapshotPayload } from '../../core/client/dossier-state.js';
import { encodeSnapshotPublicPart } from '../../core/sync/protocol-signing.js';
import type { DossierId } from '../../core/model/ids.js';
import { ok } from '../../core/result.js';
import { eventually, type Member } from '../sync/harness.js';
import { internals, LEERLING, startWorld, type World } from './dossier-world.js';

let world: World;
let ilse: Member, cor: Member, olga: Member;
let dossier: DossierId;

const voornaam = (m: Member): string | null => {
  const l = m.tc.client.getLeerling(dossier);
  return l.ok ? l.value.voornaam : null;
};

/** The tamper hook: the relay skips its write checks for appends and snapshots of this one device. */
function relayLetsThrough(m: Member): void {
  const policy = world.relay.running.relay.opts.policy;
  const device = m.tc.client.me()?.deviceId;
  const honestAppend = policy.checkAppend.bind(policy);
  const honestRecord = policy.checkRecord.bind(policy);
  policy.checkAppend = (a, d, room, kind, now) => (d.deviceId === device ? ok(undefined) : honestAppend(a, d, room, kind, now));
  policy.checkRecord = (a, d, room, kind, epoch, now) =>
    d.deviceId === device ? ok(undefined) : honestRecord(a, d, room, kind, epoch, now);
}

beforeAll(async () => {
  world = await startWorld([
    {
      naam: 'Ilse Bakker',
      functie: 'intern begeleider',
      organisation: { naam: 'OBS De Linde', kind: 'school' },
      roles: ['intern-begeleider'],
    },
    { naam: 'Cor Visser', functie: 'coördinator', organisation: { naam: 'SWV', kind: 'swv' }, roles: ['swv-coordinator'] },
    { naam: 'Olga Smit', functie: 'ouder', organisation: { naam: 'Ouders', kind: 'ouders' }, roles: ['ouder'] },
  ]);
  [ilse, cor, olga] = world.members as [Member, Member, Member];
  const d = await ilse.tc.client.createDossier(LEERLING);
  if (!d.ok) throw new Error(d.error.message);
  dossier = d.value;
  // An ouder who may read the leerling tab for a while: an expiring read grant.
  const tot = new Date(Date.now() + 3600_000).toISOString();
  expect((await ilse.tc.client.grant(dossier, { userId: olga.userId, scopes: ['leerling'], rights: ['read'], expiresAt: tot })).ok).toBe(
    true,
  );
  expect((await ilse.tc.client.flush(15_000)).ok).toBe(true);
  await eventually(async () => {
    await olga.tc.client.tick();
    return voornaam(olga) === LEERLING.voornaam;
  }, 'Olga leest de leerling');
}, 120_000);

afterAll(async () => {
  await world?.close();
});

describe('the relay and every client run the same author check', () => {
  it('[R38] the relay refuses a snapshot in the toegang room, even from an admin', async () => {
    const core = internals(ilse.tc);
    const room = roomOf(dossier, 'toegang');
    const head = await core.store.cursor(room);
    const r = await core.relay.engine?.postSnapshot(
      room,
      head,
      encodeSnapshotPayload(new Uint8Array([0, 0]), core.session.deviceCert),
      encodeSnapshotPublicPart({ prev: null, coversSeq: head }),
    );
    expect(r?.ok).toBe(true);
    await eventually(() => core.relay.engine?.lastSnapshotRefusal === 'soort-onjuist', 'de relay weigert de momentopname');
    expect(await world.relay.running.relay.opts.storage.getSnapshot(room)).toBeUndefined();
  });

  it('[R35, R37] an ouder with an expiring read grant gets no update accepted by a client, even through a relay that stores it', async () => {
    relayLetsThrough(olga);
    const before = await ilse.tc.client.quarantined();
    // A modified client: Olga writes into the leerling document past her own client's write check.
    const core = internals(olga.tc);
    const doc = core.dossiers.get(dossier)?.docs.get('leerling');
    if (!doc) throw new Error('Olga heeft het leerlingdocument niet');
    doc.change((d) => writeLeerling(d, { ...LEERLING, voornaam: 'Vervalst' }));
    expect((await olga.tc.client.flush(15_000)).ok).toBe(true);
    // Ilse receives the record the relay stored: refused and quarantined with its reason, not applied.
    await eventually(async () => {
      await ilse.tc.client.tick();
      return (await ilse.tc.client.quarantined()) > before;
    }, 'Ilse zet het record van Olga in quarantaine');
    expect(voornaam(ilse)).toBe(LEERLING.voornaam);
  });

  it('[R35, R36] a snapshot whose author no client can place is refused and reported by a reader who joins later', async () => {
    relayLetsThrough(olga);
    const core = internals(olga.tc);
    const room = roomOf(dossier, 'leerling');
    const head = await core.store.cursor(room);
    // Olga's whole document with a different voornaam, posted as a snapshot without her device chain.
    const local = core.dossiers.get(dossier)?.docs.get('leerling');
    if (!local) throw new Error('Olga heeft het leerlingdocument niet');
    const scratch = new Y.Doc();
    Y.applyUpdate(scratch, local.state());
    writeLeerling(scratch, { ...LEERLING, voornaam: 'Overschreven' });
    const r = await core.relay.engine?.postSnapshot(
      room,
      head,
      encodeSnapshotPayload(Y.encodeStateAsUpdate(scratch)),
      encodeSnapshotPublicPart({ prev: null, coversSeq: head }),
    );
    expect(r?.ok, r && !r.ok ? r.error.message : '').toBe(true);
    const storage = world.relay.running.relay.opts.storage;
    await eventually(async () => (await storage.getSnapshot(room)) !== undefined, 'de relay bewaart de momentopname');

    // Cor gets read access now and subscribes from 0: the relay serves him the snapshot first.
    expect((await ilse.tc.client.grant(dossier, { userId: cor.userId, scopes: ['leerling'], rights: ['read'], expiresAt: null })).ok).toBe(
      true,
    );
    expect((await ilse.tc.client.flush(15_000)).ok).toBe(true);
    await eventually(async () => {
      await cor.tc.client.tick();
      return (await internals(cor.tc).store.quarantined()).some((q) => q.room === room && q.code === 'auteur-onbekend');
    }, 'Cor zet de momentopname in quarantaine');
    expect(voornaam(cor)).not.toBe('Overschreven');
  });
});
