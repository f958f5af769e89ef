// Provider choice and the default AEAD: clients get native WebCrypto where the
// runtime really runs Ed25519, X25519 and AES-GCM, noble otherwise; new data is
// sealed with AES-256-GCM, and XChaCha20-Poly1305 data stays readable.
import { describe, expect, it } from 'vitest';
import { createPreferredProvider } from '../../core/crypto/preferred-provider.js';
import { nobleProvider } from '../../core/crypto/noble-provider.js';
import { DEFAULT_AEAD, type AeadAlgorithm, type CryptoProvider } from '../../core/crypto/provider.js';
import { preferredAead } from '../../core/crypto/aead-choice.js';
import { openEnvelope, sealEnvelope } from '../../core/crypto/envelope.js';
import { decryptAttachment, encryptAttachment } from '../../core/crypto/attachment.js';
import { deviceIdFromPublicKey } from '../../core/crypto/device-id.js';
import { toHex, utf8Encode } from '../../core/crypto/bytes.js';
import { asId, type RoomId } from '../../core/model/ids.js';

/** A SubtleCrypto that refuses the named algorithms, like an older browser. */
const without = (...names: string[]): SubtleCrypto =>
  new Proxy(globalThis.crypto.subtle, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const alg = args.find((a) => typeof a === 'object' && a !== null && 'name' in a) as { name?: string } | undefined;
        if (alg?.name !== undefined && names.includes(alg.name)) return Promise.reject(new Error('NotSupportedError'));
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });

describe('createPreferredProvider', () => {
  it('picks WebCrypto on a runtime with native Ed25519, X25519 and AES-GCM (Node 20 here), able to read XChaCha too', async () => {
    const p = await createPreferredProvider();
    expect(p.name).toBe('webcrypto');
    expect(p.aeadAlgorithms).toContain('aes256gcm');
    expect(p.aeadAlgorithms).toContain('xchacha20poly1305');
  });

  it.each([['Ed25519'], ['X25519'], ['AES-GCM']])('falls back to noble when WebCrypto lacks %s', async (name) => {
    expect((await createPreferredProvider(without(name))).name).toBe('noble');
  });

  it('falls back to noble where there is no WebCrypto at all', async () => {
    expect(await createPreferredProvider(null)).toBe(nobleProvider);
  });
});

describe('[R8] default AEAD', () => {
  it('is AES-256-GCM for every provider that has it', async () => {
    expect(DEFAULT_AEAD).toBe('aes256gcm');
    // preferredAead is what access records, key boxes and large envelopes are sealed with.
    expect(preferredAead(nobleProvider)).toBe(DEFAULT_AEAD);
    expect(preferredAead(await createPreferredProvider())).toBe(DEFAULT_AEAD);
    expect(preferredAead({ ...nobleProvider, aeadAlgorithms: ['xchacha20poly1305'] })).toBe('xchacha20poly1305');
  });

  it('data sealed with either AEAD by noble opens with the preferred provider and the other way round', async () => {
    const preferred = await createPreferredProvider();
    const device = await nobleProvider.ed25519KeyPair();
    const key = nobleProvider.randomBytes(32);
    const room = asId<RoomId>('d-3/leerling');
    const plaintext = utf8Encode('Leesniveau E5, extra tijd bij toetsen.');
    const pairs: [CryptoProvider, CryptoProvider][] = [
      [nobleProvider, preferred],
      [preferred, nobleProvider],
    ];
    for (const alg of ['xchacha20poly1305', 'aes256gcm'] satisfies AeadAlgorithm[]) {
      for (const [sealer, opener] of pairs) {
        const env = await sealEnvelope(sealer, {
          header: { v: 1, kind: 'update', room, epoch: 1, author: deviceIdFromPublicKey(device.publicKey), counter: 1, alg },
          key,
          plaintext,
          signingSecretKey: device.secretKey,
        });
        const opened = await openEnvelope(opener, env, { key, room, epoch: 1 });
        expect(opened.ok && toHex(opened.value), `${alg} ${sealer.name}→${opener.name}`).toBe(toHex(plaintext));
        const blob = await encryptAttachment(sealer, plaintext, { alg });
        if (!blob.ok) throw new Error(blob.error.message);
        const back = await decryptAttachment(opener, blob.value.ciphertext, blob.value.key, blob.value.address);
        expect(back.ok && toHex(back.value)).toBe(toHex(plaintext));
      }
    }
  });
});
