// Test helpers: hex literals for known-answer vectors.
import { fromHex } from '../../core/crypto/bytes.js';

export function hex(text: string): Uint8Array {
  const r = fromHex(text.replace(/\s+/g, ''));
  if (!r.ok) throw new Error(`bad hex in test vector: ${text.slice(0, 16)}`);
  return r.value;
}
