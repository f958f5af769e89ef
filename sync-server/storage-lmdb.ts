// The default relay store: lmdb (embedded, prebuilt, no set-up), data under
// `--data`. Every write is one transaction that is synced to disk before its
// promise resolves (overlappingSync off), so an ack always follows an fsync.
import { mkdirSync } from 'node:fs';
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
} from './storage.js';
import { sha256Native } from './node-crypto.js';

const copy = (b: Uint8Array): Uint8Array => new Uint8Array(b);
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => Buffer.from(a).equals(Buffer.from(b));

type Key = string | number | (string | number)[];

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
  private readonly root: RootDatabase;
  private readonly records: Database<Uint8Array, Key>;
  private readonly counters: Database<[number, Uint8Array], Key>;
  private readonly heads: Database<number, Key>;
  private readonly snapshots: Database<SnapshotRow, Key>;
  private readonly blobs: Database<Uint8Array, Key>;
  private readonly swv: Database<Uint8Array, Key>;
  private readonly mailboxes: Database<{ c: Uint8Array; e: number; o?: string }, Key>;
  /** Mailboxes per owner ('' = written before login), kept in the same transactions as `mailboxes` [P21]. */
  private readonly mailboxOwners: Database<number, Key>;
  private readonly emails: Database<string, Key>;
  private readonly notifications: Database<QueuedNotification, Key>;
  private readonly usage: Database<number, Key>;
  /** user → when the digest is due; `digestsByDue` indexes the same as [dueAt, user] → true. */
  private readonly digests: Database<number, Key>;
  private readonly digestsByDue: Database<boolean, Key>;
  /** [dossier, hour, device, scope] → counts and times [P52]. */
  private readonly served: Database<{ u: string; f: number; l: number; n: number }, Key>;
  private notificationCounter = 0;

  constructor(options: LmdbStorageOptions) {
    mkdirSync(options.path, { recursive: true });
    this.root = open({
      path: options.path,
      // Durable commit: the transaction promise resolves only after the OS confirms the sync.
      overlappingSync: false,
      noSync: options.unsafeNoSync === true,
      maxDbs: 32,
    });
    this.records = this.root.openDB({ name: 'records', encoding: 'binary' });
    this.counters = this.root.openDB({ name: 'counters' });
    this.heads = this.root.openDB({ name: 'heads' });
    this.snapshots = this.root.openDB({ name: 'snapshots' });
    this.blobs = this.root.openDB({ name: 'blobs', encoding: 'binary' });
    this.swv = this.root.openDB({ name: 'swv', encoding: 'binary' });
    this.mailboxes = this.root.openDB({ name: 'mailboxes' });
    this.mailboxOwners = this.root.openDB({ name: 'mailbox-owners' });
    // A store from before the per-owner counts: count what it holds (all written before login then).
    if (this.mailboxOwners.getCount() === 0 && this.mailboxes.getCount() > 0) {
      const counts = new Map<string, number>();
      for (const { value } of this.mailboxes.getRange()) counts.set(value.o ?? '', (counts.get(value.o ?? '') ?? 0) + 1);
      this.root.transactionSync(() => {
        for (const [o, n] of counts) this.mailboxOwners.putSync(o, n);
      });
    }
    this.emails = this.root.openDB({ name: 'emails' });
    this.notifications = this.root.openDB({ name: 'notifications' });
    this.usage = this.root.openDB({ name: 'swv-usage' });
    this.digests = this.root.openDB({ name: 'digests' });
    this.digestsByDue = this.root.openDB({ name: 'digests-by-due' });
    this.served = this.root.openDB({ name: 'served' });
  }

  addServed(entries: readonly ServedEntry[]): Promise<void> {
    // Not synced one by one: a batch per flush, in one transaction like every write here.
    return this.root.transaction(() => {
      for (const e of entries) {
        const key: Key = [e.dossier, e.hour, e.device, e.scope];
        const old = this.served.get(key);
        const row = old === undefined ? e : mergeServed({ ...e, first: old.f, last: old.l, count: old.n, user: old.u }, e);
        this.served.putSync(key, { u: row.user, f: row.first, l: row.last, n: row.count });
      }
    });
  }

  listServed(dossier: string, max: number): Promise<ServedEntry[]> {
    const out: ServedEntry[] = [];
    for (const { key, value } of this.served.getRange({ start: [dossier], limit: Math.max(0, max) + 1 })) {
      const [d, hour, device, scope] = key as [string, number, string, string];
      if (d !== dossier || out.length >= max) break;
      out.push({ dossier: d, hour, device, scope, user: value.u, first: value.f, last: value.l, count: value.n });
    }
    return Promise.resolve(out);
  }

  purgeServed(before: number): Promise<number> {
    return this.root.transaction(() => {
      let n = 0;
      for (const { key } of this.served.getRange()) {
        if ((key as [string, number])[1] < before) {
          this.served.removeSync(key);
          n++;
        }
      }
      return n;
    });
  }

  appendBatch(items: readonly AppendItem[]): Promise<AppendOutcome[]> {
    return this.root.transaction(() => {
      const heads = new Map<string, number>();
      const out: AppendOutcome[] = [];
      for (const it of items) {
        const hash = sha256Native(it.envelope);
        const slot: Key = [it.room, it.author, it.counter];
        const existing = this.counters.get(slot);
        if (existing !== undefined) {
          out.push({ kind: sameBytes(existing[1], hash) ? 'duplicate' : 'conflict', seq: existing[0] });
          continue;
        }
        const seq = (heads.get(it.room) ?? this.heads.get(it.room) ?? 0) + 1;
        heads.set(it.room, seq);
        this.records.putSync([it.room, seq], it.envelope);
        this.counters.putSync(slot, [seq, hash]);
        this.heads.putSync(it.room, seq);
        out.push({ kind: 'stored', seq });
      }
      return out;
    });
  }

  lookup(room: string, author: string, counter: number): Promise<{ seq: number; hash: Uint8Array } | undefined> {
    const v = this.counters.get([room, author, counter]);
    return Promise.resolve(v === undefined ? undefined : { seq: v[0], hash: copy(v[1]) });
  }

  readRecords(room: string, afterSeq: number, maxRecords: number, maxBytes: number): Promise<StoredRecord[]> {
    const out: StoredRecord[] = [];
    let bytes = 0;
    for (const { key, value } of this.records.getRange({ start: [room, afterSeq + 1], end: [room, Number.MAX_SAFE_INTEGER] })) {
      const k = key as [string, number];
      if (k[0] !== room) break;
      out.push({ seq: k[1], envelope: copy(value) });
      bytes += value.length;
      if (out.length >= maxRecords || bytes >= maxBytes) break;
    }
    return Promise.resolve(out);
  }

  headSeq(room: string): Promise<number> {
    return Promise.resolve(this.heads.get(room) ?? 0);
  }

  getSnapshot(room: string): Promise<StoredSnapshot | undefined> {
    const row = this.snapshots.get(room);
    return Promise.resolve(row === undefined ? undefined : { coversSeq: row.c, envelope: copy(row.e), hash: copy(row.h), storedAt: row.t });
  }

  putSnapshot(room: string, snapshot: StoredSnapshot, prev: Uint8Array | null): Promise<SnapshotOutcome> {
    return this.root.transaction(() => {
      const current = this.snapshots.get(room);
      const fits = current === undefined ? prev === null : prev !== null && sameBytes(current.h, prev);
      if (!fits) return 'conflict' as const;
      this.snapshots.putSync(room, { c: snapshot.coversSeq, e: snapshot.envelope, h: snapshot.hash, t: snapshot.storedAt });
      return 'stored' as const;
    });
  }

  deleteRecordsUpTo(room: string, upToSeq: number): Promise<number> {
    return this.root.transaction(() => {
      let n = 0;
      for (const key of this.records.getKeys({ start: [room, 0], end: [room, upToSeq + 1] })) {
        const k = key as [string, number];
        if (k[0] !== room) break;
        this.records.removeSync(key);
        n++;
      }
      return n;
    });
  }

  deleteRoom(room: string): Promise<void> {
    return this.root.transaction(() => {
      for (const key of this.records.getKeys({ start: [room, 0], end: [room, Number.MAX_SAFE_INTEGER] })) {
        if ((key as [string, number])[0] !== room) break;
        this.records.removeSync(key);
      }
      for (const key of this.counters.getKeys({ start: [room] })) {
        if ((key as [string])[0] !== room) break;
        this.counters.removeSync(key);
      }
      this.snapshots.removeSync(room);
    });
  }

  listRooms(): Promise<string[]> {
    return Promise.resolve([...this.heads.getKeys()].map((k) => String(k)));
  }

  async putBlob(room: string, hash: Uint8Array, data: Uint8Array): Promise<void> {
    await this.blobs.put([room, hex(hash)], data);
  }

  getBlob(room: string, hash: Uint8Array): Promise<Uint8Array | undefined> {
    const v = this.blobs.get([room, hex(hash)]);
    return Promise.resolve(v === undefined ? undefined : copy(v));
  }

  deleteBlobs(dossier: string): Promise<number> {
    const prefix = `${dossier}/`;
    return this.root.transaction(() => {
      let n = 0;
      // Rooms `<dossier>/…` sort together: start at the prefix, stop at the first key without it.
      for (const key of this.blobs.getKeys({ start: [prefix] })) {
        if (!String((key as [string])[0]).startsWith(prefix)) break;
        this.blobs.removeSync(key);
        n++;
      }
      return n;
    });
  }

  putSwvRoot(swvId: string, publicKey: Uint8Array): Promise<SwvRootOutcome> {
    return this.root.transaction(() => {
      const existing = this.swv.get(swvId);
      if (existing !== undefined) return sameBytes(existing, publicKey) ? ('same' as const) : ('other' as const);
      this.swv.putSync(swvId, publicKey);
      return 'stored' as const;
    });
  }

  listSwvRoots(): Promise<Map<string, Uint8Array>> {
    const out = new Map<string, Uint8Array>();
    for (const { key, value } of this.swv.getRange()) out.set(String(key), copy(value));
    return Promise.resolve(out);
  }

  mailboxPut(box: Uint8Array, ciphertext: Uint8Array, expiresAt: number, owner?: string): Promise<void> {
    return this.root.transaction(() => {
      const key = hex(box);
      const old = this.mailboxes.get(key);
      if (old !== undefined) this.countOwner(old.o ?? '', -1);
      this.mailboxes.putSync(key, owner === undefined ? { c: ciphertext, e: expiresAt } : { c: ciphertext, e: expiresAt, o: owner });
      this.countOwner(owner ?? '', 1);
    });
  }

  private countOwner(owner: string, delta: number): void {
    const n = Math.max(0, (this.mailboxOwners.get(owner) ?? 0) + delta);
    if (n === 0) this.mailboxOwners.removeSync(owner);
    else this.mailboxOwners.putSync(owner, n);
  }

  mailboxCountOf(owner: string | null): Promise<number> {
    return Promise.resolve(this.mailboxOwners.get(owner ?? '') ?? 0);
  }

  mailboxGet(box: Uint8Array, now: number): Promise<Uint8Array | undefined> {
    const v = this.mailboxes.get(hex(box));
    return Promise.resolve(v === undefined || v.e <= now ? undefined : copy(v.c));
  }

  mailboxCount(): Promise<number> {
    return Promise.resolve(this.mailboxes.getCount());
  }

  purgeMailboxes(now: number): Promise<number> {
    return this.root.transaction(() => {
      let n = 0;
      for (const { key, value } of this.mailboxes.getRange()) {
        if (value.e <= now) {
          this.mailboxes.removeSync(key);
          this.countOwner(value.o ?? '', -1);
          n++;
        }
      }
      return n;
    });
  }

  async setEmail(userId: string, email: string | null): Promise<void> {
    if (email === null) await this.emails.remove(userId);
    else await this.emails.put(userId, email);
  }

  getEmail(userId: string): Promise<string | undefined> {
    return Promise.resolve(this.emails.get(userId));
  }

  queueNotification(userId: string, item: QueuedNotification): Promise<void> {
    return this.root.transaction(() => {
      this.notifications.putSync([userId, item.at, this.notificationCounter++, Math.floor(Math.random() * 2 ** 31)], { kind: item.kind, room: item.room, at: item.at });
      // Keys sort by time: beyond the cap the oldest go.
      const keys: Key[] = [];
      for (const key of this.notifications.getKeys({ start: [userId] })) {
        if ((key as [string])[0] !== userId) break;
        keys.push(key);
      }
      for (const key of keys.slice(0, Math.max(0, keys.length - MAX_QUEUED_NOTIFICATIONS))) this.notifications.removeSync(key);
    });
  }

  takeNotifications(userId: string): Promise<QueuedNotification[]> {
    return this.root.transaction(() => {
      const out: QueuedNotification[] = [];
      for (const { key, value } of this.notifications.getRange({ start: [userId] })) {
        if ((key as [string])[0] !== userId) break;
        out.push({ kind: value.kind, room: value.room, at: value.at });
        this.notifications.removeSync(key);
      }
      return out;
    });
  }

  addSwvUsage(swvId: string, bytes: number): Promise<void> {
    return this.root.transaction(() => {
      this.usage.putSync(swvId, (this.usage.get(swvId) ?? 0) + bytes);
    });
  }

  swvUsage(swvId: string): Promise<number> {
    return Promise.resolve(this.usage.get(swvId) ?? 0);
  }

  listSwvUsage(): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    for (const { key, value } of this.usage.getRange()) out.set(String(key), value);
    return Promise.resolve(out);
  }

  markDigestDue(userId: string, dueAt: number): Promise<void> {
    return this.root.transaction(() => {
      const pending = this.digests.get(userId);
      if (pending !== undefined && pending <= dueAt) return;
      if (pending !== undefined) this.digestsByDue.removeSync([pending, userId]);
      this.digests.putSync(userId, dueAt);
      this.digestsByDue.putSync([dueAt, userId], true);
    });
  }

  takeDueDigests(now: number, max: number): Promise<string[]> {
    // One write transaction: lmdb serialises them, so a user is taken once.
    return this.root.transaction(() => {
      const out: string[] = [];
      for (const key of this.digestsByDue.getKeys({ limit: Math.max(0, max) })) {
        const [at, user] = key as [number, string];
        if (at > now) break;
        out.push(user);
      }
      for (const user of out) {
        const at = this.digests.get(user);
        if (at !== undefined) this.digestsByDue.removeSync([at, user]);
        this.digests.removeSync(user);
      }
      return out;
    });
  }

  async close(): Promise<void> {
    await this.root.close();
  }
}
