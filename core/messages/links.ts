// Links are refused in overlegronde messages (000: "Vermijd links in
// overlegrondes"): a link leaks the dossier's context to a third-party server
// and outlives the overlegronde; documents go in as encrypted bijlagen instead.

export interface LinkFinding {
  readonly start: number;
  readonly end: number;
  readonly text: string;
  readonly kind: 'url' | 'www' | 'domein' | 'deellink';
  readonly reason: string;
}

const SHARE_HOSTS: readonly [RegExp, string][] = [
  [/(?:^|\.)(?:teams\.microsoft\.com|teams\.live\.com)$/, 'een Teams-link'],
  [/(?:^|\.)(?:datumprikker\.nl|doodle\.com|calendly\.com)$/, 'een datumprikker'],
  [/(?:^|\.)(?:1drv\.ms|onedrive\.live\.com|sharepoint\.com)$/, 'een OneDrive/SharePoint-deellink'],
  [/(?:^|\.)(?:drive\.google\.com|docs\.google\.com|forms\.gle|goo\.gl)$/, 'een Google-deellink'],
  [/(?:^|\.)(?:dropbox\.com|db\.tt)$/, 'een Dropbox-deellink'],
  [/(?:^|\.)(?:wetransfer\.com|we\.tl)$/, 'een WeTransfer-link'],
  [/(?:^|\.)(?:zoom\.us|meet\.google\.com|whereby\.com)$/, 'een vergaderlink'],
  [/(?:^|\.)(?:bit\.ly|tinyurl\.com|t\.co|aka\.ms|tiny\.cc|is\.gd|ow\.ly|rebrand\.ly)$/, 'een verkorte link'],
];

// Top-level domains that make a bare "word.tld" a web address in a Dutch school context; file
// extensions (.pdf, .docx) and abbreviations (o.a., d.w.z.) are deliberately not in it.
const TLDS =
  'nl|com|org|net|eu|be|de|fr|uk|io|info|biz|app|dev|online|site|nu|me|co|us|ms|ly|tl|gle|gl|tt|cc|gd|to|tv|edu|gov|school|amsterdam|frl|link|page|cloud|ai';

const URL_RE = /\b(?:https?|ftp|file):\/\/[^\s<>"'()]+|\bwww\.[\p{L}\d-]+(?:\.[\p{L}\d-]+)+(?:[/?#][^\s<>"'()]*)?/giu;
const BARE_RE = new RegExp(
  `(?<![@\\p{L}\\d._-])((?:[\\p{L}\\d](?:[\\p{L}\\d-]{0,62})\\.)+(?:${TLDS}))(?![\\p{L}\\d-])((?:[/?#][^\\s<>"'()]*)?)`,
  'giu',
);

const trimTrailing = (s: string): string => s.replace(/[.,;:!?)\]]+$/u, '');

function hostOf(link: string): string {
  return (
    link
      .replace(/^[a-z]+:\/\//i, '')
      .split(/[/?#:]/)[0]
      ?.toLowerCase() ?? ''
  );
}

function reasonFor(host: string, kind: LinkFinding['kind']): { kind: LinkFinding['kind']; reason: string } {
  const share = SHARE_HOSTS.find(([re]) => re.test(host));
  if (share)
    return {
      kind: 'deellink',
      reason: `Dit is ${share[1]}. Links zijn niet toegestaan in een overlegronde: voeg een document toe als bijlage bij de hulpvraag (dan blijft het versleuteld en verloopt de toegang met de overlegronde) en regel afspraken en vergaderlinks per e-mail.`,
    };
  return {
    kind,
    reason:
      'Links zijn niet toegestaan in een overlegronde: de inhoud staat dan buiten het versleutelde dossier en blijft bereikbaar na de einddatum. Voeg het document toe als bijlage bij de hulpvraag, of stuur de link per e-mail.',
  };
}

export function findLinks(text: string): LinkFinding[] {
  const out: LinkFinding[] = [];
  for (const m of text.matchAll(URL_RE)) {
    const t = trimTrailing(m[0]);
    const kind = /^www\./i.test(t) ? 'www' : 'url';
    out.push({ start: m.index, end: m.index + t.length, text: t, ...reasonFor(hostOf(t), kind) });
  }
  for (const m of text.matchAll(BARE_RE)) {
    const start = m.index;
    if (out.some((o) => start >= o.start && start < o.end)) continue;
    const t = trimTrailing(m[0]);
    // A bare domain needs a letter before its dot ("3.nl" is not a site) and is not an e-mail address.
    if (!/^[\p{L}\d-]*\p{L}/u.test(t)) continue;
    out.push({ start, end: start + t.length, text: t, ...reasonFor(hostOf(t), 'domein') });
  }
  return out.sort((a, b) => a.start - b.start);
}
