// Detecting a withholding relay from signed "seen up to seq N" markers [P16]:
// members' markers are sealed records the relay cannot forge, so a marker that
// claims more than this device's caught-up view proves records are hidden
// from this device (or it is shown a shorter log).
import { decodeEnvelope } from '../crypto/envelope.js';
import { decodeSeenPublicPart } from './protocol-signing.js';

export interface SeenMarker {
  /** DeviceId of the marker's author (signature checked by the caller when opening the record). */
  readonly author: string;
  readonly upToSeq: number;
  /** The seq the relay gave the marker itself. */
  readonly seq: number;
}

export interface WithholdingReport {
  /** True when another member has provably seen records this device was not given. */
  readonly withheld: boolean;
  /** The highest seq any other member claims to have seen. */
  readonly highestClaimed: number;
  readonly localHead: number;
  /** Authors whose markers go beyond the local head. */
  readonly witnesses: readonly string[];
}

/** Reads the marker out of a `seen` record (public part only, no key needed); undefined for other records. */
export function seenMarkerOf(seq: number, envelopeBytes: Uint8Array): SeenMarker | undefined {
  const env = decodeEnvelope(envelopeBytes);
  if (!env.ok || env.value.header.kind !== 'seen') return undefined;
  const part = decodeSeenPublicPart(env.value.publicPart);
  return part.ok ? { author: env.value.header.author, upToSeq: part.value.upToSeq, seq } : undefined;
}

/**
 * `localHead`: the highest seq this device has received while live (the relay
 * said it was caught up). Markers by this device itself are ignored.
 */
export function checkSeenMarkers(self: string, localHead: number, markers: readonly SeenMarker[]): WithholdingReport {
  let highestClaimed = 0;
  const witnesses = new Set<string>();
  for (const m of markers) {
    if (m.author === self) continue;
    highestClaimed = Math.max(highestClaimed, m.upToSeq);
    if (m.upToSeq > localHead) witnesses.add(m.author);
  }
  return { withheld: witnesses.size > 0, highestClaimed, localHead, witnesses: [...witnesses].sort() };
}
