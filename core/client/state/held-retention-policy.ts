// The newest root-signed retention policy this device accepted (client-bewaarbeleid.ts, P50) [R156],
// kept beside the member list it is read with. Only a newer version replaces it; it outlives a lock, as
// the policy is the SWV's, not the person's.
import type { RetentionPolicy } from '../../processes/retention.js';

/** A verified policy with its version and the signed bytes as published (published again after a key rotation). */
export interface SignedRetentionPolicy {
  readonly versie: number;
  readonly beleid: RetentionPolicy;
  readonly bytes: Uint8Array;
}

export class HeldRetentionPolicy {
  #held: SignedRetentionPolicy | undefined;

  get held(): SignedRetentionPolicy | undefined {
    return this.#held;
  }

  /** Whether `policy` is newer than the one held: an older one put back must not replace it. */
  isNewer(policy: SignedRetentionPolicy): boolean {
    return policy.versie > (this.#held?.versie ?? -1);
  }

  /** Holds `policy` (checked by the caller: verified, and newer or restored at unlock). */
  hold(policy: SignedRetentionPolicy): void {
    this.#held = policy;
  }
}
