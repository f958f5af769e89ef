// Attachments: chunked STREAM encryption, 10 MB limit, content address.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { nobleProvider } from '../../core/crypto/noble-provider.js';
import { createWebCryptoProvider } from '../../core/crypto/webcrypto-provider.js';
import {
  ATTACHMENT_CHUNK_BYTES,
  decryptAttachment,
  encryptAttachment,
  MAX_ATTACHMENT_BYTES,
  type SealedAttachment,
} from '../../core/crypto/attachment.js';
import { concatBytes, toBase64Url, toHex } from '../../core/crypto/bytes.js';
import type { CryptoProvider } from '../../core/crypto/provider.js';

const web = await createWebCryptoProvider();
const C = ATTACHMENT_CHUNK_BYTES;
const SEALED = C + 16;
const HEADER = 2 + 12 - 5; // AES-GCM blob header

const file = (n: number, seed = 1) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff);
async function enc(p: CryptoProvider, data: Uint8Array): Promise<SealedAttachment> {
  const r = await encryptAttachment(p, data);
  if (!r.ok) throw new Error(r.error.code);
  return r.value;
}
const chunksOf = (ct: Uint8Array) => {
  const out: Uint8Array[] = [];
  for (let at = HEADER; at < ct.length; at += SEALED) out.push(ct.subarray(at, at + SEALED));
  return { header: ct.subarray(0, HEADER), chunks: out };
};
const expectInvalid = async (p: CryptoProvider, ct: Uint8Array, key: Uint8Array) => {
  const r = await decryptAttachment(p, ct, key);
  expect(!r.ok && r.error.code).toBe('bijlage-ongeldig');
};

describe.each([
  ['noble', nobleProvider],
  ['webcrypto', web],
] as const)('[R10] attachments with %s', (_name, p) => {
  it('round-trip at chunk boundaries, including empty files and exactly 10 MB', async () => {
    for (const n of [0, 1, C - 1, C, C + 1, 3 * C, MAX_ATTACHMENT_BYTES]) {
      const data = file(n);
      const sealed = await enc(p, data);
      expect(sealed.size).toBe(n);
      // The address is the SHA-256 of the ciphertext (R10): the relay can check it without a key.
      expect(sealed.address).toBe(toBase64Url(await p.sha256(sealed.ciphertext)));
      const r = await decryptAttachment(p, sealed.ciphertext, sealed.key, sealed.address);
      expect(r.ok, `size ${n}`).toBe(true);
      if (r.ok) expect(r.value.length === n && toHex(r.value.subarray(-50)) === toHex(data.subarray(-50))).toBe(true);
    }
  });

  it('refuses files over 10 MB with the limit in the Dutch message', async () => {
    const r = await encryptAttachment(p, new Uint8Array(MAX_ATTACHMENT_BYTES + 1));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('bijlage-te-groot');
      expect(r.error.message).toContain('maximaal 10 MB');
    }
  });

  it('reordered, dropped, duplicated or appended chunks are refused', async () => {
    const { ciphertext, key } = await enc(p, file(3 * C + 100));
    const { header, chunks } = chunksOf(ciphertext);
    const [c0, c1, c2, c3] = chunks as [Uint8Array, Uint8Array, Uint8Array, Uint8Array];
    await expectInvalid(p, concatBytes(header, c1, c0, c2, c3), key); // reorder
    await expectInvalid(p, concatBytes(header, c0, c1, c2), key); // truncate at a chunk boundary
    await expectInvalid(p, concatBytes(header, c0, c1, c3), key); // drop a middle chunk
    await expectInvalid(p, concatBytes(header, c0, c0, c1, c2, c3), key); // duplicate
    await expectInvalid(p, concatBytes(ciphertext, c3), key); // extend after the last chunk
    await expectInvalid(p, ciphertext.subarray(0, ciphertext.length - 1), key); // truncate mid-chunk
  });

  it('a file whose size is an exact multiple of the chunk size cannot be cut back to fewer chunks', async () => {
    const { ciphertext, key } = await enc(p, file(2 * C));
    await expectInvalid(p, ciphertext.subarray(0, HEADER + SEALED), key);
  });

  it('chunks moved between files are refused, even at the same position', async () => {
    const a = await enc(p, file(2 * C + 5, 1));
    const b = await enc(p, file(2 * C + 5, 2));
    const ca = chunksOf(a.ciphertext);
    const cb = chunksOf(b.ciphertext);
    await expectInvalid(p, concatBytes(ca.header, ca.chunks[0]!, cb.chunks[1]!, ca.chunks[2]!), a.key);
    await expectInvalid(p, concatBytes(cb.header, ca.chunks[0]!, ca.chunks[1]!, ca.chunks[2]!), a.key); // other file's nonce prefix
    await expectInvalid(p, a.ciphertext, b.key);
  });

  it('a blob that does not match its address is refused before decryption', async () => {
    const a = await enc(p, file(10));
    const b = await enc(p, file(10, 3));
    const r = await decryptAttachment(p, b.ciphertext, a.key, a.address);
    expect(!r.ok && r.error.code).toBe('bijlage-adres-onjuist');
  });
});

describe('[R10] attachments across providers', () => {
  it('a blob sealed by one provider opens with the other; XChaCha blobs open with noble', async () => {
    for (const [a, b] of [
      [nobleProvider, web],
      [web, nobleProvider],
    ] as const) {
      const data = file(C + 7);
      const s = await enc(a, data);
      const r = await decryptAttachment(b, s.ciphertext, s.key, s.address);
      expect(r.ok && toHex(r.value)).toBe(toHex(data));
    }
    const x = await encryptAttachment(nobleProvider, file(C + 7), { alg: 'xchacha20poly1305' });
    expect(x.ok).toBe(true);
    if (!x.ok) return;
    expect((await decryptAttachment(nobleProvider, x.value.ciphertext, x.value.key)).ok).toBe(true);
    const r = await decryptAttachment(web, x.value.ciphertext, x.value.key);
    expect(!r.ok && r.error.code).toBe('algorithm-unsupported');
  });

  it('any single flipped bit in a small blob is detected', async () => {
    const s = await enc(nobleProvider, file(300));
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: s.ciphertext.length * 8 - 1 }), async (bit) => {
        const t = s.ciphertext.slice();
        t[bit >> 3] = (t[bit >> 3] ?? 0) ^ (1 << (bit & 7));
        expect((await decryptAttachment(nobleProvider, t, s.key)).ok).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses garbage without throwing', async () => {
    const key = new Uint8Array(32);
    for (const g of [new Uint8Array(0), Uint8Array.of(1), Uint8Array.of(2, 1, 0, 0), new Uint8Array(HEADER + 15).fill(1)]) {
      expect((await decryptAttachment(nobleProvider, g, key)).ok).toBe(false);
    }
  });
});
