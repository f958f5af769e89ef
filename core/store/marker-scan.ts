// The privacy officer's check: read every record of every table of a
// Kindkluis IndexedDB database as raw values and search all bytes and strings
// for a known marker (e.g. a leerling's name) in UTF-8, UTF-16LE and UTF-16BE.
import { Dexie } from 'dexie';
import { utf8Encode } from '../crypto/bytes.js';
import type { IndexedDbDeps } from './database.js';

export interface MarkerHit {
  readonly table: string;
  readonly encoding: 'utf-8' | 'utf-16le' | 'utf-16be';
}

export interface MarkerScanReport {
  readonly tables: number;
  readonly records: number;
  readonly bytesScanned: number;
  readonly hits: readonly MarkerHit[];
}

const utf16 = (text: string, littleEndian: boolean): Uint8Array => {
  const out = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out[2 * i + (littleEndian ? 0 : 1)] = c & 0xff;
    out[2 * i + (littleEndian ? 1 : 0)] = c >> 8;
  }
  return out;
};

const indexOfBytes = (hay: Uint8Array, needle: Uint8Array): number => {
  if (needle.length === 0) return 0;
  const first = needle[0];
  outer: for (let i = hay.indexOf(first ?? 0); i >= 0 && i <= hay.length - needle.length; i = hay.indexOf(first ?? 0, i + 1)) {
    for (let j = 1; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
};

/** Patterns of a marker in every encoding we look for. */
export function markerPatterns(marker: string): { readonly encoding: MarkerHit['encoding']; readonly bytes: Uint8Array }[] {
  return [
    { encoding: 'utf-8', bytes: utf8Encode(marker) },
    { encoding: 'utf-16le', bytes: utf16(marker, true) },
    { encoding: 'utf-16be', bytes: utf16(marker, false) },
  ];
}

/** The encodings in which `marker` occurs in `bytes` (empty when absent). */
export function findMarkerInBytes(bytes: Uint8Array, marker: string): MarkerHit['encoding'][] {
  return markerPatterns(marker)
    .filter((p) => indexOfBytes(bytes, p.bytes) >= 0)
    .map((p) => p.encoding);
}

/** Every byte sequence of a stored value: raw bytes as is, strings in UTF-8 and UTF-16. */
function* byteViews(value: unknown, depth = 0): Generator<Uint8Array> {
  if (depth > 32 || value === null || value === undefined) return;
  if (typeof value === 'string') {
    yield utf8Encode(value);
    yield utf16(value, true);
    return;
  }
  if (value instanceof Uint8Array) {
    yield value;
    return;
  }
  if (value instanceof ArrayBuffer) {
    yield new Uint8Array(value);
    return;
  }
  if (ArrayBuffer.isView(value)) {
    yield new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
    return;
  }
  if (Array.isArray(value)) {
    for (const v of value) yield* byteViews(v, depth + 1);
    return;
  }
  if (typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      yield utf8Encode(k);
      yield* byteViews(v, depth + 1);
    }
  }
}

/** Scans one database (whatever its schema version) for a marker. */
export async function scanDatabaseForMarker(name: string, deps: IndexedDbDeps, marker: string): Promise<MarkerScanReport> {
  const db = new Dexie(name, { indexedDB: deps.indexedDB, IDBKeyRange: deps.IDBKeyRange });
  await db.open();
  const hits: MarkerHit[] = [];
  let records = 0;
  let bytesScanned = 0;
  try {
    for (const table of db.tables) {
      const keys = await table.toCollection().primaryKeys();
      const values = await table.toArray();
      const all: unknown[] = [...keys, ...values];
      records += values.length;
      for (const v of all) {
        for (const view of byteViews(v)) {
          bytesScanned += view.length;
          for (const enc of findMarkerInBytes(view, marker)) hits.push({ table: table.name, encoding: enc });
        }
      }
    }
    return { tables: db.tables.length, records, bytesScanned, hits };
  } finally {
    db.close();
  }
}
