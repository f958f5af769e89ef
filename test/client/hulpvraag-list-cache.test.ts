// The sealed list cache (core/client/client-index.ts readHulpvraagIndex): the
// per-entry index rows stay the truth, and the cache, one seal over the whole
// list, may only ever repeat what those rows hold now.
import { describe, expect, it } from 'vitest';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { nobleProvider } from '../../core/crypto/noble-provider.js';
import { utf8Encode } from '../../core/crypto/bytes.js';
import { sealLocal, openLocal } from '../../core/store/local-seal.js';
import { KindkluisDatabase } from '../../core/store/database.js';
import { LocalStore } from '../../core/store/local-store.js';
import { readHulpvraagIndex } from '../../core/client/client-index.js';
import type { HulpvraagListItem } from '../../core/client/api.js';
import { asId, type DossierId, type HulpvraagId } from '../../core/model/ids.js';

const item = (i: number, status = 'aangevraagd'): HulpvraagListItem => ({
  hulpvraagId: asId<HulpvraagId>(`hv-${i}`),
  dossierId: asId<DossierId>(`dos-${i % 2}`),
  titel: 'Arrangement',
  status,
  statusLabel: status,
  leerlingNaam: `Leerling ${i}`,
  school: 'OBS De Regenboog',
  coordinator: null,
  aangemaaktOp: '2026-01-01T00:00:00.000Z',
  gewijzigdOp: `2026-01-0${1 + (i % 9)}T00:00:00.000Z`,
  labels: [],
});

async function world(count: number) {
  const store = new LocalStore(new KindkluisDatabase(`kk-list-cache-${Math.random()}`, { indexedDB: new IDBFactory(), IDBKeyRange }));
  const key = nobleProvider.randomBytes(32);
  const put = async (it: HulpvraagListItem) =>
    store.putIndex({
      id: it.hulpvraagId,
      dossier: it.dossierId,
      bytes: await sealLocal(nobleProvider, key, 'index', utf8Encode(JSON.stringify(it))),
    });
  for (let i = 0; i < count; i++) await put(item(i));
  const read = async () => (await readHulpvraagIndex(nobleProvider, key, store)).map((h) => `${h.hulpvraagId}:${h.status}`).sort();
  return { store, key, put, read };
}

describe('sealed hulpvragen list cache', () => {
  it('the first list writes one sealed cache and a second list reads the same entries from it', async () => {
    const w = await world(5);
    expect(await w.store.getIndexList()).toBeUndefined();
    const first = await w.read();
    const sealed = await w.store.getIndexList();
    expect(sealed).toBeDefined();
    // Sealed under the local key with its own purpose: not openable as an index entry.
    expect((await openLocal(nobleProvider, w.key, 'index', sealed ?? new Uint8Array())).ok).toBe(false);
    expect(await w.read()).toEqual(first);
    // An unchanged list does not rewrite the cache.
    expect(await w.store.getIndexList()).toEqual(sealed);
    w.store.close();
  });

  it('a changed index row wins over the cached entry, and a new row is listed', async () => {
    const w = await world(3);
    await w.read();
    await w.put(item(1, 'afgerond'));
    await w.put(item(7));
    expect(await w.read()).toEqual(['hv-0:aangevraagd', 'hv-1:afgerond', 'hv-2:aangevraagd', 'hv-7:aangevraagd']);
    w.store.close();
  });

  it('an entry whose index row was purged is not listed from the cache, and purging drops the cache', async () => {
    const w = await world(4);
    await w.read();
    await w.store.purgeDossier('dos-1');
    expect(await w.store.getIndexList()).toBeUndefined();
    expect(await w.read()).toEqual(['hv-0:aangevraagd', 'hv-2:aangevraagd']);
    w.store.close();
  });

  it('a stale cache put back (an older copy) cannot bring back an entry whose row changed since', async () => {
    const w = await world(2);
    await w.read();
    const old = await w.store.getIndexList();
    await w.put(item(0, 'afgerond'));
    await w.read();
    await w.store.putIndexList(old ?? new Uint8Array());
    expect(await w.read()).toEqual(['hv-0:afgerond', 'hv-1:aangevraagd']);
    w.store.close();
  });

  it('a cache that does not open (damaged or from another key) is ignored and rebuilt from the rows', async () => {
    const w = await world(2);
    await w.store.putIndexList(Uint8Array.of(1, 2, 3));
    expect(await w.read()).toEqual(['hv-0:aangevraagd', 'hv-1:aangevraagd']);
    const rebuilt = await w.store.getIndexList();
    expect(rebuilt?.length).toBeGreaterThan(3);
    w.store.close();
  });
});
