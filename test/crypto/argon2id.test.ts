// The keystore's argon2id: hash-wasm (WebAssembly, the default) and @noble/hashes (the
// fallback where WebAssembly cannot run) give the same key for the same input, so
// switching implementation cannot silently change which passphrase opens a keystore [R9].
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { argon2idKey, createKeystore, unlockWithPassphrase } from '../../core/crypto/keystore.js';
import { nobleProvider } from '../../core/crypto/noble-provider.js';
import { toHex, utf8Encode } from '../../core/crypto/bytes.js';

describe('[R9] argon2id in the keystore', () => {
  it('hash-wasm and noble derive the same 32 bytes for fixed inputs (a known answer from both)', async () => {
    const password = utf8Encode('correct paard batterij nietje');
    const salt = new Uint8Array(16).map((_, i) => i);
    const params = { m: 256, t: 2, p: 1 };
    const wasm = await argon2idKey(password, salt, params, 'wasm');
    const noble = await argon2idKey(password, salt, params, 'noble');
    expect(wasm).toHaveLength(32);
    expect(toHex(wasm)).toBe(toHex(noble));
    // The default path (no implementation named) is the same function of the input.
    expect(toHex(await argon2idKey(password, salt, params))).toBe(toHex(noble));
    // A different salt gives a different key: the comparison above is not of constants.
    expect(
      toHex(
        await argon2idKey(
          password,
          salt.map((b) => b ^ 1),
          params,
          'wasm',
        ),
      ),
    ).not.toBe(toHex(wasm));
  });

  it('agree for random passphrases, salts and small parameters, with p > 1 too', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ minLength: 0, maxLength: 40 }),
        fc.uint8Array({ minLength: 8, maxLength: 32 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 2 }),
        async (text, salt, t, p) => {
          const params = { m: 64 * p, t, p };
          const password = utf8Encode(text);
          expect(toHex(await argon2idKey(password, salt, params, 'wasm'))).toBe(toHex(await argon2idKey(password, salt, params, 'noble')));
        },
      ),
      { numRuns: 25 },
    );
  });

  it('an empty passphrase at unlock is a wrong passphrase, not a crash (hash-wasm refuses empty input)', async () => {
    const made = await createKeystore(nobleProvider, { k: new Uint8Array(32).fill(3) }, 'correct paard batterij nietje', {
      kdf: { name: 'argon2id', m: 256, t: 1, p: 1 },
    });
    if (!made.ok) throw new Error(made.error.code);
    const r = await unlockWithPassphrase(nobleProvider, made.value.wrapped, '');
    expect(!r.ok && r.error.code).toBe('wachtwoord-onjuist');
  });
});
