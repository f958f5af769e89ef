import { describe, expect, it } from 'vitest';
import { nobleProvider } from '../../core/crypto/noble-provider.js';
import { deviceIdFromPublicKey, parseDeviceId, publicKeyFromDeviceId } from '../../core/crypto/device-id.js';
import { equalBytes, utf8Encode } from '../../core/crypto/bytes.js';

describe('device ids', () => {
  it('a signature can be verified from the device id alone', async () => {
    const kp = await nobleProvider.ed25519KeyPair();
    const id = deviceIdFromPublicKey(kp.publicKey);
    expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const pk = publicKeyFromDeviceId(id);
    expect(pk.ok && equalBytes(pk.value, kp.publicKey)).toBe(true);
    const msg = utf8Encode('x');
    const sig = await nobleProvider.ed25519Sign(kp.secretKey, msg);
    expect(pk.ok && (await nobleProvider.ed25519Verify(pk.value, msg, sig))).toBe(true);
  });

  it('refuses ids of the wrong length or alphabet', () => {
    for (const bad of ['', 'abc', 'A'.repeat(42), 'A'.repeat(44), '+'.repeat(43), 'A'.repeat(42) + 'B']) {
      const r = publicKeyFromDeviceId(bad);
      expect(r.ok, bad).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('apparaat-id-ongeldig');
      expect(parseDeviceId(bad).ok).toBe(false);
    }
    expect(() => deviceIdFromPublicKey(new Uint8Array(31))).toThrow();
  });
});
