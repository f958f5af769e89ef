// This device's own access changes still in flight: the removals it made (made again if a concurrent
// record undid one), why each own access record was made (so a refused one can be made again), the
// retries waiting for the relay's order, and the per-dossier rebuild of the optimistic access view.
import type { AccessChange } from '../../access/build-record.js';
import type { AclRecordType } from '../../access/acl-record.js';
import { toHex } from '../../crypto/bytes.js';
import type { DossierId, UserId } from '../../model/ids.js';

/** An own access change as it was asked for: enough to build the record again on a newer access list. */
export interface AccessIntent {
  readonly type: AclRecordType;
  readonly change: AccessChange;
  /** How often it was built already; retries stop after a bound so a change that never fits cannot loop. */
  readonly attempts: number;
}

export class AccessQueue {
  /** People this device removed from a dossier: removed again if a concurrent record undid it. */
  readonly #removed = new Map<DossierId, Set<UserId>>();
  readonly #retries = new Map<DossierId, AccessIntent[]>();
  /** Retries run one at a time, each built on the state at that moment (see runRetries). */
  #retryChain: Promise<void> = Promise.resolve();
  /** Own access records by envelope hash (hex), so a refused one can be made again on the relay's order. */
  readonly #intents = new Map<string, AccessIntent>();
  /** Per dossier, the access-view rebuild in progress (see reapplyPending). */
  readonly #rebuilding = new Map<DossierId, Promise<void>>();

  rememberRemoval(dossier: DossierId, user: UserId): void {
    this.#removed.set(dossier, new Set([...(this.#removed.get(dossier) ?? []), user]));
  }

  /** Granted again (or linked as ouder): no longer a removal to enforce. */
  forgetRemoval(dossier: DossierId, user: UserId): void {
    this.#removed.get(dossier)?.delete(user);
  }

  removalsIn(dossier: DossierId): ReadonlySet<UserId> | undefined {
    return this.#removed.get(dossier);
  }

  enqueueRetry(dossier: DossierId, intent: AccessIntent): void {
    this.#retries.set(dossier, [...(this.#retries.get(dossier) ?? []), intent]);
  }

  hasRetries(dossier: DossierId): boolean {
    return this.#retries.has(dossier);
  }

  /** The dossier's waiting retries, removed from the queue: the caller enqueues again those that fail. */
  takeRetries(dossier: DossierId): AccessIntent[] {
    const queue = this.#retries.get(dossier) ?? [];
    this.#retries.delete(dossier);
    return queue;
  }

  /** Runs `work` after every earlier retry run; a failure is dropped (each retry re-queues itself). */
  chainRetries(work: () => Promise<void>): void {
    this.#retryChain = this.#retryChain.then(work).catch(() => undefined);
  }

  /** Resolves once every retry run started so far has finished (closing waits for it). */
  retriesSettled(): Promise<void> {
    return this.#retryChain;
  }

  rememberIntent(recordHash: Uint8Array, intent: AccessIntent): void {
    this.#intents.set(toHex(recordHash), intent);
  }

  intentOf(recordHash: Uint8Array): AccessIntent | undefined {
    return this.#intents.get(toHex(recordHash));
  }

  /** The intent of a refused record, forgotten here: the caller decides whether to make it again. */
  takeIntent(recordHash: Uint8Array): AccessIntent | undefined {
    const key = toHex(recordHash);
    const intent = this.#intents.get(key);
    this.#intents.delete(key);
    return intent;
  }

  /**
   * Runs `rebuild` after the dossier's earlier rebuild: one that started before our own record reached
   * the outbox must not finish after a later one and put back a view without it.
   */
  rebuildInOrder(dossier: DossierId, rebuild: () => Promise<void>): Promise<void> {
    const next = (this.#rebuilding.get(dossier) ?? Promise.resolve()).then(rebuild);
    this.#rebuilding.set(
      dossier,
      next.catch(() => undefined),
    );
    return next;
  }
}
