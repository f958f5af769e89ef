import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CanonicalBytes, decodeCanonical, encodeCanonical, MAX_CANONICAL_DEPTH, type CanonicalValue } from '../../core/crypto/canonical.js';
import { concatBytes, toHex, utf8Encode } from '../../core/crypto/bytes.js';
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

/** Any UTF-16 text: ASCII, any code point, and lone surrogates (which UTF-8 encoding replaces). */
const anyText = fc.oneof(
  fc.string({ unit: 'binary-ascii', maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
  // Mostly near the ASCII edge (0x7f/0x80), some anywhere in UTF-16 including lone surrogates.
  fc
    .array(fc.oneof(fc.integer({ min: 0x60, max: 0x100 }), fc.integer({ min: 0, max: 0xffff })), { maxLength: 6 })
    .map((codes) => String.fromCharCode(...codes)),
);

const textHeavyValue: fc.Arbitrary<CanonicalValue> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.maxSafeInteger(),
    anyText,
    fc.uint8Array({ maxLength: 8 }),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(anyText, tie('value'), { maxKeys: 6 }),
  ),
})).value as fc.Arbitrary<CanonicalValue>;

/** The encoder as first written, without fast paths: TextEncoder for every string, keys sorted by their UTF-8 bytes. */
function referenceEncode(value: CanonicalValue): Uint8Array {
  const varint = (n: number): number[] => {
    const out: number[] = [];
    while (n >= 0x80) {
      out.push((n % 0x80) | 0x80);
      n = Math.floor(n / 0x80);
    }
    out.push(n);
    return out;
  };
  const sized = (b: Uint8Array) => concatBytes(Uint8Array.from(varint(b.length)), b);
  const compare = (a: Uint8Array, b: Uint8Array) => {
    for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
    return a.length - b.length;
  };
  if (value === null) return Uint8Array.of(0);
  if (typeof value === 'boolean') return Uint8Array.of(value ? 2 : 1);
  if (typeof value === 'number') return value >= 0 ? Uint8Array.from([3, ...varint(value)]) : Uint8Array.from([4, ...varint(-value - 1)]);
  if (typeof value === 'string') return concatBytes(Uint8Array.of(5), sized(utf8Encode(value)));
  if (value instanceof Uint8Array) return concatBytes(Uint8Array.of(6), sized(value));
  if (value instanceof CanonicalBytes) return value.bytes;
  if (Array.isArray(value)) return concatBytes(Uint8Array.from([7, ...varint(value.length)]), ...value.map(referenceEncode));
  const entries = Object.entries(value)
    .filter((e): e is [string, CanonicalValue] => e[1] !== undefined)
    .map(([k, v]) => [utf8Encode(k), v] as const)
    .sort((a, b) => compare(a[0], b[0]));
  return concatBytes(Uint8Array.from([8, ...varint(entries.length)]), ...entries.flatMap(([k, v]) => [sized(k), referenceEncode(v)]));
}

describe('canonical encoding', () => {
  it('the fast paths (ASCII strings and keys without TextEncoder) give exactly the bytes of the plain encoder, for any text', () => {
    fc.assert(
      fc.property(textHeavyValue, (v) => {
        expect(toHex(encodeCanonical(v))).toBe(toHex(referenceEncode(v)));
      }),
      { numRuns: 2000 },
    );
  });

  it('a value encoded once (CanonicalBytes) and spliced into a larger value gives the same bytes as encoding it in place', () => {
    fc.assert(
      fc.property(textHeavyValue, textHeavyValue, (inner, other) => {
        const spliced = encodeCanonical({ header: CanonicalBytes.of(inner), rest: [other, CanonicalBytes.of(other)] });
        expect(toHex(spliced)).toBe(toHex(encodeCanonical({ header: inner, rest: [other, other] })));
        expect(decodeCanonical(spliced).ok).toBe(true);
      }),
    );
  });

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
    const deep = concatBytes(
      new Uint8Array(100_000).fill(0x07).map((_, i) => (i % 2 === 0 ? 0x07 : 0x01)),
      hex('00'),
    );
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
