// core/ is shared by the extension and the relay, so it must stay pure
// TypeScript: only these packages, no Node built-ins, no DOM, no chrome.*.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ALLOWED = [
  /^yjs$/,
  /^y-protocols\//,
  /^lib0(\/|$)/,
  /^zod(\/|$)/,
  /^@noble\/(ciphers|curves|hashes)\//,
  /^hash-wasm$/,
  /^dexie$/,
  /^docx$/,
];
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
// No barrels in core/: every import names the module that declares the thing, so a reader (and a
// search) lands on it in one step and no folder has two ways in. A registry is a module with its own
// name (processes/process-set.ts, forms/definitions/form-set.ts), not an index.ts.
for (const file of files) {
  if (/(^|[\\/])index\.tsx?$/.test(file)) problems.push(`${file}: geen index.ts (barrel) in core/; importeer de module die het declareert`);
}
const barrelImport = /(?:from\s*|import\(\s*)['"][^'"]*core\/(?:[\w-]+\/)*index(?:\.js)?['"]/;
const outside = [];
const walkOutside = (dir) => {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walkOutside(p);
    else if (/\.(tsx?|mjs|js)$/.test(name)) outside.push(p);
  }
};
for (const dir of ['test', 'bench', 'extension', 'sync-server', 'scripts']) walkOutside(dir);
for (const file of outside) {
  if (barrelImport.test(readFileSync(file, 'utf8')))
    problems.push(`${file}: importeert een index van core/; importeer de module die het declareert`);
}
for (const file of files) {
  if (/(?:from\s*|import\(\s*)['"]\.{1,2}\/(?:[\w.-]+\/)*index(?:\.js)?['"]/.test(readFileSync(file, 'utf8')))
    problems.push(`${file}: importeert een index; importeer de module die het declareert`);
}

// One name, one job: two modules of core/ with the same file name confuse every reader and every import.
// Allowed: a process and its form sharing the process's name.
const byName = new Map();
for (const file of files) {
  const name = file.split(/[\\/]/).pop();
  byName.set(name, [...(byName.get(name) ?? []), file]);
}
const processAndForm = (paths) =>
  paths.length === 2 &&
  paths.some((p) => /core[\\/]processes[\\/]/.test(p)) &&
  paths.some((p) => /core[\\/]forms[\\/]definitions[\\/]/.test(p));
for (const [name, paths] of byName) {
  if (paths.length > 1 && !processAndForm(paths))
    problems.push(`${paths.join(' en ')}: zelfde bestandsnaam voor verschillende modules in core/`);
}
if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(`core/ is puur: ${files.length} bestanden gecontroleerd`);
