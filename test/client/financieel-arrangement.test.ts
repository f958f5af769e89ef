// Financieel Arrangement (002 "Financiële Arrangement") walked through the client facade against
// a real relay on 127.0.0.1, one client per party: the COO of a VO school files, has the form
// signed by its bevoegd gezag, answers and adds the evaluatie; the SWV loket checks completeness,
// the coördinator asks questions and decides, the CvT decides too; a deskundige who is not assigned
// reads nothing [R91]; the linked ouder reads the besluit but moves nothing [R46]. Indienen is
// refused until the form is signed and the OPP and the ouders' form are there [R48]. Every end
// status (FA evaluatie toegevoegd, FA afgewezen, FA aanvraag ingetrokken) is reached [R23, R90].
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HulpvraagId } from '../../core/model/ids.js';
import type { Member } from '../sync/harness.js';
import type { World } from './dossier-world.js';
import { addRequiredBijlagen, fillAndSign, readyToSubmit } from './indienen-world.js';
import { ALLES, startWalk, VO_AANVRAAG, type ProcessWalk } from './process-walk.js';

const TITEL = 'Financieel Arrangement';
const S = {
  voorlopig: 'FA voorlopige aanvraag',
  indienen: 'FA aanvraag indienen',
  incompleet: 'FA aanvraag incompleet',
  vragen: 'FA vragen gesteld',
  aangevuld: 'FA aanvraag aangevuld',
  ingetrokken: 'FA aanvraag ingetrokken',
  afgegeven: 'FA afgegeven',
  afgewezen: 'FA afgewezen',
  evaluatie: 'FA evaluatie toegevoegd',
} as const;

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

/** A new aanvraag, signed and complete, ingediend by the school. */
async function ingediend(omschrijving: string): Promise<HulpvraagId> {
  const hv = await walk.nieuw(omschrijving);
  await readyToSubmit(carla, bert, walk.dossier, hv, TITEL);
  await walk.naar(carla, hv, S.indienen);
  return hv;
}

describe('Financieel Arrangement, one client per party', () => {
  it('indienen waits for the bevoegd gezag’s signature and the OPP and ouders’ form, then incompleet → aangevuld → vragen → aangevuld → FA afgegeven (CvT) → (bijlage) FA evaluatie toegevoegd', async () => {
    const hv = await walk.nieuw('Extra begeleiding in de klas');
    const v = carla.tc.client.getHulpvraag(walk.dossier, hv);
    expect(v.ok && [v.value.processId, v.value.status]).toEqual(['financieel-arrangement', S.voorlopig]);
    expect(walk.scopes(carla, hv)).toEqual(ALLES);
    for (const m of [lotte, cor, cees, dirk]) expect(walk.scopes(m, hv)).toEqual([]);
    expect(await walk.status(cor, hv)).toBeNull();
    await walk.ziet(olga, hv, S.voorlopig);
    await walk.geweigerd(olga, hv, S.indienen);

    // Indienen before anything is signed or added: refused, naming all that is missing [R48].
    const leeg = await carla.tc.client.changeStatus(walk.dossier, hv, S.indienen);
    expect(!leeg.ok && leeg.error.code).toBe('vereisten-ontbreken');
    expect(!leeg.ok && leeg.error.message).toContain('nog niet digitaal ondertekend door het bevoegd gezag');
    expect(!leeg.ok && leeg.error.message).toContain('Ontwikkelingsperspectiefplan (OPP)');
    expect(!leeg.ok && leeg.error.message).toContain('Door ouders ondertekend aanvraagformulier');
    // Signed but without the bijlagen: still refused, now only for the bijlagen.
    await fillAndSign(carla, bert, walk.dossier, hv, TITEL);
    const ondertekend = await carla.tc.client.changeStatus(walk.dossier, hv, S.indienen);
    expect(!ondertekend.ok && ondertekend.error.code).toBe('vereisten-ontbreken');
    expect(!ondertekend.ok && ondertekend.error.message).not.toContain('ondertekend door het bevoegd gezag');
    expect(!ondertekend.ok && ondertekend.error.message).toContain('Ontwikkelingsperspectiefplan (OPP)');
    expect(await walk.status(carla, hv)).toBe(S.voorlopig);
    await addRequiredBijlagen(carla, walk.dossier, hv);
    await walk.naar(carla, hv, S.indienen);

    for (const m of [lotte, cor, cees]) expect(walk.scopes(m, hv)).toEqual(ALLES);
    expect(walk.scopes(dirk, hv)).toEqual([]);
    expect(await walk.status(dirk, hv)).toBeNull();
    expect(await walk.moves(lotte, hv)).toEqual([S.incompleet, S.vragen]);
    expect(await walk.moves(cor, hv)).toEqual([S.incompleet, S.afgegeven, S.afgewezen, S.vragen]);
    expect(await walk.moves(cees, hv)).toEqual([S.afgegeven, S.afgewezen]);
    expect(await walk.moves(carla, hv)).toEqual([S.ingetrokken]);
    // The loket does not decide; the bevoegd gezag signs, it does not move the status.
    await walk.geweigerd(lotte, hv, S.afgegeven);
    await walk.geweigerd(bert, hv, S.ingetrokken);

    await walk.naar(lotte, hv, S.incompleet, { omschrijving: 'De begroting ontbreekt.' });
    await walk.ziet(carla, hv, S.incompleet);
    await walk.bijlage(carla, hv, 'begroting.txt');
    await walk.ziet(lotte, hv, S.aangevuld);
    await walk.naar(cor, hv, S.vragen, { omschrijving: 'Vragen over de inzet; document in de bijlagen.' });
    await walk.ziet(carla, hv, S.vragen);
    await walk.bijlage(carla, hv, 'beantwoording.txt');
    await walk.ziet(cor, hv, S.aangevuld);

    await walk.naar(cees, hv, S.afgegeven);
    // Afgegeven is not the end: the SWV still works on it, the school owes the evaluatie.
    for (const m of [lotte, cor, cees]) expect(walk.scopes(m, hv)).toEqual(ALLES);
    await walk.ziet(olga, hv, S.afgegeven);
    expect(await walk.moves(carla, hv)).toEqual([S.ingetrokken, S.evaluatie]);
    await walk.geweigerd(cor, hv, S.evaluatie);
    // The SWV's toewijzingsbrief is no evaluatie: only a bijlage of the school counts (002 stap 10).
    await walk.ziet(cor, hv, S.afgegeven);
    await walk.bijlage(cor, hv, 'toewijzingsbrief.txt');
    await walk.ziet(carla, hv, S.afgegeven);
    const brief = carla.tc.client.getHulpvraag(walk.dossier, hv);
    expect(brief.ok && brief.value.bijlagen.some((b) => b.bestandsnaam === 'toewijzingsbrief.txt')).toBe(true);
    expect(brief.ok && brief.value.status).toBe(S.afgegeven);
    await walk.bijlage(carla, hv, 'evaluatie.txt');
    await walk.ziet(cor, hv, S.evaluatie);
    await walk.ziet(carla, hv, S.evaluatie);

    for (const m of [lotte, cor, cees]) expect(walk.scopes(m, hv)).toEqual(ALLES);
    for (const m of [carla, lotte, cor, cees, olga]) expect(await walk.moves(m, hv)).toEqual([]);
    const h = carla.tc.client.getHulpvraag(walk.dossier, hv);
    expect(h.ok && h.value.history.map((x) => [x.to, x.actor])).toEqual([
      [S.indienen, carla.userId],
      [S.incompleet, lotte.userId],
      [S.aangevuld, carla.userId],
      [S.vragen, cor.userId],
      [S.aangevuld, carla.userId],
      [S.afgegeven, cees.userId],
      [S.evaluatie, carla.userId],
    ]);
  }, 240_000);

  it('FA afgewezen by the coördinator with its reason; after FA afgegeven the school adds the evaluatie by hand or withdraws', async () => {
    const afgewezen = await ingediend('Tweede aanvraag');
    const zonder = await cor.tc.client.changeStatus(walk.dossier, afgewezen, S.afgewezen);
    expect(!zonder.ok && zonder.error.code).toBe('omschrijving-verplicht');
    await walk.naar(cor, afgewezen, S.afgewezen, { omschrijving: 'Past binnen de basisondersteuning; zie de brief.' });
    for (const m of [lotte, cor, cees]) expect(walk.scopes(m, afgewezen)).toEqual(ALLES);
    await walk.ziet(olga, afgewezen, S.afgewezen);
    for (const m of [carla, cor]) expect(await walk.moves(m, afgewezen)).toEqual([]);

    const handmatig = await ingediend('Derde aanvraag');
    await walk.naar(cor, handmatig, S.afgegeven);
    await walk.naar(carla, handmatig, S.evaluatie);
    expect(await walk.moves(carla, handmatig)).toEqual([]);

    const ingetrokken = await ingediend('Vierde aanvraag');
    await walk.naar(cees, ingetrokken, S.afgegeven);
    await walk.geweigerd(cor, ingetrokken, S.ingetrokken);
    await walk.naar(carla, ingetrokken, S.ingetrokken, { omschrijving: 'De leerling is verhuisd.' });
    for (const m of [carla, cor, cees]) expect(await walk.moves(m, ingetrokken)).toEqual([]);
    await walk.ziet(olga, ingetrokken, S.ingetrokken);
  }, 300_000);
});
