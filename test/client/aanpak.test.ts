// Aanpak (003 stap 3: "IB/COO maakt een aanpak aan. Hiermee nodigt zij de
// regierolhouder uit om de hulpvraag op te pakken") through the client facade,
// against a real relay on 127.0.0.1: the behandelaar is notified, gets exactly the
// access the process gives behandelaars, and can then move the status.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DossierId } from '../../core/model/ids.js';
import { eventually, type Member } from '../sync/harness.js';
import { LEERLING, startWorld, type World } from './dossier-world.js';

let world: World;
let ib: Member, rik: Member, coordinator: Member;
let dossier: DossierId;

beforeAll(async () => {
  world = await startWorld([
    {
      naam: 'Ilse Bakker',
      functie: 'intern begeleider',
      organisation: { naam: 'OBS De Linde', kind: 'school' },
      roles: ['intern-begeleider'],
    },
    { naam: 'Rik Regie', functie: 'jeugdconsulent', organisation: { naam: 'CJG Noord', kind: 'zorgpartner' }, roles: ['regierolhouder'] },
    { naam: 'Cor Visser', functie: 'coördinator', organisation: { naam: 'SWV Noord', kind: 'swv' }, roles: ['swv-coordinator'] },
  ]);
  [ib, rik, coordinator] = world.members as [Member, Member, Member];
  const d = await ib.tc.client.createDossier(LEERLING);
  if (!d.ok) throw new Error(d.error.message);
  dossier = d.value;
}, 120_000);

afterAll(async () => {
  await world?.close();
});

const vandaag = () => new Date().toISOString().slice(0, 10);

describe('aanpak: the school invites a behandelaar (003)', () => {
  it('Team Schoolondersteuning: the regierolhouder added as behandelaar reads the hulpvraag and leerling and confirms with GEAGENDEERD', async () => {
    const hv = await ib.tc.client.createHulpvraag(dossier, {
      titel: 'Team Schoolondersteuning',
      omschrijving: 'Zorgen over concentratie in de klas',
    });
    if (!hv.ok) throw new Error(hv.error.message);
    // Before the aanpak the regierolhouder cannot move anything.
    expect((await rik.tc.client.changeStatus(dossier, hv.value, 'GEAGENDEERD')).ok).toBe(false);

    const a = await ib.tc.client.addAanpak(dossier, hv.value, {
      behandelaar: rik.userId,
      omschrijving: 'Gesprekken met ouders en leerkracht',
      startdatum: vandaag(),
    });
    if (!a.ok) throw new Error(a.error.message);
    const view = ib.tc.client.getHulpvraag(dossier, hv.value);
    expect(view.ok && view.value.aanpak.map((x) => [x.behandelaarNaam, x.omschrijving, x.einddatum])).toEqual([
      ['Rik Regie', 'Gesprekken met ouders en leerkracht', null],
    ]);

    await eventually(async () => {
      await rik.tc.client.tick();
      await rik.tc.client.refreshViews(dossier);
      const t = rik.tc.client.allowedTransitions(dossier, hv.value);
      return t.ok && t.value.some((x) => x.to === 'GEAGENDEERD');
    }, 'regierolhouder mag bevestigen');
    const l = rik.tc.client.getLeerling(dossier);
    expect(l.ok && l.value.achternaam).toBe('Kwartel');
    const bij = rik.tc.client.getHulpvraag(dossier, hv.value);
    expect(bij.ok && bij.value.aanpak[0]?.behandelaar).toBe(rik.userId);
    const s = await rik.tc.client.changeStatus(dossier, hv.value, 'GEAGENDEERD');
    if (!s.ok) throw new Error(s.error.message);
    await eventually(async () => {
      await ib.tc.client.tick();
      await ib.tc.client.refreshViews(dossier);
      const v = ib.tc.client.getHulpvraag(dossier, hv.value);
      return v.ok && v.value.status === 'GEAGENDEERD';
    }, 'IB ziet GEAGENDEERD');
  }, 120_000);

  it('a process without behandelaar access: the behandelaar reads only that hulpvraag, until the einddatum, and never the leerling', async () => {
    const hv = await ib.tc.client.createHulpvraag(dossier, { titel: 'TLV VSO', omschrijving: 'Aanvraag voor VSO' });
    if (!hv.ok) throw new Error(hv.error.message);
    const eind = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    const a = await ib.tc.client.addAanpak(dossier, hv.value, {
      behandelaar: coordinator.userId,
      omschrijving: 'Meedenken over de aanvraag',
      startdatum: vandaag(),
      einddatum: eind,
    });
    if (!a.ok) throw new Error(a.error.message);
    const readers = ib.tc.client.whoCanRead(dossier);
    if (!readers.ok) throw new Error(readers.error.message);
    const cor = readers.value.find((r) => r.userId === coordinator.userId);
    // (Every member reads the toegang list itself.)
    expect(cor?.scopes.filter((x) => x !== 'toegang')).toEqual([`hulpvraag:${hv.value}`]);
    expect(cor?.rights).toEqual(['read']);
    expect(cor?.expiresAt?.slice(0, 10)).toBe(eind);
    await eventually(async () => {
      await coordinator.tc.client.tick();
      return coordinator.tc.client.getHulpvraag(dossier, hv.value).ok;
    }, 'coördinator leest de hulpvraag');
    expect(coordinator.tc.client.getLeerling(dossier).ok).toBe(false);
  }, 120_000);

  it('refuses what a real user could get wrong, in Dutch: no omschrijving, einddatum before start, an unknown person, leerling data, and a non-owner adding one', async () => {
    const hv = await ib.tc.client.createHulpvraag(dossier, { titel: 'Team Schoolondersteuning', omschrijving: 'Tweede vraag' });
    if (!hv.ok) throw new Error(hv.error.message);
    const base = { behandelaar: rik.userId, omschrijving: 'Afspraken maken', startdatum: vandaag() };
    const codes = [];
    for (const input of [
      { ...base, omschrijving: '   ' },
      { ...base, einddatum: '2000-01-01' },
      { ...base, startdatum: '31-12-2026' },
      { ...base, behandelaar: 'onbekend' as typeof rik.userId },
      { ...base, omschrijving: 'Gesprek met Fenna Kwartel over thuis' },
    ]) {
      const r = await ib.tc.client.addAanpak(dossier, hv.value, input);
      codes.push(r.ok ? 'ok' : r.error.code);
      if (!r.ok) expect(r.error.message).toMatch(/[a-z]/);
    }
    expect(codes.slice(0, 4)).toEqual(['omschrijving-ontbreekt', 'datum-ongeldig', 'datum-ongeldig', 'persoon-onbekend']);
    expect(codes[4]).not.toBe('ok');
    const doorRik = await rik.tc.client.addAanpak(dossier, hv.value, base);
    expect(doorRik.ok ? 'ok' : doorRik.error.code).not.toBe('ok');
    const v = ib.tc.client.getHulpvraag(dossier, hv.value);
    expect(v.ok && v.value.aanpak).toEqual([]);
  }, 120_000);
});
