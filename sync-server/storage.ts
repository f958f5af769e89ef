// The relay's storage interface: everything the relay keeps, as opaque bytes.
// One conformance suite (test/relay/storage-conformance.ts) runs against every
// implementation (lmdb now, Postgres later); the room logic uses only this
// interface, so nothing here may assume one engine.

export interface StoredRecord {
  readonly seq: number;
  /** The encoded envelope exactly as received. */
  readonly envelope: Uint8Array;
}

export interface AppendItem {
  readonly room: string;
  readonly author: string;
  readonly counter: number;
  readonly envelope: Uint8Array;
}

/**
 * `stored`: new record at `seq`. `duplicate`: the same bytes were stored before at
 * `seq` (a replay; nothing written). `conflict`: the (room, author, counter) slot
 * holds different bytes (nothing written).
 */
export type AppendOutcome =
  | { readonly kind: 'stored'; readonly seq: number }
  | { readonly kind: 'duplicate'; readonly seq: number }
  | { readonly kind: 'conflict'; readonly seq: number };

export interface StoredSnapshot {
  readonly coversSeq: number;
  readonly envelope: Uint8Array;
  /** SHA-256 of `envelope`: what the next snapshot must name as `prev`. */
  readonly hash: Uint8Array;
  /** When the relay stored it (ms): the retention window for covered records starts here. */
  readonly storedAt: number;
}

/**
 * What the relay keeps of a dossier it deleted when its retention ended [P60]: no content, only the
 * id, the moment of deletion and the signed `bewaartermijn` record that fixed it, so a device that
 * was away learns the dossier is gone and why.
 */
export interface Tombstone {
  readonly dossier: string;
  /** The deletion moment (ms). */
  readonly at: number;
  /** The encoded `acl` envelope of the last `bewaartermijn` record. */
  readonly record: Uint8Array;
}

export type SnapshotOutcome = 'stored' | 'conflict';
export type SwvRootOutcome = 'stored' | 'same' | 'other';

export interface QueuedNotification {
  readonly kind: string;
  readonly room: string;
  readonly at: number;
}

/**
 * A user's badge queue keeps at most this many items, the newest: a badge
 * needs no more, and a member cannot fill the relay's disk with
 * notifications for someone who never pulls them [P18].
 */
export const MAX_QUEUED_NOTIFICATIONS = 200;

/**
 * What the relay served one device of one dossier part in one hour [P52]:
 * counts and times only, never content. Merged by (dossier, hour, device, scope).
 */
export interface ServedEntry {
  readonly dossier: string;
  readonly device: string;
  readonly user: string;
  /** The dossier part (a scope such as `leerling` or `hulpvraag:<id>`), or `bijlage` for attachments. */
  readonly scope: string;
  /** Start of the hour (ms, UTC). */
  readonly hour: number;
  readonly first: number;
  readonly last: number;
  /** Records (and snapshots, attachments) served in that hour. */
  readonly count: number;
}

export const servedKey = (e: Pick<ServedEntry, 'dossier' | 'hour' | 'device' | 'scope'>): string =>
  JSON.stringify([e.dossier, e.hour, e.device, e.scope]);

/** Two entries for the same key → one (sums counts, widest times). */
export const mergeServed = (a: ServedEntry, b: ServedEntry): ServedEntry => ({
  ...a,
  first: Math.min(a.first, b.first),
  last: Math.max(a.last, b.last),
  count: a.count + b.count,
});

/** One number of an SWV's TLV register [P71]: who claimed it when, under a commitment that names no hulpvraag. */
export interface TlvNumberEntry {
  readonly volgnummer: number;
  readonly claim: Uint8Array;
  readonly user: string;
  readonly at: number;
}

export interface RelayStorage {
  /**
   * Appends a batch in ONE durable transaction: when the promise resolves, every
   * `stored` outcome is on disk (fsync). Seqs per room start at 1 and never skip
   * or repeat, also across deletions.
   */
  appendBatch(items: readonly AppendItem[]): Promise<AppendOutcome[]>;
  /** What occupies a (room, author, counter) slot: its seq and the SHA-256 of its bytes. Reads only. */
  lookup(room: string, author: string, counter: number): Promise<{ readonly seq: number; readonly hash: Uint8Array } | undefined>;
  /** Records with seq > afterSeq in order, at most `maxRecords`, stopping after `maxBytes` (at least one record). */
  readRecords(room: string, afterSeq: number, maxRecords: number, maxBytes: number): Promise<StoredRecord[]>;
  /** The last seq ever assigned in the room (0 if none). */
  headSeq(room: string): Promise<number>;
  getSnapshot(room: string): Promise<StoredSnapshot | undefined>;
  /** Stores `snapshot` only if the current snapshot's hash equals `prev` (null = none yet); atomic, durable. */
  putSnapshot(room: string, snapshot: StoredSnapshot, prev: Uint8Array | null): Promise<SnapshotOutcome>;
  /** Deletes records with seq ≤ upToSeq (garbage collection by id); returns how many. The head stays. */
  deleteRecordsUpTo(room: string, upToSeq: number): Promise<number>;
  /** Deletes a whole room: records, snapshot, counters. Its head stays reserved so seqs never repeat. */
  deleteRoom(room: string): Promise<void>;
  /** Every room that has ever had a record. */
  listRooms(): Promise<string[]>;

  /** Attachments are kept per room, so reading one needs read right on the room it was put in. */
  putBlob(room: string, hash: Uint8Array, data: Uint8Array): Promise<void>;
  getBlob(room: string, hash: Uint8Array): Promise<Uint8Array | undefined>;
  /** Deletes the attachments of every room `<dossier>/…`. */
  deleteBlobs(dossier: string): Promise<number>;

  /** Stores a dossier's tombstone (durable before it resolves); a second one for the same dossier is ignored [P60]. */
  putTombstone(tombstone: Tombstone): Promise<void>;
  getTombstone(dossier: string): Promise<Tombstone | undefined>;
  /** Every dossier with a tombstone. */
  listTombstones(): Promise<string[]>;
  /**
   * After a dossier's deletion: make the deleted bytes leave the store's files (lmdb keeps them in
   * free pages, PostgreSQL in dead tuples until rewritten) [P60]. Absent where nothing lingers (memory).
   */
  releaseDeleted?(): Promise<void>;

  /** Registers an SWV root; never replaces a different key. */
  putSwvRoot(swvId: string, publicKey: Uint8Array): Promise<SwvRootOutcome>;
  listSwvRoots(): Promise<Map<string, Uint8Array>>;

  /**
   * `owner`: the SWV whose logged-in device wrote it (counted against that SWV's mailbox cap),
   * absent for a write before login (counted in the anonymous pool) [P21]. An overwrite takes the new owner.
   */
  mailboxPut(box: Uint8Array, ciphertext: Uint8Array, expiresAt: number, owner?: string): Promise<void>;
  /** undefined when absent or expired at `now`. */
  mailboxGet(box: Uint8Array, now: number): Promise<Uint8Array | undefined>;
  purgeMailboxes(now: number): Promise<number>;
  /** Mailboxes stored, expired ones included until purged (the relay caps the total [P21]). */
  mailboxCount(): Promise<number>;
  /** Mailboxes of one owner (an SWV id), or with `null` those written before login; expired ones until purged [P21]. */
  mailboxCountOf(owner: string | null): Promise<number>;

  setEmail(userId: string, email: string | null): Promise<void>;
  getEmail(userId: string): Promise<string | undefined>;
  /** Queues an item for the user's badge; beyond MAX_QUEUED_NOTIFICATIONS the oldest are dropped. */
  queueNotification(userId: string, item: QueuedNotification): Promise<void>;
  /** Returns and removes the queued notifications of a user, oldest first. */
  takeNotifications(userId: string): Promise<QueuedNotification[]>;
  /**
   * Marks that the user is owed an e-mail digest at `dueAt` (ms). A user with a digest already
   * pending keeps the earlier moment: a window opens with its first notification and is not
   * pushed back by later ones [P19]. Durable, so a restart loses no digest.
   */
  markDigestDue(userId: string, dueAt: number): Promise<void>;
  /**
   * Takes (returns and removes, atomically) at most `max` users whose digest is due at `now`,
   * earliest first. Two relays on one store never both take the same pending digest, so each
   * window yields at most one mail per user [P19].
   */
  takeDueDigests(now: number, max: number): Promise<string[]>;

  /** Counts bytes an SWV stored (records and attachments) against its quota [P29]; shared by every relay on the store. */
  addSwvUsage(swvId: string, bytes: number): Promise<void>;
  /** Bytes counted for one SWV (0 if none). */
  swvUsage(swvId: string): Promise<number>;
  /** Bytes counted per SWV (for /metrics). */
  listSwvUsage(): Promise<Map<string, number>>;

  /** Adds to the served log [P52]: an entry for a key already stored is merged into it. */
  addServed(entries: readonly ServedEntry[]): Promise<void>;
  /** The served log of one dossier, oldest hour first, at most `max` entries. */
  listServed(dossier: string, max: number): Promise<ServedEntry[]>;
  /** Forgets entries whose hour started before `before` (ms); returns how many. */
  purgeServed(before: number): Promise<number>;

  /**
   * Assigns the SWV's next TLV volgnummer to `claim` in one durable transaction [P71]: 1 for the
   * first, then one above the last, never twice, also with several relays on one store. A claim
   * that has a number gets it again (`duplicate`), so a retry uses no second number.
   */
  claimTlvNumber(swvId: string, claim: Uint8Array, user: string, at: number): Promise<TlvNumberEntry & { readonly duplicate: boolean }>;
  /** The SWV's register from the number after `after`, ascending, at most `max` entries. */
  listTlvNumbers(swvId: string, after: number, max: number): Promise<TlvNumberEntry[]>;

  /**
   * The relay's Ed25519 identity seed (32 bytes) [P83]: the stored one, or else `candidate`, stored
   * durably and returned. Race-free: relays sharing one store that ask at once all get the first
   * one stored, so they sign with one key. The seed protects no user content (it signs the served log).
   */
  relayIdentitySeed(candidate: Uint8Array): Promise<Uint8Array>;

  close(): Promise<void>;
}
