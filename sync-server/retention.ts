// Crypto-shredding on the relay (issue 20) [P60, R82, R83]: once a dossier's
// deletion moment has passed (the signed `bewaartermijn` record plus any
// `bewaarplicht`, plus the notice period; the relay reads these from the public
// part of the access list, no key needed), the relay deletes every room of the
// dossier (records, snapshots, key boxes: they live in the toegang records) and
// its attachments, and keeps only a tombstone: the dossier id, the moment and
// the signed record. From then on everything about the dossier is refused with
// `dossier-vernietigd`, also a new genesis under the same id.
// The relay calls in with small hooks (relay/dossier-access.ts, relay/tombstones.ts); the logic lives here.
import { decodeEnvelope } from '../core/crypto/envelope.js';
import { decodeAclPublicPart } from '../core/access/acl-record.js';
import { parseRoom } from '../core/access/rooms.js';
import type { RelayPolicy, AuthenticatedDevice } from './policy.js';
import type { RelayStorage, Tombstone } from './storage.js';
import type { Logger } from './log.js';

/** The part of a relay's per-dossier state this module reads and changes. */
export interface RetentionDossierState<A> {
  access: A | undefined;
  /** Set once the dossier is deleted (tombstone stored): every use is refused with `dossier-vernietigd`. */
  vernietigd?: boolean;
}

export interface RetentionHost<D extends AuthenticatedDevice, A> {
  readonly opts: { readonly storage: RelayStorage; readonly policy: RelayPolicy<D, A>; readonly log: Logger };
  readonly now: () => number;
  withDossier<T>(dossier: string, fn: (st: RetentionDossierState<A>) => Promise<T>): Promise<T>;
  /** Records kept in memory for live subscribers: a deleted room's must never be served from there. */
  readonly recent: { forget(room: string): void };
}

export class RelayRetention<D extends AuthenticatedDevice, A> {
  /** Dossiers with a tombstone (loaded at start, grown on each deletion): checked without a storage read. */
  private readonly tombstones = new Set<string>();

  constructor(private readonly host: RetentionHost<D, A>) {}

  /** Loads the tombstones once, when the relay opens. */
  async init(): Promise<void> {
    for (const d of await this.host.opts.storage.listTombstones()) this.tombstones.add(d);
  }

  /**
   * Runs in the dossier's turn, after its access list is loaded and before any use: a dossier with
   * a tombstone is marked deleted (and anything a crash left behind is deleted again); one whose
   * deletion moment has passed is deleted now. True when the dossier is gone.
   */
  async settle(dossier: string, st: RetentionDossierState<A>): Promise<boolean> {
    if (st.vernietigd === true) return true;
    if (this.tombstones.has(dossier)) {
      // Records still there (a crash between tombstone and deletion, or another relay's tombstone): delete them.
      if (st.access !== undefined) await this.deleteContent(dossier);
      st.access = undefined;
      st.vernietigd = true;
      return true;
    }
    if (st.access === undefined) return false;
    const at = this.host.opts.policy.deletionAt?.(st.access);
    if (at === undefined || at > this.host.now()) return false;
    await this.shred(dossier, at);
    st.access = undefined;
    st.vernietigd = true;
    return true;
  }

  /** Every dossier the store knows, settled: deletes those whose moment passed while nobody used them. */
  async sweep(): Promise<number> {
    let n = 0;
    for (const room of await this.host.opts.storage.listRooms()) {
      const parsed = parseRoom(room);
      if (!parsed.ok || parsed.value.scope !== 'toegang' || this.tombstones.has(parsed.value.dossier)) continue;
      if (await this.host.withDossier(parsed.value.dossier, (st) => Promise.resolve(st.vernietigd === true))) n++;
    }
    return n;
  }

  /** The tombstone, for a device that asks after a dossier it holds (undefined when none). */
  tombstone(dossier: string): Promise<Tombstone | undefined> {
    return this.tombstones.has(dossier) ? this.host.opts.storage.getTombstone(dossier) : Promise.resolve(undefined);
  }

  private async shred(dossier: string, at: number): Promise<void> {
    const storage = this.host.opts.storage;
    // The signed record that fixed the date goes into the tombstone first (durable), then the content:
    // a crash in between leaves a tombstone whose leftovers `settle` deletes on the next use.
    let record: Uint8Array | undefined;
    let after = 0;
    for (;;) {
      const recs = await storage.readRecords(`${dossier}/toegang`, after, 500, 8 * 1024 * 1024);
      if (recs.length === 0) break;
      for (const r of recs) {
        after = r.seq;
        const env = decodeEnvelope(r.envelope);
        if (!env.ok || env.value.header.kind !== 'acl' || env.value.publicPart === undefined) continue;
        const pp = decodeAclPublicPart(env.value.publicPart);
        if (pp.ok && pp.value.type === 'bewaartermijn') record = r.envelope;
      }
    }
    await storage.putTombstone({ dossier, at, record: record ?? new Uint8Array(0) });
    this.tombstones.add(dossier);
    await this.deleteContent(dossier);
    // The deleted bytes must leave the files too, not linger in free pages until reused.
    await storage.releaseDeleted?.();
    this.host.opts.log('info', 'dossier-vernietigd', {});
  }

  private async deleteContent(dossier: string): Promise<void> {
    const storage = this.host.opts.storage;
    for (const room of await storage.listRooms()) {
      if (!room.startsWith(`${dossier}/`)) continue;
      this.host.recent.forget(room);
      await storage.deleteRoom(room);
      this.host.recent.forget(room);
    }
    await storage.deleteBlobs(dossier);
  }
}
