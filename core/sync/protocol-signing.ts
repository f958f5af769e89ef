// The byte strings signed in the protocol outside envelopes (login, SWV
// registration) and the public parts of `snapshot` and `seen` envelopes that
// the relay and other members read without a key [P4, P13, P16, P20].
import { z } from 'zod';
import { encodeCanonical, decodeCanonical } from '../crypto/canonical.js';
import { ok, fail, type Result, type KkError } from '../result.js';
import { AUTH_CONTEXT, HASH_BYTES, REGISTER_SWV_CONTEXT } from './protocol.js';

/** What a device signs to log in: the relay's random nonce bound to the relay's origin [P4]. */
export const authMessage = (nonce: Uint8Array, origin: string): Uint8Array => encodeCanonical({ context: AUTH_CONTEXT, nonce, origin });

/** What an SWV root key signs to be served by a relay [P20]. */
export const registerSwvMessage = (swvId: string, rootPublicKey: Uint8Array): Uint8Array =>
  encodeCanonical({ context: REGISTER_SWV_CONTEXT, swvId, rootPublicKey });

export type PublicPartErrorCode = 'publiek-deel-ongeldig';
export type PublicPartError = KkError<PublicPartErrorCode>;
const badPart = () => fail('publiek-deel-ongeldig' as const, 'Het openbare deel van het bericht is ongeldig.');

const hash = z.instanceof(Uint8Array).refine((b) => b.length === HASH_BYTES);
const seqSchema = z.number().int().nonnegative();

/** Per author device, the highest envelope counter of its updates a snapshot covers [P85]: sorted by device, each device once. */
const authorClocks = z
  .array(z.tuple([z.string().min(1).max(64), seqSchema]))
  .max(4096)
  .refine((k) => k.every(([d], i) => i === 0 || k[i - 1]![0] < d), 'sorted, each device once');

/**
 * Public part of a `snapshot` envelope [P13]: `prev` is SHA-256 of the encoded
 * envelope of the snapshot it replaces (null for a room's first), so snapshots
 * form a hash chain every member can check. `k`: the per-author update clocks
 * the snapshot covers (as secsync's parentSnapshotUpdateClocks), so a member who
 * holds an update the snapshot leaves out refuses it [P85, R121]. Device ids and
 * counters are in every envelope header already: the relay learns nothing new.
 */
export const snapshotPublicPartSchema = z.strictObject({
  v: z.literal(1),
  prev: hash.nullable(),
  coversSeq: seqSchema,
  k: authorClocks.optional(),
});
export type SnapshotPublicPart = z.infer<typeof snapshotPublicPartSchema>;

/**
 * Public part of a `seen` envelope [P16]: the author has received every record
 * of the room up to `upToSeq`; `headHash` (optional) is SHA-256 of the encoded
 * envelope it received at `upToSeq`, so two members shown different records
 * at the same seq (a forked log) can tell.
 */
export const seenPublicPartSchema = z.strictObject({ v: z.literal(1), upToSeq: seqSchema, headHash: hash.optional() });
export type SeenPublicPart = z.infer<typeof seenPublicPartSchema>;

export const encodeSnapshotPublicPart = (
  p: Omit<SnapshotPublicPart, 'v' | 'k'> & { readonly k?: readonly (readonly [string, number])[] },
): Uint8Array =>
  encodeCanonical(
    p.k === undefined
      ? { v: 1, prev: p.prev, coversSeq: p.coversSeq }
      : { v: 1, prev: p.prev, coversSeq: p.coversSeq, k: p.k.map(([d, n]) => [d, n]) },
  );
export const encodeSeenPublicPart = (p: Omit<SeenPublicPart, 'v'>): Uint8Array =>
  encodeCanonical(p.headHash === undefined ? { v: 1, upToSeq: p.upToSeq } : { v: 1, upToSeq: p.upToSeq, headHash: p.headHash });

function decodePart<T>(schema: z.ZodType<T>, bytes: Uint8Array | undefined): Result<T, PublicPartError> {
  if (bytes === undefined) return badPart();
  const value = decodeCanonical(bytes);
  if (!value.ok) return badPart();
  const parsed = schema.safeParse(value.value);
  return parsed.success ? ok(parsed.data) : badPart();
}

export const decodeSnapshotPublicPart = (bytes: Uint8Array | undefined): Result<SnapshotPublicPart, PublicPartError> =>
  decodePart(snapshotPublicPartSchema, bytes);
export const decodeSeenPublicPart = (bytes: Uint8Array | undefined): Result<SeenPublicPart, PublicPartError> =>
  decodePart(seenPublicPartSchema, bytes);
