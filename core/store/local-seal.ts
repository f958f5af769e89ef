// Seals local-only data (hulpvragen index, drafts, cached document state,
// epoch keys at rest) with the device's local key, so IndexedDB holds only
// ciphertext. The purpose string is bound as associated data: a sealed draft
// cannot be replayed as an index entry.
//
// Layout: one version byte naming the AEAD, the nonce, the ciphertext. Small
// plaintexts are XChaCha20-Poly1305 under the local key (v1); large ones
// (a cached document, the whole hulpvragen list) native AES-256-GCM under a
// subkey of the local key (v2), by the size rule in core/crypto/aead-choice.
import type { AeadAlgorithm, CryptoProvider } from '../crypto/provider.js';
import { aeadFor } from '../crypto/aead-choice.js';
import { concatBytes, utf8Encode } from '../crypto/bytes.js';
import { ok, fail, type Result, type KkError } from '../result.js';

const FORMATS = {
  1: { alg: 'xchacha20poly1305', nonce: 24 },
  2: { alg: 'aes256gcm', nonce: 12 },
} as const satisfies Record<number, { alg: AeadAlgorithm; nonce: number }>;
type Version = keyof typeof FORMATS;
const VERSION_OF: Readonly<Record<AeadAlgorithm, Version>> = { xchacha20poly1305: 1, aes256gcm: 2 };

export type LocalSealError = KkError<'lokaal-ontsleutelen-mislukt'>;

const aad = (purpose: string): Uint8Array => utf8Encode(`kindkluis/local/${purpose}/v1`);

/** v1 uses the local key itself (as before v2 existed); AES-GCM gets its own subkey, so no key serves two ciphers. */
const keyFor = (provider: CryptoProvider, key: Uint8Array, version: Version): Promise<Uint8Array> =>
  version === 1 ? Promise.resolve(key) : provider.hkdfSha256(key, new Uint8Array(0), utf8Encode('kindkluis/local/aes256gcm/v2'), 32);

export async function sealLocal(provider: CryptoProvider, key: Uint8Array, purpose: string, plaintext: Uint8Array): Promise<Uint8Array> {
  const version = VERSION_OF[aeadFor(provider, plaintext.length)];
  const { alg, nonce: nonceLength } = FORMATS[version];
  const nonce = provider.randomBytes(nonceLength);
  const ct = await provider.aeadSeal(alg, await keyFor(provider, key, version), nonce, plaintext, aad(purpose));
  return concatBytes(Uint8Array.of(version), nonce, ct);
}

export async function openLocal(
  provider: CryptoProvider,
  key: Uint8Array,
  purpose: string,
  sealed: Uint8Array,
): Promise<Result<Uint8Array, LocalSealError>> {
  const version = sealed[0];
  const format = version === 1 || version === 2 ? FORMATS[version] : undefined;
  if (
    version === undefined ||
    format === undefined ||
    sealed.length < 1 + format.nonce + 16 ||
    !provider.aeadAlgorithms.includes(format.alg)
  ) {
    return fail('lokaal-ontsleutelen-mislukt', 'Lokale gegevens zijn beschadigd of horen bij een ander apparaat.');
  }
  const opened = await provider.aeadOpen(
    format.alg,
    await keyFor(provider, key, version as Version),
    sealed.subarray(1, 1 + format.nonce),
    sealed.subarray(1 + format.nonce),
    aad(purpose),
  );
  return opened.ok ? ok(opened.value) : fail('lokaal-ontsleutelen-mislukt', 'Lokale gegevens konden niet worden geopend met deze sleutel.');
}

/** Where a sealed value's nonce sits (after the version byte): a fresh random nonce per seal identifies the seal. */
export function localSealNonce(sealed: Uint8Array): Uint8Array {
  const version = sealed[0];
  const length = version === 1 || version === 2 ? FORMATS[version].nonce : 0;
  return sealed.subarray(1, 1 + length);
}
