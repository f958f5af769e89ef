// Ending a person (uit dienst, rol beëindigd): a record signed by the SWV root
// that ends every certificate of one user in that SWV from `endedAt` on. The
// relay refuses the user's sessions from then on [R56, P40]; in a dossier's
// access list (an ACL record of type `user-end`) it takes every right away, so
// group grants no longer reach them and rotations leave them out [R57].
import { z } from 'zod';
import type { CryptoProvider } from '../crypto/provider.js';
import { decodeCanonical, encodeCanonical } from '../crypto/canonical.js';
import type { SwvId, UserId } from '../model/ids.js';
import { ok, fail, type Result } from '../result.js';
import { bytesSchema, swvIdSchema, timeSchema, userIdSchema, type Signed } from './certificate.js';
import type { ChainError } from './device-chain.js';
import { SIGNING_CONTEXT, signBody, verifyBody } from './signing.js';

export const USER_END_REASONS = ['uit-dienst', 'rol-beeindigd'] as const;
export type UserEndReason = (typeof USER_END_REASONS)[number];

export const userEndBodySchema = z.strictObject({
  t: z.literal('einde'),
  v: z.literal(1),
  swv: swvIdSchema,
  user: userIdSchema,
  endedAt: timeSchema,
  reason: z.enum(USER_END_REASONS),
});
export type UserEndBody = z.infer<typeof userEndBodySchema>;
export type UserEnd = Signed<UserEndBody>;

export interface VerifiedUserEnd {
  readonly swv: SwvId;
  readonly user: UserId;
  readonly endedAt: number;
  readonly reason: UserEndReason;
  readonly end: UserEnd;
}

export async function issueUserEnd(
  provider: CryptoProvider,
  rootSecretKey: Uint8Array,
  input: { swv: SwvId; user: UserId; endedAt: Date; reason: UserEndReason },
): Promise<UserEnd> {
  const body: UserEndBody = userEndBodySchema.parse({
    t: 'einde',
    v: 1,
    swv: input.swv,
    user: input.user,
    endedAt: input.endedAt.getTime(),
    reason: input.reason,
  });
  return { body, signature: await signBody(provider, rootSecretKey, SIGNING_CONTEXT.userEnd, body) };
}

/** Only the root of the SWV the record names can end a person there. */
export async function verifyUserEnd(
  provider: CryptoProvider,
  end: { body: unknown; signature: Uint8Array },
  roots: ReadonlyMap<SwvId, Uint8Array>,
): Promise<Result<VerifiedUserEnd, ChainError>> {
  const parsed = userEndBodySchema.safeParse(end.body);
  if (!parsed.success) return fail('keten-ongeldig', 'Het bericht over het einde van een gebruiker is ongeldig.');
  const body = parsed.data;
  const root = roots.get(body.swv);
  if (root === undefined) return fail('onbekend-swv', 'Dit samenwerkingsverband is op dit apparaat niet bekend.');
  if (!(await verifyBody(provider, root, SIGNING_CONTEXT.userEnd, body, end.signature))) {
    return fail('verkeerde-ondertekenaar', 'Het einde van een gebruiker is niet door het samenwerkingsverband ondertekend.');
  }
  return ok({ swv: body.swv, user: body.user, endedAt: body.endedAt, reason: body.reason, end: { body, signature: end.signature } });
}

const userEndValueSchema = z.strictObject({ b: z.unknown(), s: bytesSchema(64) });

/** The wire form (relay message, relay storage): canonical `{ b, s }`. */
export const encodeUserEnd = (end: UserEnd): Uint8Array => encodeCanonical({ b: { ...end.body }, s: end.signature });

export function decodeUserEnd(bytes: Uint8Array): Result<{ body: unknown; signature: Uint8Array }, ChainError> {
  const decoded = decodeCanonical(bytes);
  const parsed = decoded.ok ? userEndValueSchema.safeParse(decoded.value) : undefined;
  if (!parsed?.success) return fail('keten-ongeldig', 'Het bericht over het einde van een gebruiker is niet correct gecodeerd.');
  return ok({ body: parsed.data.b, signature: parsed.data.s });
}
