// PO TLV SBO/SO (000/002) walked through the client facade against a real relay on 127.0.0.1,
// one client per party: the IB files and indient, the SWV loket and coördinator work on it, a
// deskundige assigned to the case asks questions, the linked ouder reads along from indienen; each
// end status (afgegeven, afwijzing toegelicht, ingetrokken) is reached, and who reads which scope
// and who may move the status is checked on the way [R23, R46, R90, R91].
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Member } from '../sync/harness.js';
import type { World } from './dossier-world.js';
import { ALLES, PARTIES, startWalk, type ProcessWalk } from './process-walk.js';
import { TLV } from '../workflow/fixtures.js';

let world: World;
let ilse: Member, lotte: Member, cor: Member, dirk: Member, dora: Member, olga: Member;
let walk: ProcessWalk;

beforeAll(async () => {
  ({ world, walk } = await startWalk(
    [
      PARTIES.ilse,
      PARTIES.lotte,
      PARTIES.cor,
      PARTIES.dirk,
      {
        naam: 'Dora Deskundige',
        functie: 'psycholoog',
        organisation: { naam: 'Expertisecentrum Oost', kind: 'zorgpartner' },
        roles: ['deskundige'],
      },
      PARTIES.olga,
    ],
    'TLV SBO',
  ));
  [ilse, lotte, cor, dirk, dora, olga] = world.members as [Member, Member, Member, Member, Member, Member];
}, 120_000);

afterAll(async () => {
  await world?.close();
});

describe('PO TLV SBO/SO, one client per party', () => {
  it('voorlopige aanvraag → indienen → incompleet → aangevuld → vragen gesteld (assigned deskundige) → aangevuld → TLV afgegeven', async () => {
    const hv = await walk.nieuw('Aanvraag SBO');
    // Voorlopig: the school's own; the linked ouder reads along (R46); the SWV sees nothing yet.
    expect(walk.scopes(ilse, hv)).toEqual(ALLES);
    expect(walk.scopes(olga, hv)).toEqual(['hulpvraag', 'leerling']);
    for (const m of [lotte, cor, dirk, dora]) expect(walk.scopes(m, hv)).toEqual([]);
    expect(await walk.moves(ilse, hv)).toEqual(['TLV aanvraag indienen', 'TLV aanvraag ingetrokken']);
    expect(await walk.moves(olga, hv)).toEqual([]);

    await walk.naar(ilse, hv, 'TLV aanvraag indienen');
    for (const m of [lotte, cor]) expect(walk.scopes(m, hv)).toEqual(ALLES);
    expect(walk.scopes(olga, hv)).toEqual(['hulpvraag', 'leerling']);
    expect(walk.scopes(dirk, hv)).toEqual([]);
    expect(walk.scopes(dora, hv)).toEqual([]);
    expect(await walk.moves(lotte, hv)).toEqual(['TLV aanvraag incompleet']);
    expect(await walk.moves(ilse, hv)).toEqual(['TLV aanvraag ingetrokken']);
    expect(await walk.moves(olga, hv)).toEqual([]);

    await walk.naar(lotte, hv, 'TLV aanvraag incompleet', { omschrijving: 'OPP ontbreekt' });
    await walk.naar(ilse, hv, 'TLV aanvraag aangevuld');

    const a = await ilse.tc.client.addAanpak(walk.dossier, hv, {
      behandelaar: dirk.userId,
      omschrijving: 'Deskundigenadvies',
      startdatum: new Date().toISOString().slice(0, 10),
    });
    if (!a.ok) throw new Error(a.error.message);
    expect(walk.scopes(dirk, hv)).toEqual(ALLES);
    expect(walk.scopes(dora, hv)).toEqual([]);
    await walk.naar(dirk, hv, 'TLV vragen gesteld', { omschrijving: 'Vragen over de onderwijsbehoefte' });
    expect(await walk.moves(dora, hv)).toEqual([]);
    await walk.naar(ilse, hv, 'TLV aanvraag aangevuld');

    await walk.naar(cor, hv, 'TLV afgegeven', { tlv: TLV });
    // End: the SWV keeps its archive read, the assigned deskundige is done [R90], nobody moves anything.
    for (const m of [lotte, cor]) expect(walk.scopes(m, hv)).toEqual(ALLES);
    expect(walk.scopes(dirk, hv)).toEqual([]);
    expect(walk.scopes(olga, hv)).toEqual(['hulpvraag', 'leerling']);
    for (const m of [ilse, lotte, cor, olga]) expect(await walk.moves(m, hv)).toEqual([]);
    const v = ilse.tc.client.getHulpvraag(walk.dossier, hv);
    // The number is the register's first, not the 42 the test passed in [R117].
    expect(v.ok && v.value.tlv?.volgnummer).toBe(1);
    expect(await ilse.tc.client.checkVolgnummer(walk.dossier, hv)).toEqual({ ok: true, value: 'bevestigd' });
  }, 300_000);

  it('the other end statuses: TLV afwijzing toegelicht by the coördinator, TLV aanvraag ingetrokken by the school', async () => {
    const afgewezen = await walk.nieuw('Aanvraag SO');
    await walk.naar(ilse, afgewezen, 'TLV aanvraag indienen');
    await walk.naar(cor, afgewezen, 'TLV afwijzing toegelicht', { omschrijving: 'Toelichting in een gesprek met school en ouders' });
    for (const m of [ilse, cor]) expect(await walk.moves(m, afgewezen)).toEqual([]);
    expect(walk.scopes(olga, afgewezen)).toEqual(['hulpvraag', 'leerling']);

    const ingetrokken = await walk.nieuw('Verlaten concept');
    await walk.naar(ilse, ingetrokken, 'TLV aanvraag ingetrokken', { omschrijving: 'Niet meer nodig' });
    expect(await walk.moves(ilse, ingetrokken)).toEqual([]);
    // Withdrawn as a concept: the SWV never sees it (only `leerling`, dossier-wide, from the other aanvragen).
    for (const m of [lotte, cor]) expect(walk.scopes(m, ingetrokken).filter((s) => s !== 'leerling')).toEqual([]);
    expect(walk.scopes(olga, ingetrokken)).toEqual(['hulpvraag', 'leerling']);
  }, 300_000);
});
