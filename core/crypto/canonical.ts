// Deterministic binary encoding of plain values for everything that is signed
// or used as associated data: equal values always give equal bytes, and the
// decoder accepts only the one canonical form, so a signature cannot be
// re-interpreted through a second encoding of the same value.
//
// Format (one tag byte, then):
//   0x00 null · 0x01 false · 0x02 true
//   0x03 uint       varint n                      (0 ≤ n ≤ 2^53-1)
//   0x04 negative   varint m, value = -m-1        (value ≥ -(2^53-1))
//   0x05 string     varint byteLength, UTF-8
//   0x06 bytes      varint length, raw
//   0x07 array      varint count, items
//   0x08 object     varint count, (varint keyLength, UTF-8 key, value)* sorted by key bytes, no duplicates
// varint = unsigned LEB128, minimal (no trailing zero groups).
import { ok, fail, type Result, type KkError } from '../result.js';
import { utf8Encode } from './bytes.js';

export type CanonicalValue =
  | null
  | boolean
  | number
  | string
  | Uint8Array
  | readonly CanonicalValue[]
  | { readonly [key: string]: CanonicalValue | undefined };

export type CanonicalErrorCode = 'codering-ongeldig';
export type CanonicalError = KkError<CanonicalErrorCode>;

const T = { null: 0, false: 1, true: 2, uint: 3, neg: 4, string: 5, bytes: 6, array: 7, object: 8 } as const;
/** Hostile input may not exhaust the stack. */
export const MAX_CANONICAL_DEPTH = 64;

const compareBytes = (a: Uint8Array, b: Uint8Array): number => {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return a.length - b.length;
};

class Writer {
  private buf = new Uint8Array(64);
  length = 0;
  private grow(extra: number): void {
    if (this.length + extra <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.length + extra));
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }
  byte(b: number): void {
    this.grow(1);
    this.buf[this.length++] = b;
  }
  bytes(b: Uint8Array): void {
    this.grow(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }
  varint(n: number): void {
    // Arithmetic, not bit operations: values go up to 2^53-1.
    while (n >= 0x80) {
      this.byte((n % 0x80) | 0x80);
      n = Math.floor(n / 0x80);
    }
    this.byte(n);
  }
  result(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

const isPlainObject = (v: object): boolean => {
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
};

function write(w: Writer, value: unknown, depth: number): void {
  if (depth > MAX_CANONICAL_DEPTH) throw new Error('Canonieke codering: te diep genest');
  if (value === null) return w.byte(T.null);
  if (value === false) return w.byte(T.false);
  if (value === true) return w.byte(T.true);
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new Error('Canonieke codering: alleen veilige gehele getallen');
    if (value >= 0) {
      w.byte(T.uint);
      return w.varint(value === 0 ? 0 : value); // -0 becomes 0
    }
    w.byte(T.neg);
    return w.varint(-value - 1);
  }
  if (typeof value === 'string') {
    const b = utf8Encode(value);
    w.byte(T.string);
    w.varint(b.length);
    return w.bytes(b);
  }
  if (value instanceof Uint8Array) {
    w.byte(T.bytes);
    w.varint(value.length);
    return w.bytes(value);
  }
  if (Array.isArray(value)) {
    w.byte(T.array);
    w.varint(value.length);
    for (const item of value as unknown[]) {
      if (item === undefined) throw new Error('Canonieke codering: undefined in een lijst');
      write(w, item, depth + 1);
    }
    return;
  }
  if (typeof value === 'object' && isPlainObject(value)) {
    // Absent and undefined properties are the same thing (exactOptionalPropertyTypes aside).
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [utf8Encode(k), v] as const)
      .sort((a, b) => compareBytes(a[0], b[0]));
    w.byte(T.object);
    w.varint(entries.length);
    for (const [k, v] of entries) {
      w.varint(k.length);
      w.bytes(k);
      write(w, v, depth + 1);
    }
    return;
  }
  throw new Error(`Canonieke codering: type ${typeof value} wordt niet ondersteund`);
}

/** Throws on values outside CanonicalValue (a bug in the caller, not bad input). */
export function encodeCanonical(value: CanonicalValue): Uint8Array {
  const w = new Writer();
  write(w, value, 0);
  return w.result();
}

class Malformed extends Error {}
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

class Reader {
  at = 0;
  constructor(private readonly buf: Uint8Array) {}
  byte(): number {
    const b = this.buf[this.at++];
    if (b === undefined) throw new Malformed('afgekapt');
    return b;
  }
  take(n: number): Uint8Array {
    if (n > this.buf.length - this.at) throw new Malformed('lengte voorbij het einde');
    const out = this.buf.slice(this.at, this.at + n);
    this.at += n;
    return out;
  }
  varint(): number {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 8; i++) {
      const b = this.byte();
      value += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) {
        if (i > 0 && b === 0) throw new Malformed('varint niet minimaal');
        if (value > Number.MAX_SAFE_INTEGER) throw new Malformed('varint te groot');
        return value;
      }
      scale *= 0x80;
    }
    throw new Malformed('varint te lang');
  }
  text(): { bytes: Uint8Array; text: string } {
    const bytes = this.take(this.varint());
    try {
      return { bytes, text: strictUtf8.decode(bytes) };
    } catch {
      throw new Malformed('geen geldige UTF-8');
    }
  }
  get done(): boolean {
    return this.at === this.buf.length;
  }
}

function read(r: Reader, depth: number): unknown {
  if (depth > MAX_CANONICAL_DEPTH) throw new Malformed('te diep genest');
  const tag = r.byte();
  switch (tag) {
    case T.null:
      return null;
    case T.false:
      return false;
    case T.true:
      return true;
    case T.uint:
      return r.varint();
    case T.neg: {
      const m = r.varint();
      if (m >= Number.MAX_SAFE_INTEGER) throw new Malformed('getal te klein');
      return -m - 1;
    }
    case T.string:
      return r.text().text;
    case T.bytes:
      return r.take(r.varint());
    case T.array: {
      const count = r.varint();
      const items: unknown[] = [];
      // Each item is at least one byte, so `count` cannot make us loop past the input.
      for (let i = 0; i < count; i++) items.push(read(r, depth + 1));
      return items;
    }
    case T.object: {
      const count = r.varint();
      const entries: [string, unknown][] = [];
      let prev: Uint8Array | undefined;
      for (let i = 0; i < count; i++) {
        const key = r.text();
        if (prev !== undefined && compareBytes(prev, key.bytes) >= 0) throw new Malformed('sleutels niet gesorteerd of dubbel');
        prev = key.bytes;
        entries.push([key.text, read(r, depth + 1)]);
      }
      // fromEntries defines own properties, so a "__proto__" key cannot change the prototype.
      return Object.fromEntries(entries);
    }
    default:
      throw new Malformed('onbekend type');
  }
}

/** Decodes untrusted bytes; anything but the canonical encoding of one value is refused. */
export function decodeCanonical(bytes: Uint8Array): Result<unknown, CanonicalError> {
  const r = new Reader(bytes);
  try {
    const value = read(r, 0);
    if (!r.done) throw new Malformed('extra bytes na de waarde');
    return ok(value);
  } catch (e) {
    if (e instanceof Malformed) return fail('codering-ongeldig', 'De gegevens zijn niet correct gecodeerd.', { reason: e.message });
    throw e;
  }
}
