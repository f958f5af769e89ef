// Test helpers: hex literals for known-answer vectors (production never parses hex, so this lives here).

/** Odd length or a non-hex character is a broken test vector. */
export function fromHex(hex: string): { ok: true; value: Uint8Array } | { ok: false } {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) return { ok: false };
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return { ok: true, value: out };
}

export function hex(text: string): Uint8Array {
  const r = fromHex(text.replace(/\s+/g, ''));
  if (!r.ok) throw new Error(`bad hex in test vector: ${text.slice(0, 16)}`);
  return r.value;
}
