// What the relay served, per dossier, device, part and hour [P52]. The access
// log ("geopend") is written by the client that opened a dossier; a modified
// client simply does not write it. The relay sees every record it hands out
// anyway, so it keeps that as evidence the client cannot withhold: counts and
// times per device, never content, and nothing it did not already know.
// Noted in memory and written in batches: the log is evidence, not a record
// that an ack waits for, so a crash loses at most the last few seconds.
import type { AuthenticatedDevice } from './policy.js';
import { mergeServed, servedKey, type RelayStorage, type ServedEntry } from './storage.js';

const HOUR_MS = 3_600_000;
/** How long the relay keeps the served log: the AVG's usual term for access logs of this kind. */
export const SERVED_RETENTION_MS = 400 * 24 * HOUR_MS;
/** Entries per dossier a client gets in one answer (newest hours are kept when there are more). */
export const MAX_SERVED_ANSWER = 2000;

export class ServedLog {
  private pending = new Map<string, ServedEntry>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly storage: RelayStorage,
    private readonly now: () => number,
    flushEveryMs = 2_000,
  ) {
    if (flushEveryMs > 0) {
      this.timer = setInterval(() => void this.flush(), flushEveryMs);
      this.timer.unref?.();
    }
  }

  /** `count` records (or a snapshot, an attachment) of `scope` in `dossier` went to `device`. */
  note(dossier: string, device: AuthenticatedDevice, scope: string, count: number): void {
    if (count <= 0) return;
    const at = this.now();
    const entry: ServedEntry = {
      dossier,
      device: device.deviceId,
      user: device.userId,
      scope,
      hour: at - (at % HOUR_MS),
      first: at,
      last: at,
      count,
    };
    const k = servedKey(entry);
    const old = this.pending.get(k);
    this.pending.set(k, old === undefined ? entry : mergeServed(old, entry));
  }

  /** Writes what was noted; resolves when it is stored. Failures are logged by the caller's storage errors, never thrown at a session. */
  flush(): Promise<void> {
    const batch = [...this.pending.values()];
    this.pending = new Map();
    const run = this.writing.then(async () => {
      if (batch.length > 0) await this.storage.addServed(batch);
    });
    this.writing = run.catch(() => undefined);
    return run;
  }

  /** The stored log of one dossier with what is still pending, newest hours last. */
  async list(dossier: string): Promise<ServedEntry[]> {
    await this.flush().catch(() => undefined);
    const stored = await this.storage.listServed(dossier, MAX_SERVED_ANSWER * 5);
    return stored.slice(-MAX_SERVED_ANSWER);
  }

  /** Forgets hours older than the retention. */
  purge(): Promise<number> {
    return this.storage.purgeServed(this.now() - SERVED_RETENTION_MS);
  }

  async close(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    await this.flush().catch(() => undefined);
  }
}
