// Ouders/verzorgers (000 "Krijgen toegang tot het dossier van hun kind") through the
// client facade against a real relay on 127.0.0.1: the IB links a parent by name to her
// own child's dossier; no group grant of the school ever reaches her (issue 17, item 10).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { principalMatches } from '../../core/access/principal.js';
import { isOuderOnly, rolesNotFitting } from '../../core/model/role.js';
import { asId, type DossierId, type HulpvraagId, type OrganisationId, type UserId } from '../../core/model/ids.js';
import { eventually, type Member } from '../sync/harness.js';
import { LEERLING, startWorld, type World } from './dossier-world.js';

const ANDER_KIND = { voornaam: 'Daan', achternaam: 'Mol', geboortedatum: '2014-09-01', adressen: [], ouders: [] };

let world: World;
let ib: Member, olga: Member;

beforeAll(async () => {
  world = await startWorld([
    {
      naam: 'Ilse Bakker',
      functie: 'intern begeleider',
      organisation: { naam: 'OBS De Linde', kind: 'school' },
      roles: ['intern-begeleider'],
    },
    { naam: 'Olga Kwartel', functie: 'ouder', organisation: { naam: 'Ouders', kind: 'ouders' }, roles: ['ouder'] },
  ]);
  [ib, olga] = world.members as [Member, Member];
}, 120_000);

afterAll(async () => {
  await world?.close();
});

async function dossierWithHulpvraag(leerling: typeof LEERLING): Promise<{ dossier: DossierId; hv: HulpvraagId }> {
  const d = await ib.tc.client.createDossier(leerling);
  if (!d.ok) throw new Error(d.error.message);
  const hv = await ib.tc.client.createHulpvraag(d.value, { titel: 'TLV VSO', omschrijving: 'Aanvraag voor passend onderwijs' });
  if (!hv.ok) throw new Error(hv.error.message);
  return { dossier: d.value, hv: hv.value };
}

describe('ouders see only their own child [R45, R46]', () => {
  it('Beheer does not offer Ouder/verzorger as a role of a school or of the SWV office [R45]', async () => {
    expect(rolesNotFitting(['ouder'], 'school')).toEqual(['ouder']);
    expect(rolesNotFitting(['ouder'], 'swv')).toEqual(['ouder']);
    expect(rolesNotFitting(['ouder'], 'ouders')).toEqual([]);
    const profile = { voornaam: 'Otto', achternaam: 'Ouder', functie: 'ouder', organisatieNaam: 'OBS De Linde', email: 'otto@sim.test' };
    const opSchool = await world.beheerder.client.createInvitation({
      profile,
      organisation: { naam: 'OBS De Linde', kind: 'school' },
      roles: ['ouder'],
    });
    expect(!opSchool.ok && opSchool.error.code).toBe('rol-past-niet');
  });

  it('no group grant (the school, a role in it, an SWV role) ever covers someone holding the ouder role [R45]', () => {
    const school = asId<OrganisationId>('school-a');
    const ouder = { userId: asId<UserId>('u-ouder'), organisationId: school, roles: ['ouder' as const] };
    expect(principalMatches({ kind: 'organisation', organisationId: school }, ouder, 'swv-1')).toBe(false);
    expect(principalMatches({ kind: 'organisation', organisationId: school, role: 'ouder' }, ouder, 'swv-1')).toBe(false);
    expect(principalMatches({ kind: 'role', swvId: 'swv-1' as never, role: 'ouder' }, ouder, 'swv-1')).toBe(false);
    expect(principalMatches({ kind: 'user', userId: ouder.userId }, ouder, 'swv-1')).toBe(true);
    expect(isOuderOnly(['ouder'])).toBe(true);
    expect(isOuderOnly(['intern-begeleider'])).toBe(false);
  });

  it("an ouder linked by the IB reads only her own child's dossier, read-only; other dossiers of the school stay closed, also later ones [R46]", async () => {
    const eigen = await dossierWithHulpvraag(LEERLING);
    const ander = await dossierWithHulpvraag(ANDER_KIND);

    // Write is never given to a parent, not even by hand in Toegang.
    const schrijven = await ib.tc.client.grant(eigen.dossier, {
      userId: olga.userId,
      scopes: ['leerling'],
      rights: ['read', 'write'],
      expiresAt: null,
    });
    expect(!schrijven.ok && schrijven.error.code).toBe('ouder-alleen-lezen');
    // Only a parent is linked this way.
    expect((await ib.tc.client.linkOuder(eigen.dossier, ib.userId)).ok).toBe(false);

    const link = await ib.tc.client.linkOuder(eigen.dossier, olga.userId);
    if (!link.ok) throw new Error(link.error.message);
    await eventually(async () => {
      await olga.tc.client.tick();
      await olga.tc.client.refreshViews(eigen.dossier);
      const hv = olga.tc.client.getHulpvraag(eigen.dossier, eigen.hv);
      return olga.tc.client.getLeerling(eigen.dossier).ok && hv.ok;
    }, 'ouder leest het dossier van haar kind');
    const l = olga.tc.client.getLeerling(eigen.dossier);
    expect(l.ok && l.value.achternaam).toBe('Kwartel');

    // A hulpvraag filed after the link is hers to read too; a dossier made later for another child is not.
    const tweede = await ib.tc.client.createHulpvraag(eigen.dossier, {
      titel: 'Financieel Arrangement',
      omschrijving: 'Extra ondersteuning in de klas',
    });
    if (!tweede.ok) throw new Error(tweede.error.message);
    const later = await dossierWithHulpvraag({ ...ANDER_KIND, voornaam: 'Sem' });
    await eventually(async () => {
      await olga.tc.client.tick();
      await olga.tc.client.refreshViews(eigen.dossier);
      return olga.tc.client.getHulpvraag(eigen.dossier, tweede.value).ok;
    }, 'ouder leest de later ingediende hulpvraag');

    const zichtbaar = olga.tc.client.listDossiers().map((d) => d.id);
    expect(zichtbaar).toContain(eigen.dossier);
    expect(zichtbaar).not.toContain(ander.dossier);
    expect(zichtbaar).not.toContain(later.dossier);
    for (const d of [ander, later]) {
      expect((await olga.tc.client.openDossier(d.dossier)).ok).toBe(false);
      expect(olga.tc.client.getLeerling(d.dossier).ok).toBe(false);
      expect(olga.tc.client.getHulpvraag(d.dossier, d.hv).ok).toBe(false);
    }
    // The school's forms and LVS are not hers, and she writes nothing and moves no status.
    const readers = ib.tc.client.whoCanRead(eigen.dossier);
    const haar = readers.ok ? readers.value.find((r) => r.userId === olga.userId) : undefined;
    expect(haar?.rights).toEqual(['read']);
    expect(haar?.scopes.some((s) => s.startsWith('formulieren:') || s.startsWith('lvs:'))).toBe(false);
    expect((await olga.tc.client.updateLeerling(eigen.dossier, { voornaam: 'Anders' })).ok).toBe(false);
    expect((await olga.tc.client.updateHulpvraag(eigen.dossier, eigen.hv, { omschrijving: 'Overschreven door ouder' })).ok).toBe(false);
    const t = olga.tc.client.allowedTransitions(eigen.dossier, eigen.hv);
    expect(t.ok ? t.value : []).toEqual([]);
    expect((await olga.tc.client.createHulpvraag(eigen.dossier, { titel: 'TLV VSO', omschrijving: 'Door ouder' })).ok).toBe(false);
  }, 180_000);
});
