// R32: the lint guard that keeps every form control of the extension inside
// extension/ui/components/controls.tsx (which sets autocomplete="off", so
// Chromium does not keep what was typed in the profile's Sessions/ files).
// Runs the project's own ESLint config, without type information (not needed
// for this rule, and much faster).
import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';

const eslint = new ESLint({
  cwd: process.cwd(),
  overrideConfig: {
    languageOptions: { parserOptions: { projectService: false } },
    rules: { '@typescript-eslint/no-floating-promises': 'off' },
  },
});

async function formControlErrors(code: string, filePath: string): Promise<string[]> {
  const [r] = await eslint.lintText(code, { filePath });
  if (!r) throw new Error('ESLint gaf geen resultaat');
  const parse = r.messages.filter((m) => m.fatal);
  if (parse.length > 0) throw new Error(`Onleesbare code in de test: ${parse.map((m) => m.message).join('; ')}`);
  return r.messages.filter((m) => m.ruleId === 'no-restricted-syntax').map((m) => m.message);
}

describe('lint: no raw form control outside controls.tsx [R32]', () => {
  it.each([
    ['<input>', 'export const X = () => <input id="x" />;'],
    ['<textarea>', 'export const X = () => <textarea id="x" autocomplete="off" />;'],
    ['<select>', 'export const X = () => <select id="x"><option>a</option></select>;'],
    ["createElement('input')", "export const X = () => document.createElement('input');"],
  ])('refuses a raw %s in a screen', async (_naam, code) => {
    const fouten = await formControlErrors(code, 'extension/ui/screens/nieuw-voorbeeld.tsx');
    expect(fouten).toHaveLength(1);
    expect(fouten[0]).toContain('autocomplete="off"');
  });

  it('accepts the components, and raw controls inside controls.tsx itself', async () => {
    expect(
      await formControlErrors(
        'import { Input, TextArea } from "../components/controls.js";\nexport const X = () => <><Input id="x" /><TextArea id="y" /></>;',
        'extension/ui/screens/nieuw-voorbeeld.tsx',
      ),
    ).toEqual([]);
    expect(
      await formControlErrors('export const X = () => <input id="x" autocomplete="off" />;', 'extension/ui/components/controls.tsx'),
    ).toEqual([]);
  });

  it('no file of the extension renders a raw form control', async () => {
    const results = await eslint.lintFiles(['extension/**/*.ts', 'extension/**/*.tsx']);
    expect(results.length).toBeGreaterThan(20);
    const fouten = results.flatMap((r) =>
      r.messages.filter((m) => m.ruleId === 'no-restricted-syntax').map((m) => `${r.filePath}:${m.line}`),
    );
    expect(fouten).toEqual([]);
  });
});
