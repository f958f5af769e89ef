// This device's identity: the user's keys and certificates, the device key,
// the SWV roots it trusts and (for a beheerder) the SWV root key. Secrets are
// wrapped by the keystore (argon2id passphrase + recovery code); everything
// else is sealed with the local key. Nothing here is ever stored in the clear.
import { z } from 'zod';
import type { CryptoProvider, KeyPair } from '../crypto/provider.js';
import { utf8Decode, utf8Encode } from '../crypto/bytes.js';
import { decodeCanonical, encodeCanonical, type CanonicalValue } from '../crypto/canonical.js';
import {
  createKeystore,
  replaceSecrets,
  resetPassphraseWithRecoveryCode,
  unlockForSession,
  unlockWithDataKey,
  type Argon2idParams,
  type KeystoreSecrets,
} from '../crypto/keystore.js';
import { deviceIdFromPublicKey } from '../crypto/device-id.js';
import { decodeDeviceChain, encodeDeviceChain, stripProfile, type DeviceChain } from '../access/device-chain.js';
import type { OrganisationCertificate } from '../access/certificate.js';
import type { DeviceId, OrganisationId, SwvId, UserId } from '../model/ids.js';
import { asId } from '../model/ids.js';
import type { Role } from '../model/role.js';
import { ok, fail, type Result } from '../result.js';
import type { LocalStore } from '../store/local-store.js';
import { openLocal, sealLocal } from '../store/local-seal.js';

export interface Identity {
  readonly swvId: SwvId;
  readonly swvNaam: string;
  readonly userId: UserId;
  readonly organisationId: OrganisationId;
  readonly roles: readonly Role[];
  readonly device: KeyPair;
  readonly deviceId: DeviceId;
  readonly userSigning: KeyPair;
  readonly userAgreement: KeyPair;
  /**
   * A fresh agreement key this device asked a certificate for after it purged a crypto-shredded dossier
   * (PROTOCOL P49): it replaces `userAgreement`, whose secret is then destroyed [R155].
   */
  readonly pendingAgreement?: KeyPair;
  /** With profile (for our own envelopes' encrypted parts and message signatures). */
  readonly chain: DeviceChain;
  /** Without profile: what the relay and public parts see. */
  readonly publicChainBytes: Uint8Array;
  readonly roots: ReadonlyMap<SwvId, Uint8Array>;
  readonly localKey: Uint8Array;
  /** SWV-wide key that seals the member directory (shared at join). */
  readonly directoryKey: Uint8Array;
  /** Staff only: seals the ouders' part of the directory (ouders never get it) [R103]. */
  readonly staffKey: Uint8Array | null;
  /** Which directory keys these are: 0 from the join, one higher per rotation after an end (PROTOCOL P48) [R151]. */
  readonly directoryEpoch: number;
  /**
   * This device holds the SWV root key in its own keystore slot (the beheerder's first device). The key
   * itself is never in this identity: it is unlocked separately, with its own passphrase, for Beheer
   * actions only (`ClientCore.rootKey`) [R102, P81].
   */
  readonly beheert: boolean;
  readonly email: string;
}

/** Organisation certificates the beheerder issued (so later invitations can reuse them). */
export interface BeheerState {
  readonly organisations: readonly {
    readonly id: OrganisationId;
    readonly naam: string;
    readonly kind: string;
    readonly cert: Uint8Array;
  }[];
  readonly invitations: readonly PendingInvitation[];
}

export interface PendingInvitation {
  readonly code: string;
  readonly userId: string;
  readonly organisationId: string;
  readonly roles: readonly string[];
  readonly profile: {
    readonly voornaam: string;
    readonly achternaam: string;
    readonly functie: string;
    readonly organisatieNaam: string;
    readonly email: string;
  };
  readonly validUntil: number;
  readonly done: boolean;
  /** When the invitation itself ends (default 7 days); older invitations have none. */
  readonly expiresAt?: number;
  /** Ended how (absent: open, or done before P80 when `done`). The code is wiped once ended. */
  readonly state?: 'gebruikt' | 'verlopen' | 'ingetrokken';
  /** Every distinct join request seen under the code, each with the nonce of its challenge [P80]. */
  readonly requests?: readonly JoinRequestSeen[];
  /** Another device of a member already certified: same person, own keys, own certificate [R148]. */
  readonly apparaat?: boolean;
}

export interface JoinRequestSeen {
  readonly signingKey: Uint8Array;
  readonly agreementKey: Uint8Array;
  readonly nonce: Uint8Array;
  /** The challenge reached the relay (else it is posted again at the next round). */
  readonly challenged: boolean;
  readonly seenAt: number;
}

const KEY_ID = 'identity';
/** Directory keys newer than the keystore's (rotated after an end), sealed with the local key like the identity state [R151]. */
const DIRECTORY_KEYS = 'ledenlijst-sleutels';
const STATE_KEY = 'identity-state';
const BEHEER_KEY = 'beheer-state';
/** The SWV root key's own keystore slot: own passphrase, own recovery code [R102, P81]. */
const ROOT_KEY_ID = 'basissleutel';

/** Wraps the SWV root key on its own (argon2id under the root passphrase, plus its own recovery code). */
export async function saveRootSlot(
  provider: CryptoProvider,
  store: LocalStore,
  rootSecret: Uint8Array,
  passphrase: string,
  kdf?: Argon2idParams,
): Promise<Result<{ recoveryCode: string }>> {
  const wrapped = await createKeystore(provider, { root: rootSecret }, passphrase, kdf === undefined ? {} : { kdf });
  if (!wrapped.ok) return wrapped;
  await store.putKey({ id: ROOT_KEY_ID, dossier: '', bytes: utf8Encode(JSON.stringify(wrapped.value.wrapped)) });
  return ok({ recoveryCode: wrapped.value.recoveryCode });
}

/** Opens the root slot with its own passphrase; the key must be the SWV's registered root. */
export async function unlockRootSlot(
  provider: CryptoProvider,
  store: LocalStore,
  passphrase: string,
  rootPublic: Uint8Array | undefined,
): Promise<Result<KeyPair>> {
  const json = await wrappedKeystore(store, ROOT_KEY_ID);
  if (!json.ok) return fail('geen-basissleutel', 'Op dit apparaat staat de basissleutel van het samenwerkingsverband niet.');
  const unlocked = await unlockForSession(provider, json.value, passphrase);
  if (!unlocked.ok) return fail('basiswachtwoord-onjuist', 'Het wachtwoord van de basissleutel klopt niet.');
  const secret = unlocked.value.secrets.root;
  if (!secret) return fail('sleutelkluis-ongeldig', 'De basissleutel op dit apparaat is beschadigd.');
  const pair = await provider.ed25519KeyPair(secret);
  if (!rootPublic || pair.publicKey.length !== rootPublic.length || pair.publicKey.some((b, i) => b !== rootPublic[i])) {
    return fail('sleutelkluis-ongeldig', 'De basissleutel op dit apparaat hoort niet bij dit samenwerkingsverband.');
  }
  return ok(pair);
}

/** Lost root passphrase: the root's own recovery code (kept in the safe) sets a new one. */
export async function resetRootPassphrase(
  provider: CryptoProvider,
  store: LocalStore,
  recoveryCode: string,
  newPassphrase: string,
  kdf?: Argon2idParams,
): Promise<Result<void>> {
  const json = await wrappedKeystore(store, ROOT_KEY_ID);
  if (!json.ok) return fail('geen-basissleutel', 'Op dit apparaat staat de basissleutel van het samenwerkingsverband niet.');
  const wrapped = await resetPassphraseWithRecoveryCode(
    provider,
    json.value,
    recoveryCode,
    newPassphrase,
    kdf === undefined ? {} : { kdf },
  );
  if (!wrapped.ok) return wrapped;
  await store.putKey({ id: ROOT_KEY_ID, dossier: '', bytes: utf8Encode(JSON.stringify(wrapped.value)) });
  return ok(undefined);
}

const publicStateSchema = z.object({
  swvId: z.string(),
  swvNaam: z.string(),
  chain: z.instanceof(Uint8Array),
  roots: z.array(z.tuple([z.string(), z.instanceof(Uint8Array)])),
  email: z.string(),
});

export async function saveIdentity(
  provider: CryptoProvider,
  store: LocalStore,
  id: Identity,
  passphrase: string,
  kdf?: Argon2idParams,
): Promise<Result<{ recoveryCode: string; sessionKey: Uint8Array }>> {
  const secrets: Record<string, Uint8Array> = {
    device: id.device.secretKey,
    userSigning: id.userSigning.secretKey,
    userAgreement: id.userAgreement.secretKey,
    local: id.localKey,
    directory: id.directoryKey,
  };
  if (id.staffKey) secrets.staffDirectory = id.staffKey;
  // The SWV root key is never part of the daily payload: it has its own slot (saveRootSlot) [R102].
  const wrapped = await createKeystore(provider, secrets, passphrase, kdf === undefined ? {} : { kdf });
  if (!wrapped.ok) return wrapped;
  await store.putKey({ id: KEY_ID, dossier: '', bytes: utf8Encode(JSON.stringify(wrapped.value.wrapped)) });
  await savePublicState(provider, store, id);
  return ok({ recoveryCode: wrapped.value.recoveryCode, sessionKey: wrapped.value.dataKey });
}

export async function savePublicState(provider: CryptoProvider, store: LocalStore, id: Identity): Promise<void> {
  const value = {
    swvId: id.swvId,
    swvNaam: id.swvNaam,
    chain: encodeDeviceChain(id.chain),
    roots: [...id.roots.entries()].map(([k, v]) => [k, v]),
    email: id.email,
  };
  await store.putMeta(STATE_KEY, await sealLocal(provider, id.localKey, STATE_KEY, encodeCanonical(value as unknown as CanonicalValue)));
}

export const hasIdentity = async (store: LocalStore): Promise<boolean> => (await store.getKey(KEY_ID)) !== undefined;

/** Lost passphrase: the printed recovery code sets a new one. Same keys, same recovery code; nothing changes on a wrong code. */
export async function resetPassphrase(
  provider: CryptoProvider,
  store: LocalStore,
  recoveryCode: string,
  newPassphrase: string,
  kdf?: Argon2idParams,
): Promise<Result<void>> {
  const stored = await store.getKey(KEY_ID);
  if (!stored) return fail('geen-identiteit', 'Op dit apparaat is nog geen Kindkluis-account ingesteld.');
  let json: unknown;
  try {
    json = JSON.parse(utf8Decode(stored));
  } catch {
    return fail('sleutelkluis-ongeldig', 'De sleutelkluis op dit apparaat is beschadigd.');
  }
  const wrapped = await resetPassphraseWithRecoveryCode(provider, json, recoveryCode, newPassphrase, kdf === undefined ? {} : { kdf });
  if (!wrapped.ok) return wrapped;
  await store.putKey({ id: KEY_ID, dossier: '', bytes: utf8Encode(JSON.stringify(wrapped.value)) });
  return ok(undefined);
}

async function wrappedKeystore(store: LocalStore, keyId = KEY_ID): Promise<Result<unknown>> {
  const stored = await store.getKey(keyId);
  if (!stored) return fail('geen-identiteit', 'Op dit apparaat is nog geen Kindkluis-account ingesteld.');
  try {
    return ok(JSON.parse(utf8Decode(stored)) as unknown);
  } catch {
    return fail('sleutelkluis-ongeldig', 'De sleutelkluis op dit apparaat is beschadigd.');
  }
}

/**
 * Changes secrets in the stored keystore with the session's data key (same passphrase, same recovery
 * code): a secret left out is gone from this keystore for good [R155].
 */
export async function changeKeystoreSecrets(
  provider: CryptoProvider,
  store: LocalStore,
  sessionKey: Uint8Array,
  change: (secrets: KeystoreSecrets) => KeystoreSecrets,
): Promise<Result<void>> {
  const json = await wrappedKeystore(store);
  if (!json.ok) return json;
  const wrapped = await replaceSecrets(provider, json.value, sessionKey, change);
  if (!wrapped.ok) return wrapped;
  await store.putKey({ id: KEY_ID, dossier: '', bytes: utf8Encode(JSON.stringify(wrapped.value)) });
  return ok(undefined);
}

/** Unlocks with the passphrase; also returns the data key a session may keep instead of the passphrase. */
export async function loadIdentity(
  provider: CryptoProvider,
  store: LocalStore,
  passphrase: string,
): Promise<Result<{ identity: Identity; sessionKey: Uint8Array }>> {
  const json = await wrappedKeystore(store);
  if (!json.ok) return json;
  const unlocked = await unlockForSession(provider, json.value, passphrase);
  if (!unlocked.ok) return unlocked;
  const identity = await identityFrom(provider, store, unlocked.value.secrets);
  return identity.ok ? ok({ identity: identity.value, sessionKey: unlocked.value.dataKey }) : identity;
}

/** Resumes a session from the data key kept in memory-only session storage. */
export async function resumeIdentity(provider: CryptoProvider, store: LocalStore, sessionKey: Uint8Array): Promise<Result<Identity>> {
  const json = await wrappedKeystore(store);
  if (!json.ok) return json;
  const secrets = await unlockWithDataKey(provider, json.value, sessionKey);
  if (!secrets.ok) return secrets;
  return identityFrom(provider, store, secrets.value);
}

async function identityFrom(provider: CryptoProvider, store: LocalStore, s: KeystoreSecrets): Promise<Result<Identity>> {
  const need = (k: string): Uint8Array => {
    const v = s[k];
    if (!v) throw new Error(`Sleutel ${k} ontbreekt in de sleutelkluis`);
    return v;
  };
  const localKey = need('local');
  const sealed = await store.getMeta(STATE_KEY);
  if (!sealed) return fail('sleutelkluis-ongeldig', 'De accountgegevens op dit apparaat ontbreken.');
  const opened = await openLocal(provider, localKey, STATE_KEY, sealed);
  if (!opened.ok) return opened;
  const decoded = decodeCanonical(opened.value);
  const parsed = decoded.ok ? publicStateSchema.safeParse(decoded.value) : undefined;
  if (!parsed?.success) return fail('sleutelkluis-ongeldig', 'De accountgegevens op dit apparaat zijn beschadigd.');
  const chain = decodeDeviceChain(parsed.data.chain);
  if (!chain.ok) return chain;
  const device = await provider.ed25519KeyPair(need('device'));
  const userSigning = await provider.ed25519KeyPair(need('userSigning'));
  const userAgreement = await provider.x25519KeyPair(need('userAgreement'));
  const pending = s.pendingAgreement;
  const u = chain.value.user.body;
  const rotated = await loadDirectoryKeys(provider, store, localKey);
  if (!rotated.ok) return rotated;
  return ok({
    swvId: asId<SwvId>(parsed.data.swvId),
    swvNaam: parsed.data.swvNaam,
    userId: u.user,
    organisationId: u.organisation,
    roles: u.roles,
    device,
    deviceId: deviceIdFromPublicKey(device.publicKey),
    userSigning,
    userAgreement,
    ...(pending ? { pendingAgreement: await provider.x25519KeyPair(pending) } : {}),
    chain: chain.value,
    publicChainBytes: encodeDeviceChain(stripProfile(chain.value)),
    roots: new Map(parsed.data.roots.map(([k, v]) => [asId<SwvId>(k), v])),
    localKey,
    // Rotated keys replace the ones from the join; the keystore is not re-wrapped (that needs the passphrase).
    directoryKey: rotated.value?.directoryKey ?? need('directory'),
    staffKey: rotated.value ? rotated.value.staffKey : (s.staffDirectory ?? null),
    directoryEpoch: rotated.value?.directoryEpoch ?? 0,
    // A keystore from before R102 that still carries the root in its daily payload: not used from there.
    beheert: (await store.getKey(ROOT_KEY_ID)) !== undefined,
    email: parsed.data.email,
  });
}

// ---- directory keys after a rotation [R151, P48] ----

export interface DirectoryKeys {
  readonly directoryKey: Uint8Array;
  readonly staffKey: Uint8Array | null;
  readonly directoryEpoch: number;
  /** When this device made (beheerder) or took (member) these keys: an end after it makes a rotation due. */
  readonly since: number;
  /**
   * Beheerder: the next keys while their deliveries are under way. Kept, so a retry delivers the very same
   * keys: a device that already took its delivery must not be left with keys that are then thrown away.
   */
  readonly pending?: { readonly directoryKey: Uint8Array; readonly staffKey: Uint8Array; readonly since: number };
}

const directoryKeysSchema = z.strictObject({
  directoryKey: z.instanceof(Uint8Array),
  staffKey: z.instanceof(Uint8Array).nullable(),
  directoryEpoch: z.number().int().nonnegative(),
  since: z.number(),
  pending: z.strictObject({ directoryKey: z.instanceof(Uint8Array), staffKey: z.instanceof(Uint8Array), since: z.number() }).optional(),
});

/** Only the newest keys are kept: pages under older keys are no longer read, so their keys are not needed. */
export async function saveDirectoryKeys(
  provider: CryptoProvider,
  store: LocalStore,
  localKey: Uint8Array,
  keys: DirectoryKeys,
): Promise<void> {
  await store.putMeta(
    DIRECTORY_KEYS,
    await sealLocal(provider, localKey, DIRECTORY_KEYS, encodeCanonical(keys as unknown as CanonicalValue)),
  );
}

/** Null: no rotation reached this device yet (the keys from the join hold). */
export async function loadDirectoryKeys(
  provider: CryptoProvider,
  store: LocalStore,
  localKey: Uint8Array,
): Promise<Result<DirectoryKeys | null>> {
  const sealed = await store.getMeta(DIRECTORY_KEYS);
  if (!sealed) return ok(null);
  const opened = await openLocal(provider, localKey, DIRECTORY_KEYS, sealed);
  const decoded = opened.ok ? decodeCanonical(opened.value) : undefined;
  const parsed = decoded?.ok ? directoryKeysSchema.safeParse(decoded.value) : undefined;
  if (!parsed?.success) return fail('sleutelkluis-ongeldig', 'De sleutels van de ledenlijst op dit apparaat zijn beschadigd.');
  const { pending, ...keys } = parsed.data;
  return ok(pending ? { ...keys, pending } : keys);
}

// ---- beheer state (organisations, pending invitations), sealed ----

const beheerSchema = z.object({
  organisations: z.array(z.object({ id: z.string(), naam: z.string(), kind: z.string(), cert: z.instanceof(Uint8Array) })),
  invitations: z.array(
    z.object({
      code: z.string(),
      userId: z.string(),
      organisationId: z.string(),
      roles: z.array(z.string()),
      profile: z.object({
        voornaam: z.string(),
        achternaam: z.string(),
        functie: z.string(),
        organisatieNaam: z.string(),
        email: z.string(),
      }),
      validUntil: z.number(),
      done: z.boolean(),
      expiresAt: z.number().optional(),
      state: z.enum(['gebruikt', 'verlopen', 'ingetrokken']).optional(),
      apparaat: z.boolean().optional(),
      requests: z
        .array(
          z.object({
            signingKey: z.instanceof(Uint8Array),
            agreementKey: z.instanceof(Uint8Array),
            nonce: z.instanceof(Uint8Array),
            challenged: z.boolean(),
            seenAt: z.number(),
          }),
        )
        .optional(),
    }),
  ),
});

export async function loadBeheer(provider: CryptoProvider, store: LocalStore, localKey: Uint8Array): Promise<BeheerState> {
  const sealed = await store.getMeta(BEHEER_KEY);
  if (!sealed) return { organisations: [], invitations: [] };
  const opened = await openLocal(provider, localKey, BEHEER_KEY, sealed);
  const decoded = opened.ok ? decodeCanonical(opened.value) : undefined;
  const parsed = decoded?.ok ? beheerSchema.safeParse(decoded.value) : undefined;
  return parsed?.success ? (parsed.data as unknown as BeheerState) : { organisations: [], invitations: [] };
}

export async function saveBeheer(provider: CryptoProvider, store: LocalStore, localKey: Uint8Array, state: BeheerState): Promise<void> {
  await store.putMeta(BEHEER_KEY, await sealLocal(provider, localKey, BEHEER_KEY, encodeCanonical(state as unknown as CanonicalValue)));
}

export type { OrganisationCertificate };
