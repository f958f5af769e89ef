// Two rules with one home each, driven through the client facade the extension uses against a
// real relay on 127.0.0.1: the leerling's data passes validateLeerling (names, geboortedatum,
// BSN 11-proef) on every path that writes it, and an overlegronde lasts at most 14 days
// (checkOverlegrondePeriode, 003). A refused write reaches nobody: a colleague who syncs
// still sees the earlier data.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DossierId, HulpvraagId } from '../../core/model/ids.js';
import { eventually, type Member } from '../sync/harness.js';
import { LEERLING, TWO_IBS, fileHulpvraag, startWorld, type World } from './dossier-world.js';

let world: World;
let ib: Member, sanne: Member;
let dossier: DossierId, hv: HulpvraagId;
const DAG = 86_400_000;

beforeAll(async () => {
  world = await startWorld(TWO_IBS);
  [ib, sanne] = world.members as [Member, Member];
  ({ dossier, hv } = await fileHulpvraag(ib));
}, 120_000);

afterAll(async () => {
  await world?.close();
});

/** Sanne syncs until her copy of the leerling shows `bsn`. */
async function sanneZiet(bsn: string | undefined): Promise<void> {
  await eventually(
    async () => {
      await sanne.tc.client.tick();
      await sanne.tc.client.refreshViews(dossier);
      const l = sanne.tc.client.getLeerling(dossier);
      return l.ok && l.value.bsn === bsn;
    },
    `Sanne ziet BSN ${bsn ?? '(geen)'}`,
  );
}

describe('validateLeerling on every path that writes leerling data', () => {
  it('createDossier refuses an invalid BSN, a made-up date and a missing name in Dutch, and writes nothing', async () => {
    const voor = ib.tc.client.listDossiers().length;
    const bsn = await ib.tc.client.createDossier({ ...LEERLING, bsn: '123456789' });
    expect(!bsn.ok && bsn.error.code).toBe('bsn-ongeldig');
    expect(!bsn.ok && bsn.error.message).toContain('elfproef');
    const datum = await ib.tc.client.createDossier({ ...LEERLING, geboortedatum: '2013-02-30' });
    expect(!datum.ok && datum.error.code).toBe('geboortedatum-ongeldig');
    const toekomst = await ib.tc.client.createDossier({
      ...LEERLING,
      geboortedatum: new Date(Date.now() + 40 * DAG).toISOString().slice(0, 10),
    });
    expect(!toekomst.ok && toekomst.error.message).toBe('De geboortedatum van de leerling ligt in de toekomst.');
    const beide = await ib.tc.client.createDossier({ ...LEERLING, voornaam: ' ', bsn: '111222334' });
    expect(!beide.ok && beide.error.code).toBe('naam-ontbreekt');
    expect(!beide.ok && beide.error.message).toContain('elfproef');
    expect(ib.tc.client.listDossiers().length).toBe(voor);
  });

  it('createDossier accepts a BSN that passes the 11-proef', async () => {
    const d = await ib.tc.client.createDossier({ ...LEERLING, bsn: '111222333' });
    if (!d.ok) throw new Error(d.error.message);
    const l = ib.tc.client.getLeerling(d.value);
    expect(l.ok && l.value.bsn).toBe('111222333');
  });

  it('updateLeerling refuses an invalid BSN (the colleague keeps the old data) and saves a valid one', async () => {
    const fout = await ib.tc.client.updateLeerling(dossier, { bsn: '123456789' });
    expect(!fout.ok && fout.error.code).toBe('bsn-ongeldig');
    const eigen = ib.tc.client.getLeerling(dossier);
    expect(eigen.ok && eigen.value.bsn).toBeUndefined();
    const goed = await ib.tc.client.updateLeerling(dossier, { bsn: '123456782' });
    if (!goed.ok) throw new Error(goed.error.message);
    await ib.tc.client.flush();
    await sanneZiet('123456782');
    // A later invalid write is refused before it leaves Ilse's client: Sanne still reads the valid BSN.
    const weer = await ib.tc.client.updateLeerling(dossier, { bsn: '12345678', geboortedatum: '1013-04-05' });
    expect(!weer.ok && weer.error.code).toBe('geboortedatum-ongeldig');
    await ib.tc.client.flush();
    await sanneZiet('123456782');
    const l = ib.tc.client.getLeerling(dossier);
    expect(l.ok && l.value.geboortedatum).toBe(LEERLING.geboortedatum);
  });
});

describe('checkOverlegrondePeriode on the path that starts an overlegronde [003]', () => {
  it('a ronde of 15 days is refused with the Dutch reason; one of 13 days starts', async () => {
    const lang = await ib.tc.client.startOverlegronde(dossier, hv, {
      titel: 'Overleg',
      omschrijving: 'Afstemmen over de aanpak',
      einddatum: new Date(Date.now() + 15 * DAG).toISOString(),
      deelnemers: [sanne.userId],
    });
    expect(!lang.ok && lang.error.code).toBe('overlegronde-te-lang');
    expect(!lang.ok && lang.error.message).toMatch(/^Een overlegronde duurt maximaal 14 dagen: kies een einddatum uiterlijk /);
    // Under load the IB's device may not hold the newest key of a dossier part yet ("(nog) geen sleutel",
    // a refusal that says to try again): it tries again after a tick, as a user would. Any other refusal fails.
    let kort = await ib.tc.client.startOverlegronde(dossier, hv, {
      titel: 'Overleg',
      omschrijving: 'Afstemmen over de aanpak',
      einddatum: new Date(Date.now() + 13 * DAG).toISOString(),
      deelnemers: [sanne.userId],
    });
    for (let i = 0; i < 20 && !kort.ok && kort.error.message.includes('(nog) geen sleutel'); i++) {
      await ib.tc.client.tick();
      await new Promise((r) => setTimeout(r, 250));
      kort = await ib.tc.client.startOverlegronde(dossier, hv, {
        titel: 'Overleg',
        omschrijving: 'Afstemmen over de aanpak',
        einddatum: new Date(Date.now() + 13 * DAG).toISOString(),
        deelnemers: [sanne.userId],
      });
    }
    if (!kort.ok) throw new Error(kort.error.message);
    const d = await ib.tc.client.openDossier(dossier);
    expect(d.ok && d.value.overlegronden).toHaveLength(1);
  });
});
