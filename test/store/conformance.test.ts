// Runs the store conformance suite against fake-indexeddb; the extension's e2e
// tests run the same suite in real Chromium.
import { describe, it, expect } from 'vitest';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { runStoreConformance, STORE_CONFORMANCE_CHECKS } from './store-conformance.js';
import { nobleProvider } from '../../core/crypto/noble-provider.js';

describe('local store conformance (fake-indexeddb)', async () => {
  const outcomes = await runStoreConformance(() => ({ indexedDB: new IDBFactory(), IDBKeyRange }), nobleProvider);
  it('runs every check', () => {
    expect(outcomes.map((o) => o.name)).toEqual(STORE_CONFORMANCE_CHECKS);
  });
  for (const o of outcomes) {
    it(o.name, () => {
      expect(o.error ?? 'ok').toBe('ok');
    });
  }
});
