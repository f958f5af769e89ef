// The production relay on 127.0.0.1 with real SWV roots, real certificates,
// real signed ACL records and real sealed envelopes: session, appends, access
// enforcement, replays, snapshots, awareness, attachments, revocation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { asId, type DossierId } from '../../core/model/ids.js';
import { encodeEnvelope, decodeEnvelope } from '../../core/crypto/envelope.js';
import { genesisGrants } from '../../core/access/genesis.js';
import { PROTOCOL_VERSION } from '../../core/sync/protocol.js';
import { authMessage, encodeSeenPublicPart, encodeSnapshotPublicPart } from '../../core/sync/protocol-signing.js';
import { DossierHarness, makeMember, makeOrg, makeSwv, makeWorld, provider, type World } from '../access/fixtures.js';
import { storedBytes } from './relay-store.js';
import { TestClient, append, chainBytes, codeOf, login, roomId, seal, startTestRelay, nextCounter } from './helpers.js';
import type { RunningRelay } from '../../sync-server/main.js';

let w: World;
let relay: RunningRelay & { data: string };
let h: DossierHarness;
/** The first update of the leerling room, kept to replay it after the epoch has rotated. */
let firstUpdate: Uint8Array | undefined;

const sha = (b: Uint8Array) => new Uint8Array(createHash('sha256').update(b).digest());

async function aclAppend(c: TestClient, harness: DossierHarness, env: Parameters<DossierHarness['apply']>[0]) {
  const res = await append(c, `${harness.dossier}/toegang`, encodeEnvelope(env));
  if (res.type === 'ack') await harness.apply(env, new Date());
  return res;
}

beforeAll(async () => {
  w = await makeWorld();
  relay = await startTestRelay(w);
  h = new DossierHarness(w, asId<DossierId>('dos-relay-1'));
});
afterAll(async () => {
  await relay.stop();
});

describe('session [P2–P6]', () => {
  it('[P3][P4] a device with a valid chain logs in by signing the nonce and the relay origin', async () => {
    const c = await login(relay.url, w.ib);
    c.close();
  });

  it('[P2] an unsupported protocol version gets an error naming the supported versions, then a close', async () => {
    const c = await TestClient.open(relay.url);
    c.send({ type: 'hello', protocolVersion: 99, chain: chainBytes(w.ib) });
    const e = await c.wait('error');
    expect(e.code).toBe('protocolversie-niet-ondersteund');
    expect(e.supported).toEqual([PROTOCOL_VERSION]);
    expect(e.fatal).toBe(true);
    expect(await c.closed).toBe(1008);
  });

  it('[P4] a chain from an SWV the relay does not serve is refused', async () => {
    const swv = await makeSwv('swv-onbekend');
    const stranger = await makeMember(swv, await makeOrg(swv, 'brin-99zz', 'School elders', 'school'), 'u-vreemd', ['intern-begeleider']);
    const c = await TestClient.open(relay.url);
    c.send({ type: 'hello', protocolVersion: 1, chain: chainBytes(stranger) });
    const e = await c.wait('error');
    expect([e.code, e.reason]).toEqual(['certificaat-geweigerd', 'onbekend-swv']);
    await c.closed;
  });

  it('[P4] a signature by another key, or for another origin, does not log in', async () => {
    const c = await TestClient.open(relay.url);
    c.send({ type: 'hello', protocolVersion: 1, chain: chainBytes(w.ib) });
    const ch = await c.wait('challenge');
    c.send({
      type: 'auth',
      origin: relay.url,
      signature: await provider.ed25519Sign(w.coo.device.secretKey, authMessage(ch.nonce, relay.url)),
    });
    expect((await c.wait('error')).code).toBe('aanmelding-mislukt');
    await c.closed;

    const d = await TestClient.open(relay.url);
    d.send({ type: 'hello', protocolVersion: 1, chain: chainBytes(w.ib) });
    const ch2 = await d.wait('challenge');
    d.send({
      type: 'auth',
      origin: 'wss://evil.example',
      signature: await provider.ed25519Sign(w.ib.device.secretKey, authMessage(ch2.nonce, 'wss://evil.example')),
    });
    expect((await d.wait('error')).code).toBe('origin-onjuist');
    await d.closed;
  });

  it('[P6] appends and subscriptions before login are refused and the connection closed', async () => {
    const c = await TestClient.open(relay.url);
    c.send({ type: 'subscribe', room: 'dos-relay-1/leerling', afterSeq: 0 });
    expect((await c.wait('error')).code).toBe('niet-aangemeld');
    expect(await c.closed).toBe(1008);
  });

  it('[P5] a device may hold only connectionsPerIdentity connections at once', async () => {
    const small = await startTestRelay(w, ['--connections-per-identity', '2']);
    try {
      const a = await login(small.url, w.loket);
      const b = await login(small.url, w.loket);
      const c = await TestClient.open(small.url);
      c.send({ type: 'hello', protocolVersion: 1, chain: chainBytes(w.loket) });
      const ch = await c.wait('challenge');
      c.send({
        type: 'auth',
        origin: small.url,
        signature: await provider.ed25519Sign(w.loket.device.secretKey, authMessage(ch.nonce, small.url)),
      });
      const e = await c.wait('error');
      expect([e.code, e.limit]).toEqual(['te-veel-verbindingen', 'connectionsPerIdentity']);
      a.close();
      b.close();
    } finally {
      await small.stop();
    }
  });
});

describe('appends and access [P7–P11, P15]', () => {
  let ib: TestClient;
  let coo: TestClient;

  beforeAll(async () => {
    ib = await login(relay.url, w.ib);
    coo = await login(relay.url, w.coo);
  });
  afterAll(() => {
    ib.close();
    coo.close();
  });

  it('[P8] the genesis record starts the dossier; content before it is refused', async () => {
    const early = await append(ib, roomId(h, 'leerling'), await seal(h, w.ib, roomId(h, 'leerling'), 'x'));
    expect(codeOf(early)).toBe('dossier-onbekend');
    const genesis = await h.build(
      'genesis',
      w.ib,
      { grants: genesisGrants(w.ib.organisationId, w.ib.userId, ['leerling']), reason: 'Nieuw' },
      new Date(),
    );
    const ack = await aclAppend(ib, h, genesis);
    expect(ack).toMatchObject({ type: 'ack', seq: 1, duplicate: false });
  });

  it('[P7][P9] a member appends; every subscriber gets the record with its relay-assigned seq', async () => {
    const room = roomId(h, 'leerling');
    coo.send({ type: 'subscribe', room, afterSeq: 0 });
    const first = await coo.wait('records', (m) => m.room === room);
    expect(first).toMatchObject({ records: [], headSeq: 0, live: true, snapshot: null });
    const env = await seal(h, w.ib, room, 'MARKER-plaintext-Jansen-7781 eerste notitie');
    firstUpdate = env;
    const ack = await append(ib, room, env);
    expect(ack).toMatchObject({ type: 'ack', seq: 1, duplicate: false });
    const live = await coo.wait('records', (m) => m.room === room && m.records.length > 0);
    expect(live.records[0]?.seq).toBe(1);
    expect(live.records[0]?.envelope).toEqual(env);
  });

  it('[P11] a replay is acknowledged with the original seq and stored once; the same counter with other bytes is refused', async () => {
    const room = roomId(h, 'leerling');
    const counter = nextCounter(w.ib, room);
    const env = await seal(h, w.ib, room, 'MARKER-plaintext-Jansen-7781 tweede', { counter });
    const a = await append(ib, room, env);
    const again = await append(ib, room, env);
    expect(again).toEqual({ ...a, ref: (a as { ref: number }).ref + 1, duplicate: true });
    expect(
      (await relay.relay.opts.storage.readRecords(room, 0, 1000, 1e9)).filter((r) => Buffer.from(r.envelope).equals(Buffer.from(env)))
        .length,
    ).toBe(1);
    const other = await seal(h, w.ib, room, 'iets anders', { counter });
    expect(codeOf(await append(ib, room, other))).toBe('teller-conflict');
  });

  it('[P11] counters need not arrive in order (several extension contexts share one device)', async () => {
    const room = roomId(h, 'leerling');
    const high = await seal(h, w.ib, room, 'hoog', { counter: 900 });
    const low = await seal(h, w.ib, room, 'laag', { counter: 899 });
    expect(codeOf(await append(ib, room, high))).toBe('ack');
    expect(codeOf(await append(ib, room, low))).toBe('ack');
  });

  it('[P8] an envelope signed by another device, with a broken signature, or for another room is refused', async () => {
    const room = roomId(h, 'leerling');
    expect(codeOf(await append(ib, room, await seal(h, w.coo, room, 'van coo')))).toBe('auteur-onjuist');
    const env = await seal(h, w.ib, room, 'x');
    const tampered = env.slice();
    tampered[tampered.length - 1] = (tampered[tampered.length - 1] ?? 0) ^ 1;
    expect(codeOf(await append(ib, room, tampered))).toBe('handtekening-ongeldig');
    expect(codeOf(await append(ib, `${h.dossier}/lvs:abc`, env))).toBe('ruimte-onjuist');
    expect(codeOf(await append(ib, 'geen-ruimte', env))).toBe('ruimte-ongeldig');
  });

  it('[P8] a device of another school without a grant can neither write nor read', async () => {
    const other = await login(relay.url, w.ibB);
    const room = roomId(h, 'leerling');
    expect(codeOf(await append(other, room, await seal(h, w.ibB, room, 'x')))).toBe('geen-schrijfrecht');
    other.send({ type: 'subscribe', room, afterSeq: 0 });
    expect((await other.wait('error')).code).toBe('geen-toegang');
    other.close();
  });

  it('[P15] revoking a grant ends the live subscription of the member who lost access at once', async () => {
    const room = roomId(h, 'leerling');
    await aclAppend(
      ib,
      h,
      await h.build(
        'grant',
        w.ib,
        {
          grants: [{ principal: { kind: 'user', userId: w.ggd.userId }, scope: 'leerling', right: 'read', expiresAt: null }],
          recipients: [w.ggd.certificate],
        },
        new Date(),
      ),
    );
    const ggd = await login(relay.url, w.ggd);
    ggd.send({ type: 'subscribe', room, afterSeq: 0 });
    const backlog = await ggd.wait('records', (m) => m.live);
    expect(backlog.records.length).toBeGreaterThan(0);
    const rev = await aclAppend(
      ib,
      h,
      await h.build('revoke', w.ib, { revokes: [{ principal: { kind: 'user', userId: w.ggd.userId }, scope: 'leerling' }] }, new Date()),
    );
    expect(codeOf(rev)).toBe('ack');
    const ended = await ggd.wait('error', (e) => e.room === room);
    expect(ended.code).toBe('toegang-ingetrokken');
    ggd.send({ type: 'subscribe', room, afterSeq: 0 });
    expect(['geen-toegang', 'toegang-verlopen']).toContain((await ggd.wait('error')).code);
    ggd.close();
  });

  it('[P11] a replay sealed under an epoch that has since rotated still gets its original seq', async () => {
    const room = roomId(h, 'leerling');
    const epoch = h.state.scopes.get('leerling')?.epochs.length ?? 0;
    expect(epoch).toBeGreaterThan(1); // the revocation above rotated the leerling key
    expect(await append(ib, room, firstUpdate ?? new Uint8Array())).toMatchObject({ type: 'ack', seq: 1, duplicate: true });
  });

  it('[P15] a grant that expires ends the subscription when the expiry is reached', async () => {
    const room = roomId(h, 'leerling');
    await aclAppend(
      ib,
      h,
      await h.build(
        'grant',
        w.ib,
        {
          grants: [{ principal: { kind: 'user', userId: w.vv.userId }, scope: 'leerling', right: 'read', expiresAt: Date.now() + 1500 }],
          recipients: [w.vv.certificate],
        },
        new Date(),
      ),
    );
    const vv = await login(relay.url, w.vv);
    vv.send({ type: 'subscribe', room, afterSeq: 0 });
    await vv.wait('records', (m) => m.live);
    const ended = await vv.wait('error', (e) => e.room === room, 8000);
    expect([ended.code, ended.reason]).toEqual(['toegang-ingetrokken', 'verlopen']);
    vv.close();
  });

  it('[P8] a forged ACL record (not extending the chain) is refused and nothing is stored', async () => {
    const stale = new DossierHarness(w, h.dossier);
    const forged = await stale.build(
      'genesis',
      w.ibB,
      { grants: genesisGrants(w.ibB.organisationId, w.ibB.userId, ['leerling']) },
      new Date(),
    );
    const other = await login(relay.url, w.ibB);
    const res = await append(other, `${h.dossier}/toegang`, encodeEnvelope(forged));
    expect(codeOf(res)).toMatch(/geen-schrijfrecht|toegangsrecord-geweigerd/);
    other.close();
  });

  it("[P8][P11] an admin's ACL record that does not extend the chain is refused without being stored; a replayed one gets its original seq", async () => {
    const toegang = `${h.dossier}/toegang`;
    const headBefore = await relay.relay.opts.storage.headSeq(toegang);
    const stale = new DossierHarness(w, h.dossier);
    await stale.apply(h.log[0] as Parameters<DossierHarness['apply']>[0], new Date());
    for (let i = 0; i < 50; i++) stale.nextCounter(w.ib);
    const fork = await stale.build(
      'grant',
      w.ib,
      {
        grants: [{ principal: { kind: 'user', userId: w.loket.userId }, scope: 'leerling', right: 'read', expiresAt: null }],
        recipients: [w.loket.certificate],
      },
      new Date(),
    );
    const res = await append(ib, toegang, encodeEnvelope(fork));
    expect(res.type === 'error' && [res.code, res.reason]).toEqual(['toegangsrecord-geweigerd', 'voorganger-onjuist']);
    expect(await relay.relay.opts.storage.headSeq(toegang)).toBe(headBefore);
    const replay = await append(ib, toegang, encodeEnvelope(h.log[0] as Parameters<DossierHarness['apply']>[0]));
    expect(replay).toMatchObject({ type: 'ack', seq: 1, duplicate: true });
  });

  it('[P16] a seen marker is stored like a record; one claiming more than the head is refused', async () => {
    const room = roomId(h, 'leerling');
    const head = await relay.relay.opts.storage.headSeq(room);
    const ok = await seal(h, w.coo, room, '', { kind: 'seen', publicPart: encodeSeenPublicPart({ upToSeq: head }) });
    expect(codeOf(await append(coo, room, ok))).toBe('ack');
    const tooFar = await seal(h, w.coo, room, '', { kind: 'seen', publicPart: encodeSeenPublicPart({ upToSeq: head + 50 }) });
    expect(codeOf(await append(coo, room, tooFar))).toBe('bericht-ongeldig');
  });

  it('[P13] snapshots form a hash chain: the relay refuses one that does not extend its current snapshot', async () => {
    const room = roomId(h, 'leerling');
    const head = await relay.relay.opts.storage.headSeq(room);
    const s1 = await seal(h, w.ib, room, 'snapshot 1', {
      kind: 'snapshot',
      publicPart: encodeSnapshotPublicPart({ prev: null, coversSeq: 2 }),
    });
    let ref = ib.nextRef();
    ib.send({ type: 'snapshot', ref, room, coversSeq: 2, envelope: s1 });
    expect(await ib.answer(ref)).toMatchObject({ type: 'ack', seq: 2 });
    const wrong = await seal(h, w.ib, room, 'snapshot fork', {
      kind: 'snapshot',
      publicPart: encodeSnapshotPublicPart({ prev: null, coversSeq: 3 }),
    });
    ref = ib.nextRef();
    ib.send({ type: 'snapshot', ref, room, coversSeq: 3, envelope: wrong });
    expect(codeOf(await ib.answer(ref))).toBe('momentopname-onjuist');
    const beyond = await seal(h, w.ib, room, 'snapshot te ver', {
      kind: 'snapshot',
      publicPart: encodeSnapshotPublicPart({ prev: sha(s1), coversSeq: head + 10 }),
    });
    ref = ib.nextRef();
    ib.send({ type: 'snapshot', ref, room, coversSeq: head + 10, envelope: beyond });
    expect(codeOf(await ib.answer(ref))).toBe('momentopname-onjuist');
    const s2 = await seal(h, w.ib, room, 'snapshot 2', {
      kind: 'snapshot',
      publicPart: encodeSnapshotPublicPart({ prev: sha(s1), coversSeq: 3 }),
    });
    ref = ib.nextRef();
    ib.send({ type: 'snapshot', ref, room, coversSeq: 3, envelope: s2 });
    expect(await ib.answer(ref)).toMatchObject({ type: 'ack', seq: 3 });

    // A newcomer gets the snapshot and only the records after it.
    const fresh = await login(relay.url, w.coo);
    fresh.send({ type: 'subscribe', room, afterSeq: 0 });
    const batch = await fresh.wait('records', (m) => m.room === room);
    expect(batch.snapshot?.coversSeq).toBe(3);
    expect(batch.snapshot?.envelope).toEqual(s2);
    expect(batch.records[0]?.seq).toBe(4);
    fresh.close();
  });

  it('[P14] awareness is forwarded to the other subscribers and never stored', async () => {
    const room = roomId(h, 'leerling');
    ib.send({ type: 'subscribe', room, afterSeq: 1_000_000 });
    await ib.wait('records', (m) => m.room === room && m.live);
    const before = await relay.relay.opts.storage.headSeq(room);
    const aw = await seal(h, w.ib, room, 'cursor', { kind: 'awareness' });
    ib.send({ type: 'awareness', room, envelope: aw });
    const got = await coo.wait('awareness', (m) => m.room === room);
    expect(got.envelope).toEqual(aw);
    expect(await relay.relay.opts.storage.headSeq(room)).toBe(before);
  });

  it('[P17] attachments: members upload and download by hash; a wrong hash or a non-member is refused', async () => {
    const room = roomId(h, 'leerling');
    const data = new Uint8Array(200_000).map((_, i) => (i * 31) % 251);
    let ref = ib.nextRef();
    ib.send({ type: 'blob-put', ref, room, hash: sha(data), data });
    expect(codeOf(await ib.answer(ref))).toBe('blob-stored');
    ref = coo.nextRef();
    coo.send({ type: 'blob-get', ref, room, hash: sha(data) });
    const blob = await coo.answer(ref);
    expect(blob.type === 'blob' && blob.data).toEqual(data);
    // Only from the room it was put in: naming another readable room (toegang) finds nothing.
    ref = coo.nextRef();
    coo.send({ type: 'blob-get', ref, room: `${h.dossier}/toegang`, hash: sha(data) });
    expect(codeOf(await coo.answer(ref))).toBe('bijlage-onbekend');
    ref = ib.nextRef();
    ib.send({ type: 'blob-put', ref, room, hash: sha(new Uint8Array(1)), data });
    expect(codeOf(await ib.answer(ref))).toBe('bijlage-onjuist');
    const other = await login(relay.url, w.ibB);
    ref = other.nextRef();
    other.send({ type: 'blob-get', ref, room, hash: sha(data) });
    expect(codeOf(await other.answer(ref))).toBe('geen-toegang');
    other.close();
  });

  it('[P10] seqs of a room are consecutive from 1, whatever was refused in between', async () => {
    const room = roomId(h, 'leerling');
    const recs = await relay.relay.opts.storage.readRecords(room, 0, 1000, 1e9);
    expect(recs.map((r) => r.seq)).toEqual(recs.map((_, i) => i + 1));
    for (const r of recs) expect(decodeEnvelope(r.envelope).ok).toBe(true);
  });
});

describe('no plaintext on the relay disk [P24]', () => {
  it('[P24] after the scenarios the store (lmdb files or PostgreSQL rows) holds no marker plaintext and no person names', async () => {
    await relay.relay.committer.idle();
    const all = await storedBytes(relay.data);
    // The store is not empty: the envelopes are there, sealed.
    expect(all.length).toBeGreaterThan(10_000);
    for (const secret of ['MARKER-plaintext-Jansen-7781', w.ib.profile.achternaam, w.coo.profile.achternaam, 'Sanne']) {
      expect(all.includes(Buffer.from(secret, 'utf8'))).toBe(false);
    }
  });
});

describe('operations [P23]', () => {
  it('[P23] /healthz answers with the relay state and no content', async () => {
    const res = await fetch(`${relay.url.replace('ws://', 'http://')}/healthz`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { ok: boolean; connections: number };
    expect(body.ok).toBe(true);
    expect(Object.keys(body).sort()).toEqual(['connections', 'ok']);
  });
});
