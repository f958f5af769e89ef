// Jonge Kind onderwijsadvies (001) walked through the client facade against a real relay on
// 127.0.0.1, one client per party: the contactpersoon JK creates the dossier and names the
// voorschoolse voorziening, which adds the ouders' signed form and makes its own move; the
// JK-specialist advises; the school van voorkeur comes in; at "advies afgerond" the
// voorschoolse voorziening loses access (issue 17, items 1 and 2) [R49]. The school van
// voorkeur gets the dossier only after a linked ouder's digitale toestemming, signed from
// her own client, and loses it when she withdraws it [R118].
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentEpoch } from '../../core/access/dossier-access.js';
import type { DossierId, HulpvraagId, OrganisationId } from '../../core/model/ids.js';
import { eventually, type Member } from '../sync/harness.js';
import { roomOf } from '../../core/access/rooms.js';
import { encodeAccessEvent } from '../../core/client/dossier-state.js';
import { LEERLING, internals, startWorld, type World } from './dossier-world.js';

const TITEL = 'Jonge Kind onderwijsadvies';
let world: World;
let jolien: Member, jasmijn: Member, vera: Member, bas: Member, ib: Member, olga: Member;
let dossier: DossierId, hv: HulpvraagId;

const orgOf = (m: Member): OrganisationId => {
  const e = jolien.tc.client.directory().find((d) => d.userId === m.userId);
  if (!e) throw new Error(`${m.naam} niet in de ledenlijst`);
  return e.organisationId;
};

async function sync(m: Member): Promise<void> {
  await m.tc.client.tick();
  await m.tc.client.refreshViews(dossier);
}

const leest = (m: Member): boolean => m.tc.client.getHulpvraag(dossier, hv).ok && m.tc.client.getLeerling(dossier).ok;
const status = (m: Member): string | null => {
  const v = m.tc.client.getHulpvraag(dossier, hv);
  return v.ok ? v.value.status : null;
};

/** `m` (a JK role: an admin of the dossier) moves the status; everyone else catches up. */
async function naar(m: Member, to: string, omschrijving?: string): Promise<void> {
  await eventually(async () => {
    await sync(m);
    const t = m.tc.client.allowedTransitions(dossier, hv);
    return t.ok && t.value.some((x) => x.to === to);
  }, `${m.naam} mag naar ${to}`);
  const r = await m.tc.client.changeStatus(dossier, hv, to, omschrijving);
  if (!r.ok) throw new Error(r.error.message);
  await eventually(async () => {
    await sync(jolien);
    await sync(jasmijn);
    return status(jolien) === to && status(jasmijn) === to;
  }, `status ${to} bij JK`);
  // Admin devices bring access in line with the new status.
  await jolien.tc.client.tick();
  await jasmijn.tc.client.tick();
  await jolien.tc.client.flush();
}

/** Whether `m` holds the current key of a scope the process gives organisations (leerling, formulieren, lvs). */
const holdsKey = (m: Member): boolean => {
  const access = internals(jolien.tc).dossiers.get(dossier)?.access;
  if (!access) return false;
  const keys = [...access.recipients.entries()].filter(([, c]) => c.body.user === m.userId).map(([hex]) => hex);
  const scopes = ['leerling', `formulieren:${hv}`, `lvs:${hv}`];
  return [...access.scopes.values()].some(
    (info) => scopes.includes(info.scope) && currentEpoch(info)?.holders.some((h) => keys.includes(h)) === true,
  );
};

beforeAll(async () => {
  world = await startWorld([
    {
      naam: 'Jolien Jansen',
      functie: 'contactpersoon Jonge Kind',
      organisation: { naam: 'SWV Simulatie', kind: 'swv' },
      roles: ['jk-contactpersoon'],
    },
    { naam: 'Jasmijn Kok', functie: 'JK-specialist', organisation: { naam: 'SWV Simulatie', kind: 'swv' }, roles: ['jk-specialist'] },
    {
      naam: 'Vera Vos',
      functie: 'pedagogisch medewerker',
      organisation: { naam: 'Peuterspeelzaal Het Nest', kind: 'voorschoolse-voorziening' },
      roles: ['vv-contactpersoon'],
    },
    {
      naam: 'Bas Berg',
      functie: 'intern begeleider',
      organisation: { naam: 'OBS De Linde', kind: 'school' },
      roles: ['school-van-voorkeur', 'intern-begeleider'],
    },
    {
      naam: 'Ilse Bakker',
      functie: 'intern begeleider',
      organisation: { naam: 'OBS Het Anker', kind: 'school' },
      roles: ['intern-begeleider'],
    },
    { naam: 'Olga Kwartel', functie: 'ouder', organisation: { naam: 'Ouders', kind: 'ouders' }, roles: ['ouder'] },
  ]);
  [jolien, jasmijn, vera, bas, ib, olga] = world.members as [Member, Member, Member, Member, Member, Member];
}, 120_000);

afterAll(async () => {
  await world?.close();
});

describe('Jonge Kind from the first status to "advies afgerond", one client per party [R49]', () => {
  it('the contactpersoon JK creates the dossier and starts the process naming the voorschoolse voorziening', async () => {
    const d = await jolien.tc.client.createDossier(LEERLING);
    if (!d.ok) throw new Error(d.error.message);
    dossier = d.value;
    const h = await jolien.tc.client.createHulpvraag(dossier, {
      titel: TITEL,
      omschrijving: 'Onderwijsadvies voor de overstap naar de basisschool',
      betrokkenOrganisaties: [{ organisationId: orgOf(vera), relatie: 'voorschoolse-voorziening' }],
    });
    if (!h.ok) throw new Error(h.error.message);
    hv = h.value;
    expect(status(jolien)).toBe('JK onderwijsadvies aanvraag');
    const v = jolien.tc.client.getHulpvraag(dossier, hv);
    expect(v.ok && v.value.betrokkenOrganisaties).toEqual([{ organisationId: orgOf(vera), relatie: 'voorschoolse-voorziening' }]);
    // An IB of an unrelated school cannot start a JK dossier's process nor read this one.
    expect((await ib.tc.client.createHulpvraag(dossier, { titel: TITEL, omschrijving: 'x' })).ok).toBe(false);
  }, 60_000);

  it('the voorschoolse voorziening reads the hulpvraag, adds the ouders\' signed form and moves to "JK bijlagen toegevoegd"; the school van voorkeur is not in yet', async () => {
    await eventually(async () => {
      await sync(vera);
      return leest(vera);
    }, 'voorschoolse voorziening leest mee');
    const b = await vera.tc.client.addBijlage(dossier, hv, {
      bestandsnaam: 'aanvraag-ouders.pdf',
      mediaType: 'application/pdf',
      bytes: new Uint8Array([1, 2, 3]),
      soort: 'aanvraagformulier-ouders',
    });
    if (!b.ok) throw new Error(b.error.message);
    // Not hers: the specialist's move.
    expect((await vera.tc.client.changeStatus(dossier, hv, 'JK Onderwijsadvies')).ok).toBe(false);
    const r = await vera.tc.client.changeStatus(dossier, hv, 'JK bijlagen toegevoegd');
    if (!r.ok) throw new Error(r.error.message);
    await eventually(async () => {
      await sync(jasmijn);
      return status(jasmijn) === 'JK bijlagen toegevoegd';
    }, 'specialist ziet de status');
    await sync(bas);
    expect(leest(bas)).toBe(false);
    await sync(ib);
    expect(ib.tc.client.getLeerling(dossier).ok).toBe(false);
  }, 60_000);

  it('the JK-specialist starts an overlegronde with the voorschoolse voorziening (001 stap 2), whose member reads it', async () => {
    const or = await jasmijn.tc.client.startOverlegronde(dossier, hv, {
      titel: 'Bespreking onderwijsadvies',
      omschrijving: 'Afstemmen met de voorschoolse voorziening',
      einddatum: new Date(Date.now() + 7 * 86_400_000).toISOString(),
      deelnemers: [vera.userId],
    });
    if (!or.ok) throw new Error(or.error.message);
    await eventually(async () => {
      await sync(vera);
      return vera.tc.client.getOverlegronde(dossier, or.value).ok;
    }, 'voorschoolse voorziening leest de overlegronde');
  }, 60_000);

  it('the JK-specialist advises; the school van voorkeur, once named, reads the dossier at "JK aanmelden school"', async () => {
    await naar(jasmijn, 'JK Onderwijsadvies');
    const named = await jolien.tc.client.updateHulpvraag(dossier, hv, {
      betrokkenOrganisaties: [
        { organisationId: orgOf(vera), relatie: 'voorschoolse-voorziening' },
        { organisationId: orgOf(bas), relatie: 'school-van-voorkeur' },
      ],
    });
    if (!named.ok) throw new Error(named.error.message);
    // Named, but no toestemming yet: the school van voorkeur reads nothing and the status cannot share with it [R118].
    await jolien.tc.client.tick();
    await jolien.tc.client.flush();
    await sync(bas);
    expect(leest(bas)).toBe(false);
    const zonder = await jasmijn.tc.client.changeStatus(dossier, hv, 'JK aanmelden school', 'Aangemeld bij de school van voorkeur.');
    expect(zonder.ok ? '' : zonder.error.code).toBe('toestemming-ontbreekt');
    expect(zonder.ok ? '' : zonder.error.message).toMatch(/toestemming/);
    // Nobody but a linked ouder gives it: not the specialist, not an unlinked ouder.
    expect((await jasmijn.tc.client.geefToestemming(dossier, hv, 'school-van-voorkeur', true)).ok).toBe(false);
    await sync(olga);
    expect((await olga.tc.client.geefToestemming(dossier, hv, 'school-van-voorkeur', true)).ok).toBe(false);
    // A modified client of the specialist writes a toestemming event itself: signed by her device, it counts for nobody.
    const jas = internals(jasmijn.tc);
    const vals = await jas.relay.engine!.submit(
      roomOf(dossier, 'toegang'),
      'access',
      encodeAccessEvent(Date.now(), jas.session.deviceCert, 'toestemming-gegeven', { hv, voor: 'school-van-voorkeur' }),
    );
    expect(vals.ok).toBe(true);
    expect((await jasmijn.tc.client.flush(15_000)).ok).toBe(true);
    await eventually(async () => {
      await sync(jolien);
      return (internals(jolien.tc).dossiers.get(dossier)?.accessEvents ?? []).some(
        (e) => e.action === 'toestemming-gegeven' && e.actor === jasmijn.userId,
      );
    }, 'het vervalste toestemmingsbericht komt aan');
    const stand = jolien.tc.client.toestemming(dossier, hv, 'school-van-voorkeur');
    expect(stand.ok && stand.value).toEqual({ gegeven: false, ouders: [] });
    // The contactpersoon JK links the ouder; she gives the toestemming from her own client.
    const link = await jolien.tc.client.linkOuder(dossier, olga.userId);
    if (!link.ok) throw new Error(link.error.message);
    await eventually(async () => {
      await sync(olga);
      return olga.tc.client.getHulpvraag(dossier, hv).ok;
    }, 'de ouder leest de hulpvraag');
    const gegeven = await olga.tc.client.geefToestemming(dossier, hv, 'school-van-voorkeur', true);
    if (!gegeven.ok) throw new Error(gegeven.error.message);
    expect((await olga.tc.client.flush(15_000)).ok).toBe(true);
    await eventually(async () => {
      await sync(jasmijn);
      const t = jasmijn.tc.client.toestemming(dossier, hv, 'school-van-voorkeur');
      return t.ok && t.value.gegeven && t.value.ouders[0]?.ouder === olga.userId;
    }, 'de specialist ziet de toestemming');
    await naar(jasmijn, 'JK aanmelden school', 'Aangemeld bij de school van voorkeur.');
    await eventually(async () => {
      await jolien.tc.client.tick();
      await sync(bas);
      return leest(bas);
    }, 'school van voorkeur leest mee');
    expect(holdsKey(vera)).toBe(true);
  }, 90_000);

  it('at "advies afgerond" the voorschoolse voorziening loses its access: no current key of leerling, forms or LVS is hers [R49]', async () => {
    await naar(jasmijn, 'JK advies afgerond');
    await naar(jasmijn, 'advies afgerond', 'Vanaf 1 september naar OBS De Linde.');
    await eventually(async () => {
      await jolien.tc.client.tick();
      await jolien.tc.client.flush();
      return !holdsKey(vera);
    }, 'sleutels van de voorschoolse voorziening vernieuwd');
    // What remains is her invitation to the overlegronde: it and the hulpvraag until the ronde's einddatum
    // (000/003: participants read until the einddatum), never again the leerling, forms or LVS.
    const r = jolien.tc.client.whoCanRead(dossier);
    const haar = r.ok ? r.value.find((x) => x.userId === vera.userId) : undefined;
    expect(haar?.scopes.filter((s) => s !== 'toegang' && !s.startsWith('overlegronde:') && !s.startsWith('hulpvraag:'))).toEqual([]);
    expect(haar?.expiresAt !== null && haar?.expiresAt !== undefined && Date.parse(haar.expiresAt) <= Date.now() + 7 * 86_400_000).toBe(
      true,
    );
    expect(r.ok && r.value.some((x) => x.userId === bas.userId)).toBe(true);
    expect(holdsKey(bas)).toBe(true);
  }, 90_000);

  it('the ouder withdraws her toestemming: the school van voorkeur loses the dossier and holds no current key [R118]', async () => {
    const r = await olga.tc.client.geefToestemming(dossier, hv, 'school-van-voorkeur', false);
    if (!r.ok) throw new Error(r.error.message);
    expect((await olga.tc.client.flush(15_000)).ok).toBe(true);
    await eventually(
      async () => {
        await sync(jolien);
        await jolien.tc.client.tick();
        await jolien.tc.client.flush();
        return !holdsKey(bas);
      },
      'sleutels van de school van voorkeur vernieuwd',
      60_000,
    );
    const wie = jolien.tc.client.whoCanRead(dossier);
    expect(wie.ok && wie.value.some((x) => x.userId === bas.userId)).toBe(false);
    const t = jolien.tc.client.toestemming(dossier, hv, 'school-van-voorkeur');
    expect(t.ok && t.value).toMatchObject({ gegeven: false, ouders: [{ ouder: olga.userId, gegeven: false }] });
  }, 90_000);
});
