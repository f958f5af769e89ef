import { describe, expect, it } from 'vitest';
import { berekenProAdvies, proInputFromLvs } from '../../core/pro/index.js';
import type { HulpvraagId, LvsGegevens } from '../../core/model/index.js';

const hulpvraagId = 'hv-1' as HulpvraagId;

describe('calculator input from the LVS tab', () => {
  it('uses the latest score per domain and leerjaar + doublures from the schoolgegevens', () => {
    const lvs: LvsGegevens = {
      hulpvraagId,
      iq: { testdatum: '2024-01-15', totaal: 68 },
      toetsscores: [
        { domein: 'begrijpend-lezen', toetsdatum: '2023-06-10', dle: 20 },
        { domein: 'begrijpend-lezen', toetsdatum: '2024-01-20', dle: 24 },
        { domein: 'inzichtelijk-rekenen', toetsdatum: '2024-01-22', dle: 22 },
      ],
    };
    const input = proInputFromLvs(lvs, { leerjaar: 8, doublures: 0 });
    expect(input.ok).toBe(true);
    if (!input.ok) return;
    expect(input.value.toetsdatum).toBe('2024-01-22');
    expect(input.value.dle).toEqual({ 'begrijpend-lezen': 24, 'inzichtelijk-rekenen': 22 });
    // Groep 8 on 22 Jan: 10 × 5 = 50, + Sep–Dec 4 + 22/31 ≈ 4,7 → 5 → DL 55.
    // BL 1 − 24/55 = 0,564, IR 1 − 22/55 = 0,6; IQ 68 → PrO.
    const a = berekenProAdvies(input.value, { now: new Date('2024-03-01T12:00:00Z') });
    expect(a.ok && a.value.dl).toBe(55);
    expect(a.ok && a.value.advies).toBe('pro');
  });

  it('says what is missing when there is no way to compute the DL', () => {
    const r = proInputFromLvs({ hulpvraagId, toetsscores: [{ domein: 'spellen', toetsdatum: '2024-01-22', dle: 22 }] });
    expect(!r.ok && r.error.code).toBe('pro-geen-dl');
    const none = proInputFromLvs({ hulpvraagId, toetsscores: [] });
    expect(!none.ok && none.error.message).toMatch(/nog geen toetsscores/);
  });
});
