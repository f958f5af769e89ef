import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createIncrementalScanner } from '../../core/privacy/incremental.js';
import { createPiiDetector } from '../../core/privacy/detector.js';
import { PRIVACY_LEERLINGEN } from '../fixtures/privacy-leerlingen.js';

const corpus = JSON.parse(readFileSync(new URL('../fixtures/hulpvraag-omschrijvingen.json', import.meta.url), 'utf8')) as {
  items: { tekst: string }[];
};
const daan = PRIVACY_LEERLINGEN[0];
if (!daan) throw new Error('fixture');
const detector = createPiiDetector(daan, { now: new Date('2025-04-01T00:00:00Z') });
const snippets = [
  'Daan de Vries',
  'BSN 111222333',
  'geboren 12-03-2015',
  'Kerkstraat 12',
  '06-12345678',
  'ouder@example.nl',
  '1234 AB',
  '\n',
  ' ',
  'groep 7',
  'Daans',
];

describe('incremental scanning for every keystroke', () => {
  it('gives exactly the findings of a full scan after any sequence of edits', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ item: fc.nat(corpus.items.length - 1), snippet: fc.constantFrom(...snippets), at: fc.nat(), del: fc.nat(5) }),
          { minLength: 1, maxLength: 25 },
        ),
        (edits) => {
          const scanner = createIncrementalScanner(detector);
          let text = corpus.items
            .slice(0, 6)
            .map((i) => i.tekst)
            .join('\n');
          for (const e of edits) {
            const at = e.at % (text.length + 1);
            text = text.slice(0, at) + e.snippet + text.slice(at + e.del);
            const full = detector.scan(text).filter((f) => !f.match.includes('\n'));
            expect(scanner.scan(text)).toEqual(full);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('re-scans only the paragraph that changed', () => {
    const scanner = createIncrementalScanner(detector);
    const paragraphs = corpus.items.slice(0, 10).map((i) => i.tekst);
    scanner.scan(paragraphs.join('\n'));
    expect(scanner.scannedParagraphs).toBe(10);
    paragraphs[4] = `${paragraphs[4] ?? ''} Daan`;
    const f = scanner.scan(paragraphs.join('\n'));
    expect(scanner.scannedParagraphs).toBe(11);
    expect(f.map((x) => x.match)).toEqual(['Daan']);
  });
});
