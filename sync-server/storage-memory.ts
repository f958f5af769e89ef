// An in-memory RelayStorage: for unit tests of the room logic and as the second
// implementation that keeps the interface honest. Loses everything on exit.
import {
  MAX_QUEUED_NOTIFICATIONS,
  mergeServed,
  servedKey,
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

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const same = (a: Uint8Array, b: Uint8Array): boolean => Buffer.from(a).equals(Buffer.from(b));
const copy = (b: Uint8Array): Uint8Array => new Uint8Array(b);

export class MemoryStorage implements RelayStorage {
  private readonly records = new Map<string, Map<number, Uint8Array>>();
  private readonly counters = new Map<string, [number, Uint8Array]>();
  private readonly heads = new Map<string, number>();
  private readonly snapshots = new Map<string, StoredSnapshot>();
  private readonly blobs = new Map<string, Uint8Array>();
  private readonly swv = new Map<string, Uint8Array>();
  private readonly mailboxes = new Map<string, { c: Uint8Array; e: number; o: string | null }>();
  private readonly emails = new Map<string, string>();
  private readonly notifications = new Map<string, QueuedNotification[]>();
  private readonly usage = new Map<string, number>();
  private readonly digests = new Map<string, number>();
  private readonly served = new Map<string, ServedEntry>();
  /** Per process: a relay on memory gets a new identity key at every start [P83]. */
  private identitySeed: Uint8Array | undefined;

  relayIdentitySeed(candidate: Uint8Array): Promise<Uint8Array> {
    this.identitySeed ??= copy(candidate);
    return Promise.resolve(copy(this.identitySeed));
  }

  addServed(entries: readonly ServedEntry[]): Promise<void> {
    for (const e of entries) {
      const k = servedKey(e);
      const old = this.served.get(k);
      this.served.set(k, old === undefined ? { ...e } : mergeServed(old, e));
    }
    return Promise.resolve();
  }

  listServed(dossier: string, max: number): Promise<ServedEntry[]> {
    const out = [...this.served.values()].filter((e) => e.dossier === dossier);
    out.sort((a, b) => a.hour - b.hour || (servedKey(a) < servedKey(b) ? -1 : 1));
    return Promise.resolve(out.slice(0, Math.max(0, max)));
  }

  purgeServed(before: number): Promise<number> {
    let n = 0;
    for (const [k, e] of this.served) if (e.hour < before && this.served.delete(k)) n++;
    return Promise.resolve(n);
  }
  private readonly tombstones = new Map<string, Tombstone>();
  private readonly tlvNumbers = new Map<string, TlvNumberEntry[]>();

  claimTlvNumber(swvId: string, claim: Uint8Array, user: string, at: number): Promise<TlvNumberEntry & { readonly duplicate: boolean }> {
    const register = this.tlvNumbers.get(swvId) ?? [];
    this.tlvNumbers.set(swvId, register);
    const had = register.find((e) => same(e.claim, claim));
    if (had !== undefined) return Promise.resolve({ ...had, claim: copy(had.claim), duplicate: true });
    const entry: TlvNumberEntry = { volgnummer: register.length + 1, claim: copy(claim), user, at };
    register.push(entry);
    return Promise.resolve({ ...entry, claim: copy(claim), duplicate: false });
  }

  listTlvNumbers(swvId: string, after: number, max: number): Promise<TlvNumberEntry[]> {
    const register = this.tlvNumbers.get(swvId) ?? [];
    return Promise.resolve(
      register
        .filter((e) => e.volgnummer > after)
        .slice(0, Math.max(0, max))
        .map((e) => ({ ...e, claim: copy(e.claim) })),
    );
  }

  addSwvUsage(swvId: string, bytes: number): Promise<void> {
    this.usage.set(swvId, (this.usage.get(swvId) ?? 0) + bytes);
    return Promise.resolve();
  }

  swvUsage(swvId: string): Promise<number> {
    return Promise.resolve(this.usage.get(swvId) ?? 0);
  }

  listSwvUsage(): Promise<Map<string, number>> {
    return Promise.resolve(new Map(this.usage));
  }

  appendBatch(items: readonly AppendItem[]): Promise<AppendOutcome[]> {
    const out: AppendOutcome[] = [];
    for (const it of items) {
      const slot = JSON.stringify([it.room, it.author, it.counter]);
      const hash = sha256Native(it.envelope);
      const existing = this.counters.get(slot);
      if (existing !== undefined) {
        out.push({ kind: same(existing[1], hash) ? 'duplicate' : 'conflict', seq: existing[0] });
        continue;
      }
      const seq = (this.heads.get(it.room) ?? 0) + 1;
      this.heads.set(it.room, seq);
      let log = this.records.get(it.room);
      if (log === undefined) this.records.set(it.room, (log = new Map()));
      log.set(seq, copy(it.envelope));
      this.counters.set(slot, [seq, hash]);
      out.push({ kind: 'stored', seq });
    }
    return Promise.resolve(out);
  }

  lookup(room: string, author: string, counter: number): Promise<{ seq: number; hash: Uint8Array } | undefined> {
    const v = this.counters.get(JSON.stringify([room, author, counter]));
    return Promise.resolve(v === undefined ? undefined : { seq: v[0], hash: v[1] });
  }

  readRecords(room: string, afterSeq: number, maxRecords: number, maxBytes: number): Promise<StoredRecord[]> {
    const log = this.records.get(room);
    const out: StoredRecord[] = [];
    if (log === undefined) return Promise.resolve(out);
    let bytes = 0;
    for (const seq of [...log.keys()].filter((s) => s > afterSeq).sort((a, b) => a - b)) {
      const envelope = log.get(seq);
      if (envelope === undefined) continue;
      out.push({ seq, envelope: copy(envelope) });
      bytes += envelope.length;
      if (out.length >= maxRecords || bytes >= maxBytes) break;
    }
    return Promise.resolve(out);
  }

  headSeq(room: string): Promise<number> {
    return Promise.resolve(this.heads.get(room) ?? 0);
  }

  getSnapshot(room: string): Promise<StoredSnapshot | undefined> {
    return Promise.resolve(this.snapshots.get(room));
  }

  putSnapshot(room: string, snapshot: StoredSnapshot, prev: Uint8Array | null): Promise<SnapshotOutcome> {
    const current = this.snapshots.get(room);
    const fits = current === undefined ? prev === null : prev !== null && same(current.hash, prev);
    if (!fits) return Promise.resolve('conflict');
    this.snapshots.set(room, { ...snapshot, envelope: copy(snapshot.envelope), hash: copy(snapshot.hash) });
    return Promise.resolve('stored');
  }

  deleteRecordsUpTo(room: string, upToSeq: number): Promise<number> {
    const log = this.records.get(room);
    let n = 0;
    if (log !== undefined) for (const seq of [...log.keys()]) if (seq <= upToSeq && log.delete(seq)) n++;
    return Promise.resolve(n);
  }

  deleteRoom(room: string): Promise<void> {
    this.records.delete(room);
    this.snapshots.delete(room);
    for (const slot of [...this.counters.keys()]) if ((JSON.parse(slot) as [string])[0] === room) this.counters.delete(slot);
    return Promise.resolve();
  }

  listRooms(): Promise<string[]> {
    return Promise.resolve([...this.heads.keys()]);
  }

  putBlob(room: string, hash: Uint8Array, data: Uint8Array): Promise<void> {
    this.blobs.set(`${room}|${hex(hash)}`, copy(data));
    return Promise.resolve();
  }

  getBlob(room: string, hash: Uint8Array): Promise<Uint8Array | undefined> {
    return Promise.resolve(this.blobs.get(`${room}|${hex(hash)}`));
  }

  deleteBlobs(dossier: string): Promise<number> {
    let n = 0;
    for (const k of [...this.blobs.keys()]) if (k.startsWith(`${dossier}/`) && this.blobs.delete(k)) n++;
    return Promise.resolve(n);
  }

  putTombstone(t: Tombstone): Promise<void> {
    if (!this.tombstones.has(t.dossier)) this.tombstones.set(t.dossier, { dossier: t.dossier, at: t.at, record: copy(t.record) });
    return Promise.resolve();
  }

  getTombstone(dossier: string): Promise<Tombstone | undefined> {
    const t = this.tombstones.get(dossier);
    return Promise.resolve(t === undefined ? undefined : { ...t, record: copy(t.record) });
  }

  listTombstones(): Promise<string[]> {
    return Promise.resolve([...this.tombstones.keys()]);
  }

  putSwvRoot(swvId: string, publicKey: Uint8Array): Promise<SwvRootOutcome> {
    const existing = this.swv.get(swvId);
    if (existing !== undefined) return Promise.resolve(same(existing, publicKey) ? 'same' : 'other');
    this.swv.set(swvId, copy(publicKey));
    return Promise.resolve('stored');
  }

  listSwvRoots(): Promise<Map<string, Uint8Array>> {
    return Promise.resolve(new Map(this.swv));
  }

  mailboxPut(box: Uint8Array, ciphertext: Uint8Array, expiresAt: number, owner?: string): Promise<void> {
    this.mailboxes.set(hex(box), { c: copy(ciphertext), e: expiresAt, o: owner ?? null });
    return Promise.resolve();
  }

  mailboxCountOf(owner: string | null): Promise<number> {
    let n = 0;
    for (const v of this.mailboxes.values()) if (v.o === owner) n++;
    return Promise.resolve(n);
  }

  mailboxGet(box: Uint8Array, now: number): Promise<Uint8Array | undefined> {
    const v = this.mailboxes.get(hex(box));
    return Promise.resolve(v === undefined || v.e <= now ? undefined : v.c);
  }

  purgeMailboxes(now: number): Promise<number> {
    let n = 0;
    for (const [k, v] of [...this.mailboxes]) if (v.e <= now && this.mailboxes.delete(k)) n++;
    return Promise.resolve(n);
  }

  mailboxCount(): Promise<number> {
    return Promise.resolve(this.mailboxes.size);
  }

  setEmail(userId: string, email: string | null): Promise<void> {
    if (email === null) this.emails.delete(userId);
    else this.emails.set(userId, email);
    return Promise.resolve();
  }

  getEmail(userId: string): Promise<string | undefined> {
    return Promise.resolve(this.emails.get(userId));
  }

  queueNotification(userId: string, item: QueuedNotification): Promise<void> {
    const q = this.notifications.get(userId) ?? [];
    q.push(item);
    if (q.length > MAX_QUEUED_NOTIFICATIONS) q.splice(0, q.length - MAX_QUEUED_NOTIFICATIONS);
    this.notifications.set(userId, q);
    return Promise.resolve();
  }

  takeNotifications(userId: string): Promise<QueuedNotification[]> {
    const q = this.notifications.get(userId) ?? [];
    this.notifications.delete(userId);
    return Promise.resolve(q);
  }

  markDigestDue(userId: string, dueAt: number): Promise<void> {
    const pending = this.digests.get(userId);
    if (pending === undefined || dueAt < pending) this.digests.set(userId, dueAt);
    return Promise.resolve();
  }

  takeDueDigests(now: number, max: number): Promise<string[]> {
    const due = [...this.digests]
      .filter(([, at]) => at <= now)
      .sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, Math.max(0, max));
    for (const [user] of due) this.digests.delete(user);
    return Promise.resolve(due.map(([user]) => user));
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
