// Finds the names of the leerling and the ouders in a text: whole words,
// without regard to diacritics or case, with possessives ("Daans", "Daan's"),
// tussenvoegsels ("de Vries") and initials ("D. de Vries", "D.d.V.").
// One pass over the words with a hash lookup: linear in the text length.
import { COMMON_WORD_NAMES } from './common-words.js';
import { foldName, isCapitalized, isSentenceStart, tokenize, type Token } from './normalize.js';

export interface PersonName {
  readonly role: 'leerling' | 'ouder';
  /** For ouders: "moeder", "vader", "verzorger", "voogd"; used in the suggested fix. */
  readonly relatie?: string;
  /** Voornaam, roepnaam: each may hold several words ("Anna Sophie"). */
  readonly voornamen: readonly string[];
  readonly tussenvoegsel?: string;
  readonly achternaam: string;
}

export interface NameMatch {
  readonly start: number;
  readonly end: number;
  readonly person: number;
  readonly parts: ReadonlySet<'voornaam' | 'achternaam' | 'initialen'>;
  readonly possessive: boolean;
}

const TUSSENVOEGSELS = new Set([
  'van',
  'de',
  'der',
  'den',
  'het',
  "'t",
  'te',
  'ter',
  'ten',
  'in',
  "'s",
  'la',
  'le',
  'du',
  'da',
  'di',
  'el',
  'al',
  'op',
  'onder',
  'uit',
  'vd',
  'v',
  'd',
]);

interface IndexEntry {
  readonly person: number;
  readonly part: 'voornaam' | 'achternaam';
  readonly common: boolean;
}

interface Candidate {
  readonly tokenIndex: number;
  start: number;
  readonly end: number;
  readonly entry: IndexEntry;
  readonly possessive: boolean;
  readonly strong: boolean;
}

const nameWords = (s: string): string[] =>
  tokenize(s)
    .map((t) => t.folded)
    .filter((w) => w.length >= 2 && !TUSSENVOEGSELS.has(w));

export class NameMatcher {
  private readonly index = new Map<string, IndexEntry[]>();
  private readonly initials: { person: number; letters: string[] }[] = [];

  constructor(readonly people: readonly PersonName[]) {
    people.forEach((p, person) => {
      const add = (word: string, part: IndexEntry['part']) => {
        const list = this.index.get(word) ?? [];
        // The leerling comes first, so a surname shared with an ouder is reported as the leerling's.
        if (!list.some((e) => e.person === person && e.part === part)) list.push({ person, part, common: COMMON_WORD_NAMES.has(word) });
        this.index.set(word, list);
      };
      for (const v of p.voornamen) for (const w of nameWords(v)) add(w, 'voornaam');
      for (const w of nameWords(p.achternaam)) add(w, 'achternaam');
      if (p.role === 'leerling') {
        const first = foldName(p.voornamen[0] ?? '').charAt(0);
        const last = foldName(p.achternaam).charAt(0);
        const tv = tokenize(p.tussenvoegsel ?? '').map((t) => t.folded.charAt(0));
        if (first && last) {
          this.initials.push({ person, letters: [first, last] });
          if (tv.length > 0) this.initials.push({ person, letters: [first, ...tv, last] });
        }
      }
    });
  }

  private lookup(t: Token): { entries: IndexEntry[]; possessive: boolean } | undefined {
    const direct = this.index.get(t.folded);
    if (direct) return { entries: direct, possessive: false };
    const apos = /^(.*?)['’]s?$/.exec(t.folded);
    if (apos?.[1]) {
      const e = this.index.get(apos[1]);
      if (e) return { entries: e, possessive: true };
    }
    if (t.folded.endsWith('s') && t.folded.length > 3) {
      // "Daans": only for names that are not ordinary words ("Roos" + s is not a possessive of "Roo").
      const e = this.index.get(t.folded.slice(0, -1))?.filter((x) => !x.common);
      if (e && e.length > 0) return { entries: e, possessive: true };
    }
    return undefined;
  }

  find(text: string, tokens: readonly Token[] = tokenize(text)): NameMatch[] {
    const candidates: Candidate[] = [];
    tokens.forEach((t, tokenIndex) => {
      const hit = this.lookup(t);
      if (!hit) return;
      const prev = tokens[tokenIndex - 1];
      for (const entry of hit.entries) {
        // "Sint Maarten" is a feast, "St. Jan" a place or church, not the leerling Maarten or Jan.
        if (
          entry.part === 'voornaam' &&
          prev &&
          (prev.folded === 'sint' || (prev.folded === 'st' && text[prev.end] === '.')) &&
          t.start - prev.end <= 2
        )
          continue;
        const strong = !entry.common;
        candidates.push({ tokenIndex, start: t.start, end: t.end, entry, possessive: hit.possessive, strong });
      }
    });
    // One entry per token: the person whose other name part stands next to it ("Pieter de Vries" is the vader,
    // even though the leerling is also a De Vries), else the first (the leerling before the ouders).
    const perToken = new Map<number, Candidate[]>();
    for (const c of candidates) perToken.set(c.tokenIndex, [...(perToken.get(c.tokenIndex) ?? []), c]);
    const byToken = new Map<number, Candidate>();
    for (const [i, list] of perToken) {
      const first = list[0];
      if (first) byToken.set(i, first);
    }
    for (const [i, list] of perToken) {
      if (list.length < 2) continue;
      const better = list.find((c) => this.sameName(text, byToken, tokens, c, perToken));
      if (better) byToken.set(i, better);
    }
    const kept: Candidate[] = [];
    for (const c of byToken.values()) {
      if (c.strong) {
        kept.push(c);
        continue;
      }
      const token = tokens[c.tokenIndex];
      if (!token || !isCapitalized(token.text)) continue;
      // A first name that is also a word ("Roos", "Mei") often opens a sentence about the leerling; a surname
      // that is a word ("Groot", "Jong") opening a sentence is usually just the word.
      const writtenAsName =
        this.sameName(text, byToken, tokens, c) ||
        this.hasTussenvoegselBefore(tokens, c, text) ||
        c.entry.part === 'voornaam' ||
        !isSentenceStart(text, token.start);
      if (writtenAsName) kept.push(c);
    }
    // Surnames take their tussenvoegsel and the initials in front ("D. de Vries").
    for (const c of kept) {
      if (c.entry.part !== 'achternaam') continue;
      let i = c.tokenIndex - 1;
      while (i >= 0) {
        const t = tokens[i];
        if (!t || !TUSSENVOEGSELS.has(t.folded) || !/^[\s]+$/.test(text.slice(t.end, c.start)) || c.tokenIndex - i > 3) break;
        c.start = t.start;
        i--;
      }
      const before = text.slice(Math.max(0, c.start - 12), c.start);
      const init = /(?<!\p{L})(?:\p{Lu}\.\s?){1,4}\s*$/u.exec(before);
      if (init) c.start -= init[0].length;
    }
    kept.sort((a, b) => a.start - b.start);
    const out: NameMatch[] = [];
    for (const c of kept) {
      const last = out[out.length - 1];
      const part = c.entry.part;
      if (last && last.person === c.entry.person && /^[\s-]*$/.test(text.slice(last.end, c.start)) && c.start >= last.end) {
        out[out.length - 1] = { ...last, end: c.end, parts: new Set([...last.parts, part]), possessive: last.possessive || c.possessive };
      } else if (last && c.start < last.end) {
        continue;
      } else {
        out.push({ start: c.start, end: c.end, person: c.entry.person, parts: new Set([part]), possessive: c.possessive });
      }
    }
    return [...out, ...this.findInitials(text)].sort((a, b) => a.start - b.start);
  }

  private sameName(
    text: string,
    byToken: ReadonlyMap<number, Candidate>,
    tokens: readonly Token[],
    c: Candidate,
    all?: ReadonlyMap<number, Candidate[]>,
  ): boolean {
    for (const d of [-3, -2, -1, 1, 2, 3]) {
      const options = all?.get(c.tokenIndex + d) ?? [byToken.get(c.tokenIndex + d)];
      const o = options.find((x) => x && x.entry.person === c.entry.person && x.entry.part !== c.entry.part);
      // The other part must itself look like a name and stand in the same phrase ("roos. Jong" is two words).
      if (!o || (!o.strong && !isCapitalized(tokens[o.tokenIndex]?.text ?? ''))) continue;
      const gap = o.tokenIndex < c.tokenIndex ? text.slice(o.end, c.start) : text.slice(c.end, o.start);
      if (!/^[\p{L}\s'’-]*$/u.test(gap)) continue;
      // Only tussenvoegsels may sit between the two parts.
      const lo = Math.min(c.tokenIndex, c.tokenIndex + d);
      const hi = Math.max(c.tokenIndex, c.tokenIndex + d);
      let between = true;
      for (let k = lo + 1; k < hi; k++) if (!TUSSENVOEGSELS.has(tokens[k]?.folded ?? '')) between = false;
      if (between) return true;
    }
    return false;
  }

  private hasTussenvoegselBefore(tokens: readonly Token[], c: Candidate, text: string): boolean {
    const prev = tokens[c.tokenIndex - 1];
    return !!prev && TUSSENVOEGSELS.has(prev.folded) && /^\s+$/.test(text.slice(prev.end, c.start));
  }

  private findInitials(text: string): NameMatch[] {
    if (this.initials.length === 0) return [];
    const out: NameMatch[] = [];
    for (const m of text.matchAll(/(?<![\p{L}.])((?:\p{L}\.\s?){2,4})(?!\p{L})/gu)) {
      const letters = [...m[0].matchAll(/\p{L}/gu)].map((x) => foldName(x[0]));
      // Needs at least one capital, so "d.w.z." and "o.a." are not initials.
      if (!/\p{Lu}/u.test(m[0])) continue;
      const hit = this.initials.find((i) => i.letters.length === letters.length && i.letters.every((l, k) => l === letters[k]));
      if (hit)
        out.push({
          start: m.index,
          end: m.index + m[0].trimEnd().length,
          person: hit.person,
          parts: new Set(['initialen']),
          possessive: false,
        });
    }
    return out;
  }
}
