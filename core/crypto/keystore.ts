// Private keys at rest: only ever stored wrapped. A random data key seals the
// named secrets; that data key is sealed twice, once under a key derived from
// the passphrase (argon2id) and once under a printable recovery code (HKDF; the
// code itself carries 130 random bits). Changing the passphrase replaces one
// slot, so identity and recovery code stay the same.
//
// Parameters for new wraps: argon2id m = 64 MiB, t = 3, p = 1 (RFC 9106's second
// recommended option), computed by hash-wasm's WebAssembly argon2id. Measured by
// `npm run bench -- --only screens` (bench/results/latest.md, goal "unlock-64m") in
// Chromium inside the extension page on the shared 2-core team machine (load 7–17),
// 2026-12-08: median 0.45–1.27 s over four runs, slowest single runs up to 3 s; 0.6–1.3×
// the time the old default took with @noble/hashes in the same runs, while noble needs
// 3–4× longer for the same params. The params are stored with each wrap, so keystores wrapped with the
// earlier default (32 MiB, t = 2) keep opening with their own params.
import { z } from 'zod';
import { argon2idAsync } from '@noble/hashes/argon2.js';
import { argon2id as argon2idWasm } from 'hash-wasm';
import { sha256 } from '@noble/hashes/sha2.js';
import { ok, fail, type Result, type KkError } from '../result.js';
import { AEAD_NONCE_LENGTH, type AeadAlgorithm, type CryptoProvider } from './provider.js';
import { decodeCanonical, encodeCanonical, type CanonicalValue } from './canonical.js';
import { fromBase64Url, toBase64Url, utf8Encode } from './bytes.js';

export const KEYSTORE_FORMAT = 'kindkluis-sleutelkluis';
export const MIN_PASSPHRASE_LENGTH = 12;

export interface Argon2idParams {
  readonly name: 'argon2id';
  /** Memory in KiB. */
  readonly m: number;
  readonly t: number;
  readonly p: number;
}
export const DEFAULT_ARGON2ID: Argon2idParams = { name: 'argon2id', m: 64 * 1024, t: 3, p: 1 };
/** The default before hash-wasm (pure-JS noble): still what older keystores carry, and they open with it. */
export const PREVIOUS_ARGON2ID: Argon2idParams = { name: 'argon2id', m: 32 * 1024, t: 2, p: 1 };

const b64 = z.string().regex(/^[A-Za-z0-9_-]*$/);
const sealedSchema = z.strictObject({ alg: z.enum(['xchacha20poly1305', 'aes256gcm']), nonce: b64, ciphertext: b64 });
// Bounds keep a hostile stored blob from demanding gigabytes or hours.
const argonSchema = z.strictObject({
  name: z.literal('argon2id'),
  m: z
    .number()
    .int()
    .min(64)
    .max(2 * 1024 * 1024),
  t: z.number().int().min(1).max(16),
  p: z.number().int().min(1).max(4),
  salt: b64,
});
const hkdfSchema = z.strictObject({ name: z.literal('hkdf-sha256'), salt: b64 });

export const wrappedKeystoreSchema = z.strictObject({
  format: z.literal(KEYSTORE_FORMAT),
  v: z.literal(1),
  payload: sealedSchema,
  wachtwoord: z.strictObject({ kdf: argonSchema, dataKey: sealedSchema }),
  herstel: z.strictObject({ kdf: hkdfSchema, dataKey: sealedSchema }),
});
/** JSON-safe; store it as is (chrome.storage, IndexedDB, a file). */
export type WrappedKeystore = z.infer<typeof wrappedKeystoreSchema>;
type Sealed = z.infer<typeof sealedSchema>;

/** Named private keys, e.g. `{ deviceSigning, userSigning, userAgreement }`. */
export type KeystoreSecrets = Readonly<Record<string, Uint8Array>>;

export type KeystoreErrorCode =
  'wachtwoord-onjuist' | 'wachtwoord-te-kort' | 'herstelcode-ongeldig' | 'herstelcode-onjuist' | 'sleutelkluis-ongeldig';
export type KeystoreError = KkError<KeystoreErrorCode>;
const ERRORS: Readonly<Record<KeystoreErrorCode, string>> = {
  'wachtwoord-onjuist': 'Het wachtwoord is onjuist. Probeer het opnieuw of gebruik uw herstelcode.',
  'wachtwoord-te-kort': `Kies een wachtwoord van minstens ${MIN_PASSPHRASE_LENGTH} tekens.`,
  'herstelcode-ongeldig': 'De herstelcode bevat een typefout of is onvolledig. Controleer de code op uw herstelkaart.',
  'herstelcode-onjuist': 'Deze herstelcode hoort niet bij deze sleutels.',
  'sleutelkluis-ongeldig': 'De opgeslagen sleutels zijn beschadigd of hebben een onbekende vorm.',
};
const ksFail = (code: KeystoreErrorCode) => fail(code, ERRORS[code]);

const AAD_BASE = { format: KEYSTORE_FORMAT, v: 1 } as const;
const ALG: AeadAlgorithm = 'aes256gcm'; // both providers have it

async function seal(p: CryptoProvider, key: Uint8Array, plaintext: Uint8Array, aad: CanonicalValue): Promise<Sealed> {
  const nonce = p.randomBytes(AEAD_NONCE_LENGTH[ALG]);
  const ciphertext = await p.aeadSeal(ALG, key, nonce, plaintext, encodeCanonical(aad));
  return { alg: ALG, nonce: toBase64Url(nonce), ciphertext: toBase64Url(ciphertext) };
}

async function open(p: CryptoProvider, key: Uint8Array, sealed: Sealed, aad: CanonicalValue): Promise<Uint8Array | undefined> {
  const nonce = fromBase64Url(sealed.nonce);
  const ct = fromBase64Url(sealed.ciphertext);
  if (!nonce.ok || !ct.ok || nonce.value.length !== AEAD_NONCE_LENGTH[sealed.alg] || !p.aeadAlgorithms.includes(sealed.alg))
    return undefined;
  const r = await p.aeadOpen(sealed.alg, key, nonce.value, ct.value, encodeCanonical(aad));
  return r.ok ? r.value : undefined;
}

// --- passphrase slot -------------------------------------------------------

export type Argon2idImplementation = 'wasm' | 'noble';

/**
 * Argon2id with 32 output bytes. hash-wasm (WebAssembly) is 4-5× faster than noble's pure JS, which is what makes
 * 64 MiB / t = 3 affordable at every unlock. Both give the same bytes for the same input (test/crypto/argon2id.test.ts),
 * so which one ran never changes a key. noble runs only where WebAssembly cannot be compiled (a page whose CSP lacks
 * 'wasm-unsafe-eval', a runtime without WebAssembly): slower, never wrong.
 */
export async function argon2idKey(
  password: Uint8Array,
  salt: Uint8Array,
  kdf: Pick<Argon2idParams, 'm' | 't' | 'p'>,
  impl?: Argon2idImplementation,
): Promise<Uint8Array> {
  const noble = () => argon2idAsync(password, salt, { m: kdf.m, t: kdf.t, p: kdf.p, dkLen: 32, asyncTick: 20 });
  // hash-wasm refuses an empty password ("Password must be specified"); argon2id defines it, and an empty
  // passphrase typed at unlock must answer 'wachtwoord-onjuist', not throw.
  if (impl === 'noble' || password.length === 0) return noble();
  const wasm = () =>
    argon2idWasm({ password, salt, parallelism: kdf.p, iterations: kdf.t, memorySize: kdf.m, hashLength: 32, outputType: 'binary' });
  if (impl === 'wasm') return wasm();
  try {
    return await wasm();
  } catch (error) {
    // Only a WebAssembly that cannot be compiled or instantiated falls back; any other error is a bug and is thrown.
    if (typeof WebAssembly === 'undefined' || error instanceof WebAssembly.CompileError || isWasmRefused(error)) return noble();
    throw error;
  }
}

/** A CSP without 'wasm-unsafe-eval' refuses WebAssembly.compile with an EvalError ("Wasm code generation disallowed"). */
const isWasmRefused = (error: unknown): boolean => error instanceof EvalError || (error instanceof Error && /wasm/i.test(error.message));

async function passphraseKey(passphrase: string, kdf: Argon2idParams, salt: Uint8Array): Promise<Uint8Array> {
  // NFC: the same passphrase typed on another OS or keyboard gives the same bytes.
  return argon2idKey(utf8Encode(passphrase.normalize('NFC')), salt, kdf);
}

async function passphraseSlot(
  p: CryptoProvider,
  dataKey: Uint8Array,
  passphrase: string,
  params: Argon2idParams,
): Promise<WrappedKeystore['wachtwoord']> {
  const salt = p.randomBytes(16);
  const kdf = { name: params.name, m: params.m, t: params.t, p: params.p, salt: toBase64Url(salt) };
  const kek = await passphraseKey(passphrase, params, salt);
  return { kdf, dataKey: await seal(p, kek, dataKey, { ...AAD_BASE, slot: 'wachtwoord', kdf }) };
}

// --- recovery code ---------------------------------------------------------

// Crockford base32: no I, L, O, U, so a printed code is hard to misread.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CODE_SYMBOLS = 26; // 130 random bits
const CHECK_SYMBOLS = 2; // a typo slips through with probability 1/1024

const checkSymbols = (body: string): string => {
  const h = sha256(utf8Encode(`kindkluis/herstelcode/v1:${body}`));
  return (ALPHABET[(h[0] ?? 0) >> 3] ?? '') + (ALPHABET[(h[1] ?? 0) >> 3] ?? '');
};

/** A fresh recovery code, printed as 7 groups of 4: `7KQ2-…`. */
function newRecoveryCode(p: CryptoProvider): string {
  // 256 is a multiple of 32, so `byte & 31` is uniform.
  const body = Array.from(p.randomBytes(CODE_SYMBOLS), (b) => ALPHABET[b & 31]).join('');
  return (body + checkSymbols(body)).match(/.{4}/g)?.join('-') ?? '';
}

/** Accepts lower case, spaces and dashes, and O/I/L for 0/1; returns the 26 secret symbols. */
function parseRecoveryCode(text: string): Result<string, KeystoreError> {
  const clean = text.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (clean.length !== CODE_SYMBOLS + CHECK_SYMBOLS || [...clean].some((c) => !ALPHABET.includes(c))) return ksFail('herstelcode-ongeldig');
  const body = clean.slice(0, CODE_SYMBOLS);
  return clean.slice(CODE_SYMBOLS) === checkSymbols(body) ? ok(body) : ksFail('herstelcode-ongeldig');
}

const recoveryKey = (p: CryptoProvider, body: string, salt: Uint8Array) =>
  p.hkdfSha256(utf8Encode(body), salt, utf8Encode('kindkluis/sleutelkluis/herstel/v1'), 32);

async function recoverySlot(p: CryptoProvider, dataKey: Uint8Array, code: string): Promise<WrappedKeystore['herstel']> {
  const body = parseRecoveryCode(code);
  if (!body.ok) throw new Error('Zelf gemaakte herstelcode is ongeldig');
  const salt = p.randomBytes(16);
  const kdf = { name: 'hkdf-sha256' as const, salt: toBase64Url(salt) };
  return { kdf, dataKey: await seal(p, await recoveryKey(p, body.value, salt), dataKey, { ...AAD_BASE, slot: 'herstel', kdf }) };
}

// --- public API ------------------------------------------------------------

export interface CreateKeystoreOptions {
  readonly kdf?: Argon2idParams;
}

/** Wraps the secrets; show `recoveryCode` to the user once (print it) and never store it. */
export async function createKeystore(
  p: CryptoProvider,
  secrets: KeystoreSecrets,
  passphrase: string,
  options: CreateKeystoreOptions = {},
): Promise<Result<{ wrapped: WrappedKeystore; recoveryCode: string; dataKey: Uint8Array }, KeystoreError>> {
  if ([...passphrase].length < MIN_PASSPHRASE_LENGTH) return ksFail('wachtwoord-te-kort');
  const dataKey = p.randomBytes(32);
  const recoveryCode = newRecoveryCode(p);
  const wrapped = await wrapSecrets(p, dataKey, secrets, passphrase, recoveryCode, options);
  // The caller may keep the data key for its session (see unlockForSession); it is never stored wrapped-less.
  return ok({ wrapped, recoveryCode, dataKey });
}

/** The payload sealed under `dataKey`, and `dataKey` wrapped for the passphrase and for the recovery code. */
async function wrapSecrets(
  p: CryptoProvider,
  dataKey: Uint8Array,
  secrets: KeystoreSecrets,
  passphrase: string,
  recoveryCode: string,
  options: CreateKeystoreOptions,
): Promise<WrappedKeystore> {
  return {
    ...AAD_BASE,
    payload: await seal(p, dataKey, encodeCanonical(secrets), { ...AAD_BASE, part: 'payload' }),
    wachtwoord: await passphraseSlot(p, dataKey, passphrase, options.kdf ?? DEFAULT_ARGON2ID),
    herstel: await recoverySlot(p, dataKey, recoveryCode),
  };
}

function parseWrappedKeystore(stored: unknown): Result<WrappedKeystore, KeystoreError> {
  const r = wrappedKeystoreSchema.safeParse(stored);
  return r.success ? ok(r.data) : ksFail('sleutelkluis-ongeldig');
}

async function dataKeyFromPassphrase(
  p: CryptoProvider,
  w: WrappedKeystore,
  passphrase: string,
): Promise<Result<Uint8Array, KeystoreError>> {
  const { kdf } = w.wachtwoord;
  const salt = fromBase64Url(kdf.salt);
  if (!salt.ok) return ksFail('sleutelkluis-ongeldig');
  const kek = await passphraseKey(passphrase, kdf, salt.value);
  const dataKey = await open(p, kek, w.wachtwoord.dataKey, { ...AAD_BASE, slot: 'wachtwoord', kdf });
  return dataKey?.length === 32 ? ok(dataKey) : ksFail('wachtwoord-onjuist');
}

async function dataKeyFromRecovery(p: CryptoProvider, w: WrappedKeystore, code: string): Promise<Result<Uint8Array, KeystoreError>> {
  const body = parseRecoveryCode(code);
  if (!body.ok) return body;
  const salt = fromBase64Url(w.herstel.kdf.salt);
  if (!salt.ok) return ksFail('sleutelkluis-ongeldig');
  const dataKey = await open(p, await recoveryKey(p, body.value, salt.value), w.herstel.dataKey, {
    ...AAD_BASE,
    slot: 'herstel',
    kdf: w.herstel.kdf,
  });
  return dataKey?.length === 32 ? ok(dataKey) : ksFail('herstelcode-onjuist');
}

async function openPayload(p: CryptoProvider, w: WrappedKeystore, dataKey: Uint8Array): Promise<Result<KeystoreSecrets, KeystoreError>> {
  const bytes = await open(p, dataKey, w.payload, { ...AAD_BASE, part: 'payload' });
  const value = bytes === undefined ? undefined : decodeCanonical(bytes);
  if (!value?.ok || typeof value.value !== 'object' || value.value === null || Array.isArray(value.value))
    return ksFail('sleutelkluis-ongeldig');
  const entries = Object.entries(value.value);
  if (!entries.every(([, v]) => v instanceof Uint8Array)) return ksFail('sleutelkluis-ongeldig');
  return ok(Object.fromEntries(entries) as Record<string, Uint8Array>);
}

type Unlock = (p: CryptoProvider, w: WrappedKeystore, secret: string) => Promise<Result<Uint8Array, KeystoreError>>;

/** Parses the stored keystore, gets its data key with `secret` and proves the payload opens with it. */
async function openKeystore(
  p: CryptoProvider,
  stored: unknown,
  getKey: Unlock,
  secret: string,
): Promise<Result<{ w: WrappedKeystore; dataKey: Uint8Array; secrets: KeystoreSecrets }, KeystoreError>> {
  const w = parseWrappedKeystore(stored);
  if (!w.ok) return w;
  const dataKey = await getKey(p, w.value, secret);
  if (!dataKey.ok) return dataKey;
  const secrets = await openPayload(p, w.value, dataKey.value);
  return secrets.ok ? ok({ w: w.value, dataKey: dataKey.value, secrets: secrets.value }) : secrets;
}

const unlockWith =
  (getKey: Unlock) =>
  async (p: CryptoProvider, stored: unknown, secret: string): Promise<Result<KeystoreSecrets, KeystoreError>> => {
    const o = await openKeystore(p, stored, getKey, secret);
    if (!o.ok) return o;
    o.value.dataKey.fill(0);
    return ok(o.value.secrets);
  };

/** Wrong passphrase → `wachtwoord-onjuist`; nothing is returned or changed. Takes a deliberate fraction of a second (argon2id, 64 MiB). */
export const unlockWithPassphrase = unlockWith(dataKeyFromPassphrase);

/**
 * Unlock and hand back the data key too, for a browser session to keep in
 * memory-only storage instead of the passphrase: it opens this keystore's
 * payload and nothing else, says nothing about a passphrase the user may use
 * elsewhere, and spares every newly opened page the deliberate KDF cost.
 */
export async function unlockForSession(
  p: CryptoProvider,
  stored: unknown,
  passphrase: string,
): Promise<Result<{ secrets: KeystoreSecrets; dataKey: Uint8Array }, KeystoreError>> {
  const o = await openKeystore(p, stored, dataKeyFromPassphrase, passphrase);
  return o.ok ? ok({ secrets: o.value.secrets, dataKey: o.value.dataKey }) : o;
}

/** Resume with a data key kept by the session; a key of another keystore (or a changed one) → `sleutelkluis-ongeldig`. */
export async function unlockWithDataKey(
  p: CryptoProvider,
  stored: unknown,
  dataKey: Uint8Array,
): Promise<Result<KeystoreSecrets, KeystoreError>> {
  const w = parseWrappedKeystore(stored);
  if (!w.ok) return w;
  if (dataKey.length !== 32) return ksFail('sleutelkluis-ongeldig');
  return openPayload(p, w.value, dataKey);
}
/**
 * Replaces secrets in the payload with the session's data key: the payload is sealed again (fresh nonce),
 * both slots stay as they are (same passphrase, same recovery code). Used to destroy a replaced secret:
 * after this, no passphrase, recovery code or data key opens the old value from this keystore [R155].
 */
export async function replaceSecrets(
  p: CryptoProvider,
  stored: unknown,
  dataKey: Uint8Array,
  change: (secrets: KeystoreSecrets) => KeystoreSecrets,
): Promise<Result<WrappedKeystore, KeystoreError>> {
  const w = parseWrappedKeystore(stored);
  if (!w.ok) return w;
  const secrets = await openPayload(p, w.value, dataKey);
  if (!secrets.ok) return secrets;
  return ok({ ...w.value, payload: await seal(p, dataKey, encodeCanonical(change(secrets.value)), { ...AAD_BASE, part: 'payload' }) });
}
/** Typo in the code → `herstelcode-ongeldig`; a well-formed code of another keystore → `herstelcode-onjuist`. */
export const unlockWithRecoveryCode = unlockWith(dataKeyFromRecovery);

const rewrap =
  (getKey: Unlock) =>
  async (
    p: CryptoProvider,
    stored: unknown,
    secret: string,
    newPassphrase: string,
    options: CreateKeystoreOptions = {},
  ): Promise<Result<WrappedKeystore, KeystoreError>> => {
    if ([...newPassphrase].length < MIN_PASSPHRASE_LENGTH) return ksFail('wachtwoord-te-kort');
    // Proves the payload still opens before handing back a new wrap.
    const o = await openKeystore(p, stored, getKey, secret);
    if (!o.ok) return o;
    const wachtwoord = await passphraseSlot(p, o.value.dataKey, newPassphrase, options.kdf ?? DEFAULT_ARGON2ID);
    o.value.dataKey.fill(0);
    return ok({ ...o.value.w, wachtwoord });
  };

/** Returns a new wrap (same keys, same recovery code); the input is not modified. */
export const changePassphrase = rewrap(dataKeyFromPassphrase);
/**
 * Lost passphrase: the recovery code sets a new one. The data key is replaced too (payload sealed again,
 * both slots rewrapped, the recovery code unchanged), so a session token taken from a still-open session
 * (the old data key, R9) no longer opens this keystore.
 */
export async function resetPassphraseWithRecoveryCode(
  p: CryptoProvider,
  stored: unknown,
  recoveryCode: string,
  newPassphrase: string,
  options: CreateKeystoreOptions = {},
): Promise<Result<WrappedKeystore, KeystoreError>> {
  if ([...newPassphrase].length < MIN_PASSPHRASE_LENGTH) return ksFail('wachtwoord-te-kort');
  const o = await openKeystore(p, stored, dataKeyFromRecovery, recoveryCode);
  if (!o.ok) return o;
  o.value.dataKey.fill(0);
  const dataKey = p.randomBytes(32);
  const wrapped = await wrapSecrets(p, dataKey, o.value.secrets, newPassphrase, recoveryCode, options);
  dataKey.fill(0);
  return ok(wrapped);
}

/** A new recovery code (old kit lost or seen by others); the old code stops working. Needs the passphrase. */
export async function replaceRecoveryCode(
  p: CryptoProvider,
  stored: unknown,
  passphrase: string,
): Promise<Result<{ wrapped: WrappedKeystore; recoveryCode: string }, KeystoreError>> {
  const o = await openKeystore(p, stored, dataKeyFromPassphrase, passphrase);
  if (!o.ok) return o;
  const recoveryCode = newRecoveryCode(p);
  const herstel = await recoverySlot(p, o.value.dataKey, recoveryCode);
  o.value.dataKey.fill(0);
  return ok({ wrapped: { ...o.value.w, herstel }, recoveryCode });
}
