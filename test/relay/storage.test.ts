// Runs the storage conformance suite against every implementation.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runStorageConformance } from './storage-conformance.js';
import { MemoryStorage } from '../../sync-server/storage-memory.js';
import { LmdbStorage } from '../../sync-server/storage-lmdb.js';
import { PostgresStorage } from '../../sync-server/storage-postgres.js';
import type { RelayStorage } from '../../sync-server/storage.js';
import { createTestDatabase } from './pg-cluster.js';
import { inject } from 'vitest';

runStorageConformance('memory', () => {
  const storage = new MemoryStorage();
  return Promise.resolve({ storage, cleanup: () => storage.close() });
});

runStorageConformance('lmdb', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kk-lmdb-'));
  let current: RelayStorage = new LmdbStorage({ path: dir });
  return Promise.resolve({
    get storage() {
      return current;
    },
    reopen: async () => {
      await current.close();
      current = new LmdbStorage({ path: dir });
      return current;
    },
    cleanup: async () => {
      await current.close();
      rmSync(dir, { recursive: true, force: true });
    },
  });
});

runStorageConformance('postgres', async () => {
  const db = await createTestDatabase(inject('pgUrl'));
  let current: RelayStorage = await PostgresStorage.open({ url: db.url });
  return {
    get storage() {
      return current;
    },
    reopen: async () => {
      await current.close();
      current = await PostgresStorage.open({ url: db.url });
      return current;
    },
    openAnother: () => PostgresStorage.open({ url: db.url }),
    cleanup: async () => {
      await current.close();
      await db.drop();
    },
  };
});
