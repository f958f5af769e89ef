// Item 6: Dexie bulkPut of 10,000 sealed records through the local store, with
// fake-indexeddb in Node and with the real IndexedDB of headless Chromium;
// baseline in each: raw IndexedDB puts of the same rows into the same store
// shape in one transaction. Also the read-back of all records (a cold open).
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { fileURLToPath } from 'node:url';
import type { BenchContext } from '../harness.js';
import type { Suite } from '../suite.js';
import { storageRound, type StorageRound } from '../browser/storage-work.js';
import { openBenchPage } from '../browser/chromium.js';

const COUNT = 10_000;
/** Bytes of a sealed 1-KB-or-less typing update envelope (measured: a 40-byte update seals to about 330 bytes). */
const RECORD_BYTES = 330;

function recordRounds(ctx: BenchContext, where: 'fake' | 'chromium', label: string, rounds: readonly StorageRound[]): void {
  const id = (m: string): string => `storage.${where}.${m}`;
  ctx.record({
    id: id('raw-put'),
    label: `${label}: raw IndexedDB put ×${COUNT} in one transaction (baseline)`,
    unit: 'ms',
    better: 'lower',
    samples: rounds.map((r) => r.rawPutMs),
  });
  ctx.record({
    id: id('dexie-put'),
    label: `${label}: LocalStore.putReceived (Dexie bulkPut) ×${COUNT}`,
    unit: 'ms',
    better: 'lower',
    samples: rounds.map((r) => r.dexiePutMs),
  });
  ctx.compare(id('dexie-put'), id('raw-put'));
  ctx.record({
    id: id('dexie-put-rate'),
    label: `${label}: Dexie bulkPut rate`,
    unit: 'records/s',
    better: 'higher',
    samples: rounds.map((r) => (COUNT * 1000) / r.dexiePutMs),
  });
  ctx.record({
    id: id('dexie-read'),
    label: `${label}: read all ${COUNT} back (readReceived, new connection)`,
    unit: 'ms',
    better: 'lower',
    samples: rounds.map((r) => r.dexieReadMs),
  });
}

export const storageSuite: Suite = {
  name: 'storage',
  title: '6. Local storage: Dexie bulkPut of 10,000 sealed records',
  async run(ctx) {
    const repeats = ctx.pick(2, 3, 5);
    ctx.note(
      `Records: ${COUNT} rows of ${RECORD_BYTES} random bytes (the size of a sealed typing-update envelope; ciphertext is random to the store) in the envelopes table ([room+seq] key, room and dossier indexes).`,
    );
    const fake: StorageRound[] = [];
    for (let r = 0; r < repeats; r++) fake.push(await storageRound({ indexedDB: new IDBFactory(), IDBKeyRange }, COUNT, RECORD_BYTES, r));
    recordRounds(ctx, 'fake', 'fake-indexeddb (Node)', fake);

    let browser;
    try {
      browser = await openBenchPage(fileURLToPath(new URL('../browser/storage-page.ts', import.meta.url)), 'kkStorage');
    } catch (error) {
      ctx.note(`Real Chromium not measured: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
      return;
    }
    try {
      const rounds: StorageRound[] = [];
      for (let r = 0; r < repeats; r++) {
        rounds.push(
          await browser.page.evaluate(
            ([count, bytes, round]) =>
              (globalThis as unknown as { kkStorage: { run(c: number, b: number, r: number): Promise<StorageRound> } }).kkStorage.run(
                count,
                bytes,
                round,
              ),
            [COUNT, RECORD_BYTES, r] as const,
          ),
        );
      }
      recordRounds(ctx, 'chromium', `Chromium ${browser.version} IndexedDB`, rounds);
      ctx.compare('storage.chromium.dexie-put', 'storage.fake.dexie-put');
      ctx.note(`Chromium ${browser.version} headless (--no-sandbox), page served from 127.0.0.1, IndexedDB on disk in a fresh profile.`);
    } finally {
      await browser.close();
    }
  },
};
