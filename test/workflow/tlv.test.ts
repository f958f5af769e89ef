import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isIsoDate, addDays } from '../../core/workflow/school-year.js';
import { tlvEinddatum, tlvHerinneringsdatum, validateTlvAfgifte } from '../../core/workflow/tlv.js';
import { CONFIG, TLV } from './fixtures.js';

describe('TLV period (WEC art. 40 lid 15)', () => {
  it('issued on 1 August covers exactly that school year', () => {
    expect(tlvEinddatum('2026-08-01')).toBe('2027-07-31');
  });
  it('issued during a school year, the rest of that year is added to a whole school year', () => {
    expect(tlvEinddatum('2026-11-23')).toBe('2028-07-31');
    expect(tlvEinddatum('2027-03-15', 2)).toBe('2029-07-31');
    // in the summer holiday the old school year still runs until 31 July
    expect(tlvEinddatum('2026-07-15')).toBe('2027-07-31');
  });
  it('the minimum end always lies at least one year after the start, on 31 July', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('2000-01-01'), max: new Date('2090-12-31'), noInvalidDate: true }), (d) => {
        const start = d.toISOString().slice(0, 10);
        // The minimum the recording check enforces: a TLV ending the 31 July before it is refused and names it.
        const early = validateTlvAfgifte({ ...TLV, startdatum: start, einddatum: '1999-07-31' }, CONFIG);
        const end = !early.ok && early.error.code === 'tlv-einddatum-te-vroeg' ? String(early.error.details?.['minimum']) : '';
        expect(validateTlvAfgifte({ ...TLV, startdatum: start, einddatum: end }, CONFIG).ok).toBe(true);
        expect(end.endsWith('-07-31')).toBe(true);
        expect(end >= addDays(start, 364)).toBe(true);
        expect(end < addDays(start, 2 * 366)).toBe(true);
      }),
    );
  });
  it('rejects impossible dates', () => {
    expect(isIsoDate('2027-02-29')).toBe(false);
    expect(isIsoDate('2028-02-29')).toBe(true);
  });
});

describe('recording a TLV', () => {
  it('accepts a complete TLV and plans the reminder the configured number of days before the end', () => {
    expect(validateTlvAfgifte(TLV, CONFIG).ok).toBe(true);
    expect(tlvHerinneringsdatum(TLV, CONFIG)).toBe('2028-01-31');
    expect(tlvHerinneringsdatum(TLV, { ...CONFIG, tlvHerinneringDagenVoorEinde: 30 })).toBe('2028-07-01');
  });

  it.each([
    ['an unknown category', { ...TLV, categorie: 'zwaar' }, 'tlv-categorie-onbekend'],
    ['an end date that is not 31 July', { ...TLV, einddatum: '2028-06-30' }, 'tlv-einddatum-geen-schooljaareinde'],
    ['a period shorter than the rest of the year plus one school year', { ...TLV, einddatum: '2027-07-31' }, 'tlv-einddatum-te-vroeg'],
    ['an impossible date', { ...TLV, startdatum: '2026-02-30' }, 'tlv-datum-ongeldig'],
    ['volgnummer 0', { ...TLV, volgnummer: 0 }, 'tlv-volgnummer-ongeldig'],
    ['the same deskundige twice', { ...TLV, deskundigen: [TLV.deskundigen[0], { ...TLV.deskundigen[0] }] }, 'tlv-deskundigen-ongeldig'],
    [
      'a first deskundige that is no orthopedagoog or psycholoog',
      { ...TLV, deskundigen: [{ naam: 'Arts Een', functie: 'arts' }, TLV.deskundigen[1]] },
      'tlv-deskundigen-ongeldig',
    ],
  ] as const)('refuses %s', (_what, tlv, code) => {
    const r = validateTlvAfgifte(tlv, CONFIG);
    expect(r.ok ? 'ok' : r.error.code).toBe(code);
  });

  it('uses the SWV-configured category labels in the message', () => {
    const r = validateTlvAfgifte({ ...TLV, categorie: 'x' }, { ...CONFIG, tlvCategorieen: [{ code: 'c1', label: 'Categorie 1 (laag)' }] });
    expect(r.ok ? '' : r.error.message).toContain('Categorie 1 (laag)');
  });
});
