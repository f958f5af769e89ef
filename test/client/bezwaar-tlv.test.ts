// Bezwaar tegen een TLV-besluit as a process (issue 20), walked through the
// client API against a real relay on 127.0.0.1: a TLV is decided, the bezwaar
// is registered, the SWV coördinator moves it to *besluit op bezwaar*, the
// deadlines follow from the data, and the dossier voor de LBT holds the TLV
// aanvraag, its procedure and bijlagen but no overlegronde, LVS or access log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DossierId, HulpvraagId } from '../../core/model/ids.js';
import { utf8Decode, utf8Encode } from '../../core/crypto/bytes.js';
import { nobleProvider } from '../../core/crypto/noble-provider.js';
import { verifyExport } from '../../core/export/export-manifest.js';
import { readZip } from '../../core/export/stored-zip.js';
import { bezwaarTermijnen } from '../../core/processes/bezwaar-tlv.js';
import { eventually, type Member } from '../sync/harness.js';
import { TLV } from '../workflow/fixtures.js';
import { fileHulpvraag, startWorld, type World } from './dossier-world.js';
import { BESTUUR, readyToSubmit } from './indienen-world.js';

let world: World;
let ilse: Member, cor: Member;
let dossier: DossierId;
let tlvHv: HulpvraagId;
let bezwaar: HulpvraagId;
let tweedeBezwaar: HulpvraagId;

beforeAll(async () => {
  world = await startWorld([
    {
      naam: 'Ilse Bakker',
      functie: 'intern begeleider',
      organisation: { naam: 'OBS De Linde', kind: 'school' },
      roles: ['intern-begeleider'],
    },
    { naam: 'Cor Visser', functie: 'coördinator', organisation: { naam: 'SWV Noord', kind: 'swv' }, roles: ['swv-coordinator'] },
    BESTUUR,
  ]);
  let bestuur: Member;
  [ilse, cor, bestuur] = world.members as [Member, Member, Member];
  ({ dossier, hv: tlvHv } = await fileHulpvraag(ilse, 'TLV VSO', 'Aanvraag voor passend onderwijs'));
  const c = ilse.tc.client;
  // Indienen needs the bevoegd gezag's signature and the OPP and ouders' form (R48).
  await readyToSubmit(ilse, bestuur, dossier, tlvHv);
  expect((await c.changeStatus(dossier, tlvHv, 'TLV aanvraag indienen')).ok).toBe(true);
  expect((await c.setLvs(dossier, tlvHv, { toetsdatum: '2026-01-15', groep: '7' })).ok).toBe(true);
  expect((await c.flush(30_000)).ok).toBe(true);
}, 120_000);

afterAll(async () => {
  await world?.close();
});

async function statusBij(m: Member, hv: HulpvraagId, status: string): Promise<void> {
  await eventually(
    async () => {
      await m.tc.client.tick();
      await m.tc.client.refreshViews(dossier);
      const v = m.tc.client.getHulpvraag(dossier, hv);
      return v.ok && v.value.status === status;
    },
    `${m.naam} ziet ${status}`,
    30_000,
  );
}

describe('bezwaar tegen een TLV-besluit', () => {
  it('the coördinator decides the TLV, the school registers the bezwaar, the coördinator walks it to besluit op bezwaar', async () => {
    await statusBij(cor, tlvHv, 'TLV aanvraag indienen');
    expect((await cor.tc.client.changeStatus(dossier, tlvHv, 'TLV afgegeven', undefined, { tlv: TLV })).ok).toBe(true);
    expect(
      (
        await cor.tc.client.addBijlage(dossier, tlvHv, {
          bestandsnaam: 'besluit.txt',
          mediaType: 'text/plain',
          bytes: utf8Encode('besluitbrief'),
        })
      ).ok,
    ).toBe(true);
    expect((await cor.tc.client.flush(30_000)).ok).toBe(true);
    await statusBij(ilse, tlvHv, 'TLV afgegeven');

    const r = await ilse.tc.client.createHulpvraag(dossier, {
      titel: 'Bezwaar TLV',
      omschrijving: 'Bezwaarschrift van de ouders, ontvangen op 1 december.',
    });
    if (!r.ok) throw new Error(r.error.message);
    bezwaar = r.value;
    expect(ilse.tc.client.getHulpvraag(dossier, bezwaar).ok && ilse.tc.client.getHulpvraag(dossier, bezwaar)).toMatchObject({
      value: { status: 'Bezwaar ontvangen', processId: 'bezwaar-tlv' },
    });
    // The school may register it but not take the SWV's steps.
    const school = ilse.tc.client.allowedTransitions(dossier, bezwaar);
    expect(school.ok && school.value.map((t) => t.to)).not.toContain('Advies LBT aangevraagd');
    expect((await ilse.tc.client.flush(30_000)).ok).toBe(true);

    await statusBij(cor, bezwaar, 'Bezwaar ontvangen');
    const c = cor.tc.client;
    const zonder = await c.changeStatus(dossier, bezwaar, 'Advies LBT aangevraagd');
    expect(zonder.ok).toBe(false);
    expect((await c.changeStatus(dossier, bezwaar, 'Advies LBT aangevraagd', 'Dossier op 8 december aan de LBT gestuurd.')).ok).toBe(true);
    expect((await c.changeStatus(dossier, bezwaar, 'Advies LBT ontvangen')).ok).toBe(true);
    expect((await c.changeStatus(dossier, bezwaar, 'Besluit op bezwaar', 'Ongegrond; de TLV blijft staan.')).ok).toBe(true);
    const done = c.allowedTransitions(dossier, bezwaar);
    expect(done.ok && done.value).toEqual([]);
    expect((await c.flush(30_000)).ok).toBe(true);
    await statusBij(ilse, bezwaar, 'Besluit op bezwaar');
    const hv = ilse.tc.client.getHulpvraag(dossier, bezwaar);
    expect(hv.ok && hv.value.history.map((h) => [h.to, h.actor, h.geverifieerd])).toEqual([
      ['Advies LBT aangevraagd', cor.userId, true],
      ['Advies LBT ontvangen', cor.userId, true],
      ['Besluit op bezwaar', cor.userId, true],
    ]);
  }, 180_000);

  it('once the TLV and the bezwaar have ended, the dossier may be kept three years after the last end, and an open hulpvraag means no date yet', async () => {
    const stand = ilse.tc.client.bewaartermijn(dossier);
    const laatste =
      [tlvHv, bezwaar]
        .map((h) => {
          const v = ilse.tc.client.getHulpvraag(dossier, h);
          return v.ok ? (v.value.history.at(-1)?.at.slice(0, 10) ?? '') : '';
        })
        .sort()
        .at(-1) ?? '';
    expect(stand).toEqual({
      ok: true,
      value: { soort: 'termijn', door: 'bewaartermijn', tot: `${Number(laatste.slice(0, 4)) + 3}${laatste.slice(4)}` },
    });
    // Before the end the dossier has no date: the bezwaar of a fresh hulpvraag is open.
    const open = await ilse.tc.client.createHulpvraag(dossier, { titel: 'Bezwaar TLV', omschrijving: 'Tweede bezwaarschrift.' });
    expect(open.ok).toBe(true);
    if (open.ok) tweedeBezwaar = open.value;
    expect(ilse.tc.client.bewaartermijn(dossier)).toEqual({ ok: true, value: { soort: 'lopend' } });
  }, 60_000);

  it('the deadlines come from the dossier’s own dates through the client API (the reminders in meldingen use them)', () => {
    // The walked bezwaar: registered and sent to the LBT on the day of the TLV decision, both met.
    const klaar = cor.tc.client.bezwaarTermijnen(dossier, bezwaar);
    expect(klaar.ok && klaar.value.map((t) => [t.id, t.stand])).toEqual([
      ['bezwaartermijn', 'gehaald'],
      ['advies-lbt-aanvragen', 'gehaald'],
    ]);
    // The fresh one: the LBT must be asked within 14 days of today.
    const vandaag = new Date().toISOString().slice(0, 10);
    const veertien = new Date(Date.parse(`${vandaag}T00:00:00Z`) + 14 * 86_400_000).toISOString().slice(0, 10);
    const open = ilse.tc.client.bezwaarTermijnen(dossier, tweedeBezwaar);
    expect(open.ok && open.value[1]).toEqual(expect.objectContaining({ id: 'advies-lbt-aanvragen', stand: 'open', uiterlijk: veertien }));
    expect(ilse.tc.client.bezwaarTermijnen(dossier, tlvHv)).toMatchObject({ ok: false, error: { code: 'geen-bezwaar' } });
  });

  it('the 6-week and 14-day deadlines follow from the data: met, late, or still open', () => {
    const bereikt = new Map([['Advies LBT aangevraagd', '2026-12-15']]);
    expect(bezwaarTermijnen({ besluitTlvOp: '2026-11-01', ontvangenOp: '2026-12-01', bereikt, vandaag: '2026-12-20' })).toEqual([
      expect.objectContaining({ id: 'bezwaartermijn', uiterlijk: '2026-12-13', stand: 'gehaald' }),
      expect.objectContaining({ id: 'advies-lbt-aanvragen', uiterlijk: '2026-12-15', stand: 'gehaald' }),
    ]);
    const laat = bezwaarTermijnen({ besluitTlvOp: '2026-10-01', ontvangenOp: '2026-12-01', bereikt: new Map(), vandaag: '2026-12-16' });
    expect(laat.map((t) => t.stand)).toEqual(['te-laat', 'te-laat']);
    const open = bezwaarTermijnen({ besluitTlvOp: '2026-11-01', ontvangenOp: '2026-12-01', bereikt: new Map(), vandaag: '2026-12-10' });
    expect(open[1]?.stand).toBe('open');
  });

  it('the coördinator’s full inzage-export of the same dossier does hold the LVS and the access log (what the LBT package leaves out)', async () => {
    const r = await cor.tc.client.exportDossier(dossier);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.bestanden).toContain('hulpvragen/1/lvs.json');
    expect(r.value.bestanden).toContain('toegangslog.json');
    expect(r.value.bestanden.some((n) => n.startsWith('hulpvragen/2/'))).toBe(true);
  }, 60_000);

  it('the dossier voor de LBT holds the TLV aanvraag, form, procedure and besluit, and nothing else of the dossier', async () => {
    const r = await cor.tc.client.exportDossier(dossier, 'lbt');
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.naam).toMatch(/^kindkluis-lbt-/);
    expect((await verifyExport(nobleProvider, r.value.bytes)).ok).toBe(true);
    const files = readZip(r.value.bytes);
    if (!files.ok) throw new Error(files.error.message);
    const names = [...files.value.keys()];
    expect(names).toContain('hulpvragen/1/hulpvraag.json');
    expect(names).toContain('hulpvragen/1/formulier.json');
    expect(names.some((n) => n.endsWith('besluit.txt'))).toBe(true);
    const hv = JSON.parse(utf8Decode(files.value.get('hulpvragen/1/hulpvraag.json')!)) as {
      titel: string;
      status: string;
      tlv: unknown;
      history: unknown[];
    };
    expect(hv.titel).toBe('TLV VSO');
    expect(hv.status).toBe('TLV afgegeven');
    expect(hv.tlv).toMatchObject({ volgnummer: 1, categorie: TLV.categorie });
    // Only the TLV hulpvraag: not the bezwaar itself, no LVS, no access list or log.
    expect(names.some((n) => n.startsWith('hulpvragen/2/'))).toBe(false);
    for (const n of ['toegang.json', 'toegangslog.json']) expect(names).not.toContain(n);
    expect(names.some((n) => n.endsWith('lvs.json') || n.includes('overlegronde'))).toBe(false);
  }, 60_000);
});
