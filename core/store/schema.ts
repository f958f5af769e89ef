// Row shapes and Dexie schema versions of the local database. Every row holds
// only ciphertext (sealed envelopes, locally sealed blobs) plus opaque ids and
// numbers; no row may ever hold a name, a title or other dossier content.

/** A record the relay acknowledged, stored as the encoded envelope bytes. Key [room+seq]. */
export interface EnvelopeRow {
  readonly room: string;
  readonly dossier: string;
  readonly seq: number;
  readonly kind: string;
  readonly bytes: Uint8Array;
}

/** A sealed local change not yet acknowledged by the relay. */
export interface OutboxRow {
  id?: number;
  readonly room: string;
  readonly dossier: string;
  readonly kind: string;
  readonly createdAt: number;
  readonly bytes: Uint8Array;
  /** Added in schema v2 (migrated to 0). */
  attempts: number;
}

/** One encrypted chunk of an attachment; `blob` is the hash address of the ciphertext. Key [blob+index]. */
export interface ChunkRow {
  readonly blob: string;
  readonly dossier: string;
  readonly index: number;
  readonly bytes: Uint8Array;
}

/** A wrapped key (identity, epoch key, local key). `dossier` is '' for keys not bound to a dossier. */
export interface KeyRow {
  readonly id: string;
  readonly dossier: string;
  readonly bytes: Uint8Array;
}

/** The highest relay seq applied per room. */
export interface CursorRow {
  readonly room: string;
  readonly dossier: string;
  readonly seq: number;
}

/** Next per-device envelope counter; shared by every extension context of one device. */
export interface CounterRow {
  readonly device: string;
  readonly next: number;
}

/** One entry of the hulpvragen list, sealed with the local key. */
export interface IndexRow {
  readonly id: string;
  readonly dossier: string;
  readonly bytes: Uint8Array;
}

/** Sealed unsent typing (auto-lock keeps every character). */
export interface DraftRow {
  readonly id: string;
  readonly dossier: string;
  readonly updatedAt: number;
  readonly bytes: Uint8Array;
}

/** A received record that failed verification: kept aside, reported, never applied. */
export interface QuarantineRow {
  id?: number;
  readonly room: string;
  readonly dossier: string;
  readonly seq: number;
  /** Error code only (e.g. 'handtekening-ongeldig'); never content. */
  readonly code: string;
  readonly at: number;
  readonly bytes: Uint8Array;
}

/** A locally sealed copy of a room's merged document state, for fast opening. */
export interface DocCacheRow {
  readonly room: string;
  readonly dossier: string;
  readonly seq: number;
  readonly bytes: Uint8Array;
}

/** Opaque settings and bookkeeping (sealed where they could say anything). */
export interface MetaRow {
  readonly key: string;
  readonly bytes: Uint8Array;
}

export const TABLES = [
  'envelopes',
  'outbox',
  'chunks',
  'keys',
  'cursors',
  'index',
  'meta',
  'counters',
  'drafts',
  'quarantine',
  'docCache',
] as const;
export type TableName = (typeof TABLES)[number];

/**
 * Schema per version, from the first release on. Never edit a released
 * version: add a new one with its upgrade in `database.ts`.
 */
export const SCHEMA_VERSIONS: readonly { readonly version: number; readonly stores: Readonly<Record<string, string | null>> }[] = [
  {
    version: 1,
    stores: {
      envelopes: '[room+seq], room, dossier',
      outbox: '++id, room',
      chunks: '[blob+index], blob, dossier',
      keys: 'id, dossier',
      cursors: 'room, dossier',
      index: 'id, dossier',
      meta: 'key',
    },
  },
  {
    // v2: shared device counters, sealed drafts, quarantine, sealed doc cache;
    // the outbox gains `dossier` (index) and `attempts`.
    version: 2,
    stores: {
      outbox: '++id, room, dossier',
      counters: 'device',
      drafts: 'id, dossier',
      quarantine: '++id, room, dossier',
      docCache: 'room, dossier',
    },
  },
];

export const CURRENT_SCHEMA_VERSION = 2;

/** The dossier a room belongs to: rooms are `<dossierId>/<scope>`. */
export const dossierOfRoomId = (room: string): string => {
  const slash = room.indexOf('/');
  return slash < 0 ? room : room.slice(0, slash);
};
