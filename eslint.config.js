// Lint: typescript-eslint's recommended rules, promise hygiene (no floating
// promises: a lost rejection in the relay or sync client is a lost write), and
// core/ may not import UI, socket or extension code.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const NO_ENUM = { selector: 'TSEnumDeclaration', message: 'Gebruik as const-objecten of unions in plaats van enum.' };
// R32: a form control outside extension/ui/components/controls.tsx could miss
// autocomplete="off", and Chromium would then keep what was typed in the profile's Sessions/ files.
const FORM_CONTROL_MESSAGE =
  'Gebruik Input, TextArea, Select of WachtwoordVeld uit extension/ui/components/controls.tsx: die zetten autocomplete="off", zodat Chromium niet bewaart wat er getypt is (R32).';
const NO_RAW_FORM_CONTROLS = [
  { selector: 'JSXOpeningElement[name.name=/^(input|textarea|select)$/]', message: FORM_CONTROL_MESSAGE },
  {
    selector: 'CallExpression[callee.property.name="createElement"][arguments.0.value=/^(input|textarea|select)$/i]',
    message: FORM_CONTROL_MESSAGE,
  },
];

export default tseslint.config(
  { ignores: ['node_modules/**', '.output/**', '.wxt/**', 'data/**', 'test-results/**', 'bench/results/**', '**/*.mjs', '**/*.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', NO_ENUM],
    },
  },
  {
    files: ['extension/**/*.ts', 'extension/**/*.tsx'],
    ignores: ['extension/ui/components/controls.tsx'],
    rules: { 'no-restricted-syntax': ['error', NO_ENUM, ...NO_RAW_FORM_CONTROLS] },
  },
  {
    files: ['core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['ws', 'preact', 'preact/*', 'wxt', 'wxt/*', 'node:*', 'fs', 'path', 'lmdb', 'nodemailer', '#imports'] },
      ],
      'no-restricted-globals': ['error', 'document', 'window', 'chrome', 'localStorage', 'Buffer', 'process'],
    },
  },
);
