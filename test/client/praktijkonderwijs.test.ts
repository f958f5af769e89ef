// Praktijkonderwijs zij-instroom (002 "PRO zij-instroom") walked through the client facade against
// a real relay on 127.0.0.1, one client per party: the COO of a VO school fills the LVS tab, takes
// the berekend advies into the form and has it signed by its bevoegd gezag; the SWV loket and
// coördinator (the loketvergadering) check, hold (aangehouden = vragen gesteld) and decide; the
// CvT and a deskundige who is not assigned have no part in PrO and read nothing [R91]; the linked
// ouder reads the hulpvraag but not the LVS or the form, and moves nothing [R46]. Indienen waits
// for the signature [R48]; PrO afgegeven is a TLV PrO with the register's volgnummer [R117].
// Every end status (PrO afgegeven, PrO afwijzing, PrO aanvraag ingetrokken) is reached [R23, R90].
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HulpvraagId } from '../../core/model/ids.js';
import { eventually, type Member } from '../sync/harness.js';
import { TLV } from '../workflow/fixtures.js';
import type { World } from './dossier-world.js';
import { completeAnswers, formOf } from './indienen-world.js';
import { ALLES, startWalk, VO_AANVRAAG, type ProcessWalk } from './process-walk.js';

const TITEL = 'Praktijkonderwijs';
const S = {
  voorlopig: 'PrO voorlopige aanvraag',
  indienen: 'PrO aanvraag indienen',
  incompleet: 'PrO aanvraag incompleet',
  vragen: 'PrO vragen gesteld',
  aangevuld: 'PrO aanvraag aangevuld',
  ingetrokken: 'PrO aanvraag ingetrokken',
  afgegeven: 'PrO afgegeven',
  afwijzing: 'PrO afwijzing',
} as const;
/** LVS data (002 stap 3) for a leerling with a large achterstand in every domain and an IQ of 70. */
const LVS = {
  toetsdatum: '2026-10-01',
  groep: '8',
  doublures: '0',
  'dle-begrijpend-lezen': '20',
  'dle-technisch-lezen': '20',
  'dle-spellen': '20',
  'dle-inzichtelijk-rekenen': '20',
  'iq-testdatum': '2026-09-01',
  iq: 70,
};

let world: World;
let carla: Member, bert: Member, lotte: Member, cor: Member, cees: Member, dirk: Member, olga: Member;
let walk: ProcessWalk;

beforeAll(async () => {
  ({ world, walk } = await startWalk(VO_AANVRAAG, TITEL));
  [carla, bert, lotte, cor, cees, dirk, olga] = world.members as [Member, Member, Member, Member, Member, Member, Member];
}, 120_000);

afterAll(async () => {
  await world?.close();
});

/** 002 stap 3–7: LVS first, the form takes the berekend advies from it, the bevoegd gezag signs. */
async function lvsEnFormulier(hv: HulpvraagId): Promise<void> {
  const c = carla.tc.client;
  const l = await c.setLvs(walk.dossier, hv, LVS);
  if (!l.ok) throw new Error(l.error.message);
  const voor = c.formVoorinvulling(walk.dossier, hv);
  if (!voor.ok) throw new Error(voor.error.message);
  const { def, id } = formOf(TITEL);
  const antwoorden = { ...completeAnswers(def), ...voor.value };
  const w = await c.setFormValues(walk.dossier, hv, id, antwoorden);
  if (!w.ok) throw new Error(w.error.message);
  await eventually(
    async () => {
      await bert.tc.client.tick();
      const f = bert.tc.client.getForm(walk.dossier, hv);
      return f.ok && f.value['berekend-advies'] === antwoorden['berekend-advies'] && f.value.motivering === antwoorden.motivering;
    },
    'formulier bij het bevoegd gezag',
    30_000,
  );
  const s = await bert.tc.client.signForm(walk.dossier, hv, id);
  if (!s.ok) throw new Error(s.error.message);
  await eventually(
    async () => {
      await c.tick();
      const v = await c.formSignature(walk.dossier, hv, id);
      return v.ok && v.value !== null && v.value.geldig;
    },
    'handtekening bij de school',
    30_000,
  );
}

describe('Praktijkonderwijs zij-instroom, one client per party', () => {
  it('LVS → berekend advies → signed form → indienen → incompleet → (bijlage) aangevuld → aangehouden (vragen) → (bijlage) aangevuld → PrO afgegeven with the register’s number', async () => {
    const hv = await walk.nieuw('Zij-instroom in het praktijkonderwijs');
    const v = carla.tc.client.getHulpvraag(walk.dossier, hv);
    expect(v.ok && [v.value.processId, v.value.status]).toEqual(['praktijkonderwijs', S.voorlopig]);
    expect(walk.scopes(carla, hv)).toEqual(ALLES);
    for (const m of [lotte, cor, cees, dirk]) expect(walk.scopes(m, hv)).toEqual([]);
    expect(await walk.status(lotte, hv)).toBeNull();

    // Unsigned: indienen is refused and says why [R48].
    const leeg = await carla.tc.client.changeStatus(walk.dossier, hv, S.indienen);
    expect(!leeg.ok && leeg.error.code).toBe('vereisten-ontbreken');
    expect(!leeg.ok && leeg.error.message).toContain('nog niet digitaal ondertekend door het bevoegd gezag');
    await lvsEnFormulier(hv);
    // The form carries the calculator's advies, not a free choice (002 stap 3).
    const f = carla.tc.client.getForm(walk.dossier, hv);
    expect(f.ok && f.value['berekend-advies']).toBe('PrO');
    await walk.ziet(olga, hv, S.voorlopig);
    await walk.geweigerd(olga, hv, S.indienen);
    await walk.naar(carla, hv, S.indienen);

    // The loketvergadering reads the hulpvraag, the form and the LVS; nobody else does.
    for (const m of [lotte, cor]) expect(walk.scopes(m, hv)).toEqual(ALLES);
    for (const m of [cees, dirk]) expect(walk.scopes(m, hv)).toEqual([]);
    await walk.ziet(lotte, hv, S.indienen);
    const lvs = lotte.tc.client.getLvs(walk.dossier, hv);
    expect(lvs.ok && lvs.value.iq).toBe(70);
    expect(lotte.tc.client.getForm(walk.dossier, hv).ok).toBe(true);
    for (const m of [cees, dirk]) expect(await walk.status(m, hv)).toBeNull();
    // The linked ouder reads the hulpvraag but not the LVS or the form [R46].
    expect(walk.scopes(olga, hv)).toEqual(['hulpvraag', 'leerling']);
    expect(olga.tc.client.getLvs(walk.dossier, hv).ok).toBe(false);
    expect(olga.tc.client.getForm(walk.dossier, hv).ok).toBe(false);

    for (const m of [lotte, cor]) expect(await walk.moves(m, hv)).toEqual([S.incompleet, S.afgegeven, S.afwijzing, S.vragen]);
    expect(await walk.moves(carla, hv)).toEqual([S.ingetrokken]);
    await walk.geweigerd(carla, hv, S.afgegeven);

    await walk.naar(lotte, hv, S.incompleet, { omschrijving: 'Het onderwijskundig rapport ontbreekt.' });
    await walk.ziet(carla, hv, S.incompleet);
    await walk.bijlage(carla, hv, 'onderwijskundig-rapport.txt');
    await walk.ziet(lotte, hv, S.aangevuld);
    // Aangehouden in the loketvergadering: vragen gesteld; the vragendocument is the SWV's and moves nothing.
    await walk.naar(cor, hv, S.vragen, { omschrijving: 'Aangehouden: vragen in de bijlage.' });
    await walk.bijlage(cor, hv, 'vragen.txt');
    await walk.ziet(carla, hv, S.vragen);
    await walk.bijlage(carla, hv, 'beantwoordingvragen.txt');
    await walk.ziet(cor, hv, S.aangevuld);

    // Akkoord: a TLV PrO, which needs the TLV data; the number comes from the register [R117].
    const zonder = await cor.tc.client.changeStatus(walk.dossier, hv, S.afgegeven);
    expect(!zonder.ok && zonder.error.code).toBe('tlv-gegevens-verplicht');
    await walk.naar(cor, hv, S.afgegeven, { tlv: TLV });
    for (const m of [lotte, cor]) expect(walk.scopes(m, hv)).toEqual(ALLES);
    await walk.ziet(olga, hv, S.afgegeven);
    for (const m of [carla, lotte, cor, olga]) expect(await walk.moves(m, hv)).toEqual([]);
    const h = carla.tc.client.getHulpvraag(walk.dossier, hv);
    expect(h.ok && h.value.tlv?.volgnummer).toBe(1);
    expect(h.ok && h.value.history.map((x) => [x.to, x.actor])).toEqual([
      [S.indienen, carla.userId],
      [S.incompleet, lotte.userId],
      [S.aangevuld, carla.userId],
      [S.vragen, cor.userId],
      [S.aangevuld, carla.userId],
      [S.afgegeven, cor.userId],
    ]);
    expect(await carla.tc.client.checkVolgnummer(walk.dossier, hv)).toEqual({ ok: true, value: 'bevestigd' });
  }, 240_000);

  it('PrO afwijzing by the loket with the toelichting; PrO aanvraag ingetrokken by the school', async () => {
    const afgewezen = await walk.nieuw('Tweede aanvraag');
    await lvsEnFormulier(afgewezen);
    await walk.naar(carla, afgewezen, S.indienen);
    const zonder = await lotte.tc.client.changeStatus(walk.dossier, afgewezen, S.afwijzing);
    expect(!zonder.ok && zonder.error.code).toBe('omschrijving-verplicht');
    await walk.naar(lotte, afgewezen, S.afwijzing, { omschrijving: 'De leerachterstand is niet aangetoond met recente toetsen.' });
    for (const m of [lotte, cor]) expect(walk.scopes(m, afgewezen)).toEqual(ALLES);
    await walk.ziet(olga, afgewezen, S.afwijzing);
    const gezien = olga.tc.client.getHulpvraag(walk.dossier, afgewezen);
    expect(gezien.ok && gezien.value.history.at(-1)?.omschrijving).toBe('De leerachterstand is niet aangetoond met recente toetsen.');
    for (const m of [carla, lotte]) expect(await walk.moves(m, afgewezen)).toEqual([]);

    const ingetrokken = await walk.nieuw('Derde aanvraag');
    await lvsEnFormulier(ingetrokken);
    await walk.naar(carla, ingetrokken, S.indienen);
    await walk.naar(lotte, ingetrokken, S.incompleet, { omschrijving: 'IQ-onderzoek ouder dan twee jaar.' });
    await walk.geweigerd(lotte, ingetrokken, S.ingetrokken);
    await walk.naar(carla, ingetrokken, S.ingetrokken);
    for (const m of [lotte, cor]) expect(walk.scopes(m, ingetrokken).filter((s) => s !== 'leerling')).toEqual([]);
    expect(await walk.moves(carla, ingetrokken)).toEqual([]);
  }, 240_000);
});
