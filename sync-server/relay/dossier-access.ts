// Each dossier's access list as the relay holds it: folded from the toegang
// room's log, one turn at a time per dossier, re-checked against every live
// subscription and watch on each change and at each expiry [P15, P46].
import type { RoomId } from '../../core/model/ids.js';
import { asId } from '../../core/model/ids.js';
import { decodeEnvelope } from '../../core/crypto/envelope.js';
import { parseRoom } from '../../core/access/rooms.js';
import type { AuthenticatedDevice } from '../policy.js';
import type { Relay } from '../relay.js';
import { refuse, RefusalError } from './refusal.js';

export interface DossierState<A> {
  access: A | undefined;
  loaded: boolean;
  lock: Promise<unknown>;
  timer: NodeJS.Timeout | undefined;
  /** Deleted at the end of its retention [P60]: everything about it is refused. */
  vernietigd?: boolean;
}

/** The longest delay `setTimeout` takes. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export class DossierAccess<D extends AuthenticatedDevice, A> {
  private readonly dossiers = new Map<string, DossierState<A>>();
  /** Every dossier's access list has been folded once (P46); later genesis records load as they come. */
  private allLoaded: Promise<void> | undefined;

  constructor(private readonly relay: Relay<D, A>) {}

  /** Dossiers whose state is held in memory (for tests of bounded memory). */
  get size(): number {
    return this.dossiers.size;
  }

  private dossierState(dossier: string): DossierState<A> {
    let st = this.dossiers.get(dossier);
    if (st === undefined)
      this.dossiers.set(dossier, (st = { access: undefined, loaded: false, lock: Promise.resolve(), timer: undefined }));
    return st;
  }

  /** Runs `fn` with the dossier's access state loaded, one at a time per dossier. */
  withDossier<T>(dossier: string, fn: (st: DossierState<A>) => Promise<T>): Promise<T> {
    const st = this.dossierState(dossier);
    const run = st.lock.then(async () => {
      if (!st.loaded) await this.load(dossier, st);
      // Past its deletion moment: deleted before anything else happens to it [P60].
      if (st.vernietigd !== true && (await this.relay.retention.settle(dossier, st))) this.revalidate(dossier, st);
      return fn(st);
    });
    const settled: Promise<unknown> = run.then(
      () => this.evictIfIdle(dossier, st, settled),
      () => this.evictIfIdle(dossier, st, settled),
    );
    st.lock = settled;
    return run;
  }

  /** `withDossier` for a device's request: a deleted dossier is refused with `dossier-vernietigd` [P60]. */
  withLiveDossier<T>(dossier: string, fn: (st: DossierState<A>) => Promise<T>): Promise<T> {
    return this.withDossier(dossier, (st) => {
      if (st.vernietigd === true) throw new RefusalError(refuse('dossier-vernietigd'));
      return fn(st);
    });
  }

  /**
   * Dossier ids come from clients: a state without an access list (no genesis,
   * deleted) is dropped once nothing waits on it, so naming random dossiers
   * cannot grow the relay's memory. The next use reloads it from storage.
   */
  private evictIfIdle(dossier: string, st: DossierState<A>, last: Promise<unknown>): void {
    if (st.lock !== last || st.access !== undefined || st.timer !== undefined) return;
    if (this.dossiers.get(dossier) === st) this.dossiers.delete(dossier);
  }

  /**
   * The toegang room of `dossier` changed on another relay [P27]: its access list is folded again
   * from the log, ending subscriptions that lost read access on this relay too [P15].
   */
  refold(dossier: string): void {
    const log = this.relay.log;
    if (!this.dossiers.has(dossier)) {
      // A dossier started on another relay: once this relay answers dossier lists (P46), it must know it too.
      if (this.allLoaded !== undefined)
        void this.withDossier(dossier, () => Promise.resolve()).catch(() => log('error', 'remote-acl-fold-failed', {}));
      return;
    }
    void this.withDossier(dossier, async (st) => {
      await this.load(dossier, st);
      this.revalidate(dossier, st);
    }).catch(() => log('error', 'remote-acl-fold-failed', {}));
  }

  /**
   * The dossiers whose access list lets this device read it, in id order after `after` (P46). The
   * relay already enforces exactly this on every subscribe, so the answer tells the device nothing it
   * could not learn by trying; it spares a device that missed notifications (offline, a newcomer to a
   * school, a capped badge queue) from never hearing of a dossier.
   */
  async readableDossiers(device: D, after: string | null, max: number): Promise<{ ids: string[]; next: string | null }> {
    const { storage, policy } = this.relay.opts;
    this.allLoaded ??= (async () => {
      for (const room of await storage.listRooms()) {
        const parsed = parseRoom(room);
        if (parsed.ok && parsed.value.scope === 'toegang') await this.withDossier(parsed.value.dossier, () => Promise.resolve());
      }
    })();
    try {
      await this.allLoaded;
    } catch (e) {
      this.allLoaded = undefined;
      throw e;
    }
    const now = new Date(this.relay.now());
    const ids: string[] = [];
    for (const [dossier, st] of this.dossiers) {
      if (st.access === undefined || (after !== null && dossier <= after)) continue;
      if (policy.checkRead(st.access, device, asId<RoomId>(`${dossier}/toegang`), now).ok) ids.push(dossier);
    }
    ids.sort();
    const page = ids.slice(0, max);
    return { ids: page, next: ids.length > max ? (page[page.length - 1] ?? null) : null };
  }

  private async load(dossier: string, st: DossierState<A>): Promise<void> {
    const { storage, policy } = this.relay.opts;
    const room = `${dossier}/toegang`;
    const now = new Date(this.relay.now());
    let after = 0;
    let access: A | undefined;
    for (;;) {
      const recs = await storage.readRecords(room, after, 500, 8 * 1024 * 1024);
      if (recs.length === 0) break;
      for (const r of recs) {
        after = r.seq;
        const env = decodeEnvelope(r.envelope);
        if (!env.ok || env.value.header.kind !== 'acl') continue;
        const next = await policy.applyAcl(access, env.value, this.relay.swvRoots, now, false);
        if (next.ok) access = next.value;
        else this.relay.log('warn', 'acl-fold-rejected', { room, seq: r.seq, code: next.error.code });
      }
    }
    st.access = access;
    st.loaded = true;
    this.scheduleExpiry(dossier, st);
  }

  /** After an access change or at the next expiry: end subscriptions that lost read access [P15]. */
  revalidate(dossier: string, st: DossierState<A>): void {
    const policy = this.relay.opts.policy;
    const now = new Date(this.relay.now());
    for (const s of this.relay.liveSessions) {
      if (s.device === undefined) continue;
      for (const sub of [...s.subscriptions.values()]) {
        if (sub.dossier !== dossier) continue;
        const check = st.access === undefined ? undefined : policy.checkRead(st.access, s.device, sub.room, now);
        if (check === undefined || !check.ok)
          s.endSubscription(
            sub.room,
            check === undefined ? (st.vernietigd === true ? 'dossier-vernietigd' : 'dossier-onbekend') : 'toegang-ingetrokken',
            check?.ok === false ? check.error.code : null,
          );
      }
      const watched = s.watches.get(dossier);
      if (watched === undefined) continue;
      const lost: RoomId[] = [];
      for (const room of watched) {
        const check = st.access === undefined ? undefined : policy.checkRead(st.access, s.device, room, now);
        // A dossier without an access list may still be waited for on its toegang room (as with subscribe).
        if (check === undefined ? !room.endsWith('/toegang') || st.vernietigd === true : !check.ok) lost.push(room);
      }
      if (lost.length > 0)
        s.endWatches(
          dossier,
          lost,
          st.vernietigd === true ? 'dossier-vernietigd' : st.access === undefined ? 'dossier-onbekend' : 'toegang-ingetrokken',
        );
    }
    this.scheduleExpiry(dossier, st);
  }

  private scheduleExpiry(dossier: string, st: DossierState<A>): void {
    if (st.timer !== undefined) clearTimeout(st.timer);
    st.timer = undefined;
    if (st.access === undefined || this.relay.isStopping) return;
    const next = this.relay.opts.policy.nextExpiry(st.access, new Date(this.relay.now()));
    if (next === undefined) return;
    const delay = Math.min(MAX_TIMER_MS, Math.max(0, next - this.relay.now()) + 1);
    st.timer = setTimeout(() => {
      st.timer = undefined;
      void this.withDossier(dossier, (s) => Promise.resolve(this.revalidate(dossier, s))).catch(() =>
        this.relay.log('error', 'expiry-check-failed', {}),
      );
    }, delay);
    st.timer.unref();
  }

  /** At shutdown: no expiry check fires after the relay stopped. */
  clearTimers(): void {
    for (const st of this.dossiers.values()) if (st.timer !== undefined) clearTimeout(st.timer);
  }
}
