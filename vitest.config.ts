import { defineConfig } from 'vitest/config';

// Two projects: fast node-side tests (unit, integration against a real relay on
// 127.0.0.1, simulation) and browser end-to-end tests that drive Debian Chromium
// with the built extension. `npm test` runs both; see scripts/test.mjs.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'node',
          include: ['test/**/*.test.ts'],
          exclude: ['test/e2e/**', 'node_modules/**'],
          environment: 'node',
          // A throwaway PostgreSQL for the Postgres storage and relay tests (fails loudly without it).
          globalSetup: ['test/relay/pg-global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        // The relay's access, hostile-input and durability tests again, on PostgreSQL storage.
        test: {
          name: 'node-postgres',
          include: [
            'test/relay/relay.test.ts',
            'test/relay/hostile.test.ts',
            'test/relay/durability.test.ts',
            'test/relay/public-service.test.ts',
          ],
          environment: 'node',
          env: { KINDKLUIS_RELAY_STORE: 'postgres' },
          globalSetup: ['test/relay/pg-global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 300_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
