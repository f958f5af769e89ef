// A role decides what a person may decrypt: the beheerder cannot give someone a
// role that does not belong to their organisation (e.g. an SWV coördinator role
// for a parent, left ticked from the previous invitation). Real relay on 127.0.0.1.
import { describe, it, expect } from 'vitest';
import { useTestRelay, newClient, PASS, ROOT_PASS } from '../sync/harness.js';

const testRelay = useTestRelay();

describe('invitations only carry roles that fit the organisation [R23]', () => {
  it('refuses an SWV role at a school or a care partner, and a school role at the SWV, naming the roles; an ouder fits anywhere', async () => {
    const relay = await testRelay();
    const beheer = await newClient(relay.url);
    const created = await beheer.client.createSwv({
      swvNaam: 'SWV Rolcontrole',
      beheerder: { voornaam: 'Bea', achternaam: 'Beheer', functie: 'beheerder', organisatieNaam: 'SWV Rolcontrole', email: 'bea@swv.test' },
      passphrase: PASS,
      rootPassphrase: ROOT_PASS,
    });
    expect(created.ok).toBe(true);
    const profile = (voornaam: string, organisatieNaam: string) => ({
      voornaam,
      achternaam: 'Test',
      functie: 'x',
      organisatieNaam,
      email: `${voornaam}@x.test`,
    });

    const ouderAlsCoordinator = await beheer.client.createInvitation({
      profile: profile('Olga', 'Ouders'),
      organisation: { naam: 'Ouders', kind: 'zorgpartner' },
      roles: ['ouder', 'swv-coordinator', 'swv-loket'],
    });
    expect(ouderAlsCoordinator.ok).toBe(false);
    if (!ouderAlsCoordinator.ok) {
      expect(ouderAlsCoordinator.error.code).toBe('rol-past-niet');
      expect(ouderAlsCoordinator.error.message).toContain('Coördinator samenwerkingsverband');
      expect(ouderAlsCoordinator.error.message).toContain('Loket samenwerkingsverband');
      expect(ouderAlsCoordinator.error.message).toContain('Zorgpartner');
    }
    const ibBijSwv = await beheer.client.createInvitation({
      profile: profile('Ilse', 'SWV Rolcontrole'),
      organisation: { naam: 'SWV Rolcontrole', kind: 'swv' },
      roles: ['intern-begeleider'],
    });
    expect(!ibBijSwv.ok && ibBijSwv.error.code).toBe('rol-past-niet');

    const ouder = await beheer.client.createInvitation({
      profile: profile('Olga', 'Ouders'),
      organisation: { naam: 'Ouders', kind: 'zorgpartner' },
      roles: ['ouder'],
    });
    expect(ouder.ok).toBe(true);
    const ib = await beheer.client.createInvitation({
      profile: profile('Ilse', 'OBS Eik'),
      organisation: { naam: 'OBS Eik', kind: 'school' },
      roles: ['intern-begeleider'],
    });
    expect(ib.ok).toBe(true);
    // An existing organisation keeps its kind: a school role for the SWV's own organisation is refused too.
    if (ib.ok) {
      const opSchool = await beheer.client.createInvitation({
        profile: profile('Cor', 'OBS Eik'),
        organisation: { id: ib.value.organisationId },
        roles: ['swv-coordinator'],
      });
      expect(!opSchool.ok && opSchool.error.code).toBe('rol-past-niet');
    }
    // The beheer form offers organisations before their first member joined, with their kind (which roles fit).
    const orgs = await beheer.client.organisations();
    expect(orgs.ok && orgs.value.map((o) => [o.naam, o.kind]).sort()).toEqual(
      [
        ['Ouders', 'zorgpartner'],
        ['OBS Eik', 'school'],
        ['SWV Rolcontrole', 'swv'],
      ].sort(),
    );
    await beheer.client.close();
  });
});
