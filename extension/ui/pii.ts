// Personal-data and link warnings where text is typed outside the Leerling tab
// (DESIGN §8): thin UI glue over core/privacy (and core/messages for links).
import { useMemo } from 'preact/hooks';
import type { Leerling } from '../../core/model/index.js';
import { applyPiiFix, createPiiDetector, privacyLeerlingFrom, PII_KIND_LABELS, type PiiDetector } from '../../core/privacy/index.js';

export interface Bevinding {
  readonly reden: string;
  readonly fragment: string;
  /** The whole text with this finding replaced (the one-click fix). */
  readonly herstel: string;
}

// Without read access to the leerling scope there are no names to look for, but
// BSN, postcodes, phone numbers, e-mail and addresses are still found.
const ZONDER_LEERLING = { voornaam: '', achternaam: '' };

const detectors = new WeakMap<Leerling, PiiDetector>();
let anoniem: PiiDetector | null = null;
const detectorVoor = (l: Leerling | null): PiiDetector => {
  if (!l) return (anoniem ??= createPiiDetector(ZONDER_LEERLING));
  let d = detectors.get(l);
  if (!d) {
    d = createPiiDetector(privacyLeerlingFrom(l));
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

const LINK = /\b(?:https?:\/\/|www\.)[^\s<>"']+|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:nl|com|org|net|eu|be|io|edu|info)(?:\/[^\s<>"']*)?/giu;

let linkDetector: (tekst: string) => Bevinding[] = (tekst) =>
  [...tekst.matchAll(LINK)].map((m) => ({
    reden: 'Links horen niet in een overlegronde (gebruik e-mail voor datumprikkers en Teams-links, voeg documenten toe als bijlage).',
    fragment: m[0],
    herstel: tekst.slice(0, m.index ?? 0) + tekst.slice((m.index ?? 0) + m[0].length),
  }));

/** core/messages provides the canonical link check; the page installs it at start-up. */
export const setLinkDetector = (d: (tekst: string) => Bevinding[]): void => {
  linkDetector = d;
};

export function usePii(tekst: string, leerling: Leerling | null): readonly Bevinding[] {
  return useMemo(() => zoekPii(tekst, leerling), [tekst, leerling]);
}

export function useLinks(tekst: string): readonly Bevinding[] {
  return useMemo(() => (tekst.trim() === '' ? [] : linkDetector(tekst)), [tekst]);
}
