// core/ is shared by the extension and the relay, so it must stay pure
// TypeScript: only these packages, no Node built-ins, no DOM, no chrome.*.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ALLOWED = [/^yjs$/, /^y-protocols\//, /^lib0(\/|$)/, /^zod(\/|$)/, /^@noble\/(ciphers|curves|hashes)\//, /^dexie$/, /^docx$/];
const FORBIDDEN_TEXT = [/\bdocument\./, /\bwindow\./, /\bchrome\.[a-z]/, /\blocalStorage\b/, /\bBuffer\./, /\bprocess\.(env|exit|argv)/];

const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (/\.tsx?$/.test(name)) files.push(p);
  }
};
walk('core');

const problems = [];
const importRe = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s+['"]([^'"]+)['"]/gm;
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  for (const m of text.matchAll(importRe)) {
    const spec = m[1] ?? m[2] ?? m[3];
    if (!spec || spec.startsWith('.')) continue;
    if (!ALLOWED.some((re) => re.test(spec))) problems.push(`${file}: importeert '${spec}' (niet toegestaan in core/)`);
  }
  const code = text.replace(/\/\/.*$/gm, '').replace(/\/\*[\s\S]*?\*\//g, '');
  for (const re of FORBIDDEN_TEXT) {
    if (re.test(code)) problems.push(`${file}: gebruikt ${re.source} (DOM/Node/chrome hoort niet in core/)`);
  }
}
if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(`core/ is puur: ${files.length} bestanden gecontroleerd`);
