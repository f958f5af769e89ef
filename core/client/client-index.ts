// The sealed local index of hulpvragen (the list view) and the sealed cache of each room's
// merged state; refreshing the verified views they are made from.
import * as Y from 'yjs';
import { utf8Decode, utf8Encode } from '../crypto/bytes.js';
import { roomOf, scopeKind } from '../access/rooms.js';
import { asId } from '../model/ids.js';
import type { DossierId, HulpvraagId, OverlegrondeId } from '../model/ids.js';
import { ok, type Result } from '../result.js';
import { localSealNonce, openLocal, sealLocal } from '../store/local-seal.js';
import type { CryptoProvider } from '../crypto/provider.js';
import type { LocalStore } from '../store/local-store.js';
import type { HulpvraagListItem } from './api.js';
import * as docs from './dossier-docs.js';
import type { DossierState } from './dossier-state.js';
import type { ClientCore } from './client-core.js';
import { fullName, leerlingOf } from './client-dossiers.js';
import { getHulpvraag } from './client-hulpvragen.js';
import { verifyMessagesOf } from './client-overlegronde.js';
import { workflowOf } from './client-workflow.js';
import { locked } from './state/session.js';

/** Verifies every not yet verified status event of one dossier's documents, or of all (async). */
export async function refreshViews(c: ClientCore, dossierId?: DossierId): Promise<void> {
  const targets = dossierId === undefined ? [...c.dossiers.values()] : [c.dossiers.get(dossierId)].filter((st) => st !== undefined);
  for (const st of targets) await refreshViewsOf(c, st);
}

export async function listHulpvragen(c: ClientCore): Promise<Result<readonly HulpvraagListItem[]>> {
  const id = c.id;
  if (!id) return locked();
  await flushIndex(c);
  const out = await readHulpvraagIndex(c.provider, id.localKey, c.store);
  return ok(out.sort((a, b) => b.gewijzigdOp.localeCompare(a.gewijzigdOp)));
}

/** Seal purpose of the list cache (a different purpose from the entries, so neither can stand in for the other). */
const LIST_PURPOSE = 'index-list';

/** A cache entry: the first 64 bits of the nonce of the index row it was read from, and the entry. */
type CacheEntry = readonly [nonceHigh: number, nonceLow: number, item: HulpvraagListItem];

/** The list cache's plaintext. */
interface ListCache {
  readonly v: 1;
  readonly entries: readonly CacheEntry[];
}

/** 64 bits of a sealed row's random nonce as two numbers: which seal it is (cheap to compare for 10,000 rows). */
function sealId(sealed: Uint8Array): [number, number] {
  const nonce = localSealNonce(sealed);
  if (nonce.length < 8) return [-1, -1];
  const view = new DataView(nonce.buffer, nonce.byteOffset, 8);
  return [view.getUint32(0), view.getUint32(4)];
}

/**
 * Every entry of the sealed hulpvragen index, in the store's order. The per-entry rows
 * stay the truth (written one at a time by flushIndex, purged per dossier); the sealed
 * list cache holds them all once more in one seal, so an unchanged list opens with one
 * AEAD open instead of one per entry (bench `list`: 10,000 JavaScript XChaCha opens cost
 * about 3× the rest of the build; the cache, being large, is native AES-GCM). An entry is
 * taken from the cache only while its row still carries the nonce it was read from; a new, changed or replaced row is opened on
 * its own, entries whose row is gone are dropped, and then the cache is rewritten.
 */
export async function readHulpvraagIndex(
  provider: CryptoProvider,
  localKey: Uint8Array,
  store: Pick<LocalStore, 'listIndex' | 'getIndexList' | 'putIndexList'>,
): Promise<HulpvraagListItem[]> {
  const [rows, sealedCache] = await Promise.all([store.listIndex(), store.getIndexList()]);
  const cached = new Map<string, CacheEntry>();
  if (sealedCache !== undefined) {
    const opened = await openLocal(provider, localKey, LIST_PURPOSE, sealedCache);
    if (opened.ok) {
      try {
        const cache = JSON.parse(utf8Decode(opened.value)) as ListCache;
        if (cache.v === 1 && Array.isArray(cache.entries)) for (const e of cache.entries) cached.set(e[2].hulpvraagId, e);
      } catch {
        cached.clear();
      }
    }
  }
  const out: HulpvraagListItem[] = [];
  const entries: CacheEntry[] = [];
  let stale = sealedCache === undefined;
  for (const row of rows) {
    const [high, low] = sealId(row.bytes);
    const hit = cached.get(row.id);
    if (hit !== undefined && hit[0] === high && hit[1] === low) {
      out.push(hit[2]);
      entries.push(hit);
      continue;
    }
    const opened = await openLocal(provider, localKey, 'index', row.bytes);
    if (!opened.ok) continue;
    try {
      const item = JSON.parse(utf8Decode(opened.value)) as HulpvraagListItem;
      out.push(item);
      entries.push([high, low, item]);
      stale = true;
    } catch {
      continue;
    }
  }
  if (entries.length !== cached.size) stale = true;
  if (stale) {
    const cache: ListCache = { v: 1, entries };
    await store.putIndexList(await sealLocal(provider, localKey, LIST_PURPOSE, utf8Encode(JSON.stringify(cache))));
  }
  return out;
}

/** Writes the sealed list entries and the sealed document cache of changed dossiers. */
export async function flushIndex(c: ClientCore): Promise<void> {
  c.indexQueue.stopTimer();
  const id = c.id;
  if (!id) return;
  const dirty = c.indexQueue.takeDirty();
  for (const dossierId of dirty) {
    const st = c.dossiers.get(dossierId);
    if (!st) continue;
    // A purge (retention, lost access) may run during the awaits below. It drops the dossier from memory
    // before it deletes its rows, so a row written after that check would outlive the purge: check
    // right before every write (seen as a leftover index row after a crypto-shredding at start, R83).
    const held = (): boolean => c.dossiers.get(dossierId) === st;
    await refreshViewsOf(c, st);
    const leerling = leerlingOf(st);
    for (const scope of st.docs.keys()) {
      if (scopeKind(scope) !== 'hulpvraag') continue;
      const hvId = asId<HulpvraagId>(scope.slice('hulpvraag:'.length));
      const v = getHulpvraag(c, dossierId, hvId);
      if (!v.ok) continue;
      const meta = docs.readHulpvraagMeta(st.docs.get(scope)?.doc ?? new Y.Doc());
      const item: HulpvraagListItem = {
        hulpvraagId: hvId,
        dossierId,
        titel: v.value.titel,
        status: v.value.status,
        statusLabel: v.value.statusLabel,
        leerlingNaam: leerling ? fullName(leerling) : null,
        school: meta?.schoolNaam ?? '',
        coordinator: v.value.coordinator ? c.directory.nameOf(v.value.coordinator) : null,
        aangemaaktOp: v.value.aangemaaktOp,
        gewijzigdOp: v.value.history.at(-1)?.at ?? v.value.aangemaaktOp,
        labels: v.value.labels,
      };
      const bytes = await sealLocal(c.provider, id.localKey, 'index', utf8Encode(JSON.stringify(item)));
      if (!held()) break;
      await c.store.putIndex({ id: hvId, dossier: dossierId, bytes });
    }
    // Sealed local cache of each room's merged state: fast opening without replaying the log.
    for (const [scope, d] of st.docs) {
      const room = roomOf(dossierId, scope);
      const seq = await c.store.cursor(room);
      const bytes = await sealLocal(c.provider, id.localKey, `doc:${room}`, d.state());
      if (!held()) break;
      await c.store.putDocCache({ room, dossier: dossierId, seq, bytes });
    }
  }
  if (dirty.length > 0) c.emit({ kind: 'index' });
}

async function refreshViewsOf(c: ClientCore, st: DossierState): Promise<void> {
  for (const scope of st.docs.keys()) {
    if (scopeKind(scope) === 'hulpvraag') await workflowOf(c, st, asId<HulpvraagId>(scope.slice('hulpvraag:'.length)));
    if (scopeKind(scope) === 'overlegronde') await verifyMessagesOf(c, st, asId<OverlegrondeId>(scope.slice('overlegronde:'.length)));
  }
}
