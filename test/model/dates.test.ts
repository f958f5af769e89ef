// Dates as Kindkluis writes them for people (issue 21): dd-mm-jjjj, moments as the day and time in the Netherlands.
import { describe, expect, it } from 'vitest';
import { formatDatumNl, formatMomentNl } from '../../core/model/dates.js';
import { validateTlvAfgifte } from '../../core/workflow/tlv.js';
import { formatDatum } from '../../extension/ui/format.js';
import { CONFIG, TLV } from '../workflow/fixtures.js';

describe('Dutch dates', () => {
  it('writes a calendar day as dd-mm-jjjj and leaves anything else as it is', () => {
    expect(formatDatumNl('2026-07-31')).toBe('31-07-2026');
    expect(formatDatumNl('geen datum')).toBe('geen datum');
    expect(formatMomentNl('2026-07-31')).toBe('31-07-2026');
  });

  it('writes a moment as the day and time it was in the Netherlands, also across midnight and summer time', () => {
    expect(formatDatumNl('2026-12-07T23:30:00.000Z')).toBe('08-12-2026');
    expect(formatMomentNl('2026-12-07T23:30:00.000Z')).toBe('08-12-2026 00:30');
    expect(formatMomentNl('2026-07-31T22:05:00.000Z')).toBe('01-08-2026 00:05');
    // The screens use the same rule (extension/ui/format.ts), so a code valid until late evening UTC shows the Dutch day.
    expect(formatDatum('2026-12-07T23:30:00.000Z')).toBe('08-12-2026');
    expect(formatDatum(undefined)).toBe('–');
  });

  it('names the earliest TLV end date in the Dutch format, not as jjjj-mm-dd', () => {
    const r = validateTlvAfgifte({ ...TLV, einddatum: '2027-07-31' }, CONFIG);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.message).toMatch(/op of na \d{2}-\d{2}-\d{4} liggen/);
      expect(r.error.message).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    }
  });
});
