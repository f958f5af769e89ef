// Entry of the page bundle for the Chromium storage benchmark: exposes the
// storage round on `window` with the browser's own IndexedDB.
import { storageRound } from './storage-work.js';

export function run(count: number, bytes: number, round: number) {
  return storageRound({ indexedDB: globalThis.indexedDB, IDBKeyRange: globalThis.IDBKeyRange }, count, bytes, round);
}
