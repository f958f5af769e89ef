// "Rotatie nodig": a scope whose current key is held by someone who is no
// longer entitled (a grant expired while no admin was online, a certificate
// ran out). Every client detects it from the folded state; the next admin
// client performs it with one signed `rotate` record.
import type { CryptoProvider } from '../crypto/provider.js';
import type { UserId } from '../model/ids.js';
import { ok, type Result } from '../result.js';
import { buildAccessRecord, type BuildError, type BuiltRecord, type DeviceSigner } from './build-record.js';
import { currentEpoch, effectiveRight, entitledHolders, isAdmin, type DossierAccess } from './dossier-access.js';
import { atLeast } from './principal.js';
import type { Keyring } from './keyring.js';
import { scopeKind, type Scope } from './rooms.js';

export interface RotationDue {
  readonly scope: Scope;
  readonly epoch: number;
  /** Who still holds the current key without being entitled to it. */
  readonly staleHolders: readonly { readonly user: UserId; readonly key: string }[];
  /** Dutch, for the UI badge. */
  readonly label: 'rotatie nodig';
}

export function rotationsDue(access: DossierAccess, now: Date): RotationDue[] {
  const at = now.getTime();
  const due: RotationDue[] = [];
  for (const [scope, info] of access.scopes) {
    // Notities are keyed by their owner alone; nobody else can rotate them.
    if (scopeKind(scope) === 'notities') continue;
    const cur = currentEpoch(info);
    const entitled = entitledHolders(access, scope, at);
    if (cur === undefined || entitled.length === 0) continue;
    const stale = cur.holders.filter((h) => !entitled.includes(h));
    if (stale.length > 0) {
      due.push({
        scope,
        epoch: cur.epoch,
        staleHolders: stale.map((key) => ({ key, user: access.recipients.get(key)?.body.user ?? ('?' as UserId) })),
        label: 'rotatie nodig',
      });
    }
  }
  return due;
}

/**
 * Called by an admin client whenever it has the current state (e.g. after each
 * sync): if any rotation is due, returns the one `rotate` record that performs
 * all of them; `null` when nothing is due.
 */
export async function performDueRotations(
  provider: CryptoProvider,
  access: DossierAccess,
  input: { signer: DeviceSigner; keyring: Keyring; now: Date; counter: number },
): Promise<Result<BuiltRecord | null, BuildError | { code: 'geen-beheerder'; message: string }>> {
  const u = input.signer.chain.user.body;
  const subject = { userId: u.user, organisationId: u.organisation, roles: u.roles };
  const at = input.now.getTime();
  // An admin rotates everything due; a writer the scopes it writes (not toegang), so nobody waits for an admin device [R42].
  const admin = isAdmin(access, subject, at);
  const due = rotationsDue(access, input.now).filter(
    (d) => admin || (d.scope !== 'toegang' && atLeast(effectiveRight(access, subject, d.scope, at), 'write')),
  );
  if (due.length === 0) return ok(null);
  return buildAccessRecord(provider, access, {
    type: 'rotate',
    signer: input.signer,
    at: input.now,
    counter: input.counter,
    keyring: input.keyring,
    change: { rotate: due.map((d) => d.scope), reason: 'Toegang verlopen: sleutels vernieuwd' },
  });
}

/**
 * The next moment the access picture changes by itself (a grant or a
 * key-holder's certificate ends, a device revocation or the end of a person
 * takes effect): when the relay must re-check subscriptions
 * and clients must look for "rotatie nodig" again. undefined = nothing pending.
 */
export function nextAccessDeadline(access: DossierAccess, now: Date): Date | undefined {
  const t = now.getTime();
  let next: number | undefined;
  const consider = (x: number | null) => {
    if (x !== null && x > t && (next === undefined || x < next)) next = x;
  };
  for (const g of access.grants) consider(g.expiresAt);
  for (const c of access.recipients.values()) consider(c.body.validUntil);
  // A revocation may name a time ahead of this clock (the revoking device's clock runs ahead):
  // the relay must end that device's subscriptions when it comes [R55].
  for (const revokedAt of access.revocations.values()) consider(revokedAt);
  for (const endedAt of access.ended.values()) consider(endedAt);
  return next === undefined ? undefined : new Date(next);
}
