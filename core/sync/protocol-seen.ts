// Detecting a withholding relay from signed "seen up to seq N" markers [P16]:
// members' markers are sealed records the relay cannot forge, so a marker that
// claims more than this device's caught-up view proves records are hidden
// from this device (or it is shown a shorter log).
import { sha256 } from '@noble/hashes/sha2.js';
import { decodeEnvelope } from '../crypto/envelope.js';
import { equalBytes } from '../crypto/bytes.js';
import { decodeSeenPublicPart } from './protocol-signing.js';

export interface SeenMarker {
  /** DeviceId of the marker's author (signature checked by the caller when opening the record). */
  readonly author: string;
  readonly upToSeq: number;
  /** The seq the relay gave the marker itself. */
  readonly seq: number;
  /** SHA-256 of the encoded envelope the author received at `upToSeq`, when the marker carries it. */
  readonly headHash?: Uint8Array;
}

/** The hash a marker names for a record: SHA-256 of its encoded envelope, exactly as the relay sent it. */
export const recordHash = (envelopeBytes: Uint8Array): Uint8Array<ArrayBuffer> => new Uint8Array(sha256(envelopeBytes));

export interface WithholdingReport {
  /** True when another member has provably seen records this device was not given. */
  readonly withheld: boolean;
  /** The highest seq any other member claims to have seen. */
  readonly highestClaimed: number;
  readonly localHead: number;
  /** Authors whose markers go beyond the local head. */
  readonly witnesses: readonly string[];
  /** True when another member received a different record at a seq this device also has: the relay forked the log. */
  readonly forked: boolean;
  /** Authors whose marker names another record than this device holds at that seq. */
  readonly forkWitnesses: readonly string[];
}

/** Reads the marker out of a `seen` record (public part only, no key needed); undefined for other records. */
export function seenMarkerOf(seq: number, envelopeBytes: Uint8Array): SeenMarker | undefined {
  const env = decodeEnvelope(envelopeBytes);
  if (!env.ok || env.value.header.kind !== 'seen') return undefined;
  const part = decodeSeenPublicPart(env.value.publicPart);
  if (!part.ok) return undefined;
  const { upToSeq, headHash } = part.value;
  return headHash === undefined
    ? { author: env.value.header.author, upToSeq, seq }
    : { author: env.value.header.author, upToSeq, seq, headHash };
}

/**
 * `localHead`: the highest seq this device has received while live (the relay
 * said it was caught up). Markers by this device itself are ignored.
 * `localHash(seq)`: the `recordHash` of the record this device holds at `seq`
 * (undefined when it no longer has it, e.g. compacted into a snapshot); with
 * it, a marker naming another record at a seq this device has proves a fork.
 */
export function checkSeenMarkers(
  self: string,
  localHead: number,
  markers: readonly SeenMarker[],
  localHash: (seq: number) => Uint8Array | undefined = () => undefined,
): WithholdingReport {
  let highestClaimed = 0;
  const witnesses = new Set<string>();
  const forkWitnesses = new Set<string>();
  for (const m of markers) {
    if (m.author === self) continue;
    highestClaimed = Math.max(highestClaimed, m.upToSeq);
    if (m.upToSeq > localHead) witnesses.add(m.author);
    else if (m.headHash !== undefined && m.upToSeq > 0) {
      const mine = localHash(m.upToSeq);
      if (mine !== undefined && !equalBytes(mine, m.headHash)) forkWitnesses.add(m.author);
    }
  }
  return {
    withheld: witnesses.size > 0,
    highestClaimed,
    localHead,
    witnesses: [...witnesses].sort(),
    forked: forkWitnesses.size > 0,
    forkWitnesses: [...forkWitnesses].sort(),
  };
}
