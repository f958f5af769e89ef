// [P16] Signed seen markers expose a relay that hides records from one member.
import { describe, expect, it } from 'vitest';
import { asId, type DossierId } from '../../core/model/ids.js';
import { encodeEnvelope } from '../../core/crypto/envelope.js';
import { genesisGrants } from '../../core/access/genesis.js';
import { encodeSeenPublicPart } from '../../core/sync/protocol-signing.js';
import { checkSeenMarkers, recordHash, seenMarkerOf } from '../../core/sync/protocol-seen.js';
import { DossierHarness, makeWorld } from '../access/fixtures.js';
import { append, login, roomId, seal, startTestRelay } from './helpers.js';

/** A real relay with one dossier (genesis by the IB'er) and its leerling room. */
async function dossierOnRelay(dossier: string) {
  const w = await makeWorld();
  const relay = await startTestRelay(w);
  const h = new DossierHarness(w, asId<DossierId>(dossier));
  const ib = await login(relay.url, w.ib);
  const genesis = await h.build('genesis', w.ib, { grants: genesisGrants(w.ib.organisationId, w.ib.userId, ['leerling']) }, new Date());
  await append(ib, `${h.dossier}/toegang`, encodeEnvelope(genesis));
  await h.apply(genesis, new Date());
  return { w, relay, h, ib, room: roomId(h, 'leerling') };
}

describe('seen markers [P16]', () => {
  it("[P16] a member shown a shorter log sees another member's signed marker beyond its head", async () => {
    const { w, relay, h, ib, room } = await dossierOnRelay('dos-seen');
    try {
      for (let i = 0; i < 4; i++) await append(ib, room, await seal(h, w.ib, room, `r${i}`));
      const marker = await append(
        ib,
        room,
        await seal(h, w.ib, room, '', { kind: 'seen', publicPart: encodeSeenPublicPart({ upToSeq: 4 }) }),
      );
      expect(marker.type).toBe('ack');

      // coo reads the whole log; an honest view has no complaint.
      const coo = await login(relay.url, w.coo);
      coo.send({ type: 'subscribe', room, afterSeq: 0 });
      const batch = await coo.wait('records', (m) => m.live);
      const markers = batch.records.flatMap((r) => seenMarkerOf(r.seq, r.envelope) ?? []);
      expect(markers).toEqual([{ author: w.ib.verified.deviceId, upToSeq: 4, seq: 5 }]);
      expect(checkSeenMarkers(w.coo.verified.deviceId, batch.headSeq, markers).withheld).toBe(false);

      // A relay that withheld seqs 3–4 from coo but passed on the marker is caught by it.
      const shown = batch.records.filter((r) => r.seq !== 3 && r.seq !== 4);
      const view = checkSeenMarkers(
        w.coo.verified.deviceId,
        2,
        shown.flatMap((r) => seenMarkerOf(r.seq, r.envelope) ?? []),
      );
      expect(view).toMatchObject({ withheld: true, highestClaimed: 4, localHead: 2, witnesses: [w.ib.verified.deviceId], forked: false });
      ib.close();
      coo.close();
    } finally {
      await relay.stop();
    }
  });

  it("[P16] a device's own markers never count as evidence", () => {
    expect(checkSeenMarkers('me', 1, [{ author: 'me', upToSeq: 9, seq: 10 }]).withheld).toBe(false);
  });

  it('[P16] a marker names the hash of the record it saw at upToSeq: the relay refuses a wrong one, and a member shown another record at that seq detects the fork', async () => {
    const { w, relay, h, ib, room } = await dossierOnRelay('dos-fork');
    try {
      const sent: Uint8Array[] = [];
      for (let i = 0; i < 3; i++) {
        const env = await seal(h, w.ib, room, `r${i}`);
        sent.push(env);
        await append(ib, room, env);
      }
      const third = sent[2] as Uint8Array;
      const wrong = await append(
        ib,
        room,
        await seal(h, w.ib, room, '', {
          kind: 'seen',
          publicPart: encodeSeenPublicPart({ upToSeq: 3, headHash: recordHash(sent[0] as Uint8Array) }),
        }),
      );
      expect(wrong).toMatchObject({ type: 'error', code: 'bericht-ongeldig', reason: 'seen-hash-onjuist' });
      const good = await append(
        ib,
        room,
        await seal(h, w.ib, room, '', { kind: 'seen', publicPart: encodeSeenPublicPart({ upToSeq: 3, headHash: recordHash(third) }) }),
      );
      expect(good).toMatchObject({ type: 'ack', seq: 4 });

      const coo = await login(relay.url, w.coo);
      coo.send({ type: 'subscribe', room, afterSeq: 0 });
      const batch = await coo.wait('records', (m) => m.live);
      const markers = batch.records.flatMap((r) => seenMarkerOf(r.seq, r.envelope) ?? []);
      expect(markers).toEqual([{ author: w.ib.verified.deviceId, upToSeq: 3, seq: 4, headHash: recordHash(third) }]);
      const held = new Map(batch.records.map((r) => [r.seq, recordHash(r.envelope)]));
      expect(checkSeenMarkers(w.coo.verified.deviceId, batch.headSeq, markers, (seq) => held.get(seq))).toMatchObject({
        withheld: false,
        forked: false,
      });

      // A relay that showed coo another (validly signed) record at seq 3 than it showed ib is caught by ib's marker.
      const other = await seal(h, w.ib, room, 'andere versie');
      const forkedView = new Map(held).set(3, recordHash(other));
      expect(checkSeenMarkers(w.coo.verified.deviceId, batch.headSeq, markers, (seq) => forkedView.get(seq))).toMatchObject({
        forked: true,
        forkWitnesses: [w.ib.verified.deviceId],
      });
      ib.close();
      coo.close();
    } finally {
      await relay.stop();
    }
  });
});
