// Opens the Kindkluis IndexedDB through Dexie with an injected IndexedDB
// implementation (the browser's in the extension, fake-indexeddb in Node
// tests) and runs the schema migrations from v1 on.
import { Dexie, type Table } from 'dexie';
import {
  SCHEMA_VERSIONS,
  type ChunkRow,
  type CounterRow,
  type CursorRow,
  type DocCacheRow,
  type DraftRow,
  type EnvelopeRow,
  type IndexRow,
  type KeyRow,
  type MetaRow,
  type OutboxRow,
  type QuarantineRow,
  dossierOfRoomId,
} from './schema.js';

/** What Dexie needs from the platform; both the browser and fake-indexeddb provide it. */
export interface IndexedDbDeps {
  readonly indexedDB: IDBFactory;
  readonly IDBKeyRange: typeof IDBKeyRange;
}

export class KindkluisDatabase extends Dexie {
  envelopes!: Table<EnvelopeRow, [string, number]>;
  outbox!: Table<OutboxRow, number>;
  chunks!: Table<ChunkRow, [string, number]>;
  keys!: Table<KeyRow, string>;
  cursors!: Table<CursorRow, string>;
  index!: Table<IndexRow, string>;
  meta!: Table<MetaRow, string>;
  counters!: Table<CounterRow, string>;
  drafts!: Table<DraftRow, string>;
  quarantine!: Table<QuarantineRow, number>;
  docCache!: Table<DocCacheRow, string>;

  constructor(name: string, deps: IndexedDbDeps, upToVersion = Number.POSITIVE_INFINITY) {
    super(name, { indexedDB: deps.indexedDB, IDBKeyRange: deps.IDBKeyRange });
    for (const v of SCHEMA_VERSIONS) {
      if (v.version > upToVersion) break;
      const declared = this.version(v.version).stores({ ...v.stores });
      if (v.version === 2) {
        // Older outbox rows lack `dossier` and `attempts`: derive and default them.
        declared.upgrade(async (tx) => {
          await tx
            .table<OutboxRow, number>('outbox')
            .toCollection()
            .modify((row) => {
              const r = row as OutboxRow & { dossier?: string; attempts?: number };
              if (r.dossier === undefined) (r as { dossier: string }).dossier = dossierOfRoomId(r.room);
              if (r.attempts === undefined) r.attempts = 0;
            });
        });
      }
    }
  }
}

/** Opens (and migrates) the database. Several contexts of one device may open it at once. */
export async function openKindkluisDatabase(name: string, deps: IndexedDbDeps): Promise<KindkluisDatabase> {
  const db = new KindkluisDatabase(name, deps);
  await db.open();
  return db;
}
