// Seals local-only data (hulpvragen index, drafts, cached document state,
// epoch keys at rest) with the device's local key, so IndexedDB holds only
// ciphertext. The purpose string is bound as associated data: a sealed draft
// cannot be replayed as an index entry.
import type { CryptoProvider } from '../crypto/provider.js';
import { concatBytes, utf8Encode } from '../crypto/bytes.js';
import { ok, fail, type Result, type KkError } from '../result.js';

const VERSION = 1;
const NONCE = 24;

export type LocalSealError = KkError<'lokaal-ontsleutelen-mislukt'>;

export async function sealLocal(provider: CryptoProvider, key: Uint8Array, purpose: string, plaintext: Uint8Array): Promise<Uint8Array> {
  const nonce = provider.randomBytes(NONCE);
  const ct = await provider.aeadSeal('xchacha20poly1305', key, nonce, plaintext, utf8Encode(`kindkluis/local/${purpose}/v1`));
  return concatBytes(Uint8Array.of(VERSION), nonce, ct);
}

export async function openLocal(
  provider: CryptoProvider,
  key: Uint8Array,
  purpose: string,
  sealed: Uint8Array,
): Promise<Result<Uint8Array, LocalSealError>> {
  if (sealed.length < 1 + NONCE + 16 || sealed[0] !== VERSION) {
    return fail('lokaal-ontsleutelen-mislukt', 'Lokale gegevens zijn beschadigd of horen bij een ander apparaat.');
  }
  const opened = await provider.aeadOpen(
    'xchacha20poly1305',
    key,
    sealed.subarray(1, 1 + NONCE),
    sealed.subarray(1 + NONCE),
    utf8Encode(`kindkluis/local/${purpose}/v1`),
  );
  return opened.ok ? ok(opened.value) : fail('lokaal-ontsleutelen-mislukt', 'Lokale gegevens konden niet worden geopend met deze sleutel.');
}
