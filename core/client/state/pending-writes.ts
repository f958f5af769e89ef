// Local changes handed to the sync engine whose sealing into the outbox has not been awaited yet:
// `settle()` waits for them and reports the first failure.
import type { Result } from '../../result.js';

export class PendingWrites {
  #submits: Promise<Result<void>>[] = [];

  add(submit: Promise<Result<void>>): void {
    this.#submits.push(submit);
  }

  /** Every write added so far, forgotten here: the caller awaits them. */
  takeAll(): Promise<Result<void>>[] {
    const pending = this.#submits;
    this.#submits = [];
    return pending;
  }

  /** How many are waiting (support view). */
  get size(): number {
    return this.#submits.length;
  }
}
