// BAG (002 "BAG (voor basisscholen)") walked through the client facade against a real relay on
// 127.0.0.1, one client per party: the IB of a basisschool files, fills in later and answers; the
// SWV loket and coördinator agenderen (the omschrijving carries the meeting date), verplaatsen,
// send it back and close it; a deskundige who is not assigned reads nothing [R91]; the linked
// ouder reads the advies but moves nothing [R46]. Both end statuses (BAG afgerond, BAG aanvraag
// ingetrokken) are reached; who reads which scope follows the status [R23, R90].
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Member } from '../sync/harness.js';
import type { World } from './dossier-world.js';
import { ALLES, PARTIES, startWalk, type ProcessWalk } from './process-walk.js';

const S = {
  voorlopig: 'BAG voorlopige aanvraag',
  indienen: 'BAG aanvraag indienen',
  incompleet: 'BAG aanvraag incompleet',
  vragen: 'BAG vragen gesteld',
  aangevuld: 'BAG aanvraag aangevuld',
  ingetrokken: 'BAG aanvraag ingetrokken',
  geagendeerd: 'BAG geagendeerd',
  afgerond: 'BAG afgerond',
} as const;

let world: World;
let ilse: Member, lotte: Member, cor: Member, dirk: Member, olga: Member;
let walk: ProcessWalk;

beforeAll(async () => {
  ({ world, walk } = await startWalk([PARTIES.ilse, PARTIES.lotte, PARTIES.cor, PARTIES.dirk, PARTIES.olga], 'BAG'));
  [ilse, lotte, cor, dirk, olga] = world.members as [Member, Member, Member, Member, Member];
}, 120_000);

afterAll(async () => {
  await world?.close();
});

describe('BAG, one client per party', () => {
  it('voorlopig → indienen → geagendeerd (date in the omschrijving) → verplaatst → BAG afgerond; the ouder reads the advies', async () => {
    const hv = await walk.nieuw('Bespreking onderwijsbehoefte');
    const v = ilse.tc.client.getHulpvraag(walk.dossier, hv);
    expect(v.ok && [v.value.processId, v.value.status]).toEqual(['bag', S.voorlopig]);
    // The form "Aanvraag BAG" comes with the titel (002); no signature is asked before indienen.
    expect(ilse.tc.client.getForm(walk.dossier, hv).ok).toBe(true);

    expect(walk.scopes(ilse, hv)).toEqual(ALLES);
    for (const m of [lotte, cor, dirk]) expect(walk.scopes(m, hv)).toEqual([]);
    expect(await walk.status(cor, hv)).toBeNull();
    expect(await walk.moves(ilse, hv)).toEqual([S.indienen, S.ingetrokken]);
    await walk.ziet(olga, hv, S.voorlopig);
    await walk.geweigerd(olga, hv, S.indienen);

    await walk.naar(ilse, hv, S.indienen);
    for (const m of [lotte, cor]) expect(walk.scopes(m, hv)).toEqual(ALLES);
    expect(walk.scopes(dirk, hv)).toEqual([]);
    expect(await walk.status(dirk, hv)).toBeNull();
    for (const m of [lotte, cor]) expect(await walk.moves(m, hv)).toEqual([S.incompleet, S.geagendeerd, S.vragen]);
    expect(await walk.moves(ilse, hv)).toEqual([S.ingetrokken]);
    // The school does not put its own aanvraag on the agenda.
    await walk.geweigerd(ilse, hv, S.geagendeerd, 'BAG op 12 januari 14:00');

    // Geagendeerd needs the meeting date in the omschrijving (002).
    const zonder = await lotte.tc.client.changeStatus(walk.dossier, hv, S.geagendeerd);
    expect(!zonder.ok && zonder.error.code).toBe('omschrijving-verplicht');
    expect(!zonder.ok && zonder.error.message).toContain('vergadering');
    await walk.naar(lotte, hv, S.geagendeerd, { omschrijving: 'BAG op 12 januari 14:00' });
    for (const m of [lotte, cor]) expect(await walk.moves(m, hv)).toEqual([S.incompleet, S.afgerond, S.geagendeerd]);
    // A bijlage of the school while geagendeerd (002: fill in later) does not move the status.
    await walk.bijlage(ilse, hv, 'gespreksverslag.txt');
    await walk.ziet(cor, hv, S.geagendeerd);

    // Verplaatst: geagendeerd again, with the new date; the IB's history shows both.
    await walk.naar(cor, hv, S.geagendeerd, { omschrijving: 'Verplaatst naar 19 januari 14:00' });
    await walk.geweigerd(olga, hv, S.afgerond);
    await walk.naar(cor, hv, S.afgerond);
    for (const m of [lotte, cor]) expect(walk.scopes(m, hv)).toEqual(ALLES);
    await walk.ziet(olga, hv, S.afgerond);
    for (const m of [ilse, lotte, cor, olga]) expect(await walk.moves(m, hv)).toEqual([]);
    const h = ilse.tc.client.getHulpvraag(walk.dossier, hv);
    expect(h.ok && h.value.history.map((x) => [x.to, x.omschrijving ?? null])).toEqual([
      [S.indienen, null],
      [S.geagendeerd, 'BAG op 12 januari 14:00'],
      [S.geagendeerd, 'Verplaatst naar 19 januari 14:00'],
      [S.afgerond, null],
    ]);
  }, 240_000);

  it('incompleet → (bijlage) aangevuld → vragen gesteld → (bijlage) aangevuld → geagendeerd → back to incompleet → aangevuld → geagendeerd → afgerond', async () => {
    const hv = await walk.nieuw('Alleen een datum reserveren');
    await walk.naar(ilse, hv, S.indienen);
    await walk.naar(lotte, hv, S.incompleet, { omschrijving: 'Het OPP ontbreekt.' });
    await walk.ziet(ilse, hv, S.incompleet);
    await walk.bijlage(ilse, hv, 'opp.txt');
    await walk.ziet(lotte, hv, S.aangevuld);
    await walk.naar(cor, hv, S.vragen, { omschrijving: 'Vragen over de hulpverlening; document in de bijlagen.' });
    await walk.ziet(ilse, hv, S.vragen);
    await walk.bijlage(ilse, hv, 'beantwoording.txt');
    await walk.ziet(cor, hv, S.aangevuld);
    await walk.naar(cor, hv, S.geagendeerd, { omschrijving: 'BAG op 2 februari 10:00' });
    // 002: a date may be reserved first; what is still missing sends it back to incompleet.
    await walk.naar(lotte, hv, S.incompleet, { omschrijving: 'Het formulier is nog niet aangevuld.' });
    expect(await walk.moves(ilse, hv)).toEqual([S.aangevuld, S.ingetrokken]);
    await walk.naar(ilse, hv, S.aangevuld);
    await walk.naar(lotte, hv, S.geagendeerd, { omschrijving: 'BAG op 9 februari 10:00' });
    await walk.naar(lotte, hv, S.afgerond);
    expect(await walk.moves(lotte, hv)).toEqual([]);
  }, 240_000);

  it('BAG aanvraag ingetrokken by the school once it is on the agenda; the SWV loses its view and nobody moves it again', async () => {
    const hv = await walk.nieuw('Bespreking die niet meer nodig is');
    await walk.naar(ilse, hv, S.indienen);
    await walk.naar(cor, hv, S.geagendeerd, { omschrijving: 'BAG op 16 februari 10:00' });
    await walk.geweigerd(lotte, hv, S.ingetrokken);
    await walk.naar(ilse, hv, S.ingetrokken);
    for (const m of [lotte, cor]) expect(walk.scopes(m, hv).filter((s) => s !== 'leerling')).toEqual([]);
    for (const m of [ilse, olga]) expect(await walk.moves(m, hv)).toEqual([]);
    const weer = await cor.tc.client.changeStatus(walk.dossier, hv, S.geagendeerd, 'BAG op 23 februari');
    expect(weer.ok).toBe(false);
  }, 240_000);
});
