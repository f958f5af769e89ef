// Runs core/store's conformance suite against Chromium's real IndexedDB inside
// the extension's origin (the same database engine the extension pages use).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleForPage } from './bundle.js';
import { launchExtension, type ExtensionProfile } from './harness.js';

interface Outcome {
  readonly name: string;
  readonly ok: boolean;
  readonly error?: string;
}

describe('local store conformance in real Chromium IndexedDB', () => {
  let profile: ExtensionProfile;
  let outcomes: Outcome[] = [];
  let expected: string[] = [];
  beforeAll(async () => {
    const code = await bundleForPage('test/e2e/store-conformance-entry.ts', 'KkConformance');
    profile = await launchExtension('conformance');
    const page = await profile.open('options.html');
    await page.evaluate(code);
    const result = await page.evaluate(async () => {
      type Api = {
        runStoreConformance: (fresh: () => unknown, provider: unknown, prefix?: string) => Promise<Outcome[]>;
        STORE_CONFORMANCE_CHECKS: string[];
        nobleProvider: unknown;
      };
      const api = (globalThis as unknown as { KkConformance: Api }).KkConformance;
      const outcomes = await api.runStoreConformance(() => ({ indexedDB, IDBKeyRange }), api.nobleProvider, 'kk-e2e-conformance');
      return { outcomes, expected: api.STORE_CONFORMANCE_CHECKS };
    });
    outcomes = result.outcomes;
    expected = result.expected;
  });
  afterAll(async () => {
    await profile?.close();
  });

  it('runs every check of the suite', () => {
    expect(expected.length).toBeGreaterThan(0);
    expect(outcomes.map((o) => o.name)).toEqual(expected);
  });

  it('passes every check in Chromium', () => {
    const failed = outcomes.filter((o) => !o.ok).map((o) => `${o.name}: ${o.error ?? ''}`);
    expect(failed).toEqual([]);
  });
});
