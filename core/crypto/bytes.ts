// Byte helpers shared by all crypto code: UTF-8, base64url, hex and a
// constant-time comparison. Pure TypeScript (no Buffer), so core runs anywhere.
import { ok, fail, type Result, type KkError } from '../result.js';

const encoder = new TextEncoder();
// fatal: invalid UTF-8 must be an error, never silently replaced, or two
// different byte strings could decode to the same text.
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export const utf8Encode = (text: string): Uint8Array => encoder.encode(text);

/** Throws on invalid UTF-8 (fatal decoder): callers that decode untrusted bytes catch it or validate first. */
export const utf8Decode = (bytes: Uint8Array): string => decoder.decode(bytes);

export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Compares in time independent of where the bytes differ (MACs, commitments). */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
/** Value of each base64url character by char code, -1 for anything else (indexed, not a Map: decoded per record). */
const B64_INDEX = new Int8Array(128).fill(-1);
for (let i = 0; i < B64.length; i++) B64_INDEX[B64.charCodeAt(i)] = i;

/** base64url without padding (RFC 4648 §5). */
export function toBase64Url(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = ((bytes[i] ?? 0) << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = Math.min(4, Math.ceil(((bytes.length - i) * 8) / 6));
    for (let j = 0; j < chars; j++) out += B64[(n >> (18 - 6 * j)) & 63];
  }
  return out;
}

/** Strict: rejects padding, foreign characters and non-zero leftover bits, so each byte string has exactly one text form. */
export function fromBase64Url(text: string): Result<Uint8Array, KkError<'base64-ongeldig'>> {
  const bad = () => fail('base64-ongeldig', 'De gecodeerde waarde is geen geldige base64url.');
  if (text.length % 4 === 1) return bad();
  const out = new Uint8Array(Math.floor((text.length * 6) / 8));
  let acc = 0;
  let bits = 0;
  let at = 0;
  for (let i = 0; i < text.length; i++) {
    const v = B64_INDEX[text.charCodeAt(i)] ?? -1;
    if (v < 0) return bad();
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[at++] = (acc >> bits) & 0xff;
    }
  }
  if ((acc & ((1 << bits) - 1)) !== 0) return bad();
  return ok(out);
}

const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += HEX[bytes[i] ?? 0] ?? '';
  return out;
}

/** Overwrites secret material we no longer need (best effort in JS). */
export const wipe = (...arrays: Uint8Array[]): void => {
  for (const a of arrays) a.fill(0);
};
