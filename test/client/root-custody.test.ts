// Root custody [R102, PROTOCOL P81]: the SWV root key lives in its own keystore
// slot with its own passphrase and recovery code. The beheerder's daily unlock
// opens the daily keys only; whoever steals the keystore and knows the daily
// passphrase (shoulder-surfed, reused) holds no root: they cannot certify,
// revoke or end anyone. Real relay on 127.0.0.1, real keystore (argon2id).
import { describe, expect, it } from 'vitest';
import { unlockForSession } from '../../core/crypto/keystore.js';
import { equalBytes, utf8Decode } from '../../core/crypto/bytes.js';
import { unlockRootSlot } from '../../core/client/identity.js';
import { newClient, PASS, ROOT_PASS, useTestRelay } from '../sync/harness.js';
import type { UserId } from '../../core/model/ids.js';
import { internals } from './dossier-world.js';

const testRelay = useTestRelay();

const beheerder = { voornaam: 'Bea', achternaam: 'Beheer', functie: 'beheerder', organisatieNaam: 'SWV Kluis', email: 'bea@swv.test' };

describe('the SWV root key in its own slot [R102]', () => {
  it('the daily passphrase opens a stolen keystore without the root; Beheer actions need the root passphrase', async () => {
    const relay = await testRelay();
    const tc = await newClient(relay.url);
    const gelijk = await tc.client.createSwv({ swvNaam: 'SWV Kluis', beheerder, passphrase: PASS, rootPassphrase: PASS });
    expect(gelijk.ok ? 'ok' : gelijk.error.code).toBe('basiswachtwoord-gelijk');
    const created = await tc.client.createSwv({ swvNaam: 'SWV Kluis', beheerder, passphrase: PASS, rootPassphrase: ROOT_PASS });
    if (!created.ok) throw new Error(created.error.message);
    expect(created.value.rootRecoveryCode).toBeTruthy();
    const core = internals(tc);
    const rootPublic = core.id?.roots.get(created.value.swvId);
    if (!rootPublic) throw new Error('geen basissleutel bekend');
    await tc.client.lock();

    // The thief copies the keystore and knows the daily passphrase.
    const stolen = await core.store.getKey('identity');
    if (!stolen) throw new Error('geen sleutelkluis');
    const daily = await unlockForSession(core.provider, JSON.parse(utf8Decode(stolen)), PASS);
    if (!daily.ok) throw new Error('dagelijkse ontgrendeling mislukt');
    const rootSlot = await unlockRootSlot(core.provider, core.store, ROOT_PASS, rootPublic);
    if (!rootSlot.ok) throw new Error(rootSlot.error.message);
    const rootSecret = rootSlot.value.secretKey;
    expect(Object.keys(daily.value.secrets)).not.toContain('root');
    for (const [name, secret] of Object.entries(daily.value.secrets)) {
      expect(equalBytes(secret, rootSecret), name).toBe(false);
      if (secret.length === 32) expect(equalBytes((await core.provider.ed25519KeyPair(secret)).publicKey, rootPublic), name).toBe(false);
    }
    // Nor does the daily passphrase open the root's slot.
    expect((await unlockRootSlot(core.provider, core.store, PASS, rootPublic)).ok).toBe(false);

    // The beheerder's daily unlock: Beheer actions that sign with the root are refused until the root is unlocked.
    const me = await tc.client.unlock(PASS);
    if (!me.ok) throw new Error(me.error.message);
    expect(me.value.basissleutel).toBe(true);
    expect(tc.client.rootUnlocked()).toBe(false);
    expect(core.session.rootKey).toBeNull();
    const nieuweSchool = await tc.client.createInvitation({
      profile: { voornaam: 'Iris', achternaam: 'Berg', functie: 'intern begeleider', organisatieNaam: 'OBS De Es', email: 'iris@sim.test' },
      organisation: { naam: 'OBS De Es', kind: 'school' },
      roles: ['intern-begeleider'],
    });
    expect(nieuweSchool.ok ? 'ok' : nieuweSchool.error.code).toBe('basissleutel-vergrendeld');
    const einde = await tc.client.endPerson('iemand-anders' as UserId, 'uit-dienst');
    expect(einde.ok ? 'ok' : einde.error.code).toBe('basissleutel-vergrendeld');

    expect((await tc.client.unlockRoot(PASS)).ok).toBe(false);
    expect((await tc.client.unlockRoot(ROOT_PASS)).ok).toBe(true);
    expect(tc.client.rootUnlocked()).toBe(true);
    const nuWel = await tc.client.createInvitation({
      profile: { voornaam: 'Iris', achternaam: 'Berg', functie: 'intern begeleider', organisatieNaam: 'OBS De Es', email: 'iris@sim.test' },
      organisation: { naam: 'OBS De Es', kind: 'school' },
      roles: ['intern-begeleider'],
    });
    expect(nuWel.ok, nuWel.ok ? '' : nuWel.error.message).toBe(true);
    // A lock forgets the root too.
    await tc.client.lock();
    expect(core.session.rootKey).toBeNull();

    // Recovery: the root's own recovery code (from the safe) sets a new root passphrase.
    const nieuw = 'nieuwe zin voor de basissleutel';
    expect((await tc.client.resetRootPassphrase(created.value.recoveryCode, nieuw)).ok).toBe(false);
    expect((await tc.client.resetRootPassphrase(created.value.rootRecoveryCode ?? '', nieuw)).ok).toBe(true);
    expect((await tc.client.unlock(PASS)).ok).toBe(true);
    expect((await tc.client.unlockRoot(ROOT_PASS)).ok).toBe(false);
    expect((await tc.client.unlockRoot(nieuw)).ok).toBe(true);
    await tc.client.close();
  }, 60_000);
});
