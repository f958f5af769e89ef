// The one table of signing contexts (core/crypto/signing-contexts.ts): every
// context distinct and none a prefix of another, so a signature for one
// purpose never verifies as another; and no module of core/ spells a context
// of its own, so the table stays the only home.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENVELOPE_KINDS } from '../../core/crypto/envelope.js';
import { ENVELOPE_SIGNING_CONTEXTS, SIGNING_CONTEXTS } from '../../core/crypto/signing-contexts.js';
import { AUTH_CONTEXT, REGISTER_SWV_CONTEXT } from '../../core/sync/protocol.js';
import { SIGNING_CONTEXT } from '../../core/access/signing.js';
import { EXPORT_CONTEXT } from '../../core/export/export-manifest.js';

const TABLE = 'core/crypto/signing-contexts.ts';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Every string literal in a source file that starts with `kindkluis/` (quotes and template heads alike). */
const literals = (text: string): string[] => [...text.matchAll(/['"`](kindkluis\/[^'"`$]*)/g)].map((m) => m[1] ?? '');

describe('signing contexts: one table', () => {
  const all: readonly string[] = [...Object.values(SIGNING_CONTEXTS), ...Object.values(ENVELOPE_SIGNING_CONTEXTS)];

  it('every context is distinct, none is a prefix of another, and each reads kindkluis/<naam>/v<n>', () => {
    expect(new Set(all).size).toBe(all.length);
    for (const a of all) {
      expect(a).toMatch(/^kindkluis\/[a-z-]+\/v\d+$/);
      for (const b of all) if (a !== b) expect(b.startsWith(a), `${b} begint met ${a}`).toBe(false);
    }
  });

  it('the modules that sign use the table: envelopes per kind, access, protocol and export', () => {
    for (const kind of ENVELOPE_KINDS) expect(all).toContain(ENVELOPE_SIGNING_CONTEXTS[kind]);
    for (const c of Object.values(SIGNING_CONTEXT)) expect(all).toContain(c);
    expect(all).toContain(AUTH_CONTEXT);
    expect(all).toContain(REGISTER_SWV_CONTEXT);
    expect(all).toContain(EXPORT_CONTEXT.slice(0, -1));
    expect(EXPORT_CONTEXT.endsWith('\u0000')).toBe(true);
  });

  it('no module of core/ outside the table writes a signing context as a literal', () => {
    const stray: string[] = [];
    for (const file of sources('core')) {
      if (file === TABLE) continue;
      for (const lit of literals(readFileSync(file, 'utf8'))) {
        const bare = lit.replace(/\\u0000$/, '');
        // Exact matches only: AEAD and HKDF labels such as `kindkluis/ledenlijst/v1/<page>/<count>` are no signatures.
        if (all.includes(bare)) stray.push(`${file}: ${lit}`);
      }
    }
    expect(stray).toEqual([]);
  });
});
