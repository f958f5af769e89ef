// Minimal byte writer/reader for our binary formats (canonical values,
// envelopes, attachments). The reader throws `MalformedInput` on anything
// short, overlong or non-minimal; each format's decoder turns that into a Result.

export class MalformedInput extends Error {}

/** True when every char code is below 0x80, so the UTF-8 bytes are the char codes. */
export function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

export class ByteWriter {
  // 256: an update envelope's canonical forms (~1 KB) then grow twice, not five times.
  private buf = new Uint8Array(256);
  private length = 0;
  private grow(extra: number): void {
    if (this.length + extra <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.length + extra));
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }
  byte(b: number): this {
    this.grow(1);
    this.buf[this.length++] = b;
    return this;
  }
  bytes(b: Uint8Array): this {
    this.grow(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
    return this;
  }
  /** Unsigned LEB128, minimal. Arithmetic, not bit operations: values go up to 2^53-1. */
  varint(n: number): this {
    if (!Number.isSafeInteger(n) || n < 0) throw new Error('varint: alleen veilige niet-negatieve gehele getallen');
    while (n >= 0x80) {
      this.byte((n % 0x80) | 0x80);
      n = Math.floor(n / 0x80);
    }
    return this.byte(n);
  }
  /** Length-prefixed bytes. */
  sized(b: Uint8Array): this {
    return this.varint(b.length).bytes(b);
  }
  /**
   * Length-prefixed UTF-8 of a string the caller checked is ASCII (`isAscii`): one byte
   * per char code, no TextEncoder call (~1 µs each in Node, many per envelope).
   */
  sizedAscii(s: string): this {
    this.varint(s.length);
    this.grow(s.length);
    for (let i = 0; i < s.length; i++) this.buf[this.length++] = s.charCodeAt(i);
    return this;
  }
  result(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
  /** Wipes what was written (it may be secret) and starts over; a buffer grown past 64 KiB is let go. */
  reset(): void {
    if (this.buf.length > 65536) this.buf = new Uint8Array(256);
    else this.buf.fill(0, 0, this.length);
    this.length = 0;
  }
}

export class ByteReader {
  private at = 0;
  constructor(private readonly buf: Uint8Array) {}
  byte(): number {
    const b = this.buf[this.at++];
    if (b === undefined) throw new MalformedInput('afgekapt');
    return b;
  }
  /** Copies, so the result does not alias the input buffer. */
  take(n: number): Uint8Array {
    if (n > this.buf.length - this.at) throw new MalformedInput('lengte voorbij het einde');
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
        if (i > 0 && b === 0) throw new MalformedInput('varint niet minimaal');
        if (value > Number.MAX_SAFE_INTEGER) throw new MalformedInput('varint te groot');
        return value;
      }
      scale *= 0x80;
    }
    throw new MalformedInput('varint te lang');
  }
  sized(max = Number.MAX_SAFE_INTEGER): Uint8Array {
    const n = this.varint();
    if (n > max) throw new MalformedInput('te lang');
    return this.take(n);
  }
  get done(): boolean {
    return this.at === this.buf.length;
  }
  end(): void {
    if (!this.done) throw new MalformedInput('extra bytes aan het einde');
  }
}
