// The views the extension's adapter used to build and the port the screens use (issue 14, "one
// port"), driven through the client API against a real relay on 127.0.0.1: a new dossier with
// its first hulpvraag, the dossier screen's view (names, end status, moves, the attached form with
// what is missing), the list rows and what was seen, the form as a Word file, the FG's names.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dossierDetailVan, isGekoppeldeOuder, naamIn } from '../../../core/client/views/dossier-detail.js';
import { hulpvraagRijenVan, type HulpvraagRij } from '../../../core/client/views/hulpvragen-lijst.js';
import { leesGelezen, noteerGelezen } from '../../../core/client/views/gelezen.js';
import { formulierExport } from '../../../core/client/views/formulier-export.js';
import { bewaarRegelsVan, privacyDossiersVan } from '../../../core/client/views/bewaar-overzicht.js';
import { popupOverzichtVan } from '../../../core/client/views/popup-overzicht.js';
import type { Melding } from '../../../core/client/views/meldingen.js';
import { dossierOfDraftKey } from '../../../core/client/client-drafts.js';
import { CLIENT_PORT_METHODS, clientPort } from '../../../core/client/port.js';
import { asId, type DossierId, type FormulierId, type HulpvraagId } from '../../../core/model/ids.js';
import type { Member } from '../../sync/harness.js';
import { LEERLING, startWorld, TWO_IBS, type World } from '../dossier-world.js';

let world: World;
let ilse: Member;
let dossier: DossierId, hv: HulpvraagId;
const FORM = asId<FormulierId>('aanvraag-tlv-vso');

beforeAll(async () => {
  world = await startWorld(TWO_IBS);
  [ilse] = world.members as [Member, Member];
  const r = await ilse.tc.client.createDossierWithHulpvraag(LEERLING, {
    titel: 'TLV VSO',
    omschrijving: 'Aanvraag voor passend onderwijs',
  });
  if (!r.ok) throw new Error(r.error.message);
  ({ dossierId: dossier, hulpvraagId: hv } = r.value);
}, 120_000);

afterAll(async () => {
  await world?.close();
});

describe('a new dossier with its first hulpvraag', () => {
  it('makes both; an unknown titel returns the refusal and leaves the dossier without a hulpvraag', async () => {
    const c = ilse.tc.client;
    expect(c.listDossiers().find((d) => d.id === dossier)?.hulpvragen).toEqual([hv]);
    const fout = await c.createDossierWithHulpvraag(
      { ...LEERLING, voornaam: 'Joris' },
      { titel: 'Geen bestaand proces', omschrijving: '' },
    );
    expect(fout.ok).toBe(false);
    const joris = c.listDossiers().find((d) => d.leerlingNaam?.startsWith('Joris'));
    expect(joris?.hulpvragen).toEqual([]);
  });
});

describe('the dossier view', () => {
  it('names the school and the aanvrager, lists the moves, and shows the TLV VSO form unsigned with its missing answers', async () => {
    const r = await dossierDetailVan(ilse.tc.client, dossier);
    if (!r.ok) throw new Error(r.error.message);
    const d = r.value;
    expect(d.leerling?.voornaam).toBe(LEERLING.voornaam);
    expect(d.hulpvragen).toHaveLength(1);
    const h = d.hulpvragen[0]!;
    expect(h.view.id).toBe(hv);
    expect(h.schoolNaam).toBe('OBS De Linde');
    expect(h.aanvrager).toBe('Ilse Bakker');
    expect(h.coordinatorNaam).toBeNull();
    expect(h.eindstatus).toBe(false);
    expect(h.overgangen.map((o) => o.to)).toContain('TLV aanvraag ingetrokken');
    expect(h.formulieren.map((f) => f.id)).toEqual([FORM]);
    const f = h.formulieren[0]!;
    expect(f.opgeslagen).toBe(false);
    expect(f.ontbrekend).toContain('Gewenste school voor VSO');
    expect(f.ondertekening).toBeNull();
    expect(f.ondertekeningFout).toBeNull();
    expect(h.ondertekenverzoek).toBeNull();
    expect(h.aanwezig?.ondertekening).toBe('ontbreekt');
    expect(d.lezers.some((l) => l.userId === ilse.userId)).toBe(true);
    expect(isGekoppeldeOuder(ilse.tc.client, dossier)).toBe(false);
  });

  it('a saved answer leaves the missing list; a move to an end status shows in the view and the list row', async () => {
    const c = ilse.tc.client;
    expect((await c.setFormValues(dossier, hv, FORM, { 'gewenste-school': 'De Brug' })).ok).toBe(true);
    const voor = await dossierDetailVan(c, dossier);
    if (!voor.ok) throw new Error(voor.error.message);
    const f = voor.value.hulpvragen[0]!.formulieren[0]!;
    expect(f.opgeslagen).toBe(true);
    expect(f.ontbrekend).not.toContain('Gewenste school voor VSO');

    const moved = await c.changeStatus(dossier, hv, 'TLV aanvraag ingetrokken', 'De ouders zien ervan af');
    expect(moved.ok).toBe(true);
    const na = await dossierDetailVan(c, dossier);
    if (!na.ok) throw new Error(na.error.message);
    expect(na.value.hulpvragen[0]!.eindstatus).toBe(true);
    expect(na.value.hulpvragen[0]!.overgangen).toEqual([]);
    const rijen = await hulpvraagRijenVan(c, {});
    if (!rijen.ok) throw new Error(rijen.error.message);
    expect(rijen.value.find((x) => x.hulpvraagId === hv)).toMatchObject({
      eindstatus: true,
      status: 'TLV aanvraag ingetrokken',
      leerling: expect.stringContaining(LEERLING.voornaam) as unknown,
    });
  });

  it('a dossier this person cannot open is a failure, not an empty view', async () => {
    const r = await dossierDetailVan(ilse.tc.client, asId<DossierId>('bestaat-niet'));
    expect(r.ok).toBe(false);
  });
});

describe('the list rows and what was seen', () => {
  it('a hulpvraag is unread until seen; the seen moments are kept sealed on this device and read back', async () => {
    const c = ilse.tc.client;
    const leeg = await leesGelezen(c);
    const rij = async (g: Readonly<Record<string, string>>) => {
      const r = await hulpvraagRijenVan(c, g);
      if (!r.ok) throw new Error(r.error.message);
      return r.value.find((x) => x.hulpvraagId === hv);
    };
    expect((await rij(leeg))?.ongelezen).toBe(true);
    const gezien = await noteerGelezen(c, leeg, [hv], new Date(Date.now() + 60_000).toISOString());
    expect(await leesGelezen(c)).toEqual(gezien);
    expect((await rij(await leesGelezen(c)))?.ongelezen).toBe(false);
    // A damaged draft counts as nothing seen, not as an error.
    await c.saveDraft('gelezen', null, '{kapot');
    expect(await leesGelezen(c)).toEqual({});
  });
});

describe('the form as a Word file', () => {
  it('is a docx named after the form, never the leerling; an unknown form is refused', async () => {
    const c = ilse.tc.client;
    const r = await formulierExport(c, dossier, hv, FORM, new Date());
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.naam).toBe('Aanvraag TLV VSO.docx');
    expect(r.value.naam).not.toContain(LEERLING.achternaam);
    expect([...r.value.bytes.slice(0, 2)]).toEqual([0x50, 0x4b]);
    const onbekend = await formulierExport(c, dossier, hv, asId<FormulierId>('bestaat-niet'), new Date());
    expect(!onbekend.ok && onbekend.error.code).toBe('formulier-onbekend');
  });
});

describe('names and small rules of the screens', () => {
  it('the FG names a dossier without leerling by its id only; the retention rows carry the same names', () => {
    const id = asId<DossierId>('abcdefghijklmnop');
    const leeg = { hulpvragen: [], overlegronden: [], waarschuwingen: [] };
    expect(
      privacyDossiersVan([
        { id, leerlingNaam: null, ...leeg },
        { id, leerlingNaam: 'Fenna Kwartel', ...leeg },
      ]),
    ).toEqual([
      { id, naam: 'Dossier abcdefgh' },
      { id, naam: 'Fenna Kwartel' },
    ]);
    const namen = new Map(privacyDossiersVan(ilse.tc.client.listDossiers()).map((d) => [d.id, d.naam]));
    const regels = bewaarRegelsVan(ilse.tc.client);
    expect(regels.map((r) => r.id)).toContain(dossier);
    for (const r of regels) expect(r.naam).toBe(namen.get(r.id) ?? `Dossier ${r.id.slice(0, 8)}`);
  });

  it('a member is named by the directory, or not at all', () => {
    const dir = ilse.tc.client.directory();
    expect(naamIn(dir, ilse.userId)).toBe('Ilse Bakker');
    expect(naamIn(dir, 'onbekend')).toBeNull();
    expect(naamIn(dir, null)).toBeNull();
  });

  it('drafts of a dossier are recognised by their key (purged with it); others belong to no dossier', () => {
    expect(dossierOfDraftKey('dossier/d1/hulpvraag/h1')).toBe('d1');
    expect(dossierOfDraftKey('notities/d2')).toBe('d2');
    expect(dossierOfDraftKey('gelezen')).toBeNull();
    expect(dossierOfDraftKey('filters/lijst')).toBeNull();
  });

  it('the popup lists the most recently changed hulpvragen and the newest meldingen, bounded', () => {
    const rij = (i: number): HulpvraagRij => ({
      hulpvraagId: `h${i}`,
      dossierId: 'd',
      leerling: 'L',
      titel: 'T',
      type: 'T',
      status: 'S',
      eindstatus: false,
      datum: '2026-01-01',
      laatsteDatum: `2026-01-${String(i + 1).padStart(2, '0')}`,
      school: '',
      aanvrager: '',
      coordinator: '',
      labels: [],
      ongelezen: i % 2 === 0,
    });
    const meldingen: Melding[] = Array.from({ length: 12 }, (_, i) => ({
      id: `m${i}`,
      soort: 'status',
      dossierId: 'd',
      hulpvraagId: 'h',
      tekst: 't',
      at: '2026-01-01',
    }));
    const o = popupOverzichtVan(
      Array.from({ length: 12 }, (_, i) => rij(i)),
      meldingen,
      '2026-02-01T00:00:00.000Z',
    );
    expect(o.hulpvragen.map((h) => h.hulpvraagId)).toEqual(['h11', 'h10', 'h9', 'h8', 'h7', 'h6', 'h5', 'h4']);
    expect(o.hulpvragen[0]).toEqual({
      hulpvraagId: 'h11',
      dossierId: 'd',
      leerling: 'L',
      titel: 'T',
      status: 'S',
      laatsteDatum: '2026-01-12',
      ongelezen: false,
    });
    expect(o.meldingen.map((m) => m.id)).toEqual(meldingen.slice(0, 10).map((m) => m.id));
    expect(o.bijgewerkt).toBe('2026-02-01T00:00:00.000Z');
  });
});

describe('the port', () => {
  it("carries exactly the client's methods it names, and they work with ids as the plain strings screens hold", async () => {
    const c = ilse.tc.client;
    const port = clientPort(c);
    expect(Object.keys(port).sort()).toEqual([...CLIENT_PORT_METHODS].sort());
    for (const m of CLIENT_PORT_METHODS) expect(typeof port[m], m).toBe('function');
    const id: string = dossier;
    expect((await port.setNotities(id, 'Via de poort')).ok).toBe(true);
    expect(c.getNotities(dossier)).toEqual({ ok: true, value: 'Via de poort' });
    expect(port.overlegrondenStand('bestaat-niet').ok).toBe(false);
  });
});
