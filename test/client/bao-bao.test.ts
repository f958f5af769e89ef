// BaO-BaO overleg (000: "overleg tussen basisscholen") walked through the client facade against
// a real relay on 127.0.0.1, one client per party: the IB of the owning school prepares, starts
// and closes the overleg; the IB of the partnerschool, named on the hulpvraag, reads and writes in
// it only while it runs; an IB of a school that is not named, the SWV coördinator and the linked
// ouder never move it. Organisations reach a hulpvraag only when it names them and the status
// gives it [R49], and only the owning school names them: the partnerschool cannot share the leerling
// with a third school, not through the client and not with a list its own device signed [R125]; at the
// end the partnerschool loses its keys and later writes do not reach it [R23, R90]; the linked ouder
// reads along [R46].
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { utf8Encode } from '../../core/crypto/bytes.js';
import type { HulpvraagId } from '../../core/model/ids.js';
import { eventually, type Member } from '../sync/harness.js';
import { dossierSession } from '../../core/client/dossier-session.js';
import { pushBetrokken, signBetrokken } from '../../core/client/betrokken-getekend.js';
import { internals, startWorld, type World } from './dossier-world.js';
import { ProcessWalk } from './process-walk.js';

const VOORBEREIDEN = 'BaO-BaO overleg voorbereiden';
const GESTART = 'BaO-BaO overleg gestart';
const AFGEROND = 'BaO-BaO overleg afgerond';

let world: World;
let ilse: Member, paul: Member, ivo: Member, cor: Member, olga: Member;
let walk: ProcessWalk;

beforeAll(async () => {
  world = await startWorld([
    {
      naam: 'Ilse Bakker',
      functie: 'intern begeleider',
      organisation: { naam: 'OBS De Linde', kind: 'school' },
      roles: ['intern-begeleider'],
    },
    {
      naam: 'Paul Partner',
      functie: 'intern begeleider',
      organisation: { naam: 'OBS De Wilg', kind: 'school' },
      roles: ['intern-begeleider'],
    },
    {
      naam: 'Ivo Anker',
      functie: 'intern begeleider',
      organisation: { naam: 'OBS Het Anker', kind: 'school' },
      roles: ['intern-begeleider'],
    },
    { naam: 'Cor Visser', functie: 'coördinator', organisation: { naam: 'SWV Noord', kind: 'swv' }, roles: ['swv-coordinator'] },
    { naam: 'Olga Kwartel', functie: 'ouder', organisation: { naam: 'Ouders', kind: 'ouders' }, roles: ['ouder'] },
  ]);
  [ilse, paul, ivo, cor, olga] = world.members as [Member, Member, Member, Member, Member];
  walk = await ProcessWalk.open(ilse, 'BaO-BaO overleg', olga);
}, 120_000);

afterAll(async () => {
  await world?.close();
});

const partnerschool = () => [{ organisationId: walk.orgOf(paul), relatie: 'partnerschool' as const }];

describe('BaO-BaO overleg, one client per party', () => {
  it('voorbereiden → gestart → afgerond: the partnerschool reads and writes only while the overleg runs', async () => {
    const hv = await walk.nieuw('Overleg over een mogelijke overstap', partnerschool());
    const v = ilse.tc.client.getHulpvraag(walk.dossier, hv);
    expect(v.ok && [v.value.processId, v.value.status]).toEqual(['bao-bao', VOORBEREIDEN]);

    // Voorbereiden: named, but the partnerschool sees nothing yet; no SWV, no other school.
    expect(walk.scopes(ilse, hv)).toEqual(['formulieren', 'hulpvraag', 'leerling', 'lvs']);
    expect(walk.scopes(olga, hv)).toEqual(['hulpvraag', 'leerling']);
    for (const m of [paul, ivo, cor]) expect(walk.scopes(m, hv)).toEqual([]);
    expect(await walk.status(paul, hv)).toBeNull();
    expect(await walk.moves(ilse, hv)).toEqual([AFGEROND, GESTART]);
    for (const m of [olga]) expect(await walk.moves(m, hv)).toEqual([]);
    // The ouder reads the hulpvraag but the status is the school's.
    await walk.ziet(olga, hv, VOORBEREIDEN);
    await walk.geweigerd(olga, hv, GESTART);

    // Starting shares data with another school: the omschrijving (partnerschool, toestemming ouders) is required.
    const zonder = await ilse.tc.client.changeStatus(walk.dossier, hv, GESTART);
    expect(!zonder.ok && zonder.error.code).toBe('omschrijving-verplicht');
    expect(!zonder.ok && zonder.error.message).toContain('toestemming');
    await walk.naar(ilse, hv, GESTART, { omschrijving: 'Overleg met OBS De Wilg; ouders gaven toestemming op het formulier.' });

    // Gestart: the partnerschool reads the hulpvraag and the leerling, not the forms or the LVS; the rest still nothing.
    await eventually(async () => (await walk.status(paul, hv)) === GESTART, 'partnerschool leest de hulpvraag', 30_000);
    expect(walk.scopes(paul, hv)).toEqual(['hulpvraag', 'leerling']);
    expect(paul.tc.client.getLeerling(walk.dossier).ok).toBe(true);
    for (const m of [ivo, cor]) expect(walk.scopes(m, hv)).toEqual([]);
    expect(await walk.status(ivo, hv)).toBeNull();
    expect(await walk.status(cor, hv)).toBeNull();
    // Only the owning school sets the status; the partnerschool's IB role does not count at another school.
    expect(await walk.moves(paul, hv)).toEqual([]);
    await walk.geweigerd(paul, hv, AFGEROND);
    // Whom the leerling is shared with is the owning school's choice [R49]. The partnerschool may write
    // the hulpvraag, but naming a third school is refused, in Dutch …
    const metDerde = [...partnerschool(), { organisationId: walk.orgOf(ivo), relatie: 'partnerschool' as const }];
    const derde = await paul.tc.client.updateHulpvraag(walk.dossier, hv, { betrokkenOrganisaties: metDerde });
    expect(!derde.ok && derde.error.code).toBe('niet-toegestaan');
    expect(!derde.ok && derde.error.message).toBe(
      'Alleen de eigenaar van het dossier kan organisaties aan een hulpvraag koppelen of ontkoppelen.',
    );
    // … and a modified client that writes the list into the document anyway, signed by its own device,
    // names nobody: the owning school's admin device gives the third school nothing.
    const pc = internals(paul.tc);
    const pst = pc.dossiers.get(walk.dossier);
    if (!pst) throw new Error('dossier ontbreekt bij de partnerschool');
    const item = await signBetrokken(pc, hv, metDerde);
    const w = await dossierSession(pc, pst).write(`hulpvraag:${hv}`, (doc) => pushBetrokken(doc, item));
    if (!w.ok) throw new Error(w.error.message);
    expect((await paul.tc.client.flush(30_000)).ok).toBe(true);
    await eventually(
      async () => {
        await walk.sync(ilse);
        return (
          (ilse.tc.client.getHulpvraag(walk.dossier, hv).ok &&
            internals(ilse.tc).dossiers.get(walk.dossier)?.docs.get(`hulpvraag:${hv}`)?.doc.getArray('betrokkenGetekend').length) === 2
        );
      },
      'de vervalste lijst komt bij de school aan',
      30_000,
    );
    await ilse.tc.client.tick();
    expect((await ilse.tc.client.flush(30_000)).ok).toBe(true);
    const lijst = ilse.tc.client.getHulpvraag(walk.dossier, hv);
    expect(lijst.ok && lijst.value.betrokkenOrganisaties).toEqual(partnerschool());
    expect(walk.scopes(ivo, hv)).toEqual([]);
    expect(await walk.status(ivo, hv)).toBeNull();
    // The partnerschool writes in the hulpvraag (its bijlage reaches the owning school).
    const b = await paul.tc.client.addBijlage(walk.dossier, hv, {
      bestandsnaam: 'verslag-wilg.txt',
      mediaType: 'text/plain',
      bytes: utf8Encode('verslag partnerschool'),
    });
    if (!b.ok) throw new Error(b.error.message);
    expect((await paul.tc.client.flush(30_000)).ok).toBe(true);
    await eventually(
      async () => {
        await walk.sync(ilse);
        const h = ilse.tc.client.getHulpvraag(walk.dossier, hv);
        return h.ok && h.value.bijlagen.some((x) => x.bestandsnaam === 'verslag-wilg.txt');
      },
      'bijlage van de partnerschool bij de school',
      30_000,
    );
    expect(await walk.moves(ilse, hv)).toEqual([AFGEROND]);
    await walk.naar(ilse, hv, AFGEROND);
    // Afgerond: the partnerschool is off the list and out of the current keys [R90]; nobody moves anything.
    await eventually(
      async () => {
        await ilse.tc.client.tick();
        await ilse.tc.client.flush(30_000);
        return walk.scopes(paul, hv).length === 0 && !walk.holdsKey(paul, hv);
      },
      'sleutels van de partnerschool vernieuwd',
      60_000,
    );
    for (const m of [ilse, paul, olga]) expect(await walk.moves(m, hv)).toEqual([]);
    // What the school writes afterwards does not reach the partnerschool's client.
    const na = await ilse.tc.client.addBijlage(walk.dossier, hv, {
      bestandsnaam: 'afspraken-na-afloop.txt',
      mediaType: 'text/plain',
      bytes: utf8Encode('afspraken'),
    });
    if (!na.ok) throw new Error(na.error.message);
    expect((await ilse.tc.client.flush(30_000)).ok).toBe(true);
    await eventually(
      async () => {
        await walk.sync(olga);
        const h = olga.tc.client.getHulpvraag(walk.dossier, hv);
        return h.ok && h.value.bijlagen.some((x) => x.bestandsnaam === 'afspraken-na-afloop.txt');
      },
      'de gekoppelde ouder ziet de nieuwe bijlage',
      30_000,
    );
    await walk.sync(paul);
    const bijPaul = paul.tc.client.getHulpvraag(walk.dossier, hv);
    expect(bijPaul.ok && bijPaul.value.bijlagen.some((x) => x.bestandsnaam === 'afspraken-na-afloop.txt')).toBe(false);
  }, 180_000);

  it('voorbereiden → afgerond: an overleg that never starts ends without the partnerschool ever reading it', async () => {
    const hv: HulpvraagId = await walk.nieuw('Overleg dat niet doorgaat', partnerschool());
    // A school that is not named cannot even read it, let alone close it.
    expect(await walk.status(ivo, hv)).toBeNull();
    expect((await ivo.tc.client.changeStatus(walk.dossier, hv, AFGEROND, 'x')).ok).toBe(false);
    await walk.naar(ilse, hv, AFGEROND, { omschrijving: 'Niet meer nodig' });
    expect(await walk.moves(ilse, hv)).toEqual([]);
    expect(walk.scopes(paul, hv).filter((s) => s !== 'leerling')).toEqual([]);
    expect(await walk.status(paul, hv)).toBeNull();
    // From an end status nothing moves, not even for the owning school.
    const weer = await ilse.tc.client.changeStatus(walk.dossier, hv, GESTART, 'Toch starten');
    expect(!weer.ok && weer.error.code).toBe('eindstatus-bereikt');
  }, 120_000);

  it('the overleg in an overlegronde: the partnerschool reacts while it runs; afgerond closes the ronde and leaves only the invitation until its einddatum', async () => {
    const hv = await walk.nieuw('Overleg in een overlegronde', partnerschool());
    await walk.naar(ilse, hv, GESTART, { omschrijving: 'Overleg met OBS De Wilg; ouders gaven toestemming op het formulier.' });
    await eventually(async () => (await walk.status(paul, hv)) === GESTART, 'partnerschool leest de hulpvraag', 30_000);
    // The overleg itself: an overlegronde with the partnerschool, who reads it and reacts (000).
    const einddatum = new Date(Date.now() + 7 * 86_400_000).toISOString();
    const or = await ilse.tc.client.startOverlegronde(walk.dossier, hv, {
      titel: 'Overstap bespreken',
      omschrijving: 'Afstemmen over de overstap',
      einddatum,
      deelnemers: [paul.userId],
    });
    if (!or.ok) throw new Error(or.error.message);
    expect((await ilse.tc.client.flush(30_000)).ok).toBe(true);
    await eventually(
      async () => {
        await walk.sync(paul);
        return paul.tc.client.getOverlegronde(walk.dossier, or.value).ok;
      },
      'partnerschool leest de overlegronde',
      30_000,
    );
    const bericht = await paul.tc.client.postMessage(
      walk.dossier,
      or.value,
      'Reactie',
      'Wij kunnen de leerling na de kerstvakantie plaatsen. @Ilse Bakker',
    );
    if (!bericht.ok) throw new Error(bericht.error.message);
    expect((await paul.tc.client.flush(30_000)).ok).toBe(true);
    await eventually(
      async () => {
        await walk.sync(ilse);
        const r = ilse.tc.client.getOverlegronde(walk.dossier, or.value);
        return r.ok && r.value.berichten.some((b) => b.titel === 'Reactie');
      },
      'de school leest de reactie',
      30_000,
    );

    await walk.naar(ilse, hv, AFGEROND);
    // Every end status closes the overlegronden: the partnerschool can no longer react.
    await eventually(
      async () => {
        await walk.sync(ilse);
        const r = ilse.tc.client.getOverlegronde(walk.dossier, or.value);
        return r.ok && r.value.gesloten;
      },
      'overlegronde gesloten',
      30_000,
    );
    await walk.sync(paul);
    expect((await paul.tc.client.postMessage(walk.dossier, or.value, 'Nog iets', 'Na afloop.')).ok).toBe(false);
    // What remains is the invitation (000/003: participants read until the einddatum), never the leerling,
    // forms or LVS; the same rule as for the voorschoolse voorziening in Jonge Kind [R49].
    await eventually(
      async () => {
        await ilse.tc.client.tick();
        await ilse.tc.client.flush(30_000);
        return !walk.scopes(paul, hv).includes('leerling');
      },
      'partnerschool uit de leerling',
      60_000,
    );
    const r = ilse.tc.client.whoCanRead(walk.dossier);
    const hij = r.ok ? r.value.find((x) => x.userId === paul.userId) : undefined;
    expect(hij?.scopes.filter((x) => x !== 'toegang' && x !== `hulpvraag:${hv}` && x !== `overlegronde:${or.value}`)).toEqual([]);
    expect(hij?.expiresAt !== null && hij?.expiresAt !== undefined && Date.parse(hij.expiresAt) <= Date.parse(einddatum)).toBe(true);
  }, 180_000);
});
