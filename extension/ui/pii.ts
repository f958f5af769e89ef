// Personal-data and link warnings where text is typed outside the Leerling tab
// (DESIGN §8): thin UI glue over core/privacy and core/messages.
import { useMemo } from 'preact/hooks';
import type { Leerling } from '../../core/model/leerling.js';
import { findLinks } from '../../core/messages/links.js';
import { applyPiiFix, createPiiDetector, PII_KIND_LABELS, type PiiDetector } from '../../core/privacy/detector.js';
import { privacyLeerlingFrom } from '../../core/privacy/from-leerling.js';
import { createIncrementalScanner } from '../../core/privacy/incremental.js';

export interface Bevinding {
  readonly reden: string;
  readonly fragment: string;
  /** The whole text with this finding replaced (the one-click fix). */
  readonly herstel: string;
}

// Without read access to the leerling scope there are no names to look for, but
// BSN, postcodes, phone numbers, e-mail and addresses are still found.
const ZONDER_LEERLING = { voornaam: '', achternaam: '' };

// Per keystroke only the paragraph that changed is scanned again (core/privacy/incremental.ts);
// the bench's "PII check per keystroke" row measures this scanner.
const detectors = new WeakMap<Leerling, PiiDetector>();
let anoniem: PiiDetector | null = null;
const detectorVoor = (l: Leerling | null): PiiDetector => {
  if (!l) return (anoniem ??= createIncrementalScanner(createPiiDetector(ZONDER_LEERLING)));
  let d = detectors.get(l);
  if (!d) {
    d = createIncrementalScanner(createPiiDetector(privacyLeerlingFrom(l)));
    detectors.set(l, d);
  }
  return d;
};

export function zoekPii(tekst: string, leerling: Leerling | null): Bevinding[] {
  if (tekst.trim() === '') return [];
  return detectorVoor(leerling)
    .scan(tekst)
    .map((f) => ({ reden: `${f.uitleg} (${PII_KIND_LABELS[f.kind]}). ${f.suggestie}`, fragment: f.match, herstel: applyPiiFix(tekst, f) }));
}

function zoekLinks(tekst: string): Bevinding[] {
  return findLinks(tekst).map((l) => ({ reden: l.reason, fragment: l.text, herstel: tekst.slice(0, l.start) + tekst.slice(l.end) }));
}

export function usePii(tekst: string, leerling: Leerling | null): readonly Bevinding[] {
  return useMemo(() => zoekPii(tekst, leerling), [tekst, leerling]);
}

export function useLinks(tekst: string): readonly Bevinding[] {
  return useMemo(() => (tekst.trim() === '' ? [] : zoekLinks(tekst)), [tekst]);
}
