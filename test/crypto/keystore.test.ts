// Keystore: private keys are stored only wrapped, open with the passphrase or
// the printed recovery code, and a wrong secret leaves nothing behind.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { nobleProvider as p } from '../../core/crypto/noble-provider.js';
import { createWebCryptoProvider } from '../../core/crypto/webcrypto-provider.js';
import {
  changePassphrase,
  createKeystore,
  DEFAULT_ARGON2ID,
  PREVIOUS_ARGON2ID,
  replaceRecoveryCode,
  resetPassphraseWithRecoveryCode,
  unlockWithPassphrase,
  unlockWithRecoveryCode,
  unlockWithDataKey,
  type Argon2idParams,
} from '../../core/crypto/keystore.js';
import { toBase64Url, toHex } from '../../core/crypto/bytes.js';

// Small parameters keep the suite fast; the defaults are exercised once below.
const fast: Argon2idParams = { name: 'argon2id', m: 256, t: 1, p: 1 };
const secrets = { deviceSigning: new Uint8Array(32).fill(1), userAgreement: new Uint8Array(32).fill(2) };
const pass = 'correct paard batterij nietje';

async function make(passphrase = pass) {
  const r = await createKeystore(p, secrets, passphrase, { kdf: fast });
  if (!r.ok) throw new Error(r.error.code);
  return r.value;
}
const hexOf = (s: Readonly<Record<string, Uint8Array>>) => Object.fromEntries(Object.entries(s).map(([k, v]) => [k, toHex(v)]));

describe('[R9] keystore', () => {
  it('unlocks with the passphrase after a JSON round trip, and stores no key bytes in the clear', async () => {
    const { wrapped } = await make();
    const stored: unknown = JSON.parse(JSON.stringify(wrapped));
    const r = await unlockWithPassphrase(p, stored, pass);
    expect(r.ok && hexOf(r.value)).toEqual(hexOf(secrets));
    const text = JSON.stringify(wrapped);
    expect(text).not.toContain(toBase64Url(secrets.deviceSigning));
    expect(text).not.toContain(toHex(secrets.deviceSigning));
  });

  it('a wrong passphrase gives wachtwoord-onjuist with a Dutch message and no keys', async () => {
    const { wrapped } = await make();
    const r = await unlockWithPassphrase(p, wrapped, pass + '!');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('wachtwoord-onjuist');
      expect(r.error.message).toMatch(/wachtwoord is onjuist/);
      expect('value' in r).toBe(false);
    }
  });

  it('the same passphrase in another Unicode normalisation still unlocks', async () => {
    const { wrapped } = await make('Zoë de Vries 2026!');
    const decomposed = 'Zoë de Vries 2026!'.normalize('NFD');
    expect((await unlockWithPassphrase(p, wrapped, decomposed)).ok).toBe(true);
  });

  it('the recovery code unlocks the same keys, tolerating case, spaces and O/I/L misreads', async () => {
    const { wrapped, recoveryCode } = await make();
    expect(recoveryCode).toMatch(/^([0-9A-HJKMNP-TV-Z]{4}-){6}[0-9A-HJKMNP-TV-Z]{4}$/);
    const sloppy = recoveryCode.toLowerCase().replace(/-/g, ' ').replace(/0/g, 'o').replace(/1/g, 'l');
    const r = await unlockWithRecoveryCode(p, wrapped, sloppy);
    expect(r.ok && hexOf(r.value)).toEqual(hexOf(secrets));
  });

  it('a typo in the recovery code is detected by the checksum; another keystore’s code is refused', async () => {
    const { wrapped, recoveryCode } = await make();
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: recoveryCode.length - 1 }),
        fc.constantFrom(...'0123456789ABCDEFGHJKMNPQRSTVWXYZ'),
        async (at, c) => {
          if (recoveryCode[at] === '-' || recoveryCode[at] === c) return;
          const typo = recoveryCode.slice(0, at) + c + recoveryCode.slice(at + 1);
          const r = await unlockWithRecoveryCode(p, wrapped, typo);
          expect(r.ok).toBe(false);
          // 1 in 1024 random typos may pass the checksum; then the unlock itself fails.
          if (!r.ok && r.error.code === 'herstelcode-onjuist') return;
          expect(!r.ok && r.error.code).toBe('herstelcode-ongeldig');
        },
      ),
    );
    const swapped = recoveryCode.slice(0, 1) + recoveryCode.slice(2, 3) + recoveryCode.slice(1, 2) + recoveryCode.slice(3);
    if (swapped !== recoveryCode) expect((await unlockWithRecoveryCode(p, wrapped, swapped)).ok).toBe(false);
    expect((await unlockWithRecoveryCode(p, wrapped, recoveryCode.slice(0, -5))).ok).toBe(false);
    const r = await unlockWithRecoveryCode(p, wrapped, (await make()).recoveryCode);
    expect(!r.ok && r.error.code).toBe('herstelcode-onjuist');
  });

  it('changing the passphrase re-wraps the same keys, keeps the recovery code, and the old passphrase stops working', async () => {
    const { wrapped, recoveryCode } = await make();
    const before = JSON.stringify(wrapped);
    const changed = await changePassphrase(p, wrapped, pass, 'een heel ander wachtwoord', { kdf: fast });
    expect(changed.ok).toBe(true);
    if (!changed.ok) return;
    expect(JSON.stringify(wrapped)).toBe(before); // input untouched
    expect(changed.value.payload).toEqual(wrapped.payload); // identity unchanged
    expect((await unlockWithPassphrase(p, changed.value, pass)).ok).toBe(false);
    const r = await unlockWithPassphrase(p, changed.value, 'een heel ander wachtwoord');
    expect(r.ok && hexOf(r.value)).toEqual(hexOf(secrets));
    expect((await unlockWithRecoveryCode(p, changed.value, recoveryCode)).ok).toBe(true);
  });

  it('a failed passphrase change (wrong old passphrase or too short new one) returns an error and changes nothing', async () => {
    const { wrapped } = await make();
    const before = JSON.stringify(wrapped);
    const wrong = await changePassphrase(p, wrapped, 'fout fout fout', 'een heel ander wachtwoord', { kdf: fast });
    expect(!wrong.ok && wrong.error.code).toBe('wachtwoord-onjuist');
    const short = await changePassphrase(p, wrapped, pass, 'kort', { kdf: fast });
    expect(!short.ok && short.error.code).toBe('wachtwoord-te-kort');
    expect(JSON.stringify(wrapped)).toBe(before);
    expect((await createKeystore(p, secrets, 'kort')).ok).toBe(false);
  });

  it('a lost passphrase is reset with the recovery code; the old data key (a session token, R9) stops working', async () => {
    const { wrapped, recoveryCode, dataKey } = await make();
    expect((await unlockWithDataKey(p, wrapped, dataKey)).ok).toBe(true);
    const reset = await resetPassphraseWithRecoveryCode(p, wrapped, recoveryCode, 'nieuw lang wachtwoord', { kdf: fast });
    if (!reset.ok) throw new Error(reset.error.code);
    const opened = await unlockWithPassphrase(p, reset.value, 'nieuw lang wachtwoord');
    expect(opened.ok && hexOf(opened.value)).toEqual(hexOf(secrets));
    // The same recovery kit keeps working; the old passphrase and the old session token do not.
    expect((await unlockWithRecoveryCode(p, reset.value, recoveryCode)).ok).toBe(true);
    expect((await unlockWithPassphrase(p, reset.value, pass)).ok).toBe(false);
    const token = await unlockWithDataKey(p, reset.value, dataKey);
    expect(token.ok ? 'ok' : token.error.code).toBe('sleutelkluis-ongeldig');
    expect((await resetPassphraseWithRecoveryCode(p, wrapped, recoveryCode, 'kort', { kdf: fast })).ok).toBe(false);
  });

  it('a replaced recovery code works and the old one no longer does; the passphrase is required', async () => {
    const { wrapped, recoveryCode } = await make();
    expect((await replaceRecoveryCode(p, wrapped, 'fout fout fout')).ok).toBe(false);
    const r = await replaceRecoveryCode(p, wrapped, pass);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.recoveryCode).not.toBe(recoveryCode);
    const old = await unlockWithRecoveryCode(p, r.value.wrapped, recoveryCode);
    expect(!old.ok && old.error.code).toBe('herstelcode-onjuist');
    const fresh = await unlockWithRecoveryCode(p, r.value.wrapped, r.value.recoveryCode);
    expect(fresh.ok && hexOf(fresh.value)).toEqual(hexOf(secrets));
    expect((await unlockWithPassphrase(p, r.value.wrapped, pass)).ok).toBe(true);
  });

  it('refuses damaged or tampered stored data without throwing, including weakened KDF parameters', async () => {
    const { wrapped, dataKey } = await make();
    for (const bad of [
      null,
      'x',
      {},
      { ...wrapped, v: 2 },
      { ...wrapped, extra: 1 },
      { ...wrapped, wachtwoord: { ...wrapped.wachtwoord, kdf: { ...wrapped.wachtwoord.kdf, m: 2 ** 30 } } },
    ]) {
      const r = await unlockWithPassphrase(p, bad, pass);
      expect(!r.ok && r.error.code).toBe('sleutelkluis-ongeldig');
    }
    // Parameters are bound as associated data: changing them (even within bounds) fails.
    const weakened = { ...wrapped, wachtwoord: { ...wrapped.wachtwoord, kdf: { ...wrapped.wachtwoord.kdf, t: 2 } } };
    expect((await unlockWithPassphrase(p, weakened, pass)).ok).toBe(false);
    // Swapping the payload of another keystore (same passphrase) does not open.
    const other = await make();
    const mixed = { ...wrapped, payload: other.wrapped.payload };
    const r = await unlockWithPassphrase(p, mixed, pass);
    expect(!r.ok && r.error.code).toBe('sleutelkluis-ongeldig');
    // The undamaged original still parses (and opens).
    expect((await unlockWithDataKey(p, wrapped, dataKey)).ok).toBe(true);
  });

  it('with the default argon2id parameters a keystore made by one provider opens with the other', async () => {
    const web = await createWebCryptoProvider();
    const created = await createKeystore(web, secrets, pass);
    expect(created.ok).toBe(true);
    if (!created.ok) return;
    expect(created.value.wrapped.wachtwoord.kdf).toMatchObject({ name: 'argon2id', m: DEFAULT_ARGON2ID.m, t: DEFAULT_ARGON2ID.t });
    const r = await unlockWithPassphrase(p, created.value.wrapped, pass);
    expect(r.ok && hexOf(r.value)).toEqual(hexOf(secrets));
  });

  it("the default for new wraps is RFC 9106's second option (64 MiB, t = 3, p = 1)", () => {
    expect(DEFAULT_ARGON2ID).toEqual({ name: 'argon2id', m: 64 * 1024, t: 3, p: 1 });
  });

  it('a keystore wrapped with the previous default (32 MiB, t = 2) still opens, and a passphrase change moves it to the new default', async () => {
    const old = await createKeystore(p, secrets, pass, { kdf: PREVIOUS_ARGON2ID });
    if (!old.ok) throw new Error(old.error.code);
    const stored: unknown = JSON.parse(JSON.stringify(old.value.wrapped));
    expect(old.value.wrapped.wachtwoord.kdf).toMatchObject({ m: 32 * 1024, t: 2, p: 1 });
    const r = await unlockWithPassphrase(p, stored, pass);
    expect(r.ok && hexOf(r.value)).toEqual(hexOf(secrets));
    expect((await unlockWithPassphrase(p, stored, 'een ander lang wachtwoord')).ok).toBe(false);
    const changed = await changePassphrase(p, stored, pass, 'een heel ander wachtwoord');
    if (!changed.ok) throw new Error(changed.error.code);
    expect(changed.value.wachtwoord.kdf).toMatchObject({ m: DEFAULT_ARGON2ID.m, t: DEFAULT_ARGON2ID.t, p: DEFAULT_ARGON2ID.p });
    const again = await unlockWithPassphrase(p, changed.value, 'een heel ander wachtwoord');
    expect(again.ok && hexOf(again.value)).toEqual(hexOf(secrets));
  });
});
