import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeCanonical, encodeCanonical, MAX_CANONICAL_DEPTH, type CanonicalValue } from '../../core/crypto/canonical.js';
import { concatBytes, toHex } from '../../core/crypto/bytes.js';
import { hex } from './helpers.js';

const canonicalValue: fc.Arbitrary<CanonicalValue> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.maxSafeInteger(),
    fc.string({ unit: 'binary' }),
    fc.uint8Array({ maxLength: 40 }),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(fc.string({ unit: 'binary', maxLength: 8 }), tie('value'), { maxKeys: 5 }),
  ),
})).value as fc.Arbitrary<CanonicalValue>;

describe('canonical encoding', () => {
  it('round-trips any plain value', () => {
    fc.assert(
      fc.property(canonicalValue, (v) => {
        const r = decodeCanonical(encodeCanonical(v));
        expect(r.ok).toBe(true);
        if (r.ok) expect(r.value).toEqual(v);
      }),
    );
  });

  it('gives equal bytes for objects whose keys were inserted in a different order', () => {
    const a = encodeCanonical({ b: 1, a: [true, null], c: { y: 'x', x: new Uint8Array([1]) } });
    const b = encodeCanonical({ c: { x: new Uint8Array([1]), y: 'x' }, a: [true, null], b: 1 });
    expect(toHex(a)).toBe(toHex(b));
  });

  it('has the documented byte layout, so other implementations can reproduce it', () => {
    expect(toHex(encodeCanonical({ n: -1, s: 'é', u: 300, b: new Uint8Array([9]) }))).toBe(
      '08' + '04' + '0162' + '060109' + '016e' + '0400' + '0173' + '0502c3a9' + '0175' + '03ac02',
    );
    expect(toHex(encodeCanonical(Number.MAX_SAFE_INTEGER))).toBe('03ffffffffffffff0f');
    expect(toHex(encodeCanonical(-0))).toBe('0300');
  });

  it('every accepted input re-encodes to the same bytes (no second encoding of a value is accepted)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 24 }), (bytes) => {
        const r = decodeCanonical(bytes);
        if (r.ok) expect(toHex(encodeCanonical(r.value as CanonicalValue))).toBe(toHex(bytes));
      }),
      { numRuns: 5000 },
    );
  });

  it('[R27] refuses trailing bytes, truncation, non-minimal varints, unsorted or duplicate keys, invalid UTF-8, unknown tags', () => {
    const cases: Record<string, Uint8Array> = {
      trailing: hex('0000'),
      truncatedString: hex('0503 6162'),
      truncatedVarint: hex('0380'),
      nonMinimalVarint: hex('038000'),
      tooBig: hex('0380808080808080 10'),
      negTooSmall: hex('04ffffffffffffff0f'),
      unsorted: hex('08 02 0162 00 0161 00'),
      duplicate: hex('08 02 0161 00 0161 00'),
      badUtf8: hex('0502 c328'),
      unknownTag: hex('09'),
      empty: hex(''),
      hugeLength: hex('06ffffffffffffff0f'),
    };
    for (const [name, bytes] of Object.entries(cases)) {
      const r = decodeCanonical(bytes);
      expect(r.ok, name).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('codering-ongeldig');
    }
  });

  it('[R27] refuses hostile nesting deeper than the limit without exhausting the stack', () => {
    const deep = concatBytes(new Uint8Array(100_000).fill(0x07).map((_, i) => (i % 2 === 0 ? 0x07 : 0x01)), hex('00'));
    expect(decodeCanonical(deep).ok).toBe(false);
    let nested: CanonicalValue = null;
    for (let i = 0; i < MAX_CANONICAL_DEPTH; i++) nested = [nested];
    expect(decodeCanonical(encodeCanonical(nested)).ok).toBe(true);
  });

  it('decoding a "__proto__" key makes an own property, not a prototype', () => {
    const bytes = hex('08 01 095f5f70726f746f5f5f 08 01 0161 02');
    const r = decodeCanonical(bytes);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(Object.getPrototypeOf(r.value)).toBe(Object.prototype);
      expect(Object.keys(r.value as object)).toEqual(['__proto__']);
    }
  });

  it('throws (a caller bug) on floats, unsafe integers, undefined in arrays, and class instances', () => {
    expect(() => encodeCanonical(1.5)).toThrow();
    expect(() => encodeCanonical(2 ** 53)).toThrow();
    expect(() => encodeCanonical([undefined] as unknown as CanonicalValue)).toThrow();
    expect(() => encodeCanonical(new Date() as unknown as CanonicalValue)).toThrow();
    expect(toHex(encodeCanonical({ a: undefined, b: 1 }))).toBe(toHex(encodeCanonical({ b: 1 })));
  });
});
