// Hostile input against a real relay process on 127.0.0.1, generated with
// fast-check: random bytes, truncated frames, wrong schemas, huge lengths,
// unknown types, appends before login, chains and signatures of unknown keys,
// text and oversized frames. Each connection gets an error or a close, the
// process never dies, its memory stays bounded, and a logged-in member keeps
// working throughout.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import WebSocket from 'ws';
import { asId, type DossierId } from '../../core/model/ids.js';
import { encodeEnvelope } from '../../core/crypto/envelope.js';
import { encodeCanonical } from '../../core/crypto/canonical.js';
import { genesisGrants } from '../../core/access/genesis.js';
import { encodeClientMessage, CLIENT_TAGS } from '../../core/sync/protocol-codec.js';
import { DossierHarness, makeMember, makeOrg, makeSwv, makeWorld, provider, type Member, type World } from '../access/fixtures.js';
import { append, chainBytes, codeOf, login, roomId, seal, tempDir, type TestClient } from './helpers.js';
import { spawnRelay, type ChildRelay } from './child-relay.js';

const MAX_FRAME = 64 * 1024;

const rssOf = (pid: number): number => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m?.[1] ?? 0) * 1024;
};

let w: World;
let relay: ChildRelay;
let witness: TestClient;
let h: DossierHarness;
let stranger: Member;

beforeAll(async () => {
  w = await makeWorld();
  relay = await spawnRelay(w, tempDir('kk-hostile-'), ['--max-frame-bytes', String(MAX_FRAME), '--records-per-second', '100000']);
  witness = await login(relay.url, w.ib);
  h = new DossierHarness(w, asId<DossierId>('dos-hostile'));
  const genesis = await h.build('genesis', w.ib, { grants: genesisGrants(w.ib.organisationId, w.ib.userId, ['leerling']) }, new Date());
  expect(codeOf(await append(witness, `${h.dossier}/toegang`, encodeEnvelope(genesis)))).toBe('ack');
  await h.apply(genesis, new Date());
  const swv = await makeSwv('swv-vreemd');
  stranger = await makeMember(swv, await makeOrg(swv, 'brin-00xx', 'Vreemd', 'school'), 'u-vreemd', ['intern-begeleider']);
}, 60_000);

afterAll(async () => {
  witness.close();
  relay.proc.kill('SIGKILL');
  await relay.exited;
});

/** The room's head as a fresh subscriber sees it. */
async function headOf(room: string): Promise<number> {
  const c = await login(relay.url, w.coo);
  c.send({ type: 'subscribe', room, afterSeq: 1_000_000 });
  const r = await c.wait('records', (m) => m.room === room);
  c.close();
  return r.headSeq;
}

/** One hostile conversation; resolves to what the relay did: 'error', 'close' or 'answer' (a valid pre-auth request). */
async function attack(frames: readonly (Uint8Array | string)[]): Promise<'error' | 'close' | 'answer'> {
  const ws = new WebSocket(relay.url);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return new Promise((resolve, reject) => {
    let sawError = false;
    let sawAnswer = false;
    const timer = setTimeout(() => {
      ws.terminate();
      if (sawError) resolve('error');
      else if (sawAnswer) resolve('answer');
      else reject(new Error('neither an error nor a close'));
    }, 3000);
    ws.on('message', (data: Buffer) => {
      // Tag 0 is `error` in every version.
      if (data[0] === 0) sawError = true;
      else sawAnswer = true;
    });
    ws.on('close', () => {
      clearTimeout(timer);
      resolve(sawError ? 'error' : 'close');
    });
    ws.on('error', () => undefined);
    for (const f of frames) ws.send(f);
    // A stream of valid pre-auth requests would be answered; end them with garbage to force the verdict.
    setTimeout(() => ws.readyState === ws.OPEN && ws.send(new Uint8Array([255, 1, 2])), 200);
  });
}

const b = (n: number, fill = 1) => new Uint8Array(n).fill(fill);

function hostileFrames(): fc.Arbitrary<(Uint8Array | string)[]> {
  const randomBytes = fc.uint8Array({ minLength: 0, maxLength: 3000 });
  const validSamples = [
    encodeClientMessage({ type: 'hello', protocolVersion: 1, chain: chainBytes(w.coo) }),
    encodeClientMessage({ type: 'append', ref: 1, room: 'dos-hostile/leerling', envelope: b(200) }),
    encodeClientMessage({ type: 'subscribe', room: 'dos-hostile/leerling', afterSeq: 0 }),
    encodeClientMessage({ type: 'blob-put', ref: 1, room: 'dos-hostile/leerling', hash: b(32), data: b(1000) }),
  ];
  const truncated = fc.tuple(fc.constantFrom(...validSamples), fc.nat()).map(([f, n]) => f.slice(0, n % Math.max(1, f.length - 1)));
  const wrongSchema = fc
    .tuple(
      fc.integer({ min: 0, max: CLIENT_TAGS.length - 1 }),
      fc.dictionary(
        fc.constantFrom('room', 'ref', 'envelope', 'chain', 'protocolVersion', 'afterSeq', 'data', 'box', 'zzz'),
        fc.oneof(fc.integer(), fc.string(), fc.uint8Array({ maxLength: 64 }), fc.constant(null), fc.array(fc.integer(), { maxLength: 3 })),
      ),
    )
    .map(([tag, body]) => new Uint8Array([tag, ...encodeCanonical(body)]));
  // Tag, object of one key whose value claims ~2^49 bytes.
  const hugeLength = fc
    .integer({ min: 0, max: CLIENT_TAGS.length - 1 })
    .map((tag) => new Uint8Array([tag, 8, 1, 4, 114, 111, 111, 109, 6, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f]));
  const unknownType = fc
    .tuple(fc.integer({ min: CLIENT_TAGS.length, max: 255 }), fc.uint8Array({ maxLength: 100 }))
    .map(([t, rest]) => new Uint8Array([t, ...rest]));
  const beforeAuth = fc.constantFrom(...validSamples.slice(1));
  const unknownChain = fc.constant(encodeClientMessage({ type: 'hello', protocolVersion: 1, chain: chainBytes(stranger) }));
  const badAuth = fc
    .uint8Array({ minLength: 64, maxLength: 64 })
    .map((sig) => [
      encodeClientMessage({ type: 'hello', protocolVersion: 1, chain: chainBytes(w.coo) }),
      encodeClientMessage({ type: 'auth', origin: relay.url, signature: sig }),
    ]);
  const oversized = fc.constant(new Uint8Array(MAX_FRAME + 10));
  const text = fc.string({ maxLength: 200 });
  const single = fc.oneof(randomBytes, truncated, wrongSchema, hugeLength, unknownType, beforeAuth, unknownChain, oversized, text);
  return fc.oneof(fc.array(single, { minLength: 1, maxLength: 4 }), badAuth);
}

describe('hostile input [P1, P6, P12]', () => {
  it('[P1][P6][P12] every hostile conversation ends in an error or a close; the relay survives, memory stays bounded, a member keeps working', async () => {
    const room = roomId(h, 'leerling');
    // Warm-up so the baseline includes JIT and buffers.
    for (let i = 0; i < 20; i++) await attack([new Uint8Array([1, 2, 3])]);
    const rssBefore = rssOf(relay.proc.pid ?? 0);
    let conversations = 0;
    await fc.assert(
      fc.asyncProperty(hostileFrames(), async (frames) => {
        const verdict = await attack(frames);
        expect(['error', 'close', 'answer']).toContain(verdict);
        conversations++;
        if (conversations % 25 === 0) {
          // The witness is served throughout.
          expect(codeOf(await append(witness, room, await seal(h, w.ib, room, `getuige ${conversations}`)))).toBe('ack');
        }
      }),
      { numRuns: 800 },
    );
    expect(relay.proc.exitCode).toBeNull();
    expect(codeOf(await append(witness, room, await seal(h, w.ib, room, 'getuige na afloop')))).toBe('ack');
    const rssAfter = rssOf(relay.proc.pid ?? 0);
    // Bounded: 800 hostile connections (frames up to 64 KB) may not grow the process by more than 64 MB.
    expect(rssAfter - rssBefore).toBeLessThan(64 * 1024 * 1024);
    process.stdout.write(
      `hostile: ${conversations} conversations, rss before ${(rssBefore / 1e6).toFixed(1)} MB, after ${(rssAfter / 1e6).toFixed(1)} MB\n`,
    );
  }, 240_000);

  it("[P8] a logged-in member's every single-byte mutation of a valid envelope, and random envelope bytes, are refused and never stored", async () => {
    const room = roomId(h, 'leerling');
    const attacker = await login(relay.url, w.ib);
    const valid = await seal(h, w.ib, room, 'geldig');
    const headBefore = await headOf(room);
    const codes = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 1, max: 255 })).map(([at, x]) => {
            const m = valid.slice();
            m[at] = (m[at] ?? 0) ^ x;
            return m;
          }),
          fc.uint8Array({ minLength: 1, maxLength: 2000 }),
        ),
        async (envelope) => {
          const answer = await append(attacker, room, envelope);
          expect(answer.type).toBe('error');
          codes.set(codeOf(answer), (codes.get(codeOf(answer)) ?? 0) + 1);
        },
      ),
      { numRuns: 400 },
    );
    expect(await headOf(room)).toBe(headBefore);
    expect(codes.has('handtekening-ongeldig')).toBe(true);
    process.stdout.write(`mutations: ${JSON.stringify(Object.fromEntries(codes))}\n`);
    // The untouched envelope is still accepted: the refusals were about the mutations.
    expect(codeOf(await append(attacker, room, valid))).toBe('ack');
    attacker.close();
  }, 120_000);

  it('[P4] a signature by a key outside the chain never logs in', async () => {
    const verdict = await attack([
      encodeClientMessage({ type: 'hello', protocolVersion: 1, chain: chainBytes(w.coo) }),
      encodeClientMessage({ type: 'auth', origin: relay.url, signature: await provider.ed25519Sign(w.ib.device.secretKey, b(10)) }),
    ]);
    expect(verdict).toBe('error');
  });
});
