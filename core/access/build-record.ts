// Client side: builds and seals an ACL record that applyAccessRecord will
// accept. It works out the epochs itself: new scopes get a first key, scopes
// whose key holders are no longer all entitled (revoked, expired) get a new
// key sealed to each remaining member's own agreement key — never under the old
// key — plus the old key sealed under the new one; new members of an unchanged
// scope get a box for the current key.
import type { CryptoProvider } from '../crypto/provider.js';
import type { DossierId } from '../model/ids.js';
import { sealEnvelope, type Envelope } from '../crypto/envelope.js';
import { ok, fail, type Result, type KkError } from '../result.js';
import {
  encodeAclDetails,
  encodeAclPublicPart,
  type AclRecordType,
  type EpochEntry,
  type GrantSpec,
  type RevokeSpec,
} from './acl-record.js';
import type { DeviceRevocation, UserCertificate } from './certificate.js';
import type { UserEnd } from './user-end.js';
import type { DeviceChain } from './device-chain.js';
import {
  currentEpoch,
  effectiveRight,
  emptyAccess,
  entitledHolders,
  isAdmin,
  keyHex,
  memberListHash,
  type DossierAccess,
  type GrantEntry,
} from './dossier-access.js';
import { EPOCH_KEY_LENGTH, sealKeyBox, sealPreviousKey, type KeyBox } from './key-box.js';
import { preferredAead } from '../crypto/aead-choice.js';
import { keyringGet, keyringWith, type Keyring } from './keyring.js';
import { atLeast, principalKey, type PrincipalSubject } from './principal.js';
import { roomOf, scopeKind, scopeTarget, type Scope } from './rooms.js';

/** A device that can sign: its chain (with profile, which goes only into the encrypted part) and its Ed25519 seed. */
export interface DeviceSigner {
  readonly chain: DeviceChain;
  readonly deviceSecretKey: Uint8Array;
}

export interface AccessChange {
  readonly grants?: readonly GrantSpec[];
  readonly revokes?: readonly RevokeSpec[];
  /** Certificates of the people who should get key boxes (for user principals: that user; for role principals: the known holders). */
  readonly recipients?: readonly UserCertificate[];
  /** Scopes to give a new key even if nobody lost access (voluntary rotation). */
  readonly rotate?: readonly Scope[];
  /** A device revocation (`device-revocation`) or the SWV's end of a person (`user-end`, no user certificate). */
  readonly revocation?: { readonly revocation: DeviceRevocation | UserEnd; readonly userCertificate: UserCertificate | null };
  /** `bewaartermijn` / `bewaarplicht`: the day it fixes [R80, R81]. */
  readonly bewaren?: { readonly tot: string | null };
  /** Encrypted part: why, remarks, display names per principal key. */
  readonly reason?: string;
  readonly remarks?: string;
  readonly names?: Readonly<Record<string, string>>;
}

export interface BuildInput {
  readonly type: AclRecordType;
  /** Genesis only: the new dossier's id (otherwise taken from `access`). */
  readonly dossier?: DossierId;
  readonly signer: DeviceSigner;
  readonly at: Date;
  /** The signer device's next counter in the `toegang` room. */
  readonly counter: number;
  readonly change: AccessChange;
  /** Epoch keys the signer holds; needed to rotate (old key under new) and to share current keys. */
  readonly keyring: Keyring;
}

export type BuildErrorCode = 'sleutel-ontbreekt' | 'acl-ongeldig';
export type BuildError = KkError<BuildErrorCode>;

export interface BuiltRecord {
  readonly envelope: Envelope;
  /** The signer's keyring plus every key this record created. */
  readonly keyring: Keyring;
}

const subjectOf = (c: UserCertificate): PrincipalSubject => ({
  userId: c.body.user,
  organisationId: c.body.organisation,
  roles: c.body.roles,
});

/** The state the record's grants, revokes and recipients lead to (epochs not yet applied). */
function projected(access: DossierAccess, signer: DeviceSigner, change: AccessChange, at: number): DossierAccess {
  const recipients = new Map(access.recipients);
  for (const c of [signer.chain.user, ...(change.recipients ?? [])]) recipients.set(keyHex(c.body.agreementKey), c);
  const key = (g: Pick<GrantEntry, 'principal' | 'scope' | 'right'>) => `${principalKey(g.principal)}|${g.scope}|${g.right}`;
  const grants = new Map(access.grants.map((g) => [key(g), g]));
  for (const rv of change.revokes ?? []) {
    for (const [k, g] of grants) if (g.scope === rv.scope && principalKey(g.principal) === principalKey(rv.principal)) grants.delete(k);
  }
  for (const g of change.grants ?? []) grants.set(key(g), { ...g, grantedAt: at, grantedBy: signer.chain.user.body.user });
  return { ...access, recipients, grants: [...grants.values()] };
}

export async function buildAccessRecord(
  provider: CryptoProvider,
  access: DossierAccess | undefined,
  input: BuildInput,
): Promise<Result<BuiltRecord, BuildError>> {
  const { signer, change } = input;
  // Record times may not go backwards; a colleague's clock a little ahead must not make ours fail.
  const at = Math.max(input.at.getTime(), access?.lastAt ?? 0);
  const user = signer.chain.user.body;
  const base: DossierAccess =
    access ??
    (() => {
      if (input.type !== 'genesis' || input.dossier === undefined)
        throw new Error('Een nieuw dossier begint met een oprichtingsrecord met dossier-id');
      return emptyAccess(input.dossier, user.swv, user.organisation, at);
    })();
  const after = projected(base, signer, change, at);
  const signerIsAdmin = input.type === 'genesis' || isAdmin(base, subjectOf(signer.chain.user), at);

  let keyring = input.keyring;
  const epochs: EpochEntry[] = [];
  const scopes = new Set<Scope>([...after.scopes.keys(), ...(change.grants ?? []).map((g) => g.scope)]);
  for (const scope of scopes) {
    const notitiesOwner = scopeKind(scope) === 'notities' ? scopeTarget(scope) : undefined;
    // Any writer may rotate a scope it writes whose key a no-longer-entitled member holds: nobody waits for an admin device [R42].
    const writerRotates =
      input.type === 'rotate' &&
      !signerIsAdmin &&
      scope !== 'toegang' &&
      (change.rotate ?? []).includes(scope) &&
      atLeast(effectiveRight(base, subjectOf(signer.chain.user), scope, at), 'write');
    if (notitiesOwner !== undefined ? notitiesOwner !== user.user : !signerIsAdmin && !writerRotates) continue;
    const entitled = entitledHolders(after, scope, at);
    if (entitled.length === 0) continue;
    const cur = currentEpoch(after.scopes.get(scope));
    const ctx = { dossier: after.dossier, scope };
    const boxesFor = async (holders: readonly string[], epoch: number, key: Uint8Array): Promise<KeyBox[]> => {
      const out: KeyBox[] = [];
      for (const hex of holders) {
        const cert = after.recipients.get(hex);
        if (cert === undefined) throw new Error('Onbekende ontvanger');
        out.push(await sealKeyBox(provider, { ...ctx, epoch, recipientAgreementKey: cert.body.agreementKey, epochKey: key }));
      }
      return out;
    };
    const mustRotate = cur !== undefined && (!cur.holders.every((h) => entitled.includes(h)) || (change.rotate ?? []).includes(scope));
    if (cur === undefined || mustRotate) {
      const epoch = cur === undefined ? 0 : cur.epoch + 1;
      const key = provider.randomBytes(EPOCH_KEY_LENGTH);
      let previous = null;
      if (cur !== undefined) {
        const old = keyringGet(keyring, scope, cur.epoch);
        if (old === undefined) {
          // A removal must rotate everything at once; a grant or a catch-up rotation does what this device can, another admin the rest.
          if (input.type !== 'revoke') continue;
          return fail(
            'sleutel-ontbreekt',
            'Dit apparaat heeft de huidige sleutel van een dossierdeel niet en kan die dus niet vernieuwen.',
          );
        }
        previous = await sealPreviousKey(provider, { ...ctx, epoch, newKey: key, previousKey: old });
      }
      epochs.push({
        scope,
        epoch,
        members: await memberListHash(provider, after, scope, epoch, entitled),
        boxes: await boxesFor(entitled, epoch, key),
        previous,
      });
      keyring = keyringWith(keyring, scope, epoch, key);
    } else {
      const missing = entitled.filter((h) => !cur.holders.includes(h));
      const key = keyringGet(keyring, scope, cur.epoch);
      // Without the current key this device cannot share it; another admin's device can later.
      if (missing.length === 0 || key === undefined) continue;
      const holders = [...cur.holders, ...missing].sort();
      epochs.push({
        scope,
        epoch: cur.epoch,
        members: await memberListHash(provider, after, scope, cur.epoch, holders),
        boxes: await boxesFor(missing, cur.epoch, key),
        previous: null,
      });
    }
  }

  if (input.type === 'rotate' && epochs.length === 0)
    return fail('sleutel-ontbreekt', 'Dit apparaat heeft geen van de sleutels die vernieuwd moeten worden.');
  const toegangEntry = epochs.find((e) => e.scope === 'toegang');
  const toegangEpoch = toegangEntry?.epoch ?? currentEpoch(after.scopes.get('toegang'))?.epoch;
  const toegangKey = toegangEpoch === undefined ? undefined : keyringGet(keyring, 'toegang', toegangEpoch);
  if (toegangEpoch === undefined || toegangKey === undefined)
    return fail('sleutel-ontbreekt', 'Dit apparaat heeft de sleutel van de toegangslijst niet.');

  const publicPart = encodeAclPublicPart({
    type: input.type,
    dossier: after.dossier,
    prev: access === undefined ? null : access.head,
    at,
    signer: signer.chain,
    owner: input.type === 'genesis' ? after.owner : null,
    grants: change.grants ?? [],
    revokes: change.revokes ?? [],
    recipients: change.recipients ?? [],
    epochs,
    revocation:
      change.revocation === undefined
        ? null
        : { revocation: change.revocation.revocation, userCertificate: change.revocation.userCertificate },
    ...(change.bewaren === undefined ? {} : { bewaren: change.bewaren }),
  });
  const plaintext = encodeAclDetails({
    // The relay keeps the last bewaartermijn record after deletion (its tombstone): it names nobody, even encrypted.
    signerProfile: input.type === 'bewaartermijn' ? null : (signer.chain.profile ?? null),
    reason: change.reason ?? null,
    remarks: change.remarks ?? null,
    names: { ...(change.names ?? {}) },
  });
  const envelope = await sealEnvelope(provider, {
    header: {
      v: 1,
      kind: 'acl',
      room: roomOf(after.dossier, 'toegang'),
      epoch: toegangEpoch,
      author: signer.chain.device.body.device,
      counter: input.counter,
      alg: preferredAead(provider),
    },
    key: toegangKey,
    plaintext,
    publicPart,
    signingSecretKey: signer.deviceSecretKey,
  });
  return ok({ envelope, keyring });
}
