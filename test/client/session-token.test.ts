// A second page of the same browser resumes the unlocked session without the
// passphrase: the session keeps a token (the keystore's data key) in
// memory-only storage, never the passphrase [R9]. Real relay on 127.0.0.1.
import { describe, it, expect, afterAll } from 'vitest';
import { newClient, removeDir, startTestRelay, PASS, ROOT_PASS, type TestRelay, type TestClient } from '../sync/harness.js';

let relay: TestRelay | undefined;
const open: TestClient[] = [];
afterAll(async () => {
  for (const c of open) await c.client.close();
  await relay?.stop();
  if (relay) await removeDir(relay.dataDir);
});

describe('session token instead of the passphrase [R9]', () => {
  it('another context on the same database resumes as the same user; the token does not contain the passphrase; locked → no token', async () => {
    relay = await startTestRelay();
    const eerste = await newClient(relay.url);
    open.push(eerste);
    const created = await eerste.client.createSwv({
      swvNaam: 'SWV Sessie',
      beheerder: { voornaam: 'Bea', achternaam: 'Beheer', functie: 'beheerder', organisatieNaam: 'SWV Sessie', email: 'bea@swv.test' },
      passphrase: PASS,
      rootPassphrase: ROOT_PASS,
    });
    if (!created.ok) throw new Error(created.error.message);
    const token = eerste.client.sessionToken();
    if (token === null) throw new Error('geen sessietoken na aanmaken');
    expect(token).not.toContain(PASS);
    expect(token.length).toBeGreaterThanOrEqual(40);

    // Same browser profile (database), another page.
    const tweede = await newClient(relay.url, { factory: eerste.factory, dbName: eerste.dbName });
    open.push(tweede);
    expect(tweede.client.lockState()).toBe('vergrendeld');
    const resumed = await tweede.client.resumeSession(token);
    expect(resumed.ok && resumed.value.userId).toBe(created.value.userId);
    expect(tweede.client.sessionToken()).toBe(token);

    // Unlocking with the passphrase gives the same token (the same data key): pages agree.
    await tweede.client.lock();
    expect(tweede.client.sessionToken()).toBeNull();
    const again = await tweede.client.unlock(PASS);
    expect(again.ok).toBe(true);
    expect(tweede.client.sessionToken()).toBe(token);
  });

  it('a garbled token, or one of another account, is refused with a Dutch message and leaves the context locked', async () => {
    if (!relay) throw new Error('geen relay');
    const a = await newClient(relay.url);
    const b = await newClient(relay.url);
    open.push(a, b);
    for (const [c, naam] of [
      [a, 'A'],
      [b, 'B'],
    ] as const) {
      const r = await c.client.createSwv({
        swvNaam: `SWV ${naam}`,
        beheerder: { voornaam: naam, achternaam: 'Test', functie: 'beheerder', organisatieNaam: `SWV ${naam}`, email: `${naam}@swv.test` },
        passphrase: PASS,
        rootPassphrase: ROOT_PASS,
      });
      if (!r.ok) throw new Error(r.error.message);
    }
    const tokenB = b.client.sessionToken();
    if (tokenB === null) throw new Error('geen token');
    const ander = await newClient(relay.url, { factory: a.factory, dbName: a.dbName });
    open.push(ander);
    for (const t of [tokenB, 'geen-geldig-token', '', 'A'.repeat(43)]) {
      const r = await ander.client.resumeSession(t);
      expect(r.ok ? 'ok' : r.error.code).toBe('sessie-ongeldig');
      if (!r.ok) expect(r.error.message).toContain('ontgrendel');
      expect(ander.client.lockState()).toBe('vergrendeld');
    }
  });
});
