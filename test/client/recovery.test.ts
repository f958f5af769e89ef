// The herstelkit: creating an account hands back a recovery code once; with it a
// user who forgot the passphrase sets a new one on the same keys. Real relay.
import { describe, it, expect } from 'vitest';
import { useTestRelay, newClient, PASS, ROOT_PASS } from '../sync/harness.js';

const testRelay = useTestRelay();

describe('lost passphrase and the recovery code [R9]', () => {
  it('the code from createSwv sets a new passphrase; a wrong code changes nothing; the old passphrase stops working', async () => {
    const relay = await testRelay();
    const c = await newClient(relay.url);
    const created = await c.client.createSwv({
      swvNaam: 'SWV Herstel',
      beheerder: { voornaam: 'Bea', achternaam: 'Beheer', functie: 'beheerder', organisatieNaam: 'SWV Herstel', email: 'bea@swv.test' },
      passphrase: PASS,
      rootPassphrase: ROOT_PASS,
    });
    if (!created.ok) throw new Error(created.error.message);
    const code = created.value.recoveryCode;
    expect(code.replace(/[^0-9A-Z]/gi, '').length).toBeGreaterThanOrEqual(26);
    const userId = created.value.userId;
    await c.client.lock();

    const nieuw = 'een heel andere nieuwe wachtwoordzin';
    // Another well-formed code (of another keystore) is refused and leaves the old passphrase working.
    const ander = await newClient(relay.url);
    const other = await ander.client.createSwv({
      swvNaam: 'SWV Ander',
      beheerder: { voornaam: 'Ad', achternaam: 'Ander', functie: 'beheerder', organisatieNaam: 'SWV Ander', email: 'ad@swv.test' },
      passphrase: PASS,
      rootPassphrase: ROOT_PASS,
    });
    if (!other.ok) throw new Error(other.error.message);
    const wrong = await c.client.resetPassphrase(other.value.recoveryCode, nieuw);
    expect(wrong.ok).toBe(false);
    if (!wrong.ok) expect(wrong.error.message.length).toBeGreaterThan(10);
    const garbled = await c.client.resetPassphrase('dit is geen code', nieuw);
    expect(garbled.ok).toBe(false);
    expect((await c.client.unlock(PASS)).ok).toBe(true);
    await c.client.lock();

    const reset = await c.client.resetPassphrase(code, nieuw);
    expect(reset.ok && reset.value.userId).toBe(userId);
    expect(c.client.lockState()).toBe('ontgrendeld');
    await c.client.lock();
    expect((await c.client.unlock(PASS)).ok).toBe(false);
    const again = await c.client.unlock(nieuw);
    expect(again.ok && again.value.userId).toBe(userId);
    await c.client.close();
    await ander.client.close();
  });
});
