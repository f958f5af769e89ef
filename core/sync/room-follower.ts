// Which rooms hold a live subscription on the relay, and how every other room a
// device follows is kept current [P45].
//
// A coördinator follows hundreds of dossiers, each with several rooms, while the
// relay lets one connection subscribe to `openRooms` (256) and make
// `recordsPerSecond` requests. Subscribing to every room meant a device past ~51
// dossiers never became ready, and the refusals were dropped. Instead every
// followed room is *watched* (the relay sends its new head when a record is
// committed, never the records), and live subscriptions are kept for the rooms of
// a dossier on screen (which need awareness and every keystroke at once) and,
// briefly, for a room that is behind: subscribe from the cursor, take the records
// until the relay says `live`, unsubscribe. Fetches are paced below the relay's
// request budget and bounded by its room budget; a refused one is retried.
import { PROTOCOL_ERRORS, type ProtocolErrorCode } from './protocol-errors.js';
import type { RelayLink, RoomHeads } from './relay-link.js';
import { MAX_WATCH_BATCH } from './protocol.js';

export interface FollowerDeps {
  cursor(room: string): Promise<number>;
  /** The relay refused or ended a room for a reason retrying cannot fix (access). */
  roomError(room: string, code: string, message: string, refusedSubscription: boolean): void;
  stateChanged(): void;
  now(): number;
}

/** Refusals of a subscription or watch that are about load, not access: retried later. */
const TRANSIENT = new Set(['limiet-overschreden', 'opslag-fout', 'relay-stopt']);
/** A fetch that has received nothing for this long is ended and queued again. */
const FETCH_STALL_MS = 60_000;
const MAX_FETCHES = 32;

export class RoomFollower {
  readonly watched = new Set<string>();
  /** Dossiers on screen (`<dossier>/` prefixes): their rooms are subscribed live. */
  private readonly focused = new Set<string>();
  private link: RelayLink | null = null;
  /**
   * Watch mode: rooms are watched and fetched (P45). Off while every followed room fits the room budget:
   * then every room is simply subscribed, as before P45 (and always on links without `watch`: older
   * relays, test fakes). Switched on once the followed rooms outgrow the budget.
   */
  private watchable = false;
  private canWatch = false;
  /** Watched rooms the relay has accepted on the current link. */
  private readonly onRelay = new Set<string>();
  /**
   * Rooms with a relay subscription: `focus` (a dossier on screen), `stand` (kept live because the room
   * budget allows: a device with a few dozen dossiers keeps every room live, as before P45), `fetch`
   * (catching up, ended at `live`).
   */
  private readonly live = new Map<string, 'focus' | 'stand' | 'fetch'>();
  /** Live rooms whose subscription the relay has answered: only there may awareness be sent. */
  private readonly confirmed = new Set<string>();
  /** Subscribed rooms whose records reached the relay's head in this connection (`isCurrent`). */
  private readonly atHead = new Set<string>();
  private readonly liveWaiters = new Map<string, (() => void)[]>();
  /** Rooms behind their head, in the order they were found. */
  private readonly queue = new Set<string>();
  private readonly fetchActivity = new Map<string, number>();
  /** The highest head the relay named per room (heads, record batches): a fetch that ends below it goes again. */
  private readonly knownHead = new Map<string, number>();
  private readonly toRegister = new Set<string>();
  private readonly toUnregister = new Set<string>();
  private readonly retries = new Map<string, number>();
  private flushScheduled = false;
  private flushing = false;
  private flushAgain = false;
  private frameRetries = 0;
  private pumping = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private budget = 248;
  private rate = 50;
  private tokens = 50;
  private refilled = 0;
  /** Refusals for load (rate or room limits) that were retried: shown in diagnostics, never dropped. */
  transientRefusals = 0;

  constructor(private readonly deps: FollowerDeps) {}

  /** Rooms known to be behind, or not yet confirmed by the relay: 0 when everything followed is current. */
  get behind(): number {
    return this.queue.size + this.fetchActivity.size + this.toRegister.size;
  }

  get liveCount(): number {
    return this.live.size;
  }

  async attach(link: RelayLink, limits: Readonly<Record<string, number>> | undefined): Promise<void> {
    this.link = link;
    this.canWatch = typeof link.watch === 'function';
    // Leave room for the subscriptions other code opens meanwhile, and most of the request budget for writes.
    const openRooms = limits?.openRooms ?? 256;
    this.budget = Math.max(1, openRooms - Math.min(8, Math.floor(openRooms / 4)));
    this.rate = Math.max(5, (limits?.recordsPerSecond ?? 200) / 4);
    this.tokens = this.rate;
    this.refilled = this.deps.now();
    this.watchable = this.canWatch && this.watched.size > this.standingBudget;
    if (!this.watchable) {
      for (const room of this.watched) {
        const cursor = await this.deps.cursor(room);
        if (this.link !== link) return;
        this.live.set(room, 'fetch');
        link.subscribe(room, cursor, this.noSnapshot.delete(room));
      }
      return;
    }
    for (const room of this.watched) this.toRegister.add(room);
    await this.flushRegistrations();
    // Live first what is on screen, then the access lists, then the rest, as far as the budget goes.
    const rooms = [...this.watched];
    for (const room of rooms) if (this.isFocused(room)) await this.subscribeLive(room, 'focus');
    for (const room of rooms) if (room.endsWith('/toegang')) await this.subscribeLive(room, 'stand');
    for (const room of rooms) await this.subscribeLive(room, 'stand');
  }

  /** The followed rooms outgrew the budget: keep what is subscribed, watch everything, fetch the rest. */
  private async switchToWatching(): Promise<void> {
    this.watchable = true;
    for (const [room, why] of [...this.live]) if (why === 'fetch') this.live.set(room, this.isFocused(room) ? 'focus' : 'stand');
    for (const room of this.watched) this.toRegister.add(room);
    await this.flushRegistrations();
  }

  /** Subscriptions other than fetches may use the room budget less the fetch slots. */
  private get standingBudget(): number {
    return Math.max(0, this.budget - MAX_FETCHES);
  }

  private get standingCount(): number {
    let n = 0;
    for (const why of this.live.values()) if (why !== 'fetch') n++;
    return n;
  }

  detach(): void {
    this.link = null;
    this.watchable = false;
    this.onRelay.clear();
    this.live.clear();
    this.confirmed.clear();
    this.atHead.clear();
    this.fetchActivity.clear();
    this.queue.clear();
    this.toRegister.clear();
    this.toUnregister.clear();
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  async watch(room: string): Promise<void> {
    if (this.watched.has(room)) return;
    this.watched.add(room);
    this.toUnregister.delete(room);
    const link = this.link;
    if (link === null) return;
    if (!this.watchable && this.canWatch && this.watched.size > this.standingBudget) await this.switchToWatching();
    if (this.link !== link) return;
    if (!this.watchable) {
      const cursor = await this.deps.cursor(room);
      if (this.link !== link || !this.watched.has(room)) return;
      this.live.set(room, 'fetch');
      link.subscribe(room, cursor, this.noSnapshot.delete(room));
      return;
    }
    await this.subscribeLive(room, this.isFocused(room) ? 'focus' : 'stand');
    this.toRegister.add(room);
    this.scheduleFlush();
  }

  /** Rooms whose snapshot this device refused [R121]: the next subscription asks for the records instead (once). */
  private readonly noSnapshot = new Set<string>();

  withoutSnapshots(room: string): void {
    this.noSnapshot.add(room);
  }

  unwatch(room: string): void {
    if (!this.watched.delete(room)) return;
    this.knownHead.delete(room);
    this.queue.delete(room);
    this.fetchActivity.delete(room);
    this.toRegister.delete(room);
    this.confirmed.delete(room);
    this.atHead.delete(room);
    if (this.live.delete(room)) this.link?.unsubscribe(room);
    if (this.onRelay.delete(room)) {
      this.toUnregister.add(room);
      this.scheduleFlush();
    }
  }

  /** A dossier is on screen: its rooms are subscribed live (awareness, every keystroke at once). */
  async focus(dossier: string): Promise<void> {
    const prefix = `${dossier}/`;
    if (this.focused.has(prefix)) return;
    this.focused.add(prefix);
    if (!this.watchable) return;
    for (const room of this.watched) if (room.startsWith(prefix)) await this.subscribeLive(room, 'focus');
  }

  unfocus(dossier: string): void {
    const prefix = `${dossier}/`;
    if (!this.focused.delete(prefix) || !this.watchable) return;
    for (const [room, why] of [...this.live]) {
      if (why !== 'focus' || !room.startsWith(prefix)) continue;
      // Off screen: stays live while the standing budget allows it.
      if (this.standingCount <= this.standingBudget) {
        this.live.set(room, 'stand');
        continue;
      }
      this.live.delete(room);
      this.confirmed.delete(room);
      this.atHead.delete(room);
      this.link?.unsubscribe(room);
    }
  }

  /** Fetch the room again from its cursor (records were deferred, or a refusal was temporary). */
  async resync(room: string): Promise<void> {
    const link = this.link;
    if (!this.watched.has(room) || link === null) return;
    if (this.live.has(room) || !this.watchable) {
      link.unsubscribe(room);
      const cursor = await this.deps.cursor(room);
      if (this.link !== link || !this.watched.has(room)) return;
      if (!this.live.has(room)) this.live.set(room, 'fetch');
      if (this.live.get(room) === 'fetch') this.fetchActivity.set(room, this.deps.now());
      link.subscribe(room, cursor, this.noSnapshot.delete(room));
      return;
    }
    if (!this.onRelay.has(room)) {
      this.toRegister.add(room);
      this.scheduleFlush();
    }
    this.enqueue(room);
  }

  /** Heads answered or pushed by the relay. `answer`: refusals answer our own watch (not an ended access). */
  async heads(h: RoomHeads, answer: boolean): Promise<void> {
    for (const { room, headSeq } of h.changed) {
      if (!this.watched.has(room)) continue;
      this.knownHead.set(room, Math.max(headSeq, this.knownHead.get(room) ?? 0));
      if (this.live.has(room) || this.queue.has(room)) continue;
      if (headSeq > (await this.deps.cursor(room))) this.enqueue(room);
    }
    for (const { room, code } of h.refused) {
      this.onRelay.delete(room);
      if (!this.watched.has(room)) continue;
      if (TRANSIENT.has(code)) {
        this.retryLater(room, () => this.toRegister.add(room));
        continue;
      }
      this.deps.roomError(room, code, PROTOCOL_ERRORS[code as ProtocolErrorCode] ?? code, answer);
    }
    this.deps.stateChanged();
  }

  /**
   * Whether this connection has seen the room at the relay's head: a subscription that reached it (and
   * gets every new record pushed), or a watch the relay answered with nothing newer to fetch (and pushes
   * every new head of). False before that and after a disconnect: what came before may be out of date.
   */
  isCurrent(room: string): boolean {
    if (this.link === null) return false;
    if (this.atHead.has(room)) return true;
    return this.watchable && this.onRelay.has(room) && !this.queue.has(room) && !this.live.has(room) && !this.toRegister.has(room);
  }

  /** Resolves true once the room has an answered live subscription, false after `timeoutMs`. */
  whenLive(room: string, timeoutMs: number): Promise<boolean> {
    if (this.confirmed.has(room)) return Promise.resolve(true);
    return new Promise((resolve) => {
      const list = this.liveWaiters.get(room) ?? [];
      const t = setTimeout(() => {
        const l = this.liveWaiters.get(room);
        if (l)
          this.liveWaiters.set(
            room,
            l.filter((w) => w !== done),
          );
        resolve(false);
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(t);
        resolve(true);
      };
      list.push(done);
      this.liveWaiters.set(room, list);
    });
  }

  /** A batch of the room was processed; `live`: the relay has sent everything up to its head (`headSeq`). */
  recordsProcessed(room: string, live: boolean, headSeq = 0): void {
    if (headSeq > (this.knownHead.get(room) ?? 0)) this.knownHead.set(room, headSeq);
    if (live && this.live.has(room)) this.atHead.add(room);
    if (this.live.has(room)) {
      this.confirmed.add(room);
      const waiters = this.liveWaiters.get(room);
      this.liveWaiters.delete(room);
      for (const w of waiters ?? []) w();
    }
    if (this.live.get(room) !== 'fetch' || !this.watchable) return;
    if (!live) {
      this.fetchActivity.set(room, this.deps.now());
      return;
    }
    this.live.delete(room);
    this.confirmed.delete(room);
    this.atHead.delete(room);
    this.fetchActivity.delete(room);
    this.retries.delete(room);
    this.link?.unsubscribe(room);
    this.deps.stateChanged();
    // A record committed while the fetch was ending was announced to us as a head: fetch again.
    void this.deps.cursor(room).then((cursor) => {
      if (this.watched.has(room) && (this.knownHead.get(room) ?? 0) > cursor) this.enqueue(room);
    });
    void this.pump();
  }

  /**
   * The relay refused or ended a subscription. Load refusals are retried with backoff and counted
   * (true: handled here); access refusals go to the client (false).
   */
  subscriptionEnded(room: string, code: string): boolean {
    const why = this.live.get(room);
    this.live.delete(room);
    this.confirmed.delete(room);
    this.atHead.delete(room);
    this.fetchActivity.delete(room);
    if (!TRANSIENT.has(code)) return false;
    if (!this.watched.has(room)) return true;
    if (why === 'stand') {
      // The records come by a fetch now; the standing subscription is tried again later.
      this.enqueue(room);
      this.retryLater(room, () => void this.subscribeLive(room, 'stand'));
    } else this.retryLater(room, () => (why === 'focus' ? void this.subscribeLive(room, 'focus') : this.enqueue(room)));
    return true;
  }

  private isFocused(room: string): boolean {
    for (const prefix of this.focused) if (room.startsWith(prefix)) return true;
    return false;
  }

  private async subscribeLive(room: string, why: 'focus' | 'stand'): Promise<void> {
    const link = this.link;
    const now = this.live.get(room);
    if (link === null || !this.watchable || !this.watched.has(room) || now === 'focus' || now === why) return;
    if (now !== undefined) {
      // Already subscribed (a fetch, or standing): keep the subscription under the stronger reason.
      if (now === 'fetch' && why === 'stand' && this.standingCount >= this.standingBudget) return;
      this.live.set(room, why);
      this.fetchActivity.delete(room);
      return;
    }
    if (this.live.size >= this.budget || (why === 'stand' && this.standingCount >= this.standingBudget)) return;
    this.live.set(room, why);
    this.queue.delete(room);
    const cursor = await this.deps.cursor(room);
    if (this.link !== link || this.live.get(room) !== why) return;
    link.subscribe(room, cursor, this.noSnapshot.delete(room));
  }

  private enqueue(room: string): void {
    if (this.live.has(room)) return;
    this.queue.add(room);
    void this.pump();
  }

  private retryLater(room: string, again: () => void): void {
    this.transientRefusals++;
    const n = (this.retries.get(room) ?? 0) + 1;
    this.retries.set(room, n);
    const delay = Math.min(30_000, 250 * 2 ** Math.min(n, 7)) * (0.75 + Math.random() / 2);
    const link = this.link;
    setTimeout(() => {
      if (this.link !== link || !this.watched.has(room)) return;
      again();
      this.scheduleFlush();
      void this.pump();
    }, delay);
  }

  private takeToken(): boolean {
    const t = this.deps.now();
    this.tokens = Math.min(this.rate, this.tokens + ((t - this.refilled) / 1000) * this.rate);
    this.refilled = t;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Starts queued fetches within the room and request budgets; wakes itself while work is left. */
  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      const link = this.link;
      if (link === null) return;
      const t = this.deps.now();
      for (const [room, at] of [...this.fetchActivity]) {
        if (t - at < FETCH_STALL_MS) continue;
        this.fetchActivity.delete(room);
        if (this.live.get(room) === 'fetch') {
          this.live.delete(room);
          link.unsubscribe(room);
        }
        this.queue.add(room);
      }
      while (this.queue.size > 0 && this.fetchActivity.size < MAX_FETCHES && this.live.size < this.budget) {
        if (!this.takeToken()) break;
        const room = this.queue.values().next().value as string;
        this.queue.delete(room);
        if (!this.watched.has(room) || this.live.has(room)) continue;
        this.live.set(room, 'fetch');
        this.fetchActivity.set(room, this.deps.now());
        const cursor = await this.deps.cursor(room);
        if (this.link !== link) return;
        if (this.live.get(room) !== 'fetch') continue;
        link.subscribe(room, cursor, this.noSnapshot.delete(room));
      }
    } finally {
      this.pumping = false;
    }
    this.wake();
  }

  private wake(): void {
    if (this.timer !== null || this.link === null) return;
    if (this.queue.size === 0 && this.fetchActivity.size === 0) return;
    this.timer = setTimeout(
      () => {
        this.timer = null;
        void this.pump();
      },
      this.queue.size > 0 ? Math.ceil(1000 / this.rate) + 5 : FETCH_STALL_MS / 4,
    );
  }

  private scheduleFlush(): void {
    if (this.flushScheduled || this.link === null || !this.watchable) return;
    this.flushScheduled = true;
    setTimeout(() => {
      this.flushScheduled = false;
      void this.flushRegistrations();
    }, 0);
  }

  /** Sends pending watch and unwatch requests in frames of MAX_WATCH_BATCH, one answer at a time. */
  private async flushRegistrations(): Promise<void> {
    if (this.flushing) {
      this.flushAgain = true;
      return;
    }
    this.flushing = true;
    try {
      do {
        this.flushAgain = false;
        await this.flushOnce();
      } while (this.flushAgain);
    } finally {
      this.flushing = false;
    }
  }

  private async flushOnce(): Promise<void> {
    const link = this.link;
    if (link === null || !link.watch) return;
    if (this.toUnregister.size > 0) {
      const gone = [...this.toUnregister];
      this.toUnregister.clear();
      for (let i = 0; i < gone.length; i += MAX_WATCH_BATCH) link.unwatch?.(gone.slice(i, i + MAX_WATCH_BATCH));
    }
    while (this.toRegister.size > 0 && this.link === link) {
      const batch = [...this.toRegister].slice(0, MAX_WATCH_BATCH);
      const items: { room: string; afterSeq: number }[] = [];
      for (const room of batch) items.push({ room, afterSeq: await this.deps.cursor(room) });
      const answer = await link.watch(items);
      if (this.link !== link) return;
      if (!answer.ok) {
        // The whole frame was refused (rate) or unanswered: the rooms stay pending and are sent again.
        this.transientRefusals++;
        this.frameRetries++;
        setTimeout(() => this.scheduleFlush(), Math.min(30_000, 250 * 2 ** Math.min(this.frameRetries, 7)));
        return;
      }
      this.frameRetries = 0;
      for (const room of batch) {
        this.toRegister.delete(room);
        if (this.watched.has(room)) this.onRelay.add(room);
      }
      await this.heads(answer.value, true);
    }
  }
}
