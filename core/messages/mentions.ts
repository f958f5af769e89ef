// @mentions: resolved against the participants of the overlegronde by name
// ("@Daan", "@daan de vries", "@Ozturk" for Öztürk). An ambiguous or unknown
// mention is reported with a Dutch message, never guessed.
import { displayName, foldPersonName, nameForms, type MentionParticipant } from './names.js';

export interface ResolvedMention<Id extends string = string> {
  readonly userId: Id;
  readonly start: number;
  readonly end: number;
  /** As written, including the "@". */
  readonly text: string;
}

export interface MentionProblem<Id extends string = string> {
  readonly kind: 'onbekend' | 'dubbelzinnig';
  readonly start: number;
  readonly end: number;
  readonly text: string;
  /** For dubbelzinnig: the participants it could mean. */
  readonly candidates: readonly Id[];
  readonly message: string;
}

export interface MentionResolution<Id extends string = string> {
  readonly mentions: readonly ResolvedMention<Id>[];
  readonly problems: readonly MentionProblem<Id>[];
  /** Distinct user ids, in order of first mention. */
  readonly userIds: readonly Id[];
}

// Up to four words after the "@" can belong to a name ("@Anna van der Berg").
const MAX_WORDS = 4;
const WORD = /^[\p{L}\p{M}][\p{L}\p{M}'’-]*/u;

function wordsAfter(text: string, from: number): { end: number }[] {
  const out: { end: number }[] = [];
  let i = from;
  while (out.length < MAX_WORDS) {
    const m = WORD.exec(text.slice(i, i + 60));
    if (!m) break;
    const end = i + m[0].length;
    out.push({ end });
    // Only a single space between the words of one name.
    if (text[end] !== ' ' || !/[\p{L}]/u.test(text[end + 1] ?? '')) break;
    i = end + 1;
  }
  return out;
}

export function resolveMentions<P extends MentionParticipant>(text: string, participants: readonly P[]): MentionResolution<P['id']> {
  const forms = participants.map((p) => ({ p, forms: new Set(nameForms(p)) }));
  const mentions: ResolvedMention<P['id']>[] = [];
  const problems: MentionProblem<P['id']>[] = [];
  for (let at = text.indexOf('@'); at !== -1; at = text.indexOf('@', at + 1)) {
    // "info@school.nl" is an e-mail address, not a mention.
    if (at > 0 && /[\p{L}\d._%+-]/u.test(text[at - 1] ?? '')) continue;
    const words = wordsAfter(text, at + 1);
    if (words.length === 0) continue;
    let resolved = false;
    for (let k = words.length; k >= 1 && !resolved; k--) {
      const end = words[k - 1]?.end ?? at + 1;
      const written = text.slice(at + 1, end);
      const key = foldPersonName(written.replace(/['’]s$/u, ''));
      const hits = forms.filter((f) => f.forms.has(key)).map((f) => f.p);
      if (hits.length === 0) continue;
      resolved = true;
      const span = { start: at, end, text: text.slice(at, end) };
      const [only] = hits;
      if (hits.length === 1 && only) mentions.push({ ...span, userId: only.id });
      else
        problems.push({
          ...span,
          kind: 'dubbelzinnig',
          candidates: hits.map((h) => h.id),
          message: `${span.text} is niet eenduidig: ${hits.length} deelnemers heten zo (${hits.map(displayName).join(', ')}). Schrijf de volledige naam.`,
        });
    }
    if (!resolved) {
      const end = words[0]?.end ?? at + 1;
      const span = { start: at, end, text: text.slice(at, end) };
      problems.push({
        ...span,
        kind: 'onbekend',
        candidates: [],
        message: `${span.text} is geen deelnemer van deze overlegronde. Kies een naam uit de lijst of nodig de persoon eerst uit.`,
      });
    }
    at = Math.max(at, (mentions.at(-1)?.end ?? at) - 1, (problems.at(-1)?.end ?? at) - 1);
  }
  const userIds = [...new Set(mentions.map((m) => m.userId))];
  return { mentions, problems, userIds };
}

export interface MentionSuggestion<Id extends string = string> {
  readonly userId: Id;
  readonly label: string;
  /** What to put in place of the typed "@…": "@Daan de Vries ". */
  readonly insert: string;
}

/** The "@…" being typed at the cursor, if any: where it starts and what follows the "@". */
export function activeMentionQuery(text: string, cursor: number): { start: number; query: string } | undefined {
  const before = text.slice(Math.max(0, cursor - 60), cursor);
  const m = /(?:^|[^\p{L}\d._%+-])@([\p{L}\p{M}'’-]*(?: [\p{L}\p{M}'’-]*){0,3})$/u.exec(before);
  if (!m) return undefined;
  const query = m[1] ?? '';
  return { start: cursor - query.length - 1, query };
}

/** Autocomplete: participants whose name (first, last or full) starts with the typed prefix, best matches first. */
export function mentionSuggestions<P extends MentionParticipant>(
  prefix: string,
  participants: readonly P[],
  limit = 8,
): MentionSuggestion<P['id']>[] {
  const q = foldPersonName(prefix);
  const scored: { p: P; score: number }[] = [];
  for (const p of participants) {
    const forms = nameForms(p);
    const full = foldPersonName(displayName(p));
    let score = -1;
    if (q === '') score = 0;
    else if (forms.includes(q)) score = 3;
    else if (full.startsWith(q)) score = 2;
    else if (forms.some((f) => f.startsWith(q))) score = 1;
    if (score >= 0) scored.push({ p, score });
  }
  return scored
    .sort((a, b) => b.score - a.score || displayName(a.p).localeCompare(displayName(b.p), 'nl'))
    .slice(0, limit)
    .map(({ p }) => ({ userId: p.id, label: displayName(p), insert: `@${displayName(p)} ` }));
}

export type MentionSegment<Id extends string = string> =
  { readonly kind: 'tekst'; readonly text: string } | { readonly kind: 'mention'; readonly text: string; readonly userId: Id };

/** The text cut into plain parts and resolved @mentions, in order, for showing the mentions highlighted. */
export function mentionSegments<P extends MentionParticipant>(text: string, participants: readonly P[]): MentionSegment<P['id']>[] {
  const out: MentionSegment<P['id']>[] = [];
  let at = 0;
  for (const m of resolveMentions(text, participants).mentions) {
    if (m.start > at) out.push({ kind: 'tekst', text: text.slice(at, m.start) });
    out.push({ kind: 'mention', text: m.text, userId: m.userId });
    at = m.end;
  }
  if (at < text.length) out.push({ kind: 'tekst', text: text.slice(at) });
  return out;
}
