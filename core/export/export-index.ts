// The readable index.html of an inzage-export: plain HTML without scripts or
// external resources, so it opens in any browser, with a link to every file.
export interface IndexSection {
  readonly kop: string;
  /** Lines of text (escaped here). */
  readonly regels: readonly string[];
  /** Files in the zip this section is about (linked, relative). */
  readonly bestanden: readonly string[];
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch);
}

const hrefOf = (path: string): string => path.split('/').map(encodeURIComponent).join('/');

export function renderExportIndex(input: {
  readonly titel: string;
  readonly inleiding: readonly string[];
  readonly secties: readonly IndexSection[];
}): string {
  const parts = [
    '<!doctype html>',
    '<html lang="nl"><head><meta charset="utf-8"><title>Kindkluis-export</title>',
    '<style>body{font-family:sans-serif;max-width:50em;margin:2em auto;line-height:1.4}h2{border-bottom:1px solid #ccc}li{margin:.2em 0}</style>',
    '</head><body>',
    `<h1>${escapeHtml(input.titel)}</h1>`,
    ...input.inleiding.map((p) => `<p>${escapeHtml(p)}</p>`),
  ];
  for (const s of input.secties) {
    parts.push(`<h2>${escapeHtml(s.kop)}</h2>`);
    if (s.regels.length > 0) parts.push('<ul>', ...s.regels.map((r) => `<li>${escapeHtml(r)}</li>`), '</ul>');
    if (s.bestanden.length > 0)
      parts.push('<p>Bestanden:</p><ul>', ...s.bestanden.map((b) => `<li><a href="${hrefOf(b)}">${escapeHtml(b)}</a></li>`), '</ul>');
  }
  parts.push('</body></html>');
  return parts.join('\n');
}
