// Group commit: appends that arrive while a commit is in flight wait and go
// into the next transaction together, so one fsync acknowledges many records
// (measured in docs/DEPENDENCIES.md). Works over any RelayStorage.
import type { AppendItem, AppendOutcome, RelayStorage } from './storage.js';

interface Pending {
  readonly item: AppendItem;
  readonly resolve: (o: AppendOutcome) => void;
  readonly reject: (e: unknown) => void;
}

export class GroupCommitter {
  private queue: Pending[] = [];
  private inFlight: Promise<void> | undefined;
  /** Number of transactions and records committed, for measurements and logs. */
  commits = 0;
  records = 0;

  constructor(
    private readonly storage: RelayStorage,
    private readonly maxBatch = 1000,
  ) {}

  /** Appends waiting for the next transaction (a queue depth for /metrics). */
  get queued(): number {
    return this.queue.length;
  }

  append(item: AppendItem): Promise<AppendOutcome> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (this.inFlight === undefined) this.inFlight = this.drain();
    });
  }

  /** Resolves when everything queued so far is committed (graceful shutdown). */
  async idle(): Promise<void> {
    while (this.inFlight !== undefined) await this.inFlight;
  }

  private async drain(): Promise<void> {
    // Yield once so appends decoded in the same I/O turn join the first batch.
    await new Promise<void>((r) => setImmediate(r));
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      try {
        const outcomes = await this.storage.appendBatch(batch.map((p) => p.item));
        this.commits++;
        this.records += batch.length;
        batch.forEach((p, i) => {
          const o = outcomes[i];
          if (o === undefined) p.reject(new Error('opslag gaf te weinig uitkomsten'));
          else p.resolve(o);
        });
      } catch (e) {
        for (const p of batch) p.reject(e);
      }
    }
    this.inFlight = undefined;
  }
}
