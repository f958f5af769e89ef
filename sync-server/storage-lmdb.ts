// The default relay store: lmdb (embedded, prebuilt, no set-up), data under
// `--data`. Every write is one transaction that is synced to disk before its
// promise resolves (overlappingSync off), so an ack always follows an fsync.
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { open, type Database, type RootDatabase } from 'lmdb';
import {
  MAX_QUEUED_NOTIFICATIONS,
  mergeServed,
  type ServedEntry,
  type AppendItem,
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

const copy = (b: Uint8Array): Uint8Array => new Uint8Array(b);
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => Buffer.from(a).equals(Buffer.from(b));

type Key = string | number | (string | number)[];

/** Longest a counted SWV usage waits for an append transaction to ride in before it is written on its own. */
const USAGE_FLUSH_MS = 100;

interface SnapshotRow {
  c: number;
  e: Uint8Array;
  h: Uint8Array;
  t: number;
}

export interface LmdbStorageOptions {
  readonly path: string;
  /** Only for measurements: commit without fsync. Never in production. */
  readonly unsafeNoSync?: boolean;
}

export class LmdbStorage implements RelayStorage {
  /**
   * The open database and its tables, in one object: `releaseDeleted` reopens them, and the metrics
   * wrapper (an object whose prototype is this storage) must see the new handles too.
   */
  private readonly h = {} as {
    root: RootDatabase;
    records: Database<Uint8Array, Key>;
    counters: Database<[number, Uint8Array], Key>;
    heads: Database<number, Key>;
    snapshots: Database<SnapshotRow, Key>;
    blobs: Database<Uint8Array, Key>;
    swv: Database<Uint8Array, Key>;
    mailboxes: Database<{ c: Uint8Array; e: number; o?: string }, Key>;
    /** Mailboxes per owner ('' = written before login), kept in the same transactions as `mailboxes` [P21]. */
    mailboxOwners: Database<number, Key>;
    emails: Database<string, Key>;
    notifications: Database<QueuedNotification, Key>;
    usage: Database<number, Key>;
    /** user → when the digest is due; `digestsByDue` indexes the same as [dueAt, user] → true. */
    digests: Database<number, Key>;
    digestsByDue: Database<boolean, Key>;
    /** dossier → { a: deletion moment, r: signed bewaartermijn record } [P60]. */
    tombstones: Database<{ a: number; r: Uint8Array }, Key>;
    /** [dossier, hour, device, scope] → counts and times [P52]. */
    served: Database<{ u: string; f: number; l: number; n: number }, Key>;
    /** [swv, volgnummer] → the claim, its user and moment; `tlvClaims` indexes [swv, claim hex] → volgnummer [P71]. */
    tlvNumbers: Database<{ c: Uint8Array; u: string; a: number }, Key>;
    tlvClaims: Database<number, Key>;
    /** 'seed' → the relay's Ed25519 identity seed [P83]. */
    identity: Database<Uint8Array, Key>;
    /** Writes wait on this while the file is rewritten without its free pages [P60]. */
    gate: Promise<void>;
  };
  /**
   * SWV usage counted but not yet written [P29]. It rides in the next append's transaction, or gets
   * its own after USAGE_FLUSH_MS: counting it in a synced transaction of its own doubled the fsyncs
   * per append (bench `typing`). `addSwvUsage` still resolves only once the count is on disk. One
   * object whose fields are mutated, never reassigned, so the metrics wrapper (Object.create) shares it.
   */
  private readonly usageQueue = {
    pending: new Map<string, number>(),
    /** In a transaction that has not committed yet: still counted by swvUsage. */
    committing: new Map<string, number>(),
    waiter: undefined as { promise: Promise<void>; resolve: () => void; reject: (e: unknown) => void } | undefined,
    timer: undefined as NodeJS.Timeout | undefined,
  };
  private notificationCounter = 0;
  /** Writes committing now: a compaction waits for them. */
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(private readonly options: LmdbStorageOptions) {
    mkdirSync(options.path, { recursive: true });
    this.h.gate = Promise.resolve();
    this.openAll();
  }

  private openAll(): void {
    const options = this.options;
    this.h.root = open({
      path: options.path,
      // Durable commit: the transaction promise resolves only after the OS confirms the sync.
      overlappingSync: false,
      noSync: options.unsafeNoSync === true,
      maxDbs: 32,
    });
    this.h.records = this.h.root.openDB({ name: 'records', encoding: 'binary' });
    this.h.counters = this.h.root.openDB({ name: 'counters' });
    this.h.heads = this.h.root.openDB({ name: 'heads' });
    this.h.snapshots = this.h.root.openDB({ name: 'snapshots' });
    this.h.blobs = this.h.root.openDB({ name: 'blobs', encoding: 'binary' });
    this.h.swv = this.h.root.openDB({ name: 'swv', encoding: 'binary' });
    this.h.mailboxes = this.h.root.openDB({ name: 'mailboxes' });
    this.h.mailboxOwners = this.h.root.openDB({ name: 'mailbox-owners' });
    // A store from before the per-owner counts: count what it holds (all written before login then).
    if (this.h.mailboxOwners.getCount() === 0 && this.h.mailboxes.getCount() > 0) {
      const counts = new Map<string, number>();
      for (const { value } of this.h.mailboxes.getRange()) counts.set(value.o ?? '', (counts.get(value.o ?? '') ?? 0) + 1);
      this.h.root.transactionSync(() => {
        for (const [o, n] of counts) this.h.mailboxOwners.putSync(o, n);
      });
    }
    this.h.emails = this.h.root.openDB({ name: 'emails' });
    this.h.notifications = this.h.root.openDB({ name: 'notifications' });
    this.h.usage = this.h.root.openDB({ name: 'swv-usage' });
    this.h.digests = this.h.root.openDB({ name: 'digests' });
    this.h.digestsByDue = this.h.root.openDB({ name: 'digests-by-due' });
    this.h.tombstones = this.h.root.openDB({ name: 'tombstones' });
    this.h.served = this.h.root.openDB({ name: 'served' });
    this.h.tlvNumbers = this.h.root.openDB({ name: 'tlv-numbers' });
    this.h.tlvClaims = this.h.root.openDB({ name: 'tlv-claims' });
    this.h.identity = this.h.root.openDB({ name: 'relay-identity', encoding: 'binary' });
  }

  relayIdentitySeed(candidate: Uint8Array): Promise<Uint8Array> {
    // One write transaction: the first seed stored stays, a later candidate is dropped.
    return this.tx(() => {
      const stored = this.h.identity.get('seed');
      if (stored !== undefined) return copy(stored);
      this.h.identity.putSync('seed', copy(candidate));
      return copy(candidate);
    });
  }

  claimTlvNumber(swvId: string, claim: Uint8Array, user: string, at: number): Promise<TlvNumberEntry & { readonly duplicate: boolean }> {
    // One write transaction: lmdb runs them one at a time, so reading the last number and writing the next cannot interleave.
    return this.tx(() => {
      const claimHex = Buffer.from(claim).toString('hex');
      const had = this.h.tlvClaims.get([swvId, claimHex]);
      if (had !== undefined) {
        const e = this.h.tlvNumbers.get([swvId, had]);
        return { volgnummer: had, claim: copy(claim), user: e?.u ?? user, at: e?.a ?? at, duplicate: true };
      }
      let last = 0;
      for (const { key } of this.h.tlvNumbers.getRange({
        start: [swvId, Number.MAX_SAFE_INTEGER],
        end: [swvId, 0],
        reverse: true,
        limit: 1,
      }))
        last = (key as [string, number])[1];
      const volgnummer = last + 1;
      this.h.tlvNumbers.putSync([swvId, volgnummer], { c: copy(claim), u: user, a: at });
      this.h.tlvClaims.putSync([swvId, claimHex], volgnummer);
      return { volgnummer, claim: copy(claim), user, at, duplicate: false };
    });
  }

  listTlvNumbers(swvId: string, after: number, max: number): Promise<TlvNumberEntry[]> {
    const out: TlvNumberEntry[] = [];
    for (const { key, value } of this.h.tlvNumbers.getRange({
      start: [swvId, after + 1],
      end: [swvId, Number.MAX_SAFE_INTEGER],
      limit: Math.max(0, max),
    })) {
      out.push({ volgnummer: (key as [string, number])[1], claim: copy(value.c), user: value.u, at: value.a });
    }
    return Promise.resolve(out);
  }

  addServed(entries: readonly ServedEntry[]): Promise<void> {
    // Not synced one by one: a batch per flush, in one transaction like every write here.
    return this.tx(() => {
      for (const e of entries) {
        const key: Key = [e.dossier, e.hour, e.device, e.scope];
        const old = this.h.served.get(key);
        const row = old === undefined ? e : mergeServed({ ...e, first: old.f, last: old.l, count: old.n, user: old.u }, e);
        this.h.served.putSync(key, { u: row.user, f: row.first, l: row.last, n: row.count });
      }
    });
  }

  listServed(dossier: string, max: number): Promise<ServedEntry[]> {
    const out: ServedEntry[] = [];
    for (const { key, value } of this.h.served.getRange({ start: [dossier], limit: Math.max(0, max) + 1 })) {
      const [d, hour, device, scope] = key as [string, number, string, string];
      if (d !== dossier || out.length >= max) break;
      out.push({ dossier: d, hour, device, scope, user: value.u, first: value.f, last: value.l, count: value.n });
    }
    return Promise.resolve(out);
  }

  purgeServed(before: number): Promise<number> {
    return this.tx(() => {
      let n = 0;
      for (const { key } of this.h.served.getRange()) {
        if ((key as [string, number])[1] < before) {
          this.h.served.removeSync(key);
          n++;
        }
      }
      return n;
    });
  }

  /** Every write goes through here, so a compaction can hold them back and wait for those in flight. */
  private tx<T>(fn: () => T): Promise<T> {
    const p = this.h.gate.then(() => this.h.root.transaction(fn));
    this.inFlight.add(p);
    void p.then(
      () => this.inFlight.delete(p),
      () => this.inFlight.delete(p),
    );
    return p;
  }

  /**
   * lmdb keeps deleted values in its free pages until they are reused: after a dossier is deleted at the
   * end of its retention, its ciphertext could still be read from the file. This rewrites the file
   * without free pages (a compacting copy that replaces it) and reopens it [P60]. Writes wait meanwhile;
   * a read in the moment of reopening may fail and is retried by the client like any storage error.
   */
  async releaseDeleted(): Promise<void> {
    let release!: () => void;
    const before = this.h.gate;
    this.h.gate = new Promise<void>((r) => (release = r));
    try {
      await before;
      while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
      const tmp = `${this.options.path}.compact`;
      rmSync(tmp, { recursive: true, force: true });
      mkdirSync(tmp);
      await this.h.root.backup(tmp, true);
      await this.h.root.close();
      renameSync(join(tmp, 'data.mdb'), join(this.options.path, 'data.mdb'));
      rmSync(tmp, { recursive: true, force: true });
      this.openAll();
    } finally {
      release();
    }
  }

  appendBatch(items: readonly AppendItem[]): Promise<AppendOutcome[]> {
    const usage = this.takeUsage();
    return this.settleUsage(
      usage,
      this.tx(() => {
        if (usage !== undefined) this.writeUsage(usage.counts);
        const heads = new Map<string, number>();
        const out: AppendOutcome[] = [];
        for (const it of items) {
          const hash = sha256Native(it.envelope);
          const slot: Key = [it.room, it.author, it.counter];
          const existing = this.h.counters.get(slot);
          if (existing !== undefined) {
            out.push({ kind: sameBytes(existing[1], hash) ? 'duplicate' : 'conflict', seq: existing[0] });
            continue;
          }
          const seq = (heads.get(it.room) ?? this.h.heads.get(it.room) ?? 0) + 1;
          heads.set(it.room, seq);
          this.h.records.putSync([it.room, seq], it.envelope);
          this.h.counters.putSync(slot, [seq, hash]);
          this.h.heads.putSync(it.room, seq);
          out.push({ kind: 'stored', seq });
        }
        return out;
      }),
    );
  }

  lookup(room: string, author: string, counter: number): Promise<{ seq: number; hash: Uint8Array } | undefined> {
    const v = this.h.counters.get([room, author, counter]);
    return Promise.resolve(v === undefined ? undefined : { seq: v[0], hash: copy(v[1]) });
  }

  readRecords(room: string, afterSeq: number, maxRecords: number, maxBytes: number): Promise<StoredRecord[]> {
    const out: StoredRecord[] = [];
    let bytes = 0;
    for (const { key, value } of this.h.records.getRange({ start: [room, afterSeq + 1], end: [room, Number.MAX_SAFE_INTEGER] })) {
      const k = key as [string, number];
      if (k[0] !== room) break;
      out.push({ seq: k[1], envelope: copy(value) });
      bytes += value.length;
      if (out.length >= maxRecords || bytes >= maxBytes) break;
    }
    return Promise.resolve(out);
  }

  headSeq(room: string): Promise<number> {
    return Promise.resolve(this.h.heads.get(room) ?? 0);
  }

  getSnapshot(room: string): Promise<StoredSnapshot | undefined> {
    const row = this.h.snapshots.get(room);
    return Promise.resolve(row === undefined ? undefined : { coversSeq: row.c, envelope: copy(row.e), hash: copy(row.h), storedAt: row.t });
  }

  putSnapshot(room: string, snapshot: StoredSnapshot, prev: Uint8Array | null): Promise<SnapshotOutcome> {
    return this.tx(() => {
      const current = this.h.snapshots.get(room);
      const fits = current === undefined ? prev === null : prev !== null && sameBytes(current.h, prev);
      if (!fits) return 'conflict' as const;
      this.h.snapshots.putSync(room, { c: snapshot.coversSeq, e: snapshot.envelope, h: snapshot.hash, t: snapshot.storedAt });
      return 'stored' as const;
    });
  }

  deleteRecordsUpTo(room: string, upToSeq: number): Promise<number> {
    return this.tx(() => {
      let n = 0;
      for (const key of this.h.records.getKeys({ start: [room, 0], end: [room, upToSeq + 1] })) {
        const k = key as [string, number];
        if (k[0] !== room) break;
        this.h.records.removeSync(key);
        n++;
      }
      return n;
    });
  }

  deleteRoom(room: string): Promise<void> {
    return this.tx(() => {
      for (const key of this.h.records.getKeys({ start: [room, 0], end: [room, Number.MAX_SAFE_INTEGER] })) {
        if ((key as [string, number])[0] !== room) break;
        this.h.records.removeSync(key);
      }
      for (const key of this.h.counters.getKeys({ start: [room] })) {
        if ((key as [string])[0] !== room) break;
        this.h.counters.removeSync(key);
      }
      this.h.snapshots.removeSync(room);
    });
  }

  listRooms(): Promise<string[]> {
    return Promise.resolve([...this.h.heads.getKeys()].map((k) => String(k)));
  }

  async putBlob(room: string, hash: Uint8Array, data: Uint8Array): Promise<void> {
    await this.h.blobs.put([room, hex(hash)], data);
  }

  getBlob(room: string, hash: Uint8Array): Promise<Uint8Array | undefined> {
    const v = this.h.blobs.get([room, hex(hash)]);
    return Promise.resolve(v === undefined ? undefined : copy(v));
  }

  deleteBlobs(dossier: string): Promise<number> {
    const prefix = `${dossier}/`;
    return this.tx(() => {
      let n = 0;
      // Rooms `<dossier>/…` sort together: start at the prefix, stop at the first key without it.
      for (const key of this.h.blobs.getKeys({ start: [prefix] })) {
        if (!String((key as [string])[0]).startsWith(prefix)) break;
        this.h.blobs.removeSync(key);
        n++;
      }
      return n;
    });
  }

  async putTombstone(t: Tombstone): Promise<void> {
    await this.tx(() => {
      if (this.h.tombstones.get(t.dossier) === undefined) this.h.tombstones.putSync(t.dossier, { a: t.at, r: t.record });
    });
  }

  getTombstone(dossier: string): Promise<Tombstone | undefined> {
    const v = this.h.tombstones.get(dossier);
    return Promise.resolve(v === undefined ? undefined : { dossier, at: v.a, record: copy(v.r) });
  }

  listTombstones(): Promise<string[]> {
    return Promise.resolve([...this.h.tombstones.getKeys()].map(String));
  }

  putSwvRoot(swvId: string, publicKey: Uint8Array): Promise<SwvRootOutcome> {
    return this.tx(() => {
      const existing = this.h.swv.get(swvId);
      if (existing !== undefined) return sameBytes(existing, publicKey) ? ('same' as const) : ('other' as const);
      this.h.swv.putSync(swvId, publicKey);
      return 'stored' as const;
    });
  }

  listSwvRoots(): Promise<Map<string, Uint8Array>> {
    const out = new Map<string, Uint8Array>();
    for (const { key, value } of this.h.swv.getRange()) out.set(String(key), copy(value));
    return Promise.resolve(out);
  }

  mailboxPut(box: Uint8Array, ciphertext: Uint8Array, expiresAt: number, owner?: string): Promise<void> {
    return this.tx(() => {
      const key = hex(box);
      const old = this.h.mailboxes.get(key);
      if (old !== undefined) this.countOwner(old.o ?? '', -1);
      this.h.mailboxes.putSync(key, owner === undefined ? { c: ciphertext, e: expiresAt } : { c: ciphertext, e: expiresAt, o: owner });
      this.countOwner(owner ?? '', 1);
    });
  }

  private countOwner(owner: string, delta: number): void {
    const n = Math.max(0, (this.h.mailboxOwners.get(owner) ?? 0) + delta);
    if (n === 0) this.h.mailboxOwners.removeSync(owner);
    else this.h.mailboxOwners.putSync(owner, n);
  }

  mailboxCountOf(owner: string | null): Promise<number> {
    return Promise.resolve(this.h.mailboxOwners.get(owner ?? '') ?? 0);
  }

  mailboxGet(box: Uint8Array, now: number): Promise<Uint8Array | undefined> {
    const v = this.h.mailboxes.get(hex(box));
    return Promise.resolve(v === undefined || v.e <= now ? undefined : copy(v.c));
  }

  mailboxCount(): Promise<number> {
    return Promise.resolve(this.h.mailboxes.getCount());
  }

  purgeMailboxes(now: number): Promise<number> {
    return this.tx(() => {
      let n = 0;
      for (const { key, value } of this.h.mailboxes.getRange()) {
        if (value.e <= now) {
          this.h.mailboxes.removeSync(key);
          this.countOwner(value.o ?? '', -1);
          n++;
        }
      }
      return n;
    });
  }

  async setEmail(userId: string, email: string | null): Promise<void> {
    if (email === null) await this.h.emails.remove(userId);
    else await this.h.emails.put(userId, email);
  }

  getEmail(userId: string): Promise<string | undefined> {
    return Promise.resolve(this.h.emails.get(userId));
  }

  queueNotification(userId: string, item: QueuedNotification): Promise<void> {
    return this.tx(() => {
      this.h.notifications.putSync([userId, item.at, this.notificationCounter++, Math.floor(Math.random() * 2 ** 31)], {
        kind: item.kind,
        room: item.room,
        at: item.at,
      });
      // Keys sort by time: beyond the cap the oldest go.
      const keys: Key[] = [];
      for (const key of this.h.notifications.getKeys({ start: [userId] })) {
        if ((key as [string])[0] !== userId) break;
        keys.push(key);
      }
      for (const key of keys.slice(0, Math.max(0, keys.length - MAX_QUEUED_NOTIFICATIONS))) this.h.notifications.removeSync(key);
    });
  }

  takeNotifications(userId: string): Promise<QueuedNotification[]> {
    return this.tx(() => {
      const out: QueuedNotification[] = [];
      for (const { key, value } of this.h.notifications.getRange({ start: [userId] })) {
        if ((key as [string])[0] !== userId) break;
        out.push({ kind: value.kind, room: value.room, at: value.at });
        this.h.notifications.removeSync(key);
      }
      return out;
    });
  }

  addSwvUsage(swvId: string, bytes: number): Promise<void> {
    const q = this.usageQueue;
    q.pending.set(swvId, (q.pending.get(swvId) ?? 0) + bytes);
    if (q.waiter === undefined) {
      let resolve!: () => void;
      let reject!: (e: unknown) => void;
      const promise = new Promise<void>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      q.waiter = { promise, resolve, reject };
      q.timer = setTimeout(() => void this.flushUsage(), USAGE_FLUSH_MS);
      q.timer.unref();
    }
    return q.waiter.promise;
  }

  /** Takes the pending usage for a transaction about to be queued; its waiters settle with that transaction. */
  private takeUsage(): { counts: Map<string, number>; waiter: NonNullable<LmdbStorage['usageQueue']['waiter']> } | undefined {
    const q = this.usageQueue;
    if (q.waiter === undefined) return undefined;
    const taken = { counts: new Map(q.pending), waiter: q.waiter };
    q.pending.clear();
    q.waiter = undefined;
    clearTimeout(q.timer);
    for (const [id, n] of taken.counts) q.committing.set(id, (q.committing.get(id) ?? 0) + n);
    return taken;
  }

  /** Inside a write transaction. */
  private writeUsage(counts: ReadonlyMap<string, number>): void {
    for (const [id, n] of counts) this.h.usage.putSync(id, (this.h.usage.get(id) ?? 0) + n);
  }

  private settleUsage<T>(usage: ReturnType<LmdbStorage['takeUsage']>, commit: Promise<T>): Promise<T> {
    if (usage === undefined) return commit;
    const done = (): void => {
      const q = this.usageQueue;
      for (const [id, n] of usage.counts) {
        const left = (q.committing.get(id) ?? 0) - n;
        if (left > 0) q.committing.set(id, left);
        else q.committing.delete(id);
      }
    };
    commit.then(
      () => {
        done();
        usage.waiter.resolve();
      },
      (e: unknown) => {
        done();
        usage.waiter.reject(e);
      },
    );
    return commit;
  }

  private flushUsage(): Promise<void> {
    const usage = this.takeUsage();
    if (usage === undefined) return Promise.resolve();
    return this.settleUsage(
      usage,
      this.tx(() => this.writeUsage(usage.counts)),
    ).catch(() => undefined);
  }

  /** Stored, committing and pending counts: what this relay has counted. */
  private usageOf(swvId: string, stored: number | undefined): number {
    const q = this.usageQueue;
    return (stored ?? 0) + (q.committing.get(swvId) ?? 0) + (q.pending.get(swvId) ?? 0);
  }

  swvUsage(swvId: string): Promise<number> {
    return Promise.resolve(this.usageOf(swvId, this.h.usage.get(swvId)));
  }

  listSwvUsage(): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    for (const { key, value } of this.h.usage.getRange()) out.set(String(key), value);
    const q = this.usageQueue;
    for (const id of new Set([...q.committing.keys(), ...q.pending.keys()])) out.set(id, this.usageOf(id, this.h.usage.get(id)));
    return Promise.resolve(out);
  }

  markDigestDue(userId: string, dueAt: number): Promise<void> {
    return this.tx(() => {
      const pending = this.h.digests.get(userId);
      if (pending !== undefined && pending <= dueAt) return;
      if (pending !== undefined) this.h.digestsByDue.removeSync([pending, userId]);
      this.h.digests.putSync(userId, dueAt);
      this.h.digestsByDue.putSync([dueAt, userId], true);
    });
  }

  takeDueDigests(now: number, max: number): Promise<string[]> {
    // One write transaction: lmdb serialises them, so a user is taken once.
    return this.tx(() => {
      const out: string[] = [];
      for (const key of this.h.digestsByDue.getKeys({ limit: Math.max(0, max) })) {
        const [at, user] = key as [number, string];
        if (at > now) break;
        out.push(user);
      }
      for (const user of out) {
        const at = this.h.digests.get(user);
        if (at !== undefined) this.h.digestsByDue.removeSync([at, user]);
        this.h.digests.removeSync(user);
      }
      return out;
    });
  }

  async close(): Promise<void> {
    await this.flushUsage();
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
    await this.h.root.close();
  }
}
