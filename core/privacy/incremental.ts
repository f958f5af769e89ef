// Per-keystroke scanning: a text is checked paragraph by paragraph and each
// paragraph's findings are cached, so typing re-scans only the paragraph that
// changed. Safe because no detector rule looks across a line break (sentence
// windows, names, numbers and addresses all stop at "\n").
import type { PiiDetector, PiiFinding } from './detector.js';

export interface IncrementalPiiScanner extends PiiDetector {
  /** Paragraphs scanned since creation (for measuring the cache). */
  readonly scannedParagraphs: number;
}

export function createIncrementalScanner(detector: PiiDetector, maxCachedParagraphs = 512): IncrementalPiiScanner {
  const cache = new Map<string, readonly PiiFinding[]>();
  let scanned = 0;
  const scanParagraph = (p: string): readonly PiiFinding[] => {
    const hit = cache.get(p);
    if (hit) {
      // Refresh its place in the insertion order (least recently used goes first).
      cache.delete(p);
      cache.set(p, hit);
      return hit;
    }
    scanned += 1;
    const found = detector.scan(p);
    cache.set(p, found);
    if (cache.size > maxCachedParagraphs) {
      const oldest = cache.keys().next();
      if (!oldest.done) cache.delete(oldest.value);
    }
    return found;
  };
  return {
    get scannedParagraphs() {
      return scanned;
    },
    scan(text: string): PiiFinding[] {
      const out: PiiFinding[] = [];
      let offset = 0;
      for (const p of text.split('\n')) {
        if (p.trim() !== '') for (const f of scanParagraph(p)) out.push({ ...f, start: f.start + offset, end: f.end + offset });
        offset += p.length + 1;
      }
      return out;
    },
  };
}
