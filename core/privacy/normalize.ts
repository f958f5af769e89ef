// Name normalisation and word tokenising for the PII detector: diacritics and
// case never hide a name ("Ozturk" finds "Öztürk", "zoe" finds "Zoë").

/** Lower case without diacritics: "Öztürk" → "ozturk", "Zoë" → "zoe". */
export function foldName(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

export interface Token {
  readonly text: string;
  readonly start: number;
  readonly end: number;
  /** foldName(text) */
  readonly folded: string;
}

// Letters with inner apostrophes (d'Hondt, Daan's) and an optional trailing one (Thijs').
const WORD = /[\p{L}\p{M}]+(?:['’][\p{L}\p{M}]+)*['’]?/gu;

/** All words of a text in order, in one linear pass. */
export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  for (const m of text.matchAll(WORD)) {
    const start = m.index;
    out.push({ text: m[0], start, end: start + m[0].length, folded: foldName(m[0]) });
  }
  return out;
}

export const isCapitalized = (word: string): boolean => /^\p{Lu}/u.test(word);

/** Whether the word at `start` begins a sentence (text start, or after . ! ? or a blank line). */
export function isSentenceStart(text: string, start: number): boolean {
  for (let i = start - 1; i >= 0; i--) {
    const ch = text[i] ?? '';
    if (ch === ' ' || ch === '\t' || ch === '"' || ch === '“' || ch === '(' || ch === '‘' || ch === "'") continue;
    return ch === '.' || ch === '!' || ch === '?' || ch === '\n' || ch === ':' || ch === '•' || ch === '-';
  }
  return true;
}
