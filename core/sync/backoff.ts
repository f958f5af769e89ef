// Reconnect delays: exponential with full jitter, capped, so a relay restart
// does not see every client reconnect in the same instant.

export interface BackoffPolicy {
  readonly baseMs: number;
  readonly maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 250, maxMs: 30_000 };

/** Delay before reconnect attempt `attempt` (0-based); `random` in [0, 1). */
export function backoffDelay(attempt: number, random: () => number, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  const cap = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(attempt, 30));
  // Half fixed, half random: never zero (no hot loop), never above the cap.
  return Math.round(cap / 2 + (cap / 2) * random());
}
