// One repetition of the storage benchmark, runnable both in Node (with
// fake-indexeddb) and bundled into a page in real Chromium (with the
// browser's IndexedDB): write `count` sealed records with the local store's
// real bulk path (LocalStore.putReceived → Dexie bulkPut in one transaction),
// the same rows with raw IndexedDB puts in one transaction (the baseline: the
// same store shape and indexes, no Dexie), and read them back.
import { KindkluisDatabase, type IndexedDbDeps } from '../../core/store/database.js';
import { LocalStore } from '../../core/store/local-store.js';

export interface StorageRound {
  readonly dexiePutMs: number;
  readonly rawPutMs: number;
  readonly dexieReadMs: number;
}

const ROOM = 'dos-bench/hulpvraag:hv-1';

/** Sealed envelopes are indistinguishable from random bytes for storage; sizes are those of a real update envelope. */
function records(count: number, bytes: number): { seq: number; kind: string; bytes: Uint8Array }[] {
  const out = [];
  for (let i = 0; i < count; i++) {
    const b = new Uint8Array(bytes);
    globalThis.crypto.getRandomValues(b);
    out.push({ seq: i + 1, kind: 'update', bytes: b });
  }
  return out;
}

const request = <T>(r: IDBRequest<T>): Promise<T> =>
  new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new Error('IndexedDB request failed'));
  });

async function rawPut(
  deps: IndexedDbDeps,
  name: string,
  rows: readonly { seq: number; kind: string; bytes: Uint8Array }[],
): Promise<number> {
  const open = deps.indexedDB.open(name, 1);
  open.onupgradeneeded = () => {
    // The same shape as Dexie's `envelopes: '[room+seq], room, dossier'`.
    const store = open.result.createObjectStore('envelopes', { keyPath: ['room', 'seq'] });
    store.createIndex('room', 'room');
    store.createIndex('dossier', 'dossier');
  };
  const db = await request(open);
  const t0 = performance.now();
  await new Promise<void>((resolve, reject) => {
    const tx = db.transaction('envelopes', 'readwrite');
    const store = tx.objectStore('envelopes');
    for (const r of rows) store.put({ room: ROOM, dossier: 'dos-bench', seq: r.seq, kind: r.kind, bytes: r.bytes });
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('transaction failed'));
    tx.onabort = () => reject(tx.error ?? new Error('transaction aborted'));
  });
  const ms = performance.now() - t0;
  db.close();
  await request(deps.indexedDB.deleteDatabase(name));
  return ms;
}

export async function storageRound(deps: IndexedDbDeps, count: number, bytes: number, round: number): Promise<StorageRound> {
  const rows = records(count, bytes);
  const name = `kk-bench-storage-${round}`;
  const store = new LocalStore(new KindkluisDatabase(name, deps));
  await store.db.open();
  let t0 = performance.now();
  await store.putReceived(ROOM, rows, count);
  const dexiePutMs = performance.now() - t0;
  store.close();
  // Read back through a fresh connection, as a cold open would.
  const again = new LocalStore(new KindkluisDatabase(name, deps));
  t0 = performance.now();
  const read = await again.readReceived(ROOM);
  const dexieReadMs = performance.now() - t0;
  if (read.length !== count) throw new Error(`read ${read.length} of ${count} records`);
  again.close();
  await request(deps.indexedDB.deleteDatabase(name));
  const rawPutMs = await rawPut(deps, `${name}-raw`, rows);
  return { dexiePutMs, rawPutMs, dexieReadMs };
}
