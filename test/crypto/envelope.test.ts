// Envelopes: every sealed message in Kindkluis. Round trips, fail-closed
// opening (tamper, swap, wrong room/epoch/kind/key, unknown author, replay) and
// strict decoding of hostile bytes.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { nobleProvider as p } from '../../core/crypto/noble-provider.js';
import {
  decodeEnvelope,
  encodeEnvelope,
  ENVELOPE_KINDS,
  envelopeHash,
  openEnvelope,
  sealEnvelope,
  verifyEnvelopeSignature,
  type Envelope,
  type EnvelopeHeader,
  type EnvelopeKind,
} from '../../core/crypto/envelope.js';
import { deviceIdFromPublicKey } from '../../core/crypto/device-id.js';
import { concatBytes, equalBytes, toHex, utf8Encode } from '../../core/crypto/bytes.js';
import { asId, type RoomId } from '../../core/model/ids.js';
import type { AeadAlgorithm } from '../../core/crypto/provider.js';
import { createWebCryptoProvider } from '../../core/crypto/webcrypto-provider.js';

const device = await p.ed25519KeyPair(new Uint8Array(32).fill(7));
const other = await p.ed25519KeyPair(new Uint8Array(32).fill(8));
const author = deviceIdFromPublicKey(device.publicKey);
const room = asId<RoomId>('d-7f3a/hulpvraag:h-1');
const key = new Uint8Array(32).fill(42);
const secret = utf8Encode('Leerling heeft extra ondersteuning nodig bij rekenen.');

const header = (over: Partial<EnvelopeHeader> = {}): EnvelopeHeader => ({
  v: 1,
  kind: 'update',
  room,
  epoch: 3,
  author,
  counter: 5,
  alg: 'xchacha20poly1305',
  ...over,
});
const seal = (over: Partial<EnvelopeHeader> = {}, extra: { publicPart?: Uint8Array; plaintext?: Uint8Array; prev?: Uint8Array } = {}) =>
  sealEnvelope(p, {
    header: header(over),
    key,
    plaintext: extra.plaintext ?? secret,
    signingSecretKey: device.secretKey,
    ...(extra.publicPart ? { publicPart: extra.publicPart } : {}),
    ...(extra.prev ? { prev: extra.prev } : {}),
  });
const open = (env: Envelope, over: Partial<Parameters<typeof openEnvelope>[2]> = {}) =>
  openEnvelope(p, env, { key, room, epoch: 3, ...over });

const expectCode = async (pending: Promise<{ ok: boolean; error?: { code: string; message: string } }>, code: string) => {
  const r = await pending;
  expect(r.ok).toBe(false);
  expect(r.error?.code).toBe(code);
  // Zero plaintext in error messages.
  expect(r.error?.message).not.toContain('rekenen');
};

describe('envelope', () => {
  it('[R5] round-trips through seal, encode, decode and open for every kind, algorithm and optional public part', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 300 }),
        fc.option(fc.uint8Array({ maxLength: 50 }), { nil: undefined }),
        fc.constantFrom<EnvelopeKind>(...ENVELOPE_KINDS),
        fc.constantFrom<AeadAlgorithm>('xchacha20poly1305', 'aes256gcm'),
        fc.string({ minLength: 1, maxLength: 40 }),
        fc.nat(),
        fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
        fc.option(fc.uint8Array({ minLength: 32, maxLength: 32 }), { nil: undefined }),
        async (plaintext, publicPart, kind, alg, roomText, epoch, counter, prev) => {
          const h = header({ kind, alg, room: asId<RoomId>(roomText), epoch, counter });
          const env = await sealEnvelope(p, {
            header: h,
            key,
            plaintext,
            signingSecretKey: device.secretKey,
            ...(publicPart ? { publicPart } : {}),
            ...(prev ? { prev } : {}),
          });
          const decoded = decodeEnvelope(encodeEnvelope(env));
          expect(decoded.ok).toBe(true);
          if (!decoded.ok) return;
          expect(decoded.value).toEqual(env);
          const r = await openEnvelope(p, decoded.value, { key, room: h.room, epoch, lastCounter: counter - 1, kind });
          expect(r.ok && toHex(r.value)).toBe(toHex(plaintext));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('[R7] any single flipped bit in the encoded envelope makes decoding or opening fail (every bit tried)', async () => {
    const env = await seal({}, { publicPart: utf8Encode('publiek'), prev: new Uint8Array(32).fill(3) });
    const bytes = encodeEnvelope(env);
    for (let bit = 0; bit < bytes.length * 8; bit++) {
      const tampered = bytes.slice();
      tampered[bit >> 3] = (tampered[bit >> 3] ?? 0) ^ (1 << (bit & 7));
      const decoded = decodeEnvelope(tampered);
      if (!decoded.ok) continue;
      // Open with the (possibly tampered) room and epoch, so the signature and commitment are what must catch it.
      const r = await open(decoded.value, { room: decoded.value.header.room, epoch: decoded.value.header.epoch });
      expect(r.ok, `bit ${bit}`).toBe(false);
    }
  });

  it('[R7] a header, public part or signature moved from another envelope is refused', async () => {
    const a = await seal({ counter: 5 }, { publicPart: utf8Encode('a') });
    const b = await seal({ counter: 6 }, { publicPart: utf8Encode('b') });
    await expectCode(open({ ...a, header: b.header }), 'handtekening-ongeldig');
    await expectCode(open({ ...a, publicPart: utf8Encode('b') }), 'handtekening-ongeldig');
    await expectCode(open({ ...a, signature: b.signature }), 'handtekening-ongeldig');
    await expectCode(open({ ...a, ciphertext: b.ciphertext }), 'handtekening-ongeldig');
    const { publicPart: _drop, ...withoutPublic } = a;
    await expectCode(open(withoutPublic), 'handtekening-ongeldig');
    expect(await verifyEnvelopeSignature(p, a)).toBe(true);
  });

  it('[P26] the signature covers the link: it can be neither stripped, added nor changed', async () => {
    const linked = await seal({}, { prev: new Uint8Array(32).fill(1) });
    const plain = await seal();
    expect((await open(linked)).ok).toBe(true);
    const { prev: _drop, ...stripped } = linked;
    await expectCode(open(stripped), 'handtekening-ongeldig');
    await expectCode(open({ ...plain, prev: new Uint8Array(32).fill(1) }), 'handtekening-ongeldig');
    await expectCode(open({ ...linked, prev: new Uint8Array(32).fill(2) }), 'handtekening-ongeldig');
    // An envelope without a link signs exactly the digest it signed before links existed.
    expect(decodeEnvelope(encodeEnvelope(plain)).ok && !('prev' in plain)).toBe(true);
    await expect(seal({}, { prev: new Uint8Array(31) })).rejects.toThrow();
  });

  it('[R27] the wire form is unique: whatever decodes re-encodes to the very same bytes (stable envelope hashes)', async () => {
    const bytes = encodeEnvelope(await seal({}, { publicPart: utf8Encode('p'), prev: new Uint8Array(32).fill(9) }));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: bytes.length - 1 }), fc.integer({ min: 0, max: 255 }), fc.nat({ max: 3 }), (at, value, cut) => {
        const mutated = bytes.slice(0, bytes.length - cut);
        if (at < mutated.length) mutated[at] = value;
        const r = decodeEnvelope(mutated);
        if (r.ok) expect(toHex(encodeEnvelope(r.value))).toBe(toHex(mutated));
      }),
      { numRuns: 2000 },
    );
  });

  it('[R5] an envelope re-labelled as another kind fails: the signature context is per kind', async () => {
    const env = await seal({ kind: 'update' });
    await expectCode(open({ ...env, header: { ...env.header, kind: 'snapshot' } }), 'handtekening-ongeldig');
    await expectCode(open(env, { kind: 'keybox' }), 'envelop-soort-onjuist');
  });

  it('[R7] a correctly signed envelope for another room or epoch is refused', async () => {
    await expectCode(open(await seal({ room: asId<RoomId>('d-7f3a/leerling') })), 'kamer-onjuist');
    await expectCode(open(await seal({ epoch: 2 })), 'epoch-onjuist');
  });

  it('[R7] a replayed or old counter is refused, a higher one accepted', async () => {
    const env = await seal({ counter: 5 });
    await expectCode(open(env, { lastCounter: 5 }), 'teller-herhaald');
    await expectCode(open(env, { lastCounter: 9 }), 'teller-herhaald');
    expect((await open(env, { lastCounter: 4 })).ok).toBe(true);
  });

  it('[R7] an unknown author is refused, and a signature by another key than the named author fails', async () => {
    const env = await seal();
    await expectCode(open(env, { isKnownAuthor: () => false }), 'auteur-onbekend');
    expect((await open(env, { isKnownAuthor: (id) => id === author })).ok).toBe(true);
    const forged = await sealEnvelope(p, { header: header(), key, plaintext: secret, signingSecretKey: other.secretKey });
    await expectCode(open(forged), 'handtekening-ongeldig');
  });

  it('[R6] is key-committing: under any other key the commitment fails before decryption', async () => {
    for (const alg of ['xchacha20poly1305', 'aes256gcm'] as const) {
      const env = await seal({ alg });
      await expectCode(open(env, { key: new Uint8Array(32).fill(43) }), 'sleutel-onjuist');
    }
  });

  it('[R27] decoding refuses trailing bytes, truncation, unknown versions, kinds, algorithms and bad fields', async () => {
    const env = await seal({}, { publicPart: utf8Encode('x') });
    const bytes = encodeEnvelope(env);
    const code = (b: Uint8Array) => {
      const r = decodeEnvelope(b);
      return r.ok ? 'ok' : r.error.code;
    };
    expect(code(bytes)).toBe('ok');
    expect(code(concatBytes(bytes, new Uint8Array([0])))).toBe('envelop-ongeldig');
    for (let cut = 0; cut < bytes.length; cut += 7) expect(code(bytes.subarray(0, cut))).not.toBe('ok');
    const patched = (at: number, value: number) => {
      const b = bytes.slice();
      b[at] = value;
      return b;
    };
    expect(code(patched(0, 2))).toBe('envelop-versie-onbekend');
    expect(code(patched(1, ENVELOPE_KINDS.length))).toBe('envelop-soort-onbekend');
    expect(code(patched(2, 2))).toBe('envelop-ongeldig');
    expect(code(new Uint8Array([1, 0, 0, 0]))).toBe('envelop-ongeldig'); // empty room
    const roomLength = bytes[3] ?? 0;
    const counterAt = 4 + roomLength + 1 + 32;
    expect(code(patched(counterAt, 0))).toBe('envelop-ongeldig'); // counter 0
    expect(code(patched(counterAt + 1, 4))).toBe('envelop-ongeldig'); // unknown flag bit
    expect(code(patched(counterAt + 1, 0xff))).toBe('envelop-ongeldig');
    expect(code(patched(4, 0xff))).toBe('envelop-ongeldig'); // invalid UTF-8 in room
    expect(code(new Uint8Array([1, 0, 0, 0x81, 0x04]))).toBe('envelop-ongeldig'); // room longer than allowed
  });

  it('gives a stable hash for hash chains and refuses to seal malformed headers', async () => {
    const env = await seal();
    expect(equalBytes(await envelopeHash(p, env), await envelopeHash(p, env))).toBe(true);
    expect((await envelopeHash(p, env)).length).toBe(32);
    await expect(seal({ counter: 0 })).rejects.toThrow();
    await expect(seal({ epoch: -1 })).rejects.toThrow();
    await expect(seal({ room: asId<RoomId>('') })).rejects.toThrow();
    await expect(seal({ author: asId('niet-een-sleutel') })).rejects.toThrow();
  });

  it('two envelopes with the same plaintext differ (fresh nonce per seal)', async () => {
    const a = await seal();
    const b = await seal();
    expect(toHex(a.nonce)).not.toBe(toHex(b.nonce));
    expect(toHex(a.ciphertext)).not.toBe(toHex(b.ciphertext));
  });

  it('[R8] an AES-GCM envelope sealed by one provider opens with the other, and XChaCha needs noble', async () => {
    const web = await createWebCryptoProvider();
    for (const [a, b] of [
      [p, web],
      [web, p],
    ] as const) {
      const env = await sealEnvelope(a, {
        header: header({ alg: 'aes256gcm' }),
        key,
        plaintext: secret,
        signingSecretKey: device.secretKey,
      });
      const decoded = decodeEnvelope(encodeEnvelope(env));
      expect(decoded.ok).toBe(true);
      if (!decoded.ok) return;
      const r = await openEnvelope(b, decoded.value, { key, room, epoch: 3 });
      expect(r.ok && toHex(r.value)).toBe(toHex(secret));
    }
    const x = await seal({ alg: 'xchacha20poly1305' });
    await expectCode(openEnvelope(web, x, { key, room, epoch: 3 }), 'algorithm-unsupported');
    await expect(sealEnvelope(web, { header: header(), key, plaintext: secret, signingSecretKey: device.secretKey })).rejects.toThrow();
  });
});
