// Lint: typescript-eslint's recommended rules, promise hygiene (no floating
// promises: a lost rejection in the relay or sync client is a lost write), and
// core/ may not import UI, socket or extension code.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

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
      'no-restricted-syntax': ['error', { selector: 'TSEnumDeclaration', message: 'Gebruik as const-objecten of unions in plaats van enum.' }],
    },
  },
  {
    files: ['core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['ws', 'preact', 'preact/*', 'wxt', 'wxt/*', 'node:*', 'fs', 'path', 'lmdb', 'nodemailer', '#imports'] }],
      'no-restricted-globals': ['error', 'document', 'window', 'chrome', 'localStorage', 'Buffer', 'process'],
    },
  },
);
