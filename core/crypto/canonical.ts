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
import { ByteReader, ByteWriter, MalformedInput, isAscii } from './binary.js';

export type CanonicalValue =
  | null
  | boolean
  | number
  | string
  | Uint8Array
  | CanonicalBytes
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

const isPlainObject = (v: object): boolean => {
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
};

function write(w: ByteWriter, value: unknown, depth: number): void {
  if (depth > MAX_CANONICAL_DEPTH) throw new Error('Canonieke codering: te diep genest');
  if (typeof value === 'boolean' || value === null) {
    w.byte(value === null ? T.null : value ? T.true : T.false);
    return;
  }
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new Error('Canonieke codering: alleen veilige gehele getallen');
    if (value >= 0) {
      w.byte(T.uint).varint(value === 0 ? 0 : value); // -0 becomes 0
      return;
    }
    w.byte(T.neg).varint(-value - 1);
    return;
  }
  if (typeof value === 'string') {
    w.byte(T.string);
    if (isAscii(value)) w.sizedAscii(value);
    else w.sized(utf8Encode(value));
    return;
  }
  if (value instanceof Uint8Array) {
    w.byte(T.bytes).sized(value);
    return;
  }
  if (Array.isArray(value)) {
    w.byte(T.array).varint(value.length);
    for (const item of value as unknown[]) {
      if (item === undefined) throw new Error('Canonieke codering: undefined in een lijst');
      write(w, item, depth + 1);
    }
    return;
  }
  if (value instanceof CanonicalBytes) {
    w.bytes(value.bytes);
    return;
  }
  if (typeof value === 'object' && isPlainObject(value)) {
    writeObject(w, value as Readonly<Record<string, unknown>>, depth);
    return;
  }
  throw new Error(`Canonieke codering: type ${typeof value} wordt niet ondersteund`);
}

function writeObject(w: ByteWriter, value: Readonly<Record<string, unknown>>, depth: number): void {
  // Absent and undefined properties are the same thing (exactOptionalPropertyTypes aside).
  const keys = Object.keys(value).filter((k) => value[k] !== undefined);
  if (keys.every(isAscii)) {
    // Hot path (every envelope header, AAD and signed digest): for ASCII, UTF-16 code unit order
    // (the default sort) is byte order, and the bytes are the char codes, so no TextEncoder call.
    keys.sort();
    w.byte(T.object).varint(keys.length);
    for (const k of keys) {
      w.sizedAscii(k);
      write(w, value[k], depth + 1);
    }
    return;
  }
  const entries = keys.map((k) => [utf8Encode(k), value[k]] as const).sort((a, b) => compareBytes(a[0], b[0]));
  w.byte(T.object).varint(entries.length);
  for (const [k, v] of entries) {
    w.sized(k);
    write(w, v, depth + 1);
  }
}

/**
 * The canonical bytes of one value, encoded once and spliced verbatim into larger
 * values (an envelope header goes into its AAD and into its signed digest).
 * Only `CanonicalBytes.of` makes one, so the bytes are always a canonical encoding.
 */
export class CanonicalBytes {
  private constructor(readonly bytes: Uint8Array) {}
  static of(value: CanonicalValue): CanonicalBytes {
    return new CanonicalBytes(encodeCanonical(value));
  }
}

let spareWriter: ByteWriter | undefined = new ByteWriter();

/** Throws on values outside CanonicalValue (a bug in the caller, not bad input). */
export function encodeCanonical(value: CanonicalValue): Uint8Array {
  // One spare writer, reused: opening an envelope encodes five values, and a fresh
  // buffer for each showed up as allocation and GC time. Reset (wiped) after every use.
  const w = spareWriter ?? new ByteWriter();
  spareWriter = undefined;
  try {
    write(w, value, 0);
    return w.result();
  } finally {
    w.reset();
    spareWriter = w;
  }
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function readText(r: ByteReader): { bytes: Uint8Array; text: string } {
  const bytes = r.sized();
  try {
    return { bytes, text: strictUtf8.decode(bytes) };
  } catch {
    throw new MalformedInput('geen geldige UTF-8');
  }
}

function read(r: ByteReader, depth: number): unknown {
  if (depth > MAX_CANONICAL_DEPTH) throw new MalformedInput('te diep genest');
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
      if (m >= Number.MAX_SAFE_INTEGER) throw new MalformedInput('getal te klein');
      return -m - 1;
    }
    case T.string:
      return readText(r).text;
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
        const key = readText(r);
        if (prev !== undefined && compareBytes(prev, key.bytes) >= 0) throw new MalformedInput('sleutels niet gesorteerd of dubbel');
        prev = key.bytes;
        entries.push([key.text, read(r, depth + 1)]);
      }
      // fromEntries defines own properties, so a "__proto__" key cannot change the prototype.
      return Object.fromEntries(entries);
    }
    default:
      throw new MalformedInput('onbekend type');
  }
}

/** Decodes untrusted bytes; anything but the canonical encoding of one value is refused. */
export function decodeCanonical(bytes: Uint8Array): Result<unknown, CanonicalError> {
  const r = new ByteReader(bytes);
  try {
    const value = read(r, 0);
    r.end();
    return ok(value);
  } catch (e) {
    if (e instanceof MalformedInput) return fail('codering-ongeldig', 'De gegevens zijn niet correct gecodeerd.', { reason: e.message });
    throw e;
  }
}
