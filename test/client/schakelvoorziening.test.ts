// Schakelvoorziening (002) walked through the client facade against a real relay on 127.0.0.1,
// one client per party: the COO of a VO school files and answers, the SWV loket checks
// completeness and asks questions, only the SWV coördinator decides on plaatsing, a deskundige who
// is not assigned reads nothing [R91], the linked ouder reads along but moves nothing [R46].
// Every end status (SV afgegeven, SV afgewezen, SV aanvraag ingetrokken) is reached; who reads
// which scope follows the status [R23]; the SWV keeps read access after the end [R90].
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { World } from './dossier-world.js';
import { ALLES, PARTIES, startWalk, type ProcessWalk } from './process-walk.js';
import { eventually, type Member } from '../sync/harness.js';

const S = {
  voorlopig: 'SV voorlopige aanvraag',
  indienen: 'SV aanvraag indienen',
  incompleet: 'SV aanvraag incompleet',
  vragen: 'SV vragen gesteld',
  aangevuld: 'SV aanvraag aangevuld',
  ingetrokken: 'SV aanvraag ingetrokken',
  afgegeven: 'SV afgegeven',
  afgewezen: 'SV afgewezen',
} as const;

let world: World;
let carla: Member, lotte: Member, cor: Member, dirk: Member, olga: Member;
let walk: ProcessWalk;

beforeAll(async () => {
  ({ world, walk } = await startWalk([PARTIES.carla, PARTIES.lotte, PARTIES.cor, PARTIES.dirk, PARTIES.olga], 'Schakelvoorziening'));
  [carla, lotte, cor, dirk, olga] = world.members as [Member, Member, Member, Member, Member];
}, 120_000);

afterAll(async () => {
  await world?.close();
});

describe('Schakelvoorziening, one client per party', () => {
  it('voorlopig → indienen → incompleet → (bijlage) aangevuld → vragen gesteld → aangevuld → SV afgegeven by the coördinator', async () => {
    const hv = await walk.nieuw('Plaatsing in de schakelvoorziening');
    const v = carla.tc.client.getHulpvraag(walk.dossier, hv);
    expect(v.ok && [v.value.processId, v.value.status]).toEqual(['schakelvoorziening', S.voorlopig]);
    // The form "Aanvraag Schakelvoorziening" comes with the titel (002); no signature is asked before indienen.
    expect(carla.tc.client.getForm(walk.dossier, hv).ok).toBe(true);

    // Voorlopig: the school's own; the SWV cannot decrypt it yet.
    expect(walk.scopes(carla, hv)).toEqual(ALLES);
    expect(walk.scopes(olga, hv)).toEqual(['hulpvraag', 'leerling']);
    for (const m of [lotte, cor, dirk]) expect(walk.scopes(m, hv)).toEqual([]);
    expect(await walk.status(lotte, hv)).toBeNull();
    expect(await walk.inLijst(lotte, hv)).toBeNull();
    expect(await walk.inLijst(carla, hv)).toBe(S.voorlopig);
    expect(await walk.moves(carla, hv)).toEqual([S.indienen, S.ingetrokken]);
    await walk.ziet(olga, hv, S.voorlopig);
    await walk.geweigerd(olga, hv, S.indienen);

    await walk.naar(carla, hv, S.indienen);
    for (const m of [lotte, cor]) expect(walk.scopes(m, hv)).toEqual(ALLES);
    expect(walk.scopes(dirk, hv)).toEqual([]);
    expect(await walk.status(dirk, hv)).toBeNull();
    // Now in the loket's overview too; never in the unassigned deskundige's.
    await eventually(async () => (await walk.inLijst(lotte, hv)) === S.indienen, 'aanvraag in de lijst van het loket', 30_000);
    expect(await walk.inLijst(dirk, hv)).toBeNull();
    expect(await walk.moves(lotte, hv)).toEqual([S.incompleet, S.vragen]);
    expect(await walk.moves(cor, hv)).toEqual([S.incompleet, S.afgegeven, S.afgewezen, S.vragen]);
    expect(await walk.moves(carla, hv)).toEqual([S.ingetrokken]);
    // The loket does not decide on plaatsing; the school does not judge its own aanvraag.
    await walk.geweigerd(lotte, hv, S.afgegeven);
    await walk.geweigerd(carla, hv, S.incompleet);

    const geen = await lotte.tc.client.changeStatus(walk.dossier, hv, S.incompleet);
    expect(!geen.ok && geen.error.code).toBe('omschrijving-verplicht');
    await walk.naar(lotte, hv, S.incompleet, { omschrijving: 'Het verslag van de leerplichtambtenaar ontbreekt.' });
    // A bijlage of the school moves incompleet to aangevuld by itself (002).
    await walk.ziet(carla, hv, S.incompleet);
    await walk.bijlage(carla, hv, 'verslag.txt');
    await walk.ziet(lotte, hv, S.aangevuld);

    await walk.naar(cor, hv, S.vragen, { omschrijving: 'Vragen over de thuissituatie; het document staat in de bijlagen.' });
    // The SWV's own vragendocument does not count as the school's answer.
    await walk.ziet(lotte, hv, S.vragen);
    await walk.bijlage(lotte, hv, 'vragen.txt');
    await walk.ziet(carla, hv, S.vragen);
    expect(await walk.moves(carla, hv)).toEqual([S.aangevuld, S.ingetrokken]);
    await walk.naar(carla, hv, S.aangevuld);

    await walk.naar(cor, hv, S.afgegeven);
    // End: the SWV keeps its archive read, the ouder reads the besluit, nobody moves anything.
    for (const m of [lotte, cor]) expect(walk.scopes(m, hv)).toEqual(ALLES);
    expect(walk.scopes(dirk, hv)).toEqual([]);
    await walk.ziet(olga, hv, S.afgegeven);
    for (const m of [carla, lotte, cor, olga]) expect(await walk.moves(m, hv)).toEqual([]);
    const h = carla.tc.client.getHulpvraag(walk.dossier, hv);
    expect(h.ok && h.value.history.map((x) => [x.to, x.actor])).toEqual([
      [S.indienen, carla.userId],
      [S.incompleet, lotte.userId],
      [S.aangevuld, carla.userId],
      [S.vragen, cor.userId],
      [S.aangevuld, carla.userId],
      [S.afgegeven, cor.userId],
    ]);
    // A school decision records no TLV (a schakelvoorziening has no volgnummer).
    expect(h.ok && h.value.tlv).toBeNull();
  }, 240_000);

  it('SV afgewezen by the coördinator (with the reason), SV aanvraag ingetrokken by the school after indienen and as a concept', async () => {
    const afgewezen = await walk.nieuw('Tweede aanvraag');
    await walk.naar(carla, afgewezen, S.indienen);
    const zonder = await cor.tc.client.changeStatus(walk.dossier, afgewezen, S.afgewezen);
    expect(!zonder.ok && zonder.error.code).toBe('omschrijving-verplicht');
    await walk.naar(cor, afgewezen, S.afgewezen, { omschrijving: 'Geen plaats voor deze onderwijsbehoefte; zie de brief.' });
    for (const m of [lotte, cor]) expect(walk.scopes(m, afgewezen)).toEqual(ALLES);
    for (const m of [carla, cor]) expect(await walk.moves(m, afgewezen)).toEqual([]);
    await walk.ziet(olga, afgewezen, S.afgewezen);

    const ingetrokken = await walk.nieuw('Derde aanvraag');
    await walk.naar(carla, ingetrokken, S.indienen);
    await walk.naar(lotte, ingetrokken, S.vragen, { omschrijving: 'Vragen in de bijlage' });
    await walk.geweigerd(cor, ingetrokken, S.ingetrokken);
    await walk.naar(carla, ingetrokken, S.ingetrokken);
    // Withdrawn: the procedure stops and only the school keeps the aanvraag.
    for (const m of [lotte, cor]) expect(walk.scopes(m, ingetrokken).filter((s) => s !== 'leerling')).toEqual([]);
    expect(await walk.moves(carla, ingetrokken)).toEqual([]);

    const concept = await walk.nieuw('Verlaten concept');
    await walk.naar(carla, concept, S.ingetrokken);
    for (const m of [lotte, cor]) expect(walk.scopes(m, concept).filter((s) => s !== 'leerling')).toEqual([]);
    expect(await walk.status(lotte, concept)).toBeNull();
    expect(await walk.inLijst(lotte, concept)).toBeNull();
    // The loket keeps what it read before (the threat model's removed member keeps every byte it had), so
    // its overview shows the end; what the school writes after the withdrawal does not reach it [R19].
    expect(await walk.inLijst(lotte, ingetrokken)).toBe(S.ingetrokken);
    await eventually(
      async () => {
        await carla.tc.client.tick();
        await carla.tc.client.flush(30_000);
        return !walk.holdsKey(lotte, ingetrokken, false) && !walk.holdsKey(cor, ingetrokken, false);
      },
      'sleutels van het samenwerkingsverband vernieuwd',
      60_000,
    );
    const na = await carla.tc.client.updateHulpvraag(walk.dossier, ingetrokken, { omschrijving: 'Na intrekken bijgewerkt' });
    if (!na.ok) throw new Error(na.error.message);
    expect((await carla.tc.client.flush(30_000)).ok).toBe(true);
    await eventually(
      async () => {
        await walk.sync(olga);
        const h = olga.tc.client.getHulpvraag(walk.dossier, ingetrokken);
        return h.ok && h.value.omschrijving === 'Na intrekken bijgewerkt';
      },
      'de gekoppelde ouder leest de bijgewerkte omschrijving',
      30_000,
    );
    await walk.sync(lotte);
    const bijLotte = lotte.tc.client.getHulpvraag(walk.dossier, ingetrokken);
    expect(bijLotte.ok && bijLotte.value.omschrijving).not.toBe('Na intrekken bijgewerkt');
  }, 240_000);
});
