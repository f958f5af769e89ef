// The operations the sync client and the dossier facade run on the local
// database. Every write that must be atomic (received batch + cursor, ack +
// outbox removal, counter allocation, dossier purge) is one IndexedDB transaction.
import type { KindkluisDatabase } from './database.js';
import {
  dossierOfRoomId,
  type ChunkRow,
  type DocCacheRow,
  type DraftRow,
  type EnvelopeRow,
  type IndexRow,
  type KeyRow,
  type OutboxRow,
  type QuarantineRow,
} from './schema.js';

/** Meta key of the sealed list cache; purged with any dossier, since it may hold that dossier's entries. */
const INDEX_LIST_KEY = 'index-list';

export interface ReceivedRecord {
  readonly seq: number;
  readonly kind: string;
  readonly bytes: Uint8Array;
}

export class LocalStore {
  constructor(readonly db: KindkluisDatabase) {}

  close(): void {
    this.db.close();
  }

  // ---- received log + cursors ----

  /** Stores verified records and advances the room's cursor, atomically. */
  async putReceived(room: string, records: readonly ReceivedRecord[], cursor: number): Promise<void> {
    const dossier = dossierOfRoomId(room);
    await this.db.transaction('rw', this.db.envelopes, this.db.cursors, async () => {
      if (records.length > 0) {
        await this.db.envelopes.bulkPut(records.map((r) => ({ room, dossier, seq: r.seq, kind: r.kind, bytes: r.bytes })));
      }
      const current = await this.db.cursors.get(room);
      if (!current || current.seq < cursor) await this.db.cursors.put({ room, dossier, seq: cursor });
    });
  }

  /** Records of a room with seq > afterSeq, in seq order. */
  async readReceived(room: string, afterSeq = 0): Promise<EnvelopeRow[]> {
    return this.db.envelopes
      .where('[room+seq]')
      .between([room, afterSeq + 1], [room, Number.MAX_SAFE_INTEGER], true, true)
      .toArray();
  }

  async countReceived(room: string): Promise<number> {
    return this.db.envelopes.where('room').equals(room).count();
  }

  /** Drops records that a trusted snapshot made redundant (local compaction). */
  async dropReceivedUpTo(room: string, seq: number): Promise<void> {
    await this.db.envelopes.where('[room+seq]').between([room, 0], [room, seq], true, true).delete();
  }

  async cursor(room: string): Promise<number> {
    return (await this.db.cursors.get(room))?.seq ?? 0;
  }

  async rooms(): Promise<string[]> {
    return (await this.db.cursors.toArray()).map((c) => c.room);
  }

  async quarantine(row: Omit<QuarantineRow, 'id' | 'dossier'>): Promise<void> {
    await this.db.quarantine.add({ ...row, dossier: dossierOfRoomId(row.room) });
  }

  async quarantined(room?: string): Promise<QuarantineRow[]> {
    return room === undefined ? this.db.quarantine.toArray() : this.db.quarantine.where('room').equals(room).toArray();
  }

  // ---- outbox ----

  async enqueue(room: string, kind: string, bytes: Uint8Array, now: number): Promise<number> {
    return this.db.outbox.add({ room, dossier: dossierOfRoomId(room), kind, bytes, createdAt: now, attempts: 0 });
  }

  async pending(room?: string): Promise<OutboxRow[]> {
    const rows = room === undefined ? await this.db.outbox.toArray() : await this.db.outbox.where('room').equals(room).toArray();
    return rows.sort((a, b) => (a.id ?? 0) - (b.id ?? 0));
  }

  async markAttempt(id: number): Promise<void> {
    await this.db.outbox
      .where('id')
      .equals(id)
      .modify((r) => {
        r.attempts += 1;
      });
  }

  /** The relay acknowledged outbox row `id` as `seq`: move it to the received log in one transaction. */
  async acknowledge(id: number, seq: number): Promise<void> {
    await this.db.transaction('rw', this.db.outbox, this.db.envelopes, async () => {
      const row = await this.db.outbox.get(id);
      if (!row) return;
      await this.db.envelopes.put({ room: row.room, dossier: row.dossier, seq, kind: row.kind, bytes: row.bytes });
      await this.db.outbox.delete(id);
    });
  }

  /** Drops an outbox row the relay refused for good (the refusal is reported to the user). */
  async dropPending(id: number): Promise<void> {
    await this.db.outbox.delete(id);
  }

  // ---- per-device counters ----

  /**
   * Reserves `count` consecutive envelope counters for a device. Atomic across
   * every context (popup, side panel, tab, background) that shares the database,
   * so no two envelopes of one device ever carry the same counter.
   */
  async allocateCounters(device: string, count = 1, atLeast = 1): Promise<number> {
    if (!Number.isInteger(count) || count < 1) throw new Error('Aantal tellers moet een positief geheel getal zijn');
    return this.db.transaction('rw', this.db.counters, async () => {
      const row = await this.db.counters.get(device);
      const start = Math.max(row?.next ?? 1, atLeast);
      await this.db.counters.put({ device, next: start + count });
      return start;
    });
  }

  // ---- attachments ----

  async putChunks(blob: string, dossier: string, chunks: readonly Uint8Array[]): Promise<void> {
    await this.db.chunks.bulkPut(chunks.map((bytes, index) => ({ blob, dossier, index, bytes })));
  }

  async getChunks(blob: string): Promise<Uint8Array[] | undefined> {
    const rows: ChunkRow[] = await this.db.chunks.where('blob').equals(blob).sortBy('index');
    return rows.length === 0 ? undefined : rows.map((r) => r.bytes);
  }

  // ---- keys, index, drafts, doc cache, meta ----

  async putKey(row: KeyRow): Promise<void> {
    await this.db.keys.put(row);
  }
  async getKey(id: string): Promise<Uint8Array | undefined> {
    return (await this.db.keys.get(id))?.bytes;
  }
  async keysOfDossier(dossier: string): Promise<KeyRow[]> {
    return this.db.keys.where('dossier').equals(dossier).toArray();
  }
  async deleteKey(id: string): Promise<void> {
    await this.db.keys.delete(id);
  }

  async putIndex(row: IndexRow): Promise<void> {
    await this.db.index.put(row);
  }
  async listIndex(): Promise<IndexRow[]> {
    return this.db.index.toArray();
  }
  /** The sealed list cache: every index entry once more in one seal (core/client/client-index.ts). */
  async putIndexList(bytes: Uint8Array): Promise<void> {
    await this.db.meta.put({ key: INDEX_LIST_KEY, bytes });
  }
  async getIndexList(): Promise<Uint8Array | undefined> {
    return (await this.db.meta.get(INDEX_LIST_KEY))?.bytes;
  }

  async putDraft(row: DraftRow): Promise<void> {
    await this.db.drafts.put(row);
  }
  async getDraft(id: string): Promise<DraftRow | undefined> {
    return this.db.drafts.get(id);
  }
  async deleteDraft(id: string): Promise<void> {
    await this.db.drafts.delete(id);
  }

  async putDocCache(row: DocCacheRow): Promise<void> {
    await this.db.docCache.put(row);
  }
  async getDocCache(room: string): Promise<DocCacheRow | undefined> {
    return this.db.docCache.get(room);
  }

  async putMeta(key: string, bytes: Uint8Array): Promise<void> {
    await this.db.meta.put({ key, bytes });
  }
  async getMeta(key: string): Promise<Uint8Array | undefined> {
    return (await this.db.meta.get(key))?.bytes;
  }

  /**
   * Removes everything this device holds for a dossier: ciphertext, keys,
   * cursors, outbox, index entries, drafts, cached state. Used when access
   * expires or is revoked. The sealed list cache may hold the dossier's
   * entries and cannot be edited without the local key, so it goes too (the
   * next list rebuilds it from the remaining index rows).
   */
  async purgeDossier(dossier: string): Promise<void> {
    const d = this.db;
    await d.transaction(
      'rw',
      [d.envelopes, d.outbox, d.chunks, d.keys, d.cursors, d.index, d.drafts, d.quarantine, d.docCache, d.meta],
      async () => {
        await Promise.all([
          d.meta.delete(INDEX_LIST_KEY),
          d.envelopes.where('dossier').equals(dossier).delete(),
          d.outbox.where('dossier').equals(dossier).delete(),
          d.chunks.where('dossier').equals(dossier).delete(),
          d.keys.where('dossier').equals(dossier).delete(),
          d.cursors.where('dossier').equals(dossier).delete(),
          d.index.where('dossier').equals(dossier).delete(),
          d.drafts.where('dossier').equals(dossier).delete(),
          d.quarantine.where('dossier').equals(dossier).delete(),
          d.docCache.where('dossier').equals(dossier).delete(),
        ]);
      },
    );
  }

  /** Every dossier this device holds any row of. */
  async dossierIds(): Promise<string[]> {
    const d = this.db;
    const ids = new Set<string>();
    for (const t of [d.envelopes, d.outbox, d.chunks, d.keys, d.cursors, d.index, d.drafts, d.quarantine, d.docCache]) {
      for (const k of await (t as typeof d.keys).orderBy('dossier').uniqueKeys()) if (typeof k === 'string' && k !== '') ids.add(k);
    }
    return [...ids];
  }

  /** Number of rows that still mention a dossier, over all tables (0 after a purge). */
  async countDossierRows(dossier: string): Promise<number> {
    const d = this.db;
    const counts = await Promise.all(
      [d.envelopes, d.outbox, d.chunks, d.keys, d.cursors, d.index, d.drafts, d.quarantine, d.docCache].map((t) =>
        (t as typeof d.keys).where('dossier').equals(dossier).count(),
      ),
    );
    return counts.reduce((a, b) => a + b, 0);
  }
}
