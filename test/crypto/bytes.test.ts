import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { concatBytes, equalBytes, fromBase64Url, toBase64Url, toHex, utf8Decode, utf8Encode } from '../../core/crypto/bytes.js';
import { fromHex } from './helpers.js';

describe('bytes', () => {
  it('base64url round-trips any bytes and matches RFC 4648 test vectors', () => {
    const rfc: [string, string][] = [
      ['', ''],
      ['f', 'Zg'],
      ['fo', 'Zm8'],
      ['foo', 'Zm9v'],
      ['foob', 'Zm9vYg'],
      ['fooba', 'Zm9vYmE'],
      ['foobar', 'Zm9vYmFy'],
    ];
    for (const [plain, enc] of rfc) {
      expect(toBase64Url(utf8Encode(plain))).toBe(enc);
      const back = fromBase64Url(enc);
      expect(back.ok && utf8Decode(back.value)).toBe(plain);
    }
    expect(toBase64Url(new Uint8Array([0xfb, 0xff]))).toBe('-_8');
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (b) => {
        const r = fromBase64Url(toBase64Url(b));
        return r.ok && equalBytes(r.value, b);
      }),
    );
  });

  it('base64url decoding refuses padding, foreign characters, bad lengths and non-zero leftover bits', () => {
    for (const bad of ['Zg==', 'Zm9v+', 'Z', 'Zh', 'Zm9=', 'ab cd', 'Zm9vYmF/']) {
      const r = fromBase64Url(bad);
      expect(r.ok, bad).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('base64-ongeldig');
    }
  });

  it('hex round-trips and refuses odd or non-hex input', () => {
    expect(toHex(new Uint8Array([0, 15, 255]))).toBe('000fff');
    const r = fromHex('000fFF');
    expect(r.ok && Array.from(r.value)).toEqual([0, 15, 255]);
    expect(fromHex('abc').ok).toBe(false);
    expect(fromHex('zz').ok).toBe(false);
  });

  it('equalBytes compares contents and lengths', () => {
    expect(equalBytes(new Uint8Array([1, 2]), new Uint8Array([1, 2]))).toBe(true);
    expect(equalBytes(new Uint8Array([1, 2]), new Uint8Array([1, 3]))).toBe(false);
    expect(equalBytes(new Uint8Array([1, 2]), new Uint8Array([1, 2, 0]))).toBe(false);
  });

  it('concatBytes joins in order and utf8 decoding refuses invalid sequences', () => {
    expect(Array.from(concatBytes(new Uint8Array([1]), new Uint8Array([]), new Uint8Array([2, 3])))).toEqual([1, 2, 3]);
    expect(utf8Decode(utf8Encode('Zoë 🙂'))).toBe('Zoë 🙂');
    expect(() => utf8Decode(new Uint8Array([0xc3, 0x28]))).toThrow();
  });
});
