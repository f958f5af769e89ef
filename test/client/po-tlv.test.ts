// PO TLV SBO/SO (000/002) walked through the client facade against a real relay on 127.0.0.1,
// one client per party: the IB files and indient, the SWV loket and coördinator work on it, a
// deskundige assigned to the case asks questions, the linked ouder reads along from indienen; each
// end status (afgegeven, afwijzing toegelicht, ingetrokken) is reached, and who reads which scope
// and who may move the status is checked on the way [R23, R46, R90, R91].
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DossierId, HulpvraagId } from '../../core/model/ids.js';
import { eventually, type Member } from '../sync/harness.js';
import { LEERLING, startWorld, type World } from './dossier-world.js';
import { TLV } from '../workflow/fixtures.js';

let world: World;
let ilse: Member, lotte: Member, cor: Member, dirk: Member, dora: Member, olga: Member;
let dossier: DossierId;

beforeAll(async () => {
  world = await startWorld([
    { naam: 'Ilse Bakker', functie: 'intern begeleider', organisation: { naam: 'OBS De Linde', kind: 'school' }, roles: ['intern-begeleider'] },
    { naam: 'Lotte Loket', functie: 'medewerker loket', organisation: { naam: 'SWV Noord', kind: 'swv' }, roles: ['swv-loket'] },
    { naam: 'Cor Visser', functie: 'coördinator', organisation: { naam: 'SWV Noord', kind: 'swv' }, roles: ['swv-coordinator'] },
    { naam: 'Dirk Deskundige', functie: 'orthopedagoog', organisation: { naam: 'SWV Noord', kind: 'swv' }, roles: ['deskundige'] },
    { naam: 'Dora Deskundige', functie: 'psycholoog', organisation: { naam: 'Expertisecentrum Oost', kind: 'zorgpartner' }, roles: ['deskundige'] },
    { naam: 'Olga Kwartel', functie: 'ouder', organisation: { naam: 'Ouders', kind: 'ouders' }, roles: ['ouder'] },
  ]);
  [ilse, lotte, cor, dirk, dora, olga] = world.members as [Member, Member, Member, Member, Member, Member];
  const d = await ilse.tc.client.createDossier(LEERLING);
  if (!d.ok) throw new Error(d.error.message);
  dossier = d.value;
  const l = await ilse.tc.client.linkOuder(dossier, olga.userId);
  if (!l.ok) throw new Error(l.error.message);
}, 120_000);

afterAll(async () => {
  await world?.close();
});

const scopesOf = (m: Member, hv: HulpvraagId): string[] => {
  const r = ilse.tc.client.whoCanRead(dossier);
  const all = r.ok ? (r.value.find((x) => x.userId === m.userId)?.scopes ?? []) : [];
  return all.filter((s) => s === 'leerling' || s.endsWith(`:${hv}`)).map((s) => s.split(':')[0] ?? s).sort();
};
const ALLES = ['formulieren', 'hulpvraag', 'leerling', 'lvs'];

async function moves(m: Member, hv: HulpvraagId): Promise<string[]> {
  await m.tc.client.tick();
  await m.tc.client.refreshViews(dossier);
  const t = m.tc.client.allowedTransitions(dossier, hv);
  return t.ok ? t.value.map((x) => x.to).sort() : [];
}

async function naar(m: Member, hv: HulpvraagId, to: string, extra?: { omschrijving?: string; tlv?: typeof TLV }): Promise<void> {
  await eventually(async () => (await moves(m, hv)).includes(to), `${m.naam} mag naar ${to}`, 30_000);
  const r = await m.tc.client.changeStatus(dossier, hv, to, extra?.omschrijving, extra?.tlv ? { tlv: extra.tlv } : undefined);
  if (!r.ok) throw new Error(r.error.message);
  await eventually(async () => {
    await ilse.tc.client.tick();
    await ilse.tc.client.refreshViews(dossier);
    const v = ilse.tc.client.getHulpvraag(dossier, hv);
    return v.ok && v.value.status === to;
  }, `IB ziet ${to}`, 30_000);
  // The IB's device (a dossier admin) reconciles access.
  await ilse.tc.client.tick();
}

async function nieuw(omschrijving: string): Promise<HulpvraagId> {
  const hv = await ilse.tc.client.createHulpvraag(dossier, { titel: 'TLV SBO', omschrijving });
  if (!hv.ok) throw new Error(hv.error.message);
  return hv.value;
}

describe('PO TLV SBO/SO, one client per party', () => {
  it('voorlopige aanvraag → indienen → incompleet → aangevuld → vragen gesteld (assigned deskundige) → aangevuld → TLV afgegeven', async () => {
    const hv = await nieuw('Aanvraag SBO');
    // Voorlopig: the school's own; the linked ouder reads along (R46); the SWV sees nothing yet.
    expect(scopesOf(ilse, hv)).toEqual(ALLES);
    expect(scopesOf(olga, hv)).toEqual(['hulpvraag', 'leerling']);
    for (const m of [lotte, cor, dirk, dora]) expect(scopesOf(m, hv)).toEqual([]);
    expect(await moves(ilse, hv)).toEqual(['TLV aanvraag indienen', 'TLV aanvraag ingetrokken']);
    expect(await moves(olga, hv)).toEqual([]);

    await naar(ilse, hv, 'TLV aanvraag indienen');
    for (const m of [lotte, cor]) expect(scopesOf(m, hv)).toEqual(ALLES);
    expect(scopesOf(olga, hv)).toEqual(['hulpvraag', 'leerling']);
    expect(scopesOf(dirk, hv)).toEqual([]);
    expect(scopesOf(dora, hv)).toEqual([]);
    expect(await moves(lotte, hv)).toEqual(['TLV aanvraag incompleet']);
    expect(await moves(ilse, hv)).toEqual(['TLV aanvraag ingetrokken']);
    expect(await moves(olga, hv)).toEqual([]);

    await naar(lotte, hv, 'TLV aanvraag incompleet', { omschrijving: 'OPP ontbreekt' });
    await naar(ilse, hv, 'TLV aanvraag aangevuld');

    const a = await ilse.tc.client.addAanpak(dossier, hv, { behandelaar: dirk.userId, omschrijving: 'Deskundigenadvies', startdatum: new Date().toISOString().slice(0, 10) });
    if (!a.ok) throw new Error(a.error.message);
    expect(scopesOf(dirk, hv)).toEqual(ALLES);
    expect(scopesOf(dora, hv)).toEqual([]);
    await naar(dirk, hv, 'TLV vragen gesteld', { omschrijving: 'Vragen over de onderwijsbehoefte' });
    expect(await moves(dora, hv)).toEqual([]);
    await naar(ilse, hv, 'TLV aanvraag aangevuld');

    await naar(cor, hv, 'TLV afgegeven', { tlv: TLV });
    // End: the SWV keeps its archive read, the assigned deskundige is done [R90], nobody moves anything.
    for (const m of [lotte, cor]) expect(scopesOf(m, hv)).toEqual(ALLES);
    expect(scopesOf(dirk, hv)).toEqual([]);
    expect(scopesOf(olga, hv)).toEqual(['hulpvraag', 'leerling']);
    for (const m of [ilse, lotte, cor, olga]) expect(await moves(m, hv)).toEqual([]);
    const v = ilse.tc.client.getHulpvraag(dossier, hv);
    // The number is the register's first, not the 42 the test passed in [R117].
    expect(v.ok && v.value.tlv?.volgnummer).toBe(1);
    expect(await ilse.tc.client.checkVolgnummer(dossier, hv)).toEqual({ ok: true, value: 'bevestigd' });
  }, 300_000);

  it('the other end statuses: TLV afwijzing toegelicht by the coördinator, TLV aanvraag ingetrokken by the school', async () => {
    const afgewezen = await nieuw('Aanvraag SO');
    await naar(ilse, afgewezen, 'TLV aanvraag indienen');
    await naar(cor, afgewezen, 'TLV afwijzing toegelicht', { omschrijving: 'Toelichting in een gesprek met school en ouders' });
    for (const m of [ilse, cor]) expect(await moves(m, afgewezen)).toEqual([]);
    expect(scopesOf(olga, afgewezen)).toEqual(['hulpvraag', 'leerling']);

    const ingetrokken = await nieuw('Verlaten concept');
    await naar(ilse, ingetrokken, 'TLV aanvraag ingetrokken', { omschrijving: 'Niet meer nodig' });
    expect(await moves(ilse, ingetrokken)).toEqual([]);
    // Withdrawn as a concept: the SWV never sees it (only `leerling`, dossier-wide, from the other aanvragen).
    for (const m of [lotte, cor]) expect(scopesOf(m, ingetrokken).filter((s) => s !== 'leerling')).toEqual([]);
    expect(scopesOf(olga, ingetrokken)).toEqual(['hulpvraag', 'leerling']);
  }, 300_000);
});
