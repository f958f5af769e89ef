// Name folding shared by @mention resolution and autocomplete: diacritics,
// case, hyphens and spacing never decide whether "@ozturk" means "Öztürk".
import { foldName } from '../privacy/normalize.js';

export const foldPersonName = (s: string): string =>
  foldName(s)
    .replace(/[-\s]+/g, ' ')
    .trim();

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
  'la',
  'le',
  'du',
  'da',
  'di',
  'el',
  'al',
  'op',
  'uit',
]);

export interface MentionParticipant {
  readonly id: string;
  readonly voornaam: string;
  /** Including the tussenvoegsel, as in the profile: "de Vries". */
  readonly achternaam: string;
}

/** Every way a participant may be addressed, folded: voornaam, achternaam with and without tussenvoegsel, full name. */
export function nameForms(p: MentionParticipant): string[] {
  const voor = foldPersonName(p.voornaam);
  const achter = foldPersonName(p.achternaam);
  const words = achter.split(' ');
  let i = 0;
  while (i < words.length - 1 && TUSSENVOEGSELS.has(words[i] ?? '')) i++;
  const kern = words.slice(i).join(' ');
  return [...new Set([voor, achter, kern, `${voor} ${achter}`, `${voor} ${kern}`].filter((s) => s.length > 0))];
}

export const displayName = (p: MentionParticipant): string => `${p.voornaam} ${p.achternaam}`.trim();
