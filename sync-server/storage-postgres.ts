// PostgreSQL storage for a hosted relay (`--store postgres://…`): several
// relay processes share one database. Every write is one transaction with
// synchronous_commit on, so a promise resolves only after the commit is
// durable; an append batch also NOTIFYs its rooms' new heads in that same
// transaction, so other relays hear of a record only once it is committed [P27].
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import {
  MAX_QUEUED_NOTIFICATIONS,
  type AppendItem,
  type ServedEntry,
  type AppendOutcome,
  type QueuedNotification,
  type RelayStorage,
  type SnapshotOutcome,
  type StoredRecord,
  type StoredSnapshot,
  type SwvRootOutcome,
  type Tombstone,
  type TlvNumberEntry,
} from './storage.js';
import { sha256Native } from './node-crypto.js';

/** The channel on which committed appends are announced: payload `{"r":room,"s":head,"i":instance}`. */
export const APPEND_CHANNEL = 'kindkluis_append';
/** The channel on which a newly registered SWV root is announced: payload the announcing instance. */
export const SWV_CHANNEL = 'kindkluis_swv';
/** Blobs are stored in chunks of this size (a blob is at most 10 MB). */
export const BLOB_CHUNK_BYTES = 1024 * 1024;

const copy = (b: Uint8Array): Uint8Array => new Uint8Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
const buf = (b: Uint8Array): Buffer => Buffer.from(b.buffer, b.byteOffset, b.byteLength);
const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => buf(a).equals(buf(b));

/**
 * Migrations in order; the number stored in schema_version says how many ran. Never edit one that
 * shipped: add the next. Run under an advisory lock so relays starting together migrate once.
 */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE heads (room text PRIMARY KEY, head bigint NOT NULL);
   CREATE TABLE records (room text NOT NULL, seq bigint NOT NULL, envelope bytea NOT NULL, PRIMARY KEY (room, seq));
   CREATE TABLE slots (room text NOT NULL, author text NOT NULL, counter bigint NOT NULL, seq bigint NOT NULL, hash bytea NOT NULL,
                       PRIMARY KEY (room, author, counter));
   CREATE TABLE snapshots (room text PRIMARY KEY, covers_seq bigint NOT NULL, envelope bytea NOT NULL, hash bytea NOT NULL, stored_at bigint NOT NULL);
   CREATE TABLE blobs (room text NOT NULL, hash bytea NOT NULL, chunk integer NOT NULL, data bytea NOT NULL, PRIMARY KEY (room, hash, chunk));
   CREATE TABLE swv_roots (swv_id text PRIMARY KEY, public_key bytea NOT NULL);
   CREATE TABLE mailboxes (box bytea PRIMARY KEY, ciphertext bytea NOT NULL, expires_at bigint NOT NULL);
   CREATE TABLE emails (user_id text PRIMARY KEY, email text NOT NULL);
   CREATE TABLE notifications (id bigserial PRIMARY KEY, user_id text NOT NULL, kind text NOT NULL, room text NOT NULL, at bigint NOT NULL);
   CREATE INDEX notifications_by_user ON notifications (user_id, at, id);`,
  // 2: bytes stored per SWV, for its quota [P29].
  `CREATE TABLE swv_usage (swv_id text PRIMARY KEY, bytes bigint NOT NULL);`,
  // 3: users owed an e-mail digest and when, so a restart or a second relay neither loses nor doubles one [P19].
  `CREATE TABLE digests (user_id text PRIMARY KEY, due_at bigint NOT NULL);
   CREATE INDEX digests_by_due ON digests (due_at, user_id);`,
  // 4: who a mailbox counts against: the writing device's SWV, or NULL before login [P21].
  `ALTER TABLE mailboxes ADD COLUMN owner text;
   CREATE INDEX mailboxes_by_owner ON mailboxes (owner);`,
  // 5: what the relay served, per dossier, hour, device and part: counts and times only [P52].
  `CREATE TABLE served (dossier text NOT NULL, hour bigint NOT NULL, device text NOT NULL, scope text NOT NULL,
                       user_id text NOT NULL, first_at bigint NOT NULL, last_at bigint NOT NULL, count bigint NOT NULL,
                       PRIMARY KEY (dossier, hour, device, scope));
   CREATE INDEX served_by_hour ON served (hour);`,
  // 6: what is left of a dossier deleted at the end of its retention [P60].
  `CREATE TABLE tombstones (dossier text PRIMARY KEY, at bigint NOT NULL, record bytea NOT NULL);`,
  // 7: each SWV's TLV register: the last number per SWV (its row is the lock) and who claimed each [P71].
  `CREATE TABLE tlv_heads (swv_id text PRIMARY KEY, last bigint NOT NULL);
   CREATE TABLE tlv_numbers (swv_id text NOT NULL, volgnummer bigint NOT NULL, claim bytea NOT NULL, user_id text NOT NULL, at bigint NOT NULL,
                             PRIMARY KEY (swv_id, volgnummer), UNIQUE (swv_id, claim));`,
  // 8: the relay's identity key, one row shared by every relay on the database [P83].
  `CREATE TABLE relay_identity (id boolean PRIMARY KEY DEFAULT true CHECK (id), seed bytea NOT NULL CHECK (length(seed) = 32));`,
];
const MIGRATION_LOCK = 0x4b4b0001;

export interface PostgresStorageOptions {
  readonly url: string;
  /** Pool size per relay process. */
  readonly maxConnections?: number;
}

export class PostgresStorage implements RelayStorage {
  /** Names this process in its announcements, so its own fan-out skips them. */
  readonly instance = randomUUID();

  private constructor(
    readonly pool: pg.Pool,
    readonly url: string,
  ) {}

  /** Connects and runs the migrations that have not run yet. */
  static async open(options: PostgresStorageOptions): Promise<PostgresStorage> {
    const pool = new pg.Pool({
      connectionString: options.url,
      max: options.maxConnections ?? 8,
      // An ack must follow a durable commit, whatever the server's default says.
      options: '-c synchronous_commit=on',
    });
    // An idle client that loses its server must not crash the relay; the next query reconnects.
    pool.on('error', () => undefined);
    const storage = new PostgresStorage(pool, options.url);
    try {
      await storage.migrate();
    } catch (e) {
      await pool.end();
      throw e;
    }
    return storage;
  }

  /** For readiness: the database answers a query. */
  async ping(): Promise<boolean> {
    await this.pool.query('SELECT 1');
    return true;
  }

  /** The schema version after migrating: how many migrations ran. */
  async schemaVersion(): Promise<number> {
    const r = await this.pool.query<{ version: number }>('SELECT version FROM schema_version');
    return r.rows[0]?.version ?? 0;
  }

  private async migrate(): Promise<void> {
    await this.tx(async (c) => {
      await c.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      await c.query('CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL)');
      const r = await c.query<{ version: number }>('SELECT version FROM schema_version');
      let version = r.rows[0]?.version;
      if (version === undefined) {
        await c.query('INSERT INTO schema_version (version) VALUES (0)');
        version = 0;
      }
      if (version > MIGRATIONS.length)
        throw new Error(`database-schema ${version} is nieuwer dan deze relay (${MIGRATIONS.length}): eerst de relay bijwerken`);
      for (let v = version; v < MIGRATIONS.length; v++) await c.query(MIGRATIONS[v] ?? '');
      await c.query('UPDATE schema_version SET version = $1', [MIGRATIONS.length]);
    });
  }

  private async tx<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    const c = await this.pool.connect();
    try {
      await c.query('BEGIN');
      const out = await fn(c);
      await c.query('COMMIT');
      return out;
    } catch (e) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      c.release();
    }
  }

  /**
   * Seqs per room come from the room's row in `heads`: the batch locks the rows of its rooms
   * (in sorted order, so two relays cannot deadlock) before it reads a slot, and writes the new
   * head before it commits. A second relay appending to the same room waits for that row, then
   * continues from the committed head: seqs stay gap-free and unique across relays [P27].
   */
  appendBatch(items: readonly AppendItem[]): Promise<AppendOutcome[]> {
    if (items.length === 0) return Promise.resolve([]);
    const committed = this.tx(async (c) => {
      const rooms = [...new Set(items.map((i) => i.room))].sort();
      const locked = await c.query<{ room: string; head: string }>(
        `INSERT INTO heads (room, head) SELECT unnest($1::text[]), 0
         ON CONFLICT (room) DO UPDATE SET head = heads.head RETURNING room, head`,
        [rooms],
      );
      const heads = new Map(locked.rows.map((r) => [r.room, Number(r.head)]));
      const existing = await c.query<{ room: string; author: string; counter: string; seq: string; hash: Buffer }>(
        `SELECT s.room, s.author, s.counter, s.seq, s.hash FROM slots s
         JOIN unnest($1::text[], $2::text[], $3::bigint[]) AS k(room, author, counter)
           ON s.room = k.room AND s.author = k.author AND s.counter = k.counter`,
        [items.map((i) => i.room), items.map((i) => i.author), items.map((i) => i.counter)],
      );
      const slotKey = (room: string, author: string, counter: number | string) => JSON.stringify([room, author, String(counter)]);
      const slots = new Map<string, { seq: number; hash: Uint8Array }>();
      for (const r of existing.rows) slots.set(slotKey(r.room, r.author, r.counter), { seq: Number(r.seq), hash: r.hash });
      const out: AppendOutcome[] = [];
      const fresh: { item: AppendItem; seq: number; hash: Uint8Array }[] = [];
      for (const it of items) {
        const hash = sha256Native(it.envelope);
        const key = slotKey(it.room, it.author, it.counter);
        const slot = slots.get(key);
        if (slot !== undefined) {
          out.push({ kind: sameBytes(slot.hash, hash) ? 'duplicate' : 'conflict', seq: slot.seq });
          continue;
        }
        const seq = (heads.get(it.room) ?? 0) + 1;
        heads.set(it.room, seq);
        slots.set(key, { seq, hash });
        fresh.push({ item: it, seq, hash });
        out.push({ kind: 'stored', seq });
      }
      if (fresh.length > 0) {
        await c.query('INSERT INTO records (room, seq, envelope) SELECT * FROM unnest($1::text[], $2::bigint[], $3::bytea[])', [
          fresh.map((f) => f.item.room),
          fresh.map((f) => f.seq),
          fresh.map((f) => buf(f.item.envelope)),
        ]);
        await c.query(
          'INSERT INTO slots (room, author, counter, seq, hash) SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::bytea[])',
          [
            fresh.map((f) => f.item.room),
            fresh.map((f) => f.item.author),
            fresh.map((f) => f.item.counter),
            fresh.map((f) => f.seq),
            fresh.map((f) => buf(f.hash)),
          ],
        );
        const touched = [...new Set(fresh.map((f) => f.item.room))];
        await c.query('UPDATE heads SET head = u.head FROM unnest($1::text[], $2::bigint[]) AS u(room, head) WHERE heads.room = u.room', [
          touched,
          touched.map((r) => heads.get(r) ?? 0),
        ]);
        // Delivered to listeners only when this transaction commits (and not at all if it rolls back).
        await c.query(
          "SELECT pg_notify($1, json_build_object('r', u.room, 's', u.head, 'i', $4::text)::text) FROM unnest($2::text[], $3::bigint[]) AS u(room, head)",
          [APPEND_CHANNEL, touched, touched.map((r) => heads.get(r) ?? 0), this.instance],
        );
      }
      return out;
    });
    return committed.then((out) => {
      this.noteCommit();
      return out;
    });
  }

  async lookup(room: string, author: string, counter: number): Promise<{ seq: number; hash: Uint8Array } | undefined> {
    const r = await this.pool.query<{ seq: string; hash: Buffer }>(
      'SELECT seq, hash FROM slots WHERE room = $1 AND author = $2 AND counter = $3',
      [room, author, counter],
    );
    const row = r.rows[0];
    return row === undefined ? undefined : { seq: Number(row.seq), hash: copy(row.hash) };
  }

  /**
   * Reads in flight, shared by callers that ask the same while no new commit became known to this
   * process. After an append every subscriber of the room asks for the same records at once; without
   * sharing that is one query per subscriber. A read started before a commit is never shared with a
   * caller that learnt of the commit (the generation changed), so no one misses a record. An object,
   * not fields, so a wrapper made with Object.create (metrics) shares the same state.
   */
  private readonly shared = { generation: 0, reads: new Map<string, Promise<unknown>>() };

  /** A commit became known here (own append, another relay's announcement, a deletion): later reads start afresh. */
  noteCommit(): void {
    this.shared.generation++;
  }

  private readShared<T>(key: string, run: () => Promise<T>): Promise<T> {
    const k = `${this.shared.generation}|${key}`;
    const hit = this.shared.reads.get(k);
    if (hit !== undefined) return hit as Promise<T>;
    const p = run();
    this.shared.reads.set(k, p);
    const done = () => {
      if (this.shared.reads.get(k) === p) this.shared.reads.delete(k);
    };
    p.then(done, done);
    return p;
  }

  async readRecords(room: string, afterSeq: number, maxRecords: number, maxBytes: number): Promise<StoredRecord[]> {
    const rows = await this.readShared(JSON.stringify(['r', room, afterSeq, maxRecords, maxBytes]), () =>
      this.readRecordsNow(room, afterSeq, maxRecords, maxBytes),
    );
    return rows.slice();
  }

  private async readRecordsNow(room: string, afterSeq: number, maxRecords: number, maxBytes: number): Promise<StoredRecord[]> {
    const r = await this.pool.query<{ seq: string; envelope: Buffer }>(
      'SELECT seq, envelope FROM records WHERE room = $1 AND seq > $2 ORDER BY seq LIMIT $3',
      [room, afterSeq, maxRecords],
    );
    const out: StoredRecord[] = [];
    let bytes = 0;
    for (const row of r.rows) {
      out.push({ seq: Number(row.seq), envelope: copy(row.envelope) });
      bytes += row.envelope.length;
      if (bytes >= maxBytes) break;
    }
    return out;
  }

  headSeq(room: string): Promise<number> {
    return this.readShared(JSON.stringify(['h', room]), async () => {
      const r = await this.pool.query<{ head: string }>('SELECT head FROM heads WHERE room = $1', [room]);
      return Number(r.rows[0]?.head ?? 0);
    });
  }

  async getSnapshot(room: string): Promise<StoredSnapshot | undefined> {
    const r = await this.pool.query<{ covers_seq: string; envelope: Buffer; hash: Buffer; stored_at: string }>(
      'SELECT covers_seq, envelope, hash, stored_at FROM snapshots WHERE room = $1',
      [room],
    );
    const row = r.rows[0];
    return row === undefined
      ? undefined
      : { coversSeq: Number(row.covers_seq), envelope: copy(row.envelope), hash: copy(row.hash), storedAt: Number(row.stored_at) };
  }

  putSnapshot(room: string, snapshot: StoredSnapshot, prev: Uint8Array | null): Promise<SnapshotOutcome> {
    return this.tx(async (c) => {
      const r = await c.query<{ hash: Buffer }>('SELECT hash FROM snapshots WHERE room = $1 FOR UPDATE', [room]);
      const current = r.rows[0];
      const fits = current === undefined ? prev === null : prev !== null && sameBytes(current.hash, prev);
      if (!fits) return 'conflict' as const;
      // A first snapshot raced by another relay hits the primary key: that is a conflict too.
      const w = await c.query(
        `INSERT INTO snapshots (room, covers_seq, envelope, hash, stored_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (room) DO UPDATE SET covers_seq = EXCLUDED.covers_seq, envelope = EXCLUDED.envelope, hash = EXCLUDED.hash, stored_at = EXCLUDED.stored_at
         WHERE snapshots.hash = $6`,
        [room, snapshot.coversSeq, buf(snapshot.envelope), buf(snapshot.hash), snapshot.storedAt, prev === null ? null : buf(prev)],
      );
      return w.rowCount === 1 ? ('stored' as const) : ('conflict' as const);
    });
  }

  async deleteRecordsUpTo(room: string, upToSeq: number): Promise<number> {
    const r = await this.pool.query('DELETE FROM records WHERE room = $1 AND seq <= $2', [room, upToSeq]);
    this.noteCommit();
    return r.rowCount ?? 0;
  }

  async deleteRoom(room: string): Promise<void> {
    await this.tx(async (c) => {
      // The head row stays (seqs never repeat); holding it keeps appends out while the room goes.
      await c.query('SELECT head FROM heads WHERE room = $1 FOR UPDATE', [room]);
      await c.query('DELETE FROM records WHERE room = $1', [room]);
      await c.query('DELETE FROM slots WHERE room = $1', [room]);
      await c.query('DELETE FROM snapshots WHERE room = $1', [room]);
    });
  }

  async listRooms(): Promise<string[]> {
    const r = await this.pool.query<{ room: string }>('SELECT room FROM heads WHERE head > 0');
    return r.rows.map((row) => row.room);
  }

  async putBlob(room: string, hash: Uint8Array, data: Uint8Array): Promise<void> {
    const chunks: Buffer[] = [];
    for (let at = 0; at < data.length || chunks.length === 0; at += BLOB_CHUNK_BYTES)
      chunks.push(buf(data.subarray(at, at + BLOB_CHUNK_BYTES)));
    await this.tx(async (c) => {
      await c.query('DELETE FROM blobs WHERE room = $1 AND hash = $2', [room, buf(hash)]);
      for (const [i, chunk] of chunks.entries())
        await c.query('INSERT INTO blobs (room, hash, chunk, data) VALUES ($1, $2, $3, $4)', [room, buf(hash), i, chunk]);
    });
  }

  async getBlob(room: string, hash: Uint8Array): Promise<Uint8Array | undefined> {
    const r = await this.pool.query<{ data: Buffer }>('SELECT data FROM blobs WHERE room = $1 AND hash = $2 ORDER BY chunk', [
      room,
      buf(hash),
    ]);
    if (r.rows.length === 0) return undefined;
    return new Uint8Array(Buffer.concat(r.rows.map((row) => row.data)));
  }

  async deleteBlobs(dossier: string): Promise<number> {
    // starts_with, not LIKE: dossier ids may contain `_`, a LIKE wildcard.
    const r = await this.pool.query<{ n: string }>(
      'WITH gone AS (DELETE FROM blobs WHERE starts_with(room, $1) RETURNING chunk) SELECT count(*) AS n FROM gone WHERE chunk = 0',
      [`${dossier}/`],
    );
    return Number(r.rows[0]?.n ?? 0);
  }

  async putSwvRoot(swvId: string, publicKey: Uint8Array): Promise<SwvRootOutcome> {
    const stored = await this.tx(async (c) => {
      const ins = await c.query('INSERT INTO swv_roots (swv_id, public_key) VALUES ($1, $2) ON CONFLICT (swv_id) DO NOTHING', [
        swvId,
        buf(publicKey),
      ]);
      // The other relays load the new root when this commits [P27].
      if (ins.rowCount === 1) await c.query('SELECT pg_notify($1, $2)', [SWV_CHANNEL, this.instance]);
      return ins.rowCount === 1;
    });
    if (stored) return 'stored';
    const r = await this.pool.query<{ public_key: Buffer }>('SELECT public_key FROM swv_roots WHERE swv_id = $1', [swvId]);
    const existing = r.rows[0];
    return existing !== undefined && sameBytes(existing.public_key, publicKey) ? 'same' : 'other';
  }

  async relayIdentitySeed(candidate: Uint8Array): Promise<Uint8Array> {
    // The first relay to insert wins; every relay then reads that row, so all sign with one key.
    await this.pool.query('INSERT INTO relay_identity (id, seed) VALUES (true, $1) ON CONFLICT (id) DO NOTHING', [buf(candidate)]);
    const r = await this.pool.query<{ seed: Buffer }>('SELECT seed FROM relay_identity WHERE id');
    const row = r.rows[0];
    if (row === undefined) throw new Error('relay_identity is leeg na het invoegen');
    return copy(row.seed);
  }

  async putTombstone(t: Tombstone): Promise<void> {
    await this.pool.query('INSERT INTO tombstones (dossier, at, record) VALUES ($1, $2, $3) ON CONFLICT (dossier) DO NOTHING', [
      t.dossier,
      t.at,
      Buffer.from(t.record),
    ]);
  }

  async getTombstone(dossier: string): Promise<Tombstone | undefined> {
    const r = await this.pool.query<{ at: string; record: Buffer }>('SELECT at, record FROM tombstones WHERE dossier = $1', [dossier]);
    const row = r.rows[0];
    return row === undefined ? undefined : { dossier, at: Number(row.at), record: copy(row.record) };
  }

  /**
   * Deleted rows stay in the table files as dead tuples until the table is rewritten: VACUUM FULL
   * rewrites the tables a dossier lives in [P60]. It locks them while it runs; deletions at the end
   * of retention are rare (a batch a day at most), so the relay pays this then and not per append.
   */
  async releaseDeleted(): Promise<void> {
    await this.pool.query('VACUUM FULL records, slots, snapshots, blobs');
  }

  async listTombstones(): Promise<string[]> {
    const r = await this.pool.query<{ dossier: string }>('SELECT dossier FROM tombstones');
    return r.rows.map((row) => row.dossier);
  }

  async listSwvRoots(): Promise<Map<string, Uint8Array>> {
    const r = await this.pool.query<{ swv_id: string; public_key: Buffer }>('SELECT swv_id, public_key FROM swv_roots');
    return new Map(r.rows.map((row) => [row.swv_id, copy(row.public_key)]));
  }

  async mailboxPut(box: Uint8Array, ciphertext: Uint8Array, expiresAt: number, owner?: string): Promise<void> {
    await this.pool.query(
      'INSERT INTO mailboxes (box, ciphertext, expires_at, owner) VALUES ($1, $2, $3, $4) ON CONFLICT (box) DO UPDATE SET ciphertext = EXCLUDED.ciphertext, expires_at = EXCLUDED.expires_at, owner = EXCLUDED.owner',
      [buf(box), buf(ciphertext), expiresAt, owner ?? null],
    );
  }

  async mailboxCountOf(owner: string | null): Promise<number> {
    // Two forms, as IS NOT DISTINCT FROM cannot use the owner index.
    const r =
      owner === null
        ? await this.pool.query<{ n: string }>('SELECT count(*) AS n FROM mailboxes WHERE owner IS NULL')
        : await this.pool.query<{ n: string }>('SELECT count(*) AS n FROM mailboxes WHERE owner = $1', [owner]);
    return Number(r.rows[0]?.n ?? 0);
  }

  async mailboxGet(box: Uint8Array, now: number): Promise<Uint8Array | undefined> {
    const r = await this.pool.query<{ ciphertext: Buffer }>('SELECT ciphertext FROM mailboxes WHERE box = $1 AND expires_at > $2', [
      buf(box),
      now,
    ]);
    const row = r.rows[0];
    return row === undefined ? undefined : copy(row.ciphertext);
  }

  async purgeMailboxes(now: number): Promise<number> {
    const r = await this.pool.query('DELETE FROM mailboxes WHERE expires_at <= $1', [now]);
    return r.rowCount ?? 0;
  }

  async mailboxCount(): Promise<number> {
    const r = await this.pool.query<{ n: string }>('SELECT count(*) AS n FROM mailboxes');
    return Number(r.rows[0]?.n ?? 0);
  }

  async setEmail(userId: string, email: string | null): Promise<void> {
    if (email === null) await this.pool.query('DELETE FROM emails WHERE user_id = $1', [userId]);
    else
      await this.pool.query(
        'INSERT INTO emails (user_id, email) VALUES ($1, $2) ON CONFLICT (user_id) DO UPDATE SET email = EXCLUDED.email',
        [userId, email],
      );
  }

  async getEmail(userId: string): Promise<string | undefined> {
    const r = await this.pool.query<{ email: string }>('SELECT email FROM emails WHERE user_id = $1', [userId]);
    return r.rows[0]?.email;
  }

  async queueNotification(userId: string, item: QueuedNotification): Promise<void> {
    await this.tx(async (c) => {
      await c.query('INSERT INTO notifications (user_id, kind, room, at) VALUES ($1, $2, $3, $4)', [userId, item.kind, item.room, item.at]);
      // Beyond the cap the oldest go [P18].
      await c.query(
        `DELETE FROM notifications WHERE id IN (
           SELECT id FROM notifications WHERE user_id = $1 ORDER BY at DESC, id DESC OFFSET $2)`,
        [userId, MAX_QUEUED_NOTIFICATIONS],
      );
    });
  }

  async takeNotifications(userId: string): Promise<QueuedNotification[]> {
    const r = await this.pool.query<{ id: string; kind: string; room: string; at: string }>(
      'DELETE FROM notifications WHERE user_id = $1 RETURNING id, kind, room, at',
      [userId],
    );
    return r.rows
      .map((row) => ({ id: BigInt(row.id), item: { kind: row.kind, room: row.room, at: Number(row.at) } }))
      .sort((a, b) => a.item.at - b.item.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((x) => x.item);
  }

  async markDigestDue(userId: string, dueAt: number): Promise<void> {
    await this.pool.query(
      'INSERT INTO digests (user_id, due_at) VALUES ($1, $2) ON CONFLICT (user_id) DO UPDATE SET due_at = LEAST(digests.due_at, EXCLUDED.due_at)',
      [userId, dueAt],
    );
  }

  async takeDueDigests(now: number, max: number): Promise<string[]> {
    // DELETE … RETURNING of rows locked with SKIP LOCKED: two relays taking at once get disjoint users, each exactly once.
    const r = await this.pool.query<{ user_id: string; due_at: string }>(
      `DELETE FROM digests WHERE user_id IN (
         SELECT user_id FROM digests WHERE due_at <= $1 ORDER BY due_at, user_id LIMIT $2 FOR UPDATE SKIP LOCKED)
       RETURNING user_id, due_at`,
      [now, Math.max(0, max)],
    );
    return r.rows.sort((a, b) => Number(a.due_at) - Number(b.due_at) || (a.user_id < b.user_id ? -1 : 1)).map((row) => row.user_id);
  }

  async addSwvUsage(swvId: string, bytes: number): Promise<void> {
    await this.pool.query(
      'INSERT INTO swv_usage (swv_id, bytes) VALUES ($1, $2) ON CONFLICT (swv_id) DO UPDATE SET bytes = swv_usage.bytes + EXCLUDED.bytes',
      [swvId, bytes],
    );
  }

  async swvUsage(swvId: string): Promise<number> {
    const r = await this.pool.query<{ bytes: string }>('SELECT bytes FROM swv_usage WHERE swv_id = $1', [swvId]);
    return Number(r.rows[0]?.bytes ?? 0);
  }

  async listSwvUsage(): Promise<Map<string, number>> {
    const r = await this.pool.query<{ swv_id: string; bytes: string }>('SELECT swv_id, bytes FROM swv_usage');
    return new Map(r.rows.map((row) => [row.swv_id, Number(row.bytes)]));
  }

  async addServed(entries: readonly ServedEntry[]): Promise<void> {
    if (entries.length === 0) return;
    // One statement for the batch; concurrent relays merge into the same row.
    const values: (string | number)[] = [];
    const rows = entries.map((e, i) => {
      values.push(e.dossier, e.hour, e.device, e.scope, e.user, e.first, e.last, e.count);
      const b = i * 8;
      return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}, $${b + 6}, $${b + 7}, $${b + 8})`;
    });
    await this.pool.query(
      `INSERT INTO served (dossier, hour, device, scope, user_id, first_at, last_at, count) VALUES ${rows.join(', ')}
       ON CONFLICT (dossier, hour, device, scope) DO UPDATE SET first_at = LEAST(served.first_at, EXCLUDED.first_at),
         last_at = GREATEST(served.last_at, EXCLUDED.last_at), count = served.count + EXCLUDED.count`,
      values,
    );
  }

  async listServed(dossier: string, max: number): Promise<ServedEntry[]> {
    const r = await this.pool.query<{
      hour: string;
      device: string;
      scope: string;
      user_id: string;
      first_at: string;
      last_at: string;
      count: string;
    }>(
      'SELECT hour, device, scope, user_id, first_at, last_at, count FROM served WHERE dossier = $1 ORDER BY hour, device, scope LIMIT $2',
      [dossier, Math.max(0, max)],
    );
    return r.rows.map((row) => ({
      dossier,
      hour: Number(row.hour),
      device: row.device,
      scope: row.scope,
      user: row.user_id,
      first: Number(row.first_at),
      last: Number(row.last_at),
      count: Number(row.count),
    }));
  }

  async purgeServed(before: number): Promise<number> {
    const r = await this.pool.query('DELETE FROM served WHERE hour < $1', [before]);
    return r.rowCount ?? 0;
  }

  async claimTlvNumber(
    swvId: string,
    claim: Uint8Array,
    user: string,
    at: number,
  ): Promise<TlvNumberEntry & { readonly duplicate: boolean }> {
    return this.tx(async (c) => {
      // The SWV's head row serialises its claims across relays (row lock until commit), and is the durable last number.
      await c.query('INSERT INTO tlv_heads (swv_id, last) VALUES ($1, 0) ON CONFLICT DO NOTHING', [swvId]);
      const head = await c.query<{ last: string }>('SELECT last FROM tlv_heads WHERE swv_id = $1 FOR UPDATE', [swvId]);
      const had = await c.query<{ volgnummer: string; user_id: string; at: string }>(
        'SELECT volgnummer, user_id, at FROM tlv_numbers WHERE swv_id = $1 AND claim = $2',
        [swvId, buf(claim)],
      );
      const row = had.rows[0];
      if (row !== undefined)
        return { volgnummer: Number(row.volgnummer), claim: copy(claim), user: row.user_id, at: Number(row.at), duplicate: true };
      const volgnummer = Number(head.rows[0]?.last ?? 0) + 1;
      await c.query('UPDATE tlv_heads SET last = $2 WHERE swv_id = $1', [swvId, volgnummer]);
      await c.query('INSERT INTO tlv_numbers (swv_id, volgnummer, claim, user_id, at) VALUES ($1, $2, $3, $4, $5)', [
        swvId,
        volgnummer,
        buf(claim),
        user,
        at,
      ]);
      return { volgnummer, claim: copy(claim), user, at, duplicate: false };
    });
  }

  async listTlvNumbers(swvId: string, after: number, max: number): Promise<TlvNumberEntry[]> {
    const r = await this.pool.query<{ volgnummer: string; claim: Buffer; user_id: string; at: string }>(
      'SELECT volgnummer, claim, user_id, at FROM tlv_numbers WHERE swv_id = $1 AND volgnummer > $2 ORDER BY volgnummer LIMIT $3',
      [swvId, after, Math.max(0, max)],
    );
    return r.rows.map((row) => ({ volgnummer: Number(row.volgnummer), claim: copy(row.claim), user: row.user_id, at: Number(row.at) }));
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
