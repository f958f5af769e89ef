// The export's zip writer (core/export/stored-zip.ts): CRC-32 known answer, a
// round trip for any names and contents, and an independent reader (JSZip, which
// comes with docx) opens what we write, so an export opens without Kindkluis.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import JSZip from 'jszip';
import { utf8Encode } from '../../core/crypto/bytes.js';
import { readZip, writeZip } from '../../core/export/stored-zip.js';

describe('stored zip', () => {
  it('the CRC-32 the writer puts in the local header matches the published check value', () => {
    const crcOf = (data: Uint8Array): number => new DataView(writeZip([{ name: 'a', data }]).buffer).getUint32(14, true);
    expect(crcOf(utf8Encode('123456789'))).toBe(0xcbf43926);
    expect(crcOf(new Uint8Array())).toBe(0);
  });

  it('reads back exactly what it wrote, for any set of names and contents', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(fc.string({ minLength: 1, maxLength: 40 }), fc.uint8Array({ maxLength: 300 })), {
          selector: ([n]) => n,
          maxLength: 8,
        }),
        (entries) => {
          const r = readZip(writeZip(entries.map(([name, data]) => ({ name, data }))));
          expect(r.ok && [...r.value].map(([n, d]) => [n, [...d]])).toEqual(entries.map(([n, d]) => [n, [...d]]));
        },
      ),
    );
  });

  it('an independent zip reader opens it, names with diacritics included', async () => {
    const bytes = writeZip([
      { name: 'index.html', data: utf8Encode('<h1>Inzage</h1>') },
      { name: 'hulpvragen/1/bijlagen/verslag één.txt', data: utf8Encode('inhoud') },
    ]);
    const zip = await JSZip.loadAsync(bytes);
    expect(Object.keys(zip.files).sort()).toEqual(['hulpvragen/1/bijlagen/verslag één.txt', 'index.html']);
    expect(await zip.file('hulpvragen/1/bijlagen/verslag één.txt')?.async('string')).toBe('inhoud');
  });

  it('refuses a damaged entry, a truncated file and a compressed entry in Dutch', () => {
    const bytes = writeZip([{ name: 'a.txt', data: utf8Encode('abc') }]);
    const flipped = bytes.slice();
    flipped[31 + 'a.txt'.length - 1] = (flipped[31 + 'a.txt'.length - 1] ?? 0) ^ 1; // inside the data
    const r1 = readZip(flipped);
    expect(!r1.ok && r1.error.message).toContain('beschadigd');
    expect(readZip(bytes.slice(0, 10)).ok).toBe(false);
    const compressed = bytes.slice();
    new DataView(compressed.buffer).setUint16(30 + 5 + 3 + 10, 8, true); // central directory: method = deflate
    expect(readZip(compressed).ok).toBe(false);
  });
});
