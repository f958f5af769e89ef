// Opens the store the configuration names: PostgreSQL for `--store postgres://…`
// (hosted, several relays), otherwise the embedded lmdb under `--data`.
import { LmdbStorage } from './storage-lmdb.js';
import { PostgresStorage } from './storage-postgres.js';
import type { RelayStorage } from './storage.js';
import type { RelayConfig } from './config.js';

export async function openStorage(config: Pick<RelayConfig, 'data' | 'store'>): Promise<RelayStorage> {
  if (config.store !== undefined) return PostgresStorage.open({ url: config.store });
  return new LmdbStorage({ path: config.data });
}
