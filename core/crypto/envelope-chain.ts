// Hash-linked runs of envelopes (PROTOCOL P26). A device puts the hash of its
// previous envelope in a room into the next one's `prev`, which its signature
// covers. So when the last envelope of a run verifies, every envelope before
// it in the run is proven to be exactly what that device sent: it signed a
// statement that fixes their bytes by hash (collision resistance of SHA-256).
// A reader then checks one Ed25519 signature per run, not per envelope.
//
// Linking is strict: same author only (a device's signature says nothing about
// another device's envelope), each hash continues at most one run (a fork, e.g.
// two browser tabs of one device writing at once, starts a new run), and only
// the envelopes given here take part (one refused before this point breaks its
// run, so nothing is vouched for through a record the reader did not accept).
import { toHex } from './bytes.js';
import type { DeviceId } from '../model/ids.js';

export interface ChainLink {
  readonly author: DeviceId;
  /** `chainHash` of this envelope's wire bytes. */
  readonly hash: Uint8Array;
  readonly prev?: Uint8Array;
}

/**
 * Splits `links` (in log order) into runs: lists of indices, each run's
 * envelopes linked one to the next by `prev`, the last one the run's signer.
 * Every index is in exactly one run; runs are ordered by their first index.
 */
export function chainRuns(links: readonly ChainLink[]): number[][] {
  const runs: number[][] = [];
  /** author ‖ hash of a run's current last envelope → that run. */
  const tails = new Map<string, number[]>();
  links.forEach((link, index) => {
    const key = link.prev === undefined ? undefined : `${link.author}|${toHex(link.prev)}`;
    let run = key === undefined ? undefined : tails.get(key);
    if (run && key !== undefined) tails.delete(key);
    else {
      run = [];
      runs.push(run);
    }
    run.push(index);
    tails.set(`${link.author}|${toHex(link.hash)}`, run);
  });
  return runs;
}
