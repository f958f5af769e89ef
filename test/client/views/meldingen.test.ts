// The meldingen of badge, popup and side panel (core/client/views/meldingen.ts), driven
// through the client API against a real relay on 127.0.0.1: a status not seen yet, an
// @mention by a proven author, an overlegronde that closes within two days (stepped through
// its window on the IB's injected clock); what was seen drops out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { meldingenVan, SLUIT_BINNENKORT_MS } from '../../../core/client/views/meldingen.js';
import type { DossierId, HulpvraagId, OverlegrondeId } from '../../../core/model/ids.js';
import { eventually, type Member } from '../../sync/harness.js';
import { startWorld, type World } from '../dossier-world.js';

let world: World;
let ib: Member, cor: Member;
let dossier: DossierId, hv: HulpvraagId, ronde: OverlegrondeId;
/** The IB's clock: the real one, or a moment a test puts it at (her client and the view read the same). */
let klok: number | null = null;

beforeAll(async () => {
  world = await startWorld([
    {
      naam: 'Ilse Bakker',
      functie: 'intern begeleider',
      organisation: { naam: 'OBS De Linde', kind: 'school' },
      roles: ['intern-begeleider'],
      now: () => new Date(klok ?? Date.now()),
    },
    { naam: 'Cor Visser', functie: 'coördinator', organisation: { naam: 'SWV Noord', kind: 'swv' }, roles: ['swv-coordinator'] },
  ]);
  [ib, cor] = world.members as [Member, Member];
  const d = await ib.tc.client.createDossier({
    voornaam: 'Fenna',
    achternaam: 'Melding',
    geboortedatum: '2013-04-05',
    adressen: [],
    ouders: [],
  });
  if (!d.ok) throw new Error(d.error.message);
  dossier = d.value;
  const h = await ib.tc.client.createHulpvraag(dossier, { titel: 'BaO-BaO overleg', omschrijving: 'Overleg tussen scholen' });
  if (!h.ok) throw new Error(h.error.message);
  hv = h.value;
  const or = await ib.tc.client.startOverlegronde(dossier, hv, {
    titel: 'Afstemming',
    omschrijving: 'Korte afstemming',
    einddatum: new Date(Date.now() + 86_400_000).toISOString(),
    deelnemers: [cor.userId],
  });
  if (!or.ok) throw new Error(or.error.message);
  ronde = or.value;
  const m = await ib.tc.client.postMessage(dossier, ronde, 'Vraag', `Kun jij meekijken, @${cor.handle}?`);
  if (!m.ok) throw new Error(m.error.message);
  expect((await ib.tc.client.flush(15_000)).ok).toBe(true);
}, 120_000);

afterAll(async () => {
  await world?.close();
});

describe('meldingen', () => {
  it('the IB: her new hulpvraag until she has seen it, and the ronde that closes tomorrow until she has seen it', async () => {
    const nu = Date.now();
    const alles = await meldingenVan(ib.tc.client, {}, nu);
    expect(alles.map((m) => m.soort).sort()).toEqual(['einddatum', 'status']);
    expect(alles.find((m) => m.soort === 'status')?.tekst).toBe('BaO-BaO overleg: BaO-BaO overleg voorbereiden');
    expect(alles.find((m) => m.soort === 'einddatum')?.tekst).toBe('Overlegronde "Afstemming" sluit binnenkort');
    // Her own @mention of Cor is no melding for her.
    const gezien = { [hv]: new Date(nu).toISOString(), [`overleg:${ronde}`]: new Date(nu).toISOString() };
    expect(await meldingenVan(ib.tc.client, gezien, nu)).toEqual([]);
    // Three days earlier the ronde was not closing soon yet.
    expect((await meldingenVan(ib.tc.client, { [hv]: new Date(nu).toISOString() }, nu - 3 * 86_400_000)).map((m) => m.soort)).toEqual([]);
  });

  it('"sluit binnenkort" shows only in the last two days before the einddatum: not earlier, not once the ronde has closed; seen before the window it shows again', async () => {
    const r = await ib.tc.client.startOverlegronde(dossier, hv, {
      titel: 'Planning',
      omschrijving: 'Afspraken plannen',
      einddatum: new Date(Date.now() + 5 * 86_400_000).toISOString(),
      deelnemers: [cor.userId],
    });
    if (!r.ok) throw new Error(r.error.message);
    const o = ib.tc.client.getOverlegronde(dossier, r.value);
    if (!o.ok) throw new Error(o.error.message);
    const eind = Date.parse(o.value.einddatum);
    const MINUUT = 60_000;
    const melding = async (op: number, gezien: Record<string, string> = {}) => {
      klok = op;
      try {
        return (await meldingenVan(ib.tc.client, gezien, op)).find((m) => m.id === `einddatum:${r.value}`)?.tekst;
      } finally {
        klok = null;
      }
    };
    // Now (five days before) and just before the window: nothing.
    expect(await melding(Date.now())).toBeUndefined();
    expect(await melding(eind - SLUIT_BINNENKORT_MS - MINUUT)).toBeUndefined();
    // In the window, to the last minute.
    expect(await melding(eind - SLUIT_BINNENKORT_MS + MINUUT)).toBe('Overlegronde "Planning" sluit binnenkort');
    expect(await melding(eind - MINUUT)).toBe('Overlegronde "Planning" sluit binnenkort');
    // Closed: no warning any more.
    expect(await melding(eind + MINUUT)).toBeUndefined();
    expect(await melding(eind + 3 * 86_400_000)).toBeUndefined();
    // Having opened the ronde before the window does not silence it; opening it in the window does.
    const voorVenster = { [`overleg:${r.value}`]: new Date(eind - SLUIT_BINNENKORT_MS - MINUUT).toISOString() };
    expect(await melding(eind - MINUUT, voorVenster)).toBe('Overlegronde "Planning" sluit binnenkort');
    const inVenster = { [`overleg:${r.value}`]: new Date(eind - SLUIT_BINNENKORT_MS + MINUUT).toISOString() };
    expect(await melding(eind - MINUUT, inVenster)).toBeUndefined();
  });

  it('the coördinator: the @mention by the IB, once its author is verified, newest first', async () => {
    await eventually(
      async () => {
        await cor.tc.client.tick();
        await cor.tc.client.refreshViews(dossier);
        return (await meldingenVan(cor.tc.client, {}, Date.now())).some((m) => m.soort === 'mention');
      },
      'de coördinator ziet de vermelding',
      60_000,
    );
    const lijst = await meldingenVan(cor.tc.client, {}, Date.now());
    const mention = lijst.find((m) => m.soort === 'mention');
    expect(mention?.tekst).toBe('Ilse Bakker noemde u in "Vraag"');
    expect(mention?.hulpvraagId).toBe(hv);
    expect([...lijst].sort((a, b) => (a.at < b.at ? 1 : -1))).toEqual(lijst);
    const gelezen = await meldingenVan(cor.tc.client, { [`overleg:${ronde}`]: new Date(Date.now() + 1000).toISOString() }, Date.now());
    expect(gelezen.some((m) => m.soort === 'mention')).toBe(false);
  }, 90_000);
});
