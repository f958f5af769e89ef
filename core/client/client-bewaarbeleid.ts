// The SWV's own retention policy (issue 20; PROTOCOL P50) [R156]: how many years after which end status
// of which process a dossier is kept (default three, WPO 18a lid 13). Every device that fixes a dossier's
// date must use the same policy, so the beheerder sets it once (SWV root unlocked), signed by the root
// with a version above every earlier one, and every member reads it with the member list. A policy the
// root did not sign, or an older one put back, is refused and the device keeps what it had.
import { z } from 'zod';
import { decodeCanonical, encodeCanonical, type CanonicalValue } from '../crypto/canonical.js';
import { ok, fail, type Result } from '../result.js';
import { SIGNING_CONTEXT, signBody, verifyBody } from '../access/signing.js';
import { bytesSchema } from '../access/certificate.js';
import { PROCESS_DEFINITIONS } from '../processes/process-set.js';
import { DEFAULT_RETENTION_POLICY, parseRetentionPolicy, RetentionPolicySchema, type RetentionPolicy } from '../processes/retention.js';
import type { RelayConnection } from '../sync/relay-connection.js';
import { openLocal, sealLocal } from '../store/local-seal.js';
import type { ClientCore } from './client-core.js';
import { directoryBox, openWith, sealWith } from './onboarding.js';
import { locked } from './state/session.js';
import type { SignedRetentionPolicy } from './state/held-retention-policy.js';

const META = 'bewaarbeleid';
const WHAT = 'kindkluis/bewaarbeleid';

const signedSchema = z.strictObject({
  b: z.strictObject({
    t: z.literal('bewaarbeleid'),
    swv: z.string(),
    versie: z.number().int().nonnegative(),
    beleid: RetentionPolicySchema,
  }),
  s: bytesSchema(64),
});

/** The policy every date on this device is fixed with: the SWV's signed one, else the client option, else three years. */
export const bewaarbeleidVan = (c: ClientCore): RetentionPolicy =>
  c.retentionPolicy.held?.beleid ?? c.opts.bewaarbeleid ?? DEFAULT_RETENTION_POLICY;

async function verify(c: ClientCore, bytes: Uint8Array): Promise<SignedRetentionPolicy | undefined> {
  const id = c.id;
  const root = id?.roots.get(id.swvId);
  const decoded = decodeCanonical(bytes);
  const parsed = decoded.ok ? signedSchema.safeParse(decoded.value) : undefined;
  if (!id || !root || !parsed?.success || parsed.data.b.swv !== id.swvId) return undefined;
  const good = await verifyBody(
    c.provider,
    root,
    SIGNING_CONTEXT.retentionPolicy,
    parsed.data.b as unknown as CanonicalValue,
    parsed.data.s,
  );
  // The root signed it, and it names only end statuses of processes this version knows.
  const beleid = good ? parseRetentionPolicy(parsed.data.b.beleid, PROCESS_DEFINITIONS) : undefined;
  return beleid?.ok ? { versie: parsed.data.b.versie, beleid: beleid.value, bytes } : undefined;
}

/** Accepts a signed policy if it is newer than the one held, and keeps it sealed with the local key. */
async function accept(c: ClientCore, bytes: Uint8Array): Promise<boolean> {
  const id = c.id;
  const v = await verify(c, bytes);
  if (!id || !v || !c.retentionPolicy.isNewer(v)) return false;
  c.retentionPolicy.hold(v);
  await c.store.putMeta(META, await sealLocal(c.provider, id.localKey, META, bytes));
  c.emit({ kind: 'directory' });
  return true;
}

/** At unlock: the policy this device accepted before. */
export async function loadBewaarbeleid(c: ClientCore): Promise<void> {
  const id = c.id;
  const sealed = id ? await c.store.getMeta(META) : undefined;
  if (!id || !sealed) return;
  const opened = await openLocal(c.provider, id.localKey, META, sealed);
  const v = opened.ok ? await verify(c, opened.value) : undefined;
  if (v) c.retentionPolicy.hold(v);
}

const box = (c: ClientCore, key: Uint8Array, swv: string) => directoryBox(c.provider, key, `${swv}#bewaarbeleid`, 0);

/** Beheerder, root unlocked: sets the SWV's policy (checked against the processes), signs and publishes it. */
export async function stelBewaarbeleidIn(c: ClientCore, input: unknown): Promise<Result<RetentionPolicy>> {
  const id = c.id;
  if (!id) return locked();
  if (!id.beheert) return fail('geen-beheerder', 'Alleen de beheerder van het samenwerkingsverband stelt het bewaarbeleid in.');
  const root = c.session.rootKey;
  if (!root)
    return fail(
      'basissleutel-vergrendeld',
      'Ontgrendel eerst de sleutel van het samenwerkingsverband (Beheer) om het bewaarbeleid in te stellen.',
    );
  const beleid = parseRetentionPolicy(input, PROCESS_DEFINITIONS);
  if (!beleid.ok) return beleid;
  const body = {
    t: 'bewaarbeleid',
    swv: id.swvId,
    versie: Math.max((c.retentionPolicy.held?.versie ?? 0) + 1, c.now().getTime()),
    beleid: beleid.value,
  };
  const bytes = encodeCanonical({
    b: body as unknown as CanonicalValue,
    s: await signBody(c.provider, root.secretKey, SIGNING_CONTEXT.retentionPolicy, body as unknown as CanonicalValue),
  });
  const conn = await c.mailboxConnection();
  if (!conn.ok)
    return fail('offline', 'Geen verbinding met de server: het bewaarbeleid is niet ingesteld. Probeer het opnieuw zodra u online bent.');
  try {
    const put = await conn.value.mailboxPut(
      await box(c, id.directoryKey, id.swvId),
      await sealWith(c.provider, id.directoryKey, WHAT, bytes),
    );
    if (!put.ok) return fail('offline', 'De server nam het bewaarbeleid niet aan; het is niet ingesteld. Probeer het opnieuw.');
  } finally {
    conn.value.close();
  }
  await accept(c, bytes);
  return ok(beleid.value);
}

/** Beheerder: publishes the held policy again, e.g. under a new directory key after a rotation (P48). */
export async function publiceerBewaarbeleid(c: ClientCore, conn: RelayConnection): Promise<void> {
  const id = c.id;
  const held = c.retentionPolicy.held;
  if (!id || !held) return;
  await conn.mailboxPut(await box(c, id.directoryKey, id.swvId), await sealWith(c.provider, id.directoryKey, WHAT, held.bytes));
}

/** Member: reads the SWV's policy beside the member list; anything not newer and root-signed is ignored. */
export async function haalBewaarbeleidOp(c: ClientCore, conn: RelayConnection): Promise<void> {
  const id = c.id;
  if (!id) return;
  const where = await box(c, id.directoryKey, id.swvId);
  const got = await conn.mailboxGet(where);
  if (!got.ok) return;
  const opened = got.value !== null && got.value.length > 0 ? await openWith(c.provider, id.directoryKey, WHAT, got.value) : undefined;
  const found = opened?.ok && opened.value instanceof Uint8Array ? opened.value : undefined;
  if (found !== undefined && (await accept(c, found))) return;
  // A mailbox lives at most 7 days (P42): a member that holds a newer signed policy than the box (or the box
  // is gone) puts it back, so a device that joins later still finds it. It can only hand on what the root signed.
  const held = c.retentionPolicy.held;
  const there = found === undefined ? undefined : await verify(c, found);
  if (held && (there === undefined || there.versie < held.versie))
    await conn.mailboxPut(where, await sealWith(c.provider, id.directoryKey, WHAT, held.bytes));
}
