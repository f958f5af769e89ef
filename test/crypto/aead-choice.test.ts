// Which AEAD the sync engine seals with: XChaCha20-Poly1305 for small
// plaintexts where the provider runs it, AES-256-GCM otherwise; both open on
// every client provider.
import { describe, expect, it } from 'vitest';
import { aeadFor, preferredAead, SMALL_PLAINTEXT_BELOW } from '../../core/crypto/aead-choice.js';
import { nobleProvider } from '../../core/crypto/noble-provider.js';
import { createWebCryptoProvider } from '../../core/crypto/webcrypto-provider.js';
import { createPreferredProvider } from '../../core/crypto/preferred-provider.js';

describe('AEAD choice', () => {
  it('small plaintexts are XChaCha where the provider has it, large ones and XChaCha-less providers AES-GCM', async () => {
    const preferred = await createPreferredProvider();
    const webOnly = await createWebCryptoProvider();
    for (const p of [nobleProvider, preferred]) {
      expect(aeadFor(p, 0)).toBe('xchacha20poly1305');
      expect(aeadFor(p, SMALL_PLAINTEXT_BELOW - 1)).toBe('xchacha20poly1305');
      expect(aeadFor(p, SMALL_PLAINTEXT_BELOW)).toBe('aes256gcm');
      expect(preferredAead(p)).toBe('aes256gcm');
    }
    expect(aeadFor(webOnly, 10)).toBe('aes256gcm');
    // Every client provider opens what the others seal with either choice.
    expect(preferred.aeadAlgorithms).toEqual(expect.arrayContaining(['aes256gcm', 'xchacha20poly1305']));
  });
});
