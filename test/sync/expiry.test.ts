// Expiry and revocation on the device: when a grant ends, the client deletes
// that dossier's local ciphertext and keys at its next start or background
// tick [R8]. Real relay on 127.0.0.1.
import { describe, it, expect } from 'vitest';
import { useTestRelay, buildWorld, eventually, newClient, PASS } from './harness.js';

const testRelay = useTestRelay();

describe('access ends on the device', () => {
  it('an expired grant makes the client delete the dossier at its next start; a revoked one at its next tick', async () => {
    const relay = await testRelay();
    const { beheerder, members } = await buildWorld(relay.url, [
      { naam: 'Ilse Bakker', functie: 'IB', organisation: { naam: 'OBS Eik', kind: 'school' }, roles: ['intern-begeleider'] },
      { naam: 'Cor Visser', functie: 'coördinator', organisation: { naam: 'SWV', kind: 'swv' }, roles: ['swv-coordinator'] },
      { naam: 'Olga Smit', functie: 'ouder', organisation: { naam: 'Ouders', kind: 'ouders' }, roles: ['ouder'] },
    ]);
    const [ib, coo, ouder] = members as [(typeof members)[0], (typeof members)[0], (typeof members)[0]];
    const d = await ib.tc.client.createDossier({
      voornaam: 'Tess',
      achternaam: 'Verloopveld',
      geboortedatum: '2013-01-01',
      adressen: [],
      ouders: [],
    });
    if (!d.ok) throw new Error(d.error.message);
    const expiresAt = Date.now() + 4_000;
    expect(
      (
        await ib.tc.client.grant(d.value, {
          userId: coo.userId,
          scopes: ['leerling'],
          rights: ['read'],
          expiresAt: new Date(expiresAt).toISOString(),
        })
      ).ok,
    ).toBe(true);
    expect((await ib.tc.client.grant(d.value, { userId: ouder.userId, scopes: ['leerling'], rights: ['read'], expiresAt: null })).ok).toBe(
      true,
    );
    expect((await ib.tc.client.flush(10_000)).ok).toBe(true);

    for (const m of [coo, ouder]) {
      await eventually(async () => {
        await m.tc.client.tick();
        const l = m.tc.client.getLeerling(d.value);
        return l.ok && l.value.achternaam === 'Verloopveld';
      }, `${m.naam} leest de leerling`);
      expect(await m.tc.client.holdsDossier(d.value)).toBe(true);
    }

    // The coördinator closes Kindkluis; the grant expires meanwhile; at the next start the dossier is gone.
    await coo.tc.client.lock();
    await coo.tc.client.close();
    await new Promise((r) => setTimeout(r, Math.max(0, expiresAt - Date.now() + 300)));
    const reopened = await newClient(relay.url, { factory: coo.tc.factory, dbName: coo.tc.dbName });
    expect((await reopened.client.unlock(PASS)).ok).toBe(true);
    expect(await reopened.client.holdsDossier(d.value)).toBe(false);
    expect(reopened.client.getLeerling(d.value).ok).toBe(false);

    // The ouder is revoked while online: the next background tick deletes the dossier.
    expect((await ib.tc.client.revoke(d.value, ouder.userId)).ok).toBe(true);
    expect((await ib.tc.client.flush(10_000)).ok).toBe(true);
    await eventually(async () => {
      await ouder.tc.client.tick();
      return !(await ouder.tc.client.holdsDossier(d.value));
    }, 'ouder wist het dossier');
    expect(ouder.tc.client.getLeerling(d.value).ok).toBe(false);
    for (const c of [beheerder, ib.tc, ouder.tc, reopened]) await c.client.close();
  });
});
