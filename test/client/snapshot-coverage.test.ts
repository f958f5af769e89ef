// A snapshot replaces the records it covers for every device that catches up
// after it. A member who posts a stale state (or an honest member from whom
// the relay withheld records) would make updates vanish for later readers. A
// reader who already holds some of the room refuses a snapshot that leaves out
// what it holds, by the author's signed per-author clocks and by the content
// itself, and fetches the records instead [R121, P85]. Real relay on 127.0.0.1;
// the attacker is a real member's client posting through its own engine.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roomOf } from '../../core/access/rooms.js';
import { encodeSnapshotPayload } from '../../core/client/dossier-state.js';
import { heldAuthorClocks } from '../../core/client/client-snapshots.js';
import { encodeSnapshotPublicPart } from '../../core/sync/protocol-signing.js';
import type { DossierId } from '../../core/model/ids.js';
import { eventually, type Member } from '../sync/harness.js';
import { internals, LEERLING, startWorld, TWO_IBS, type World } from './dossier-world.js';

let world: World;
let ilse: Member, sanne: Member, bas: Member;
let dossier: DossierId;
let room: string;

beforeAll(async () => {
  world = await startWorld([
    ...TWO_IBS,
    {
      naam: 'Bas de Vries',
      functie: 'intern begeleider',
      organisation: { naam: 'OBS De Linde', kind: 'school' },
      roles: ['intern-begeleider'],
    },
  ]);
  [ilse, sanne, bas] = world.members as [Member, Member, Member];
  const d = await ilse.tc.client.createDossier(LEERLING);
  if (!d.ok) throw new Error(d.error.message);
  dossier = d.value;
  room = roomOf(dossier, 'leerling');
  expect((await ilse.tc.client.flush(15_000)).ok).toBe(true);
  for (const m of [sanne, bas]) await seesAchternaam(m, LEERLING.achternaam);
}, 180_000);

afterAll(async () => {
  await world?.close();
});

async function seesAchternaam(m: Member, achternaam: string, timeoutMs = 20_000): Promise<void> {
  await eventually(
    async () => {
      await m.tc.client.tick();
      const l = m.tc.client.getLeerling(dossier);
      return l.ok && l.value.achternaam === achternaam;
    },
    `${m.naam} ziet achternaam ${achternaam}`,
    timeoutMs,
  );
}

async function ilseSchrijft(achternaam: string, lezers: readonly Member[]): Promise<void> {
  expect((await ilse.tc.client.updateLeerling(dossier, { achternaam })).ok).toBe(true);
  expect((await ilse.tc.client.flush(15_000)).ok).toBe(true);
  for (const m of lezers) await seesAchternaam(m, achternaam);
}

/** Sanne's device posts a snapshot of the leerling room up to the relay's head, with the state and clocks given. */
async function sannePost(state: Uint8Array, clocks: 'eerlijk' | 'zonder-ilse'): Promise<void> {
  const core = internals(sanne.tc);
  const relay = world.relay.running.relay;
  const head = await core.store.cursor(room);
  expect(head).toBe(await relay.opts.storage.headSeq(room));
  const honest = await heldAuthorClocks(core, room, head);
  const ilseDevice = ilse.tc.client.me()?.deviceId;
  const k = clocks === 'eerlijk' ? honest : honest.filter(([d]) => d !== ilseDevice);
  const prev = (await relay.opts.storage.getSnapshot(room))?.hash ?? null;
  const r = await core.relay.engine?.postSnapshot(
    room,
    head,
    encodeSnapshotPayload(state, core.session.deviceCert),
    encodeSnapshotPublicPart({ prev: prev as Uint8Array<ArrayBuffer> | null, coversSeq: head, k }),
  );
  if (!r?.ok) throw new Error(r ? r.error.message : 'geen verbinding');
  core.roomSync.rememberSnapshot(room, { hash: r.value, seq: head });
  await eventually(async () => (await relay.opts.storage.getSnapshot(room))?.coversSeq === head, 'de relay bewaart de momentopname');
}

const refusals = async (m: Member): Promise<number> =>
  (await internals(m.tc).store.quarantined(room)).filter((q) => q.code === 'momentopname-onvolledig').length;

describe('a snapshot that leaves out what a reader holds', () => {
  it('[R121] a stale state posted with honest clocks is refused by a reader who holds a newer update, who then fetches the records', async () => {
    await ilseSchrijft('Stap een', [sanne, bas]);
    const stale = internals(sanne.tc).dossiers.get(dossier)?.docs.get('leerling')?.state();
    if (!stale) throw new Error('Sanne heeft het leerlingdocument niet');
    await ilseSchrijft('Stap twee', [sanne, bas]);
    bas.tc.client.setOnline(false);
    await ilseSchrijft('Stap drie', [sanne]);
    // Sanne posts the state from before "Stap twee" as if it covered everything up to now.
    await sannePost(stale, 'eerlijk');

    bas.tc.client.setOnline(true);
    // Bas holds "Stap twee", which the snapshot lacks: he refuses it and reads "Stap drie" from the records.
    await seesAchternaam(bas, 'Stap drie', 30_000);
    expect(await refusals(bas)).toBe(1);
    expect(bas.tc.client.syncState().lastError ?? '').toContain('Sanne Smit');
  });

  it('[R121] a full state whose signed clocks leave out an author is refused as well, and the reader still ends complete', async () => {
    bas.tc.client.setOnline(false);
    await ilseSchrijft('Stap vier', [sanne]);
    const full = internals(sanne.tc).dossiers.get(dossier)?.docs.get('leerling')?.state();
    if (!full) throw new Error('Sanne heeft het leerlingdocument niet');
    await sannePost(full, 'zonder-ilse');

    bas.tc.client.setOnline(true);
    await seesAchternaam(bas, 'Stap vier', 30_000);
    expect(await refusals(bas)).toBe(2);
    expect(bas.tc.client.syncState().lastError ?? '').toContain('Ilse Bakker');
  });

  it('[R121] an honest snapshot is taken by a reader who was behind, and kept in its local log', async () => {
    bas.tc.client.setOnline(false);
    await ilseSchrijft('Stap vijf', [sanne]);
    await sanne.tc.client.snapshotNow(dossier);
    const relay = world.relay.running.relay;
    const head = await relay.opts.storage.headSeq(room);
    await eventually(async () => (await relay.opts.storage.getSnapshot(room))?.coversSeq === head, 'de relay bewaart de momentopname');

    bas.tc.client.setOnline(true);
    await seesAchternaam(bas, 'Stap vijf', 30_000);
    expect(await refusals(bas)).toBe(2);
    // Taken in place of the records: the snapshot itself is in Bas's log at its coversSeq.
    const rows = await internals(bas.tc).store.readReceived(room);
    expect(rows.some((r) => r.seq === head && r.kind === 'snapshot')).toBe(true);
  });

  it('[P13] a device posts its next snapshot of a room on top of its own last one', async () => {
    const relay = world.relay.running.relay;
    await ilseSchrijft('Stap zes', [sanne]);
    await sanne.tc.client.snapshotNow(dossier);
    const head = await relay.opts.storage.headSeq(room);
    await eventually(
      async () => (await relay.opts.storage.getSnapshot(room))?.coversSeq === head,
      'de relay bewaart de tweede momentopname',
    );
  });
});
