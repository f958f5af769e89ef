// The hulpvragen list's rows, search, filters and sort: the pure view the list
// screen, the side panel and the bench run (core/client/views/hulpvragen-lijst.ts).
import { beforeAll, describe, expect, it } from 'vitest';
import type { HulpvraagListItem, Me } from '../../../core/client/api.js';
import {
  filterEnSorteer,
  hulpvraagRijenVan,
  isEindstatus,
  type HulpvraagRij,
  type LijstBron,
  type LijstFilters,
  type LijstWeergave,
} from '../../../core/client/views/hulpvragen-lijst.js';
import { fail, ok } from '../../../core/result.js';

const item = (n: number, over: Partial<HulpvraagListItem> = {}): HulpvraagListItem =>
  ({
    hulpvraagId: `hv${n}`,
    dossierId: `d${n}`,
    leerlingNaam: `Leerling ${n}`,
    titel: 'TLV VSO',
    status: 'TLV voorlopige aanvraag',
    statusLabel: '',
    aangemaaktOp: `2026-11-${String(10 + n).padStart(2, '0')}T08:00:00.000Z`,
    gewijzigdOp: `2026-12-${String(1 + n).padStart(2, '0')}T08:00:00.000Z`,
    school: 'OBS De Linde',
    coordinator: null,
    labels: [],
    ...over,
  }) as HulpvraagListItem;

const leeg: LijstFilters = { zoek: '', status: '', type: '', alleenOpen: false, alleenOngelezen: false };
const nieuwsteEerst: LijstWeergave = { kolommen: ['leerling', 'status'], sorteer: 'laatsteDatum', richting: 'aflopend' };

/** The client's sealed index as the list reads it; no dossier in memory beyond it. */
const bron = (items: HulpvraagListItem[], ingelogd: boolean): LijstBron => ({
  listHulpvragen: async () => ok(items),
  listDossiers: () => [],
  getHulpvraag: () => fail('niet-beschikbaar', 'niet in dit geheugen'),
  me: () => (ingelogd ? ({ userId: 'u-ib' } as Me) : null),
});

const rijenVan = async (items: HulpvraagListItem[], gelezen: Record<string, string>, ingelogd: boolean): Promise<HulpvraagRij[]> => {
  const r = await hulpvraagRijenVan(bron(items, ingelogd), gelezen);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};

describe('the hulpvragen list view', () => {
  let rijen: HulpvraagRij[] = [];
  beforeAll(async () => {
    rijen = await rijenVan(
      [item(1), item(2, { leerlingNaam: 'Daan Kwartel', status: 'TLV afgegeven' }), item(10), item(3, { titel: 'PrO' })],
      { hv1: '2026-12-05T00:00:00.000Z' },
      true,
    );
  });

  it('marks end statuses from the process and unread rows only for what changed after it was read', async () => {
    expect(isEindstatus('TLV VSO', 'TLV afgegeven')).toBe(true);
    expect(isEindstatus('TLV VSO', 'TLV voorlopige aanvraag')).toBe(false);
    expect(rijen.find((r) => r.hulpvraagId === 'hv2')?.eindstatus).toBe(true);
    expect(rijen.find((r) => r.hulpvraagId === 'hv1')?.ongelezen).toBe(false);
    expect(rijen.find((r) => r.hulpvraagId === 'hv10')?.ongelezen).toBe(true);
    expect((await rijenVan([item(10)], {}, false))[0]?.ongelezen).toBe(false);
  });

  it('searches every visible field, filters open and unread, and sorts Dutch and numeric', () => {
    expect(filterEnSorteer(rijen, { ...leeg, zoek: 'DAAN' }, nieuwsteEerst).map((r) => r.hulpvraagId)).toEqual(['hv2']);
    expect(filterEnSorteer(rijen, { ...leeg, alleenOpen: true }, nieuwsteEerst).map((r) => r.hulpvraagId)).toEqual(['hv10', 'hv3', 'hv1']);
    expect(filterEnSorteer(rijen, { ...leeg, type: 'PrO' }, nieuwsteEerst).map((r) => r.hulpvraagId)).toEqual(['hv3']);
    // "Leerling 10" after "Leerling 3", not between 1 and 2.
    expect(filterEnSorteer(rijen, leeg, { ...nieuwsteEerst, sorteer: 'leerling', richting: 'oplopend' }).map((r) => r.leerling)).toEqual([
      'Daan Kwartel',
      'Leerling 1',
      'Leerling 3',
      'Leerling 10',
    ]);
  });
});
