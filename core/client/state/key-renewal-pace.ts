// How often key renewal (client-key-renewal.ts) talks to the relay: when this device last posted its
// renewal request, when the beheerder last processed the register, and the register's count of waiting
// devices as last seen. Each ask is a short logged-in connection, so these keep ticks and re-renders cheap.
export class KeyRenewalPace {
  /** When this device's current request was posted (ms); undefined: not yet for this renewal. */
  #postedAt: number | undefined;
  #lastProcessed: number | undefined;
  #waiting: { readonly at: number; readonly value: number } | undefined;

  /** Whether the request should be posted (again): never posted, or `repostMs` passed without a certificate. */
  mayPost(nowMs: number, repostMs: number): boolean {
    return nowMs - (this.#postedAt ?? -Infinity) >= repostMs;
  }

  posted(atMs: number): void {
    this.#postedAt = atMs;
  }

  /** A new renewal began: its request is posted at the next chance. */
  forgetPosted(): void {
    this.#postedAt = undefined;
  }

  /** Claims a run of the beheerder's processing if `intervalMs` passed since the last one; false: too soon. */
  claimProcessing(nowMs: number, intervalMs: number): boolean {
    if (nowMs - (this.#lastProcessed ?? -Infinity) < intervalMs) return false;
    this.#lastProcessed = nowMs;
    return true;
  }

  /** The register's count of waiting devices, if seen less than `maxAgeMs` ago. */
  waitingSeen(nowMs: number, maxAgeMs: number): number | undefined {
    return this.#waiting !== undefined && nowMs - this.#waiting.at < maxAgeMs ? this.#waiting.value : undefined;
  }

  rememberWaiting(atMs: number, count: number): void {
    this.#waiting = { at: atMs, value: count };
  }

  /** Certificates were issued: the count is stale, ask the register again. */
  forgetWaiting(): void {
    this.#waiting = undefined;
  }
}
