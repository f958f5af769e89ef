// What the client stores from the Formulier and LVS tabs goes through core/forms
// and core/pro: fields and types of the attached form, no leerling data in free
// text, clearing a field removes it. Real relay on 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asId, type DossierId, type FormulierId, type HulpvraagId } from '../../core/model/ids.js';
import { formForHulpvraagTitel } from '../../core/forms/definitions/form-set.js';
import { berekenProAdvies, PRO_ADVIES_LABELS } from '../../core/pro/advies.js';
import { proInputFromLvsForm } from '../../core/pro/lvs-form.js';
import type { Member } from '../sync/harness.js';
import { fileHulpvraag, startWorld, type World } from './dossier-world.js';

let world: World;
let ib: Member;
let dossier: DossierId;
let hv: HulpvraagId;
const TLV = formForHulpvraagTitel('TLV VSO');
if (!TLV) throw new Error('TLV VSO heeft geen formulier');
const FORM = asId<FormulierId>(TLV.id);

beforeAll(async () => {
  world = await startWorld([
    {
      naam: 'Ilse Bakker',
      functie: 'intern begeleider',
      organisation: { naam: 'OBS De Linde', kind: 'school' },
      roles: ['intern-begeleider'],
    },
  ]);
  [ib] = world.members as [Member];
  ({ dossier, hv } = await fileHulpvraag(ib));
}, 120_000);

afterAll(async () => {
  await world?.close();
});

const code = (r: { ok: boolean; error?: { code: string } }): string => (r.ok ? 'ok' : (r.error?.code ?? '?'));

describe('form answers through core/forms', () => {
  it('fills what is known already (leerling tab, schoolgegevens) into the unanswered fields of the form, without storing it (002)', async () => {
    const c = ib.tc.client;
    const v = c.formVoorinvulling(dossier, hv);
    if (!v.ok) throw new Error(v.error.message);
    expect(v.value).toMatchObject({
      'leerling-naam': 'Fenna Kwartel',
      'leerling-geboortedatum': '2013-04-05',
      'school-naam': 'OBS De Linde',
    });
    const h = c.getHulpvraag(dossier, hv);
    expect(h.ok && v.value['contactpersoon']).toBe(h.ok ? h.value.school.contactpersoon : '');
    // Nothing stored yet; an answer given is never replaced by what is known.
    const leeg = c.getForm(dossier, hv);
    expect(leeg.ok && leeg.value).toEqual({});
    expect(code(await c.setFormValues(dossier, hv, FORM, { 'school-naam': 'OBS De Linde, locatie Noord' }))).toBe('ok');
    const daarna = c.formVoorinvulling(dossier, hv);
    expect(daarna.ok && 'school-naam' in daarna.value).toBe(false);
    expect(daarna.ok && daarna.value['leerling-naam']).toBe('Fenna Kwartel');
    expect(code(await c.setFormValues(dossier, hv, FORM, { 'school-naam': '' }))).toBe('ok');
  });

  it('keeps incomplete answers, refuses unknown fields, wrong types and another hulpvraag type’s form; the prefilled name field may hold the name', async () => {
    const c = ib.tc.client;
    expect(code(await c.setFormValues(dossier, hv, FORM, { 'gewenste-school': 'VSO De Brug', 'leerling-naam': 'Fenna Kwartel' }))).toBe(
      'ok',
    );
    expect(code(await c.setFormValues(dossier, hv, FORM, { 'geen-veld': 'x' }))).toBe('formulier-ongeldige-waarden');
    expect(code(await c.setFormValues(dossier, hv, FORM, { leerjaar: 'vier' }))).toBe('formulier-ongeldige-waarden');
    expect(code(await c.setFormValues(dossier, hv, FORM, { 'contact-email': 'geen adres' }))).toBe('formulier-ongeldige-waarden');
    expect(code(await c.setFormValues(dossier, hv, asId<FormulierId>('aanvraag-financieel-arrangement'), { x: 'y' }))).toBe(
      'formulier-onbekend',
    );
    const f = c.getForm(dossier, hv);
    expect(f.ok && f.value).toEqual({ 'gewenste-school': 'VSO De Brug', 'leerling-naam': 'Fenna Kwartel' });
  });

  it('refuses the leerling’s name in a free-text answer, and clearing a field removes the old answer', async () => {
    const c = ib.tc.client;
    const r = await c.setFormValues(dossier, hv, FORM, { onderwijsbehoeften: 'Fenna heeft een vaste plek nodig' });
    expect(code(r)).toBe('persoonsgegevens');
    expect(code(await c.setFormValues(dossier, hv, FORM, { 'gewenste-school': '  ' }))).toBe('ok');
    const f = c.getForm(dossier, hv);
    expect(f.ok && 'gewenste-school' in f.value).toBe(false);
  });
});

describe('LVS answers through core/pro', () => {
  it('stores what the calculator reads, refuses unknown keys, non-numbers, bad dates and leerling data; clearing removes', async () => {
    const c = ib.tc.client;
    const goed = {
      toetsdatum: '2026-01-15',
      groep: '7',
      doublures: '0',
      'dle-begrijpend-lezen': '30',
      'iq-testdatum': '2025-11-01',
      iq: 78,
      'sociaal-emotioneel': true,
    };
    expect(code(await c.setLvs(dossier, hv, goed))).toBe('ok');
    const l = c.getLvs(dossier, hv);
    if (!l.ok) throw new Error(l.error.message);
    const invoer = proInputFromLvsForm(l.value);
    expect(typeof invoer === 'string' ? invoer : invoer.dlBron).toEqual({ kind: 'groep', groep: 7, doublures: 0 });
    expect(code(await c.setLvs(dossier, hv, { verzonnen: '1' }))).toBe('lvs-ongeldig');
    expect(code(await c.setLvs(dossier, hv, { groep: 'zeven' }))).toBe('lvs-ongeldig');
    expect(code(await c.setLvs(dossier, hv, { toetsdatum: '15-01-2026' }))).toBe('lvs-ongeldig');
    expect(code(await c.setLvs(dossier, hv, { 'iq-toelichting': 'Kwartel scoort verbaal hoger' }))).toBe('persoonsgegevens');
    expect(code(await c.setLvs(dossier, hv, { 'dle-begrijpend-lezen': '' }))).toBe('ok');
    const na = c.getLvs(dossier, hv);
    expect(na.ok && 'dle-begrijpend-lezen' in na.value).toBe(false);
    expect(na.ok && na.value['groep']).toBe('7');
  });

  it('says in Dutch what the calculator still needs', () => {
    expect(proInputFromLvsForm({})).toMatch(/toetsdatum/);
    expect(proInputFromLvsForm({ toetsdatum: '2026-01-15' })).toMatch(/groep/);
    const direct = proInputFromLvsForm({ toetsdatum: '2026-01-15', dl: '45,5', groep: '7' });
    expect(typeof direct === 'string' ? direct : direct.dlBron).toEqual({ kind: 'direct', dl: 45.5 });
  });
});

describe('the PrO form takes its berekend advies from the calculator (issue 17)', () => {
  it("prefills the calculator's advies, DL, IQ and toetsdatum from the LVS data, and refuses another advies", async () => {
    const c = ib.tc.client;
    const pro = await fileHulpvraag(ib, 'Praktijkonderwijs', 'Aanvraag praktijkonderwijs');
    const def = formForHulpvraagTitel('Praktijkonderwijs');
    if (!def) throw new Error('PrO heeft geen formulier');
    const lvs = {
      toetsdatum: '2026-11-16',
      dl: '50',
      'dle-begrijpend-lezen': '20',
      'dle-inzichtelijk-rekenen': '22',
      'dle-technisch-lezen': '25',
      'dle-spellen': '24',
      iq: '70',
      'iq-testdatum': '2026-10-01',
    };
    expect(code(await c.setLvs(pro.dossier, pro.hv, lvs))).toBe('ok');
    const invoer = proInputFromLvsForm(lvs);
    if (typeof invoer === 'string') throw new Error(invoer);
    const advies = berekenProAdvies(invoer, { now: new Date() });
    if (!advies.ok) throw new Error(advies.error.message);
    const label = PRO_ADVIES_LABELS[advies.value.advies];
    const v = c.formVoorinvulling(pro.dossier, pro.hv);
    if (!v.ok) throw new Error(v.error.message);
    expect(v.value).toMatchObject({ 'berekend-advies': expect.any(String), dl: advies.value.dl, iq: 70, toetsdatum: '2026-11-16' });
    const ander = ['PrO', 'LWOO', 'Grensvlak PrO/LWOO', 'Geen PrO of LWOO'].find((x) => x !== v.value['berekend-advies'])!;
    const form = asId<FormulierId>(def.id);
    expect(code(await c.setFormValues(pro.dossier, pro.hv, form, { 'berekend-advies': ander }))).toBe('advies-wijkt-af');
    expect(code(await c.setFormValues(pro.dossier, pro.hv, form, { 'berekend-advies': v.value['berekend-advies'] ?? '' }))).toBe('ok');
    // The form's option for the calculator's kind (core/forms/prefill.ts names them as the form does).
    const optie = { pro: 'PrO', lwoo: 'LWOO', grensvlak: 'Grensvlak PrO/LWOO', geen: 'Geen PrO of LWOO' }[advies.value.advies];
    expect(v.value['berekend-advies']).toBe(optie);
    expect(advies.value.advies, label).toBe('pro');
  });
});
