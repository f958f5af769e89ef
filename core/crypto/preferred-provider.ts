// Picks the fastest provider this runtime can run correctly: WebCrypto when it
// has native Ed25519, X25519 and AES-256-GCM (modern Chromium, Firefox, Safari,
// Node ≥ 20), with XChaCha20-Poly1305 via noble so older data stays readable;
// otherwise the pure-JS noble provider. Native is ~4–8× faster for signatures.
import { utf8Encode } from './bytes.js';
import { nobleProvider } from './noble-provider.js';
import type { CryptoProvider } from './provider.js';
import { createWebCryptoProvider } from './webcrypto-provider.js';

/** What this runtime's WebCrypto offers natively; all false without WebCrypto. */
export interface WebCryptoSupport {
  readonly ed25519: boolean;
  readonly x25519: boolean;
  readonly aes256gcm: boolean;
}

const none: WebCryptoSupport = { ed25519: false, x25519: false, aes256gcm: false };

async function attempt(run: () => Promise<unknown>): Promise<boolean> {
  try {
    await run();
    return true;
  } catch {
    return false;
  }
}

/** This runtime's WebCrypto, or null where there is none (e.g. an insecure context). */
const runtimeSubtle = (): SubtleCrypto | null => (globalThis as { crypto?: { subtle?: SubtleCrypto } }).crypto?.subtle ?? null;

/** Probes by really using each algorithm once (feature lists lie; some runtimes expose names they cannot run). `null`: no WebCrypto. */
async function detectWebCryptoSupport(subtle: SubtleCrypto | null = runtimeSubtle()): Promise<WebCryptoSupport> {
  if (subtle === null) return none;
  const message = new Uint8Array(utf8Encode('kindkluis/probe'));
  const [ed25519, x25519, aes256gcm] = await Promise.all([
    attempt(async () => {
      const pair = (await subtle.generateKey({ name: 'Ed25519' }, false, ['sign', 'verify'])) as CryptoKeyPair;
      const signature = await subtle.sign({ name: 'Ed25519' }, pair.privateKey, message);
      if (!(await subtle.verify({ name: 'Ed25519' }, pair.publicKey, signature, message))) throw new Error('Ed25519 probe');
    }),
    attempt(async () => {
      const pair = (await subtle.generateKey({ name: 'X25519' }, false, ['deriveBits'])) as CryptoKeyPair;
      await subtle.deriveBits({ name: 'X25519', public: pair.publicKey }, pair.privateKey, 256);
    }),
    attempt(async () => {
      const key = await subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
      const iv = new Uint8Array(12);
      const sealed = await subtle.encrypt({ name: 'AES-GCM', iv }, key, message);
      await subtle.decrypt({ name: 'AES-GCM', iv }, key, sealed);
    }),
  ]);
  return { ed25519, x25519, aes256gcm };
}

/**
 * The provider clients should use. Both providers agree bit for bit (same
 * vector suite), so data sealed by one opens with the other.
 */
export async function createPreferredProvider(subtle: SubtleCrypto | null = runtimeSubtle()): Promise<CryptoProvider> {
  const support = await detectWebCryptoSupport(subtle);
  if (subtle === null || !support.ed25519 || !support.x25519 || !support.aes256gcm) return nobleProvider;
  return createWebCryptoProvider(subtle, { xchachaFallback: true });
}
