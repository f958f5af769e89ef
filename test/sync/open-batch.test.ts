// openBatch over a room's log: among many good records, exactly the bad ones come
// back rejected (each with its own code) and every good one is opened, once, in
// log order — wherever the bad ones sit, with either provider and any window.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { nobleProvider } from '../../core/crypto/noble-provider.js';
import { createWebCryptoProvider } from '../../core/crypto/webcrypto-provider.js';
import { chainHash, encodeEnvelope, sealEnvelope, type Envelope } from '../../core/crypto/envelope.js';
import { deviceIdFromPublicKey } from '../../core/crypto/device-id.js';
import { toHex, utf8Encode } from '../../core/crypto/bytes.js';
import type { CryptoProvider } from '../../core/crypto/provider.js';
import { asId, type RoomId } from '../../core/model/ids.js';
import { fail, ok } from '../../core/result.js';
import { openBatch } from '../../core/sync/open-batch.js';

const providers: [string, CryptoProvider][] = [
  ['webcrypto', await createWebCryptoProvider()],
  ['noble', nobleProvider],
];
const room = asId<RoomId>('d-4/hulpvraag:h-7');
const keys = new Map([
  [1, nobleProvider.randomBytes(32)],
  [2, nobleProvider.randomBytes(32)],
]);
const writer = await nobleProvider.ed25519KeyPair();
const outsider = await nobleProvider.ed25519KeyPair();
const outsiderId = deviceIdFromPublicKey(outsider.publicKey);

type Bad = 'bad-signature' | 'bad-commitment' | 'wrong-epoch' | 'epoch-without-key' | 'other-room' | 'not-a-member' | 'garbage';
const EXPECTED: Readonly<Record<Bad, string>> = {
  'bad-signature': 'handtekening-ongeldig',
  // Signed correctly by the author, but sealed under a key that is not the room's: the commitment fails.
  'bad-commitment': 'sleutel-onjuist',
  // Labelled epoch 2 but sealed under epoch 1's key: the commitment under epoch 2's key fails.
  'wrong-epoch': 'sleutel-onjuist',
  'epoch-without-key': 'sleutel-ontbreekt',
  'other-room': 'kamer-onjuist',
  'not-a-member': 'geen-schrijfrecht',
  garbage: 'envelop-ongeldig',
};

async function seal(
  counter: number,
  opts: { epoch?: number; key?: Uint8Array; room?: RoomId; signer?: typeof writer; prev?: Uint8Array } = {},
): Promise<Envelope> {
  const signer = opts.signer ?? writer;
  return sealEnvelope(nobleProvider, {
    header: {
      v: 1,
      kind: 'update',
      room: opts.room ?? room,
      epoch: opts.epoch ?? 1,
      author: deviceIdFromPublicKey(signer.publicKey),
      counter,
      alg: 'aes256gcm',
    },
    key: opts.key ?? keys.get(opts.epoch ?? 1)!,
    plaintext: utf8Encode(`wijziging ${counter}`),
    signingSecretKey: signer.secretKey,
    ...(opts.prev ? { prev: opts.prev } : {}),
  });
}

/** `count` records by the writer, hash-linked as the sync engine seals them (P26), from counter `from`. */
async function linkedLog(count: number, from = 1, epochOf: (i: number) => number = () => 1): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  let prev: Uint8Array | undefined;
  for (let i = 0; i < count; i++) {
    const bytes = encodeEnvelope(await seal(from + i, { epoch: epochOf(i), ...(prev ? { prev } : {}) }));
    prev = await chainHash(nobleProvider, bytes);
    out.push(bytes);
  }
  return out;
}

async function badRecord(bad: Bad, counter: number): Promise<Uint8Array> {
  switch (bad) {
    case 'bad-signature': {
      const env = await seal(counter);
      const signature = env.signature.slice();
      signature[5] = (signature[5] ?? 0) ^ 0x40;
      return encodeEnvelope({ ...env, signature });
    }
    case 'bad-commitment':
      return encodeEnvelope(await seal(counter, { key: nobleProvider.randomBytes(32) }));
    case 'wrong-epoch':
      return encodeEnvelope(await seal(counter, { epoch: 2, key: keys.get(1)! }));
    case 'epoch-without-key':
      return encodeEnvelope(await seal(counter, { epoch: 3, key: nobleProvider.randomBytes(32) }));
    case 'other-room':
      return encodeEnvelope(await seal(counter, { room: asId<RoomId>('d-4/leerling') }));
    case 'not-a-member':
      return encodeEnvelope(await seal(counter, { signer: outsider }));
    case 'garbage': {
      const bytes = encodeEnvelope(await seal(counter));
      return bytes.subarray(0, bytes.length - 3);
    }
  }
}

// 300 good records (epochs 1 and 2), hash-linked into one run and sealed once; each run places the bad ones among them.
const GOOD = 300;
const good = await linkedLog(GOOD, 1, (i) => (i < 200 ? 1 : 2));
const BADS = Object.keys(EXPECTED) as Bad[];
const bad = new Map(await Promise.all(BADS.map(async (b, i) => [b, await badRecord(b, 10_000 + i)] as const)));

const rules = {
  keyFor: (epoch: number) => keys.get(epoch),
  authorize: (env: Envelope) =>
    env.header.author === outsiderId ? fail('geen-schrijfrecht', 'De auteur mocht hier niet schrijven.') : ok(undefined),
};

describe.each(providers)('[R5][R6][R7] openBatch with the %s provider', (_name, provider) => {
  it('rejects exactly the records with a bad signature, bad commitment, wrong epoch, missing key, other room, non-member author or broken bytes, and opens every good one once, in order', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.subarray(BADS, { minLength: 1 }),
        fc.array(fc.integer({ min: 0, max: GOOD }), { minLength: BADS.length, maxLength: BADS.length }),
        fc.option(fc.integer({ min: 1, max: 64 }), { nil: undefined }),
        async (chosen, positions, concurrency) => {
          // Seqs follow log order; a bad record takes the slot before good record `positions[i]`.
          const log: { bytes: Uint8Array; bad?: Bad }[] = good.map((bytes) => ({ bytes }));
          chosen.forEach((b, i) => log.splice(Math.min(positions[i] ?? 0, log.length), 0, { bytes: bad.get(b)!, bad: b }));
          const records = log.map((l, i) => ({ seq: i + 1, bytes: l.bytes }));
          // Without a window: the default (wider than the log here).
          const { opened, rejected } = await openBatch(provider, room, records, rules, concurrency === undefined ? {} : { concurrency });

          const expectedRejected = log.flatMap((l, i) => (l.bad === undefined ? [] : [`${i + 1}:${EXPECTED[l.bad]}`]));
          expect(rejected.map((r) => `${r.seq}:${r.code}`)).toEqual(expectedRejected);
          const expectedOpened = log.flatMap((l, i) => (l.bad === undefined ? [i + 1] : []));
          expect(opened.map((o) => o.seq)).toEqual(expectedOpened);
          for (const o of opened) {
            expect(toHex(o.bytes)).toBe(toHex(records[o.seq - 1]!.bytes));
            expect(o.plaintext).toEqual(utf8Encode(`wijziging ${o.envelope.header.counter}`));
          }
        },
      ),
      { numRuns: 6 },
    );
  });

  it('[P26] a record refused before any crypto (author not a member there) ends its run: the records around it still open, one signature per run', async () => {
    let verifies = 0;
    const counted: CryptoProvider = { ...provider, ed25519Verify: (pk, m, sig) => (verifies++, provider.ed25519Verify(pk, m, sig)) };
    const log = await linkedLog(6, 500);
    const records = log.map((bytes, i) => ({ seq: i + 1, bytes }));
    const refuseThird = {
      keyFor: rules.keyFor,
      authorize: (env: Envelope) => (env.header.counter === 502 ? fail('geen-schrijfrecht', 'Niet op dit moment.') : ok(undefined)),
    };
    const { opened, rejected } = await openBatch(counted, room, records, refuseThird);
    expect(rejected.map((r) => `${r.seq}:${r.code}`)).toEqual(['3:geen-schrijfrecht']);
    expect(opened.map((o) => o.seq)).toEqual([1, 2, 4, 5, 6]);
    // Runs [1, 2] and [4, 5, 6]: the link from 4 to the refused 3 is not followed.
    expect(verifies).toBe(2);
  });

  it('an empty log opens to nothing', async () => {
    expect(await openBatch(provider, room, [], rules)).toEqual({ opened: [], rejected: [] });
  });
});
