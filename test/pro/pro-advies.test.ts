import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { berekenProAdvies, type ProInput, type ProAdvies } from '../../core/pro/advies.js';
import { computeDidactischeLeeftijd } from '../../core/pro/didactische-leeftijd.js';
import { NATIONAL_PRO_CRITERIA, type ProCriteria } from '../../core/pro/criteria.js';
import { parseIsoDate } from '../../core/pro/calendar-date.js';

// All examples are worked by hand in the comments; the peildatum is fixed.
const now = new Date('2024-06-15T10:00:00Z');
const recentIq = '2023-11-01';

function advies(input: ProInput, criteria = NATIONAL_PRO_CRITERIA): ProAdvies {
  const r = berekenProAdvies(input, { now, criteria });
  if (!r.ok) throw new Error(`verwacht een advies, kreeg: ${r.error.message}`);
  return r.value;
}
const date = (s: string) => {
  const d = parseIsoDate(s);
  if (!d) throw new Error(s);
  return d;
};

describe('didactische leeftijd (DL)', () => {
  it('counts 10 months per school year from groep 3: eind maart groep 6 is DL 37', () => {
    // Start groep 3 on 1 Sep 2020: school years 20/21, 21/22, 22/23 = 3 × 10 = 30,
    // then September t/m March 2023/24 = 7 months → 30 + 7 = 37.
    const r = computeDidactischeLeeftijd({ kind: 'startGroep3', startGroep3: '2020-09-01' }, date('2024-03-31'));
    expect(r.ok && r.value.dl).toBe(37);
    const g = computeDidactischeLeeftijd({ kind: 'groep', groep: 6, doublures: 0 }, date('2024-03-31'));
    expect(g.ok && g.value.dl).toBe(37);
    expect(g.ok && g.value.uitleg).toContain('= 37');
  });

  it('counts a repeated year from groep 3 on', () => {
    // Groep 6 with 1 doublure: 10 × (6 − 3 + 1) = 40, + 7 months (end of March) = 47.
    const g = computeDidactischeLeeftijd({ kind: 'groep', groep: 6, doublures: 1 }, date('2024-03-31'));
    expect(g.ok && g.value.dl).toBe(47);
    // The same pupil by start date: started groep 3 in Sep 2019, so 4 full years (40) + 7 = 47.
    const s = computeDidactischeLeeftijd({ kind: 'startGroep3', startGroep3: '2019-09-01' }, date('2024-03-31'));
    expect(s.ok && s.value.dl).toBe(47);
  });

  it('gives the conventional values for midden and eind of a school year and skips the summer', () => {
    // Midden groep 3 (test on 20 January): Sep, Oct, Nov, Dec = 4 and 20/31 of January ≈ 4,6 → 5.
    const m = computeDidactischeLeeftijd({ kind: 'startGroep3', startGroep3: '2023-09-01' }, date('2024-01-20'));
    expect(m.ok && m.value.dl).toBe(5);
    // Eind groep 3 (28 June): 9 months + 28/30 ≈ 9,9 → 10.
    const e = computeDidactischeLeeftijd({ kind: 'groep', groep: 3, doublures: 0 }, date('2024-06-28'));
    expect(e.ok && e.value.dl).toBe(10);
    // In the summer holiday nothing is added: 10 August still counts as 10.
    const z = computeDidactischeLeeftijd({ kind: 'startGroep3', startGroep3: '2023-09-01' }, date('2024-08-10'));
    expect(z.ok && z.value.dl).toBe(10);
  });

  it('subtracts months the pupil was not enrolled', () => {
    // 37 school months (as above) − 4 months not enrolled = 33.
    const r = computeDidactischeLeeftijd(
      { kind: 'startGroep3', startGroep3: '2020-09-01', maandenNietIngeschreven: 4 },
      date('2024-03-31'),
    );
    expect(r.ok && r.value.dl).toBe(33);
  });

  it('rejects a toetsdatum before groep 3 and groepen outside 3–8', () => {
    const r = computeDidactischeLeeftijd({ kind: 'startGroep3', startGroep3: '2024-09-01' }, date('2024-03-31'));
    expect(!r.ok && r.error.message).toMatch(/vóór de start van groep 3/);
    const g = computeDidactischeLeeftijd({ kind: 'groep', groep: 2, doublures: 0 }, date('2024-03-31'));
    expect(!g.ok && g.error.message).toMatch(/groep moet 3 t\/m 8/);
  });
});

describe('berekend advies PrO/LWOO (BWBR0015137 art. 4)', () => {
  it('gives PrO for IQ 70 and LA ≥ 0,5 on begrijpend lezen and inzichtelijk rekenen', () => {
    // DL 60 (eind groep 8). LA = 1 − DLE/DL:
    //   begrijpend lezen 1 − 25/60 = 35/60 = 0,583 → PrO band
    //   inzichtelijk rekenen 1 − 28/60 = 32/60 = 0,533 → PrO band
    //   technisch lezen 1 − 40/60 = 0,333 → LWOO band
    //   spellen 1 − 45/60 = 0,25 → LWOO band (lower edge included)
    // PrO: IQ 70 in 55–80 ✓, 2 domains ≥ 0,5 incl. BL ✓. IQ 70 is not in LWOO's 75–90 → PrO.
    const a = advies({
      toetsdatum: '2024-06-10',
      dlBron: { kind: 'direct', dl: 60 },
      iq: { score: 70, testdatum: recentIq },
      sociaalEmotioneleProblematiek: false,
      dle: { 'begrijpend-lezen': 25, 'inzichtelijk-rekenen': 28, 'technisch-lezen': 40, spellen: 45 },
    });
    expect(a.advies).toBe('pro');
    expect(a.domeinen.map((d) => [d.domain, d.band])).toEqual([
      ['begrijpend-lezen', 'pro'],
      ['technisch-lezen', 'lwoo'],
      ['spellen', 'lwoo'],
      ['inzichtelijk-rekenen', 'pro'],
    ]);
    expect(a.domeinen.find((d) => d.domain === 'begrijpend-lezen')?.la).toBeCloseTo(35 / 60, 10);
    expect(a.regel).toMatch(/^PrO: IQ 70 ligt binnen 55 t\/m 80/);
    expect(a.regel).toContain('begrijpend lezen 0,58');
    expect(a.waarschuwingen).toEqual([]);
  });

  it('puts an LA of exactly 0,5 in the PrO band and exactly 0,25 in the LWOO band', () => {
    // DL 60: DLE 30 → 1 − 30/60 = 0,5 (PrO); DLE 45 → 0,25 (LWOO); DLE 46 → 1 − 46/60 = 0,233 (geen).
    const a = advies({
      toetsdatum: '2024-06-10',
      dlBron: { kind: 'direct', dl: 60 },
      iq: { score: 60, testdatum: recentIq },
      sociaalEmotioneleProblematiek: false,
      dle: { 'begrijpend-lezen': 30, 'inzichtelijk-rekenen': 30, 'technisch-lezen': 45, spellen: 46 },
    });
    expect(a.domeinen.map((d) => d.band)).toEqual(['pro', 'lwoo', 'geen', 'pro']);
    expect(a.advies).toBe('pro');
  });

  it('gives LWOO for IQ 85 and LA 0,25–0,5 on begrijpend lezen and inzichtelijk rekenen', () => {
    // DL 50: BL 1 − 30/50 = 0,40 (LWOO), IR 1 − 35/50 = 0,30 (LWOO), TL 1 − 45/50 = 0,10, SP 1 − 48/50 = 0,04.
    // IQ 85 in 75–90 ✓ and not in 55–80 → LWOO (no grensvlak).
    const a = advies({
      toetsdatum: '2024-06-10',
      dlBron: { kind: 'direct', dl: 50 },
      iq: { score: 85, testdatum: recentIq },
      sociaalEmotioneleProblematiek: false,
      dle: { 'begrijpend-lezen': 30, 'inzichtelijk-rekenen': 35, 'technisch-lezen': 45, spellen: 48 },
    });
    expect(a.advies).toBe('lwoo');
    expect(a.regel).toMatch(/^LWOO: IQ 85 ligt binnen 75 t\/m 90/);
  });

  it('gives LWOO for IQ 91–120 only with sociaal-emotionele problematiek', () => {
    // Same LA as above (BL 0,40, IR 0,30); IQ 105 is in band b (91–120), which needs SEO.
    const base: ProInput = {
      toetsdatum: '2024-06-10',
      dlBron: { kind: 'direct', dl: 50 },
      iq: { score: 105, testdatum: recentIq },
      sociaalEmotioneleProblematiek: true,
      dle: { 'begrijpend-lezen': 30, 'inzichtelijk-rekenen': 35, 'technisch-lezen': 45, spellen: 48 },
    };
    expect(advies(base).advies).toBe('lwoo');
    const without = advies({ ...base, sociaalEmotioneleProblematiek: false });
    expect(without.advies).toBe('geen');
    expect(without.regel).toContain('IQ 105 ligt niet binnen 75 t/m 90 of 91 t/m 120 (met sociaal-emotionele problematiek)');
  });

  it('gives grensvlak for IQ 75–80 with PrO-level or LWOO-level achterstand (art. 4 lid 5)', () => {
    // IQ 78 is inside both PrO (55–80) and LWOO (75–90).
    // PrO-level LA: DL 60, BL 1 − 24/60 = 0,60, IR 1 − 27/60 = 0,55 → PrO on LA, LWOO on IQ → grensvlak.
    const pro = advies({
      toetsdatum: '2024-06-10',
      dlBron: { kind: 'direct', dl: 60 },
      iq: { score: 78, testdatum: recentIq },
      sociaalEmotioneleProblematiek: false,
      dle: { 'begrijpend-lezen': 24, 'inzichtelijk-rekenen': 27, 'technisch-lezen': 50, spellen: 50 },
    });
    expect(pro.advies).toBe('grensvlak');
    expect(pro.regel).toMatch(/Grensvlak PrO\/LWOO/);
    expect(pro.regel).toContain('motivering');
    // LWOO-level LA: BL 1 − 36/60 = 0,40, IR 1 − 40/60 = 0,333 → PrO on IQ, LWOO on LA → grensvlak.
    const lwoo = advies({
      toetsdatum: '2024-06-10',
      dlBron: { kind: 'direct', dl: 60 },
      iq: { score: 78, testdatum: recentIq },
      sociaalEmotioneleProblematiek: false,
      dle: { 'begrijpend-lezen': 36, 'inzichtelijk-rekenen': 40, 'technisch-lezen': 50, spellen: 50 },
    });
    expect(lwoo.advies).toBe('grensvlak');
  });

  it('also gives grensvlak when the IQ is PrO-level (70) and the achterstand LWOO-level, and the reverse (IQ 85)', () => {
    // IQ 70 (PrO) + LA BL 0,40 / IR 0,333 (LWOO, as above) → lid 5.
    const a = advies({
      toetsdatum: '2024-06-10',
      dlBron: { kind: 'direct', dl: 60 },
      iq: { score: 70, testdatum: recentIq },
      sociaalEmotioneleProblematiek: false,
      dle: { 'begrijpend-lezen': 36, 'inzichtelijk-rekenen': 40 },
    });
    expect(a.advies).toBe('grensvlak');
    // IQ 85 (LWOO) + LA BL 0,60 / IR 0,55 (PrO) → lid 5.
    const b = advies({
      toetsdatum: '2024-06-10',
      dlBron: { kind: 'direct', dl: 60 },
      iq: { score: 85, testdatum: recentIq },
      sociaalEmotioneleProblematiek: false,
      dle: { 'begrijpend-lezen': 24, 'inzichtelijk-rekenen': 27 },
    });
    expect(b.advies).toBe('grensvlak');
  });

  it('gives geen when only technisch lezen and spellen are behind (a dyslexia pattern)', () => {
    // DL 60: TL 1 − 20/60 = 0,667, SP 1 − 22/60 = 0,633 (PrO band), but BL 1 − 55/60 = 0,083 and IR 1 − 50/60 = 0,167.
    // 2 domains ≥ 0,5 but neither is BL or IR → PrO not met; no LWOO-band domains → geen.
    const a = advies({
      toetsdatum: '2024-06-10',
      dlBron: { kind: 'direct', dl: 60 },
      iq: { score: 70, testdatum: recentIq },
      sociaalEmotioneleProblematiek: false,
      dle: { 'begrijpend-lezen': 55, 'inzichtelijk-rekenen': 50, 'technisch-lezen': 20, spellen: 22 },
    });
    expect(a.advies).toBe('geen');
    expect(a.regel).toContain('niet voldaan');
  });

  it('gives geen for an IQ below 55 even with a large achterstand', () => {
    const a = advies({
      toetsdatum: '2024-06-10',
      dlBron: { kind: 'direct', dl: 60 },
      iq: { score: 50, testdatum: recentIq },
      sociaalEmotioneleProblematiek: false,
      dle: { 'begrijpend-lezen': 10, 'inzichtelijk-rekenen': 10 },
    });
    expect(a.advies).toBe('geen');
  });

  it('caps DL at 60 for the leerachterstand of a VO pupil', () => {
    // DL 75 (second year VO). Capped: BL 1 − 30/60 = 0,5 (PrO band); uncapped it would be 1 − 30/75 = 0,6.
    const a = advies({
      toetsdatum: '2024-06-10',
      dlBron: { kind: 'direct', dl: 75 },
      iq: { score: 65, testdatum: recentIq },
      sociaalEmotioneleProblematiek: false,
      dle: { 'begrijpend-lezen': 30, 'inzichtelijk-rekenen': 29 },
    });
    expect(a.dl).toBe(75);
    expect(a.dlVoorLeerachterstand).toBe(60);
    expect(a.domeinen[0]?.la).toBeCloseTo(0.5, 10);
    expect(a.uitleg.join('\n')).toContain('begrensd op 60');
  });

  it('computes DL from groep and doublures and uses it for the advice', () => {
    // Groep 8, 1 doublure, toets 28 May 2024: 10 × (8 − 3 + 1) = 60, + (8 + 28/31 ≈ 8,9 → 9) = 69 → capped 60.
    // BL 1 − 28/60 = 0,533; IR 1 − 29/60 = 0,517 → PrO with IQ 72.
    const a = advies({
      toetsdatum: '2024-05-28',
      dlBron: { kind: 'groep', groep: 8, doublures: 1 },
      iq: { score: 72, testdatum: recentIq },
      sociaalEmotioneleProblematiek: false,
      dle: { 'begrijpend-lezen': 28, 'inzichtelijk-rekenen': 29, 'technisch-lezen': 35, spellen: 40 },
    });
    expect(a.dl).toBe(69);
    expect(a.advies).toBe('pro');
  });

  it('uses the DL on the day of each test when domains were tested on different days', () => {
    // Main toetsdatum 10 June 2024 with DL 60. Begrijpend lezen was tested on 20 January 2024:
    // school months between: (Jan: 4 + 20/31 ≈ 4,65) − (Jun: 9 + 10/30 ≈ 9,33) ≈ −4,69 → DL 60 − 4,69 ≈ 55.
    // BL: 1 − 29/55 = 0,473 (LWOO band); with DL 60 it would have been 1 − 29/60 = 0,517 (PrO band).
    const a = advies({
      toetsdatum: '2024-06-10',
      dlBron: { kind: 'direct', dl: 60 },
      iq: { score: 70, testdatum: recentIq },
      sociaalEmotioneleProblematiek: false,
      dle: { 'begrijpend-lezen': 29, 'inzichtelijk-rekenen': 28 },
      toetsdatumPerDomein: { 'begrijpend-lezen': '2024-01-20' },
    });
    const bl = a.domeinen.find((d) => d.domain === 'begrijpend-lezen');
    expect(bl?.dl).toBe(55);
    expect(bl?.la).toBeCloseTo(1 - 29 / 55, 10);
    expect(bl?.band).toBe('lwoo');
    expect(bl?.uitleg).toContain('toets van 20 januari 2024, DL 55');
    // Only IR is at PrO level now (1 − 28/60 = 0,533), so PrO's "2 domains" fails;
    // BL in the LWOO band with IQ 70 (PrO-level) is not enough for LWOO's 2 domains either → geen.
    expect(a.advies).toBe('geen');
  });

  it('warns when the IQ test is older than two years, not when it is exactly two years old', () => {
    const input = (testdatum: string): ProInput => ({
      toetsdatum: '2024-06-10',
      dlBron: { kind: 'direct', dl: 60 },
      iq: { score: 70, testdatum },
      sociaalEmotioneleProblematiek: false,
      dle: { 'begrijpend-lezen': 25, 'inzichtelijk-rekenen': 28, 'technisch-lezen': 40, spellen: 45 },
    });
    // Peildatum 15 June 2024: a test of 14 June 2022 is two years and a day old.
    expect(advies(input('2022-06-14')).waarschuwingen.join(' ')).toMatch(/ouder dan twee jaar/);
    expect(advies(input('2022-06-15')).waarschuwingen).toEqual([]);
  });

  it('warns about domains without DLE and about a missing IQ', () => {
    const a = advies({
      toetsdatum: '2024-06-10',
      dlBron: { kind: 'direct', dl: 60 },
      sociaalEmotioneleProblematiek: false,
      dle: { 'begrijpend-lezen': 25, 'inzichtelijk-rekenen': 28 },
    });
    expect(a.waarschuwingen.join(' ')).toMatch(/Geen DLE voor technisch lezen/);
    expect(a.waarschuwingen.join(' ')).toMatch(/Geen IQ ingevuld/);
    expect(a.advies).toBe('geen');
  });
});

describe('impossible input is rejected with Dutch messages', () => {
  const valid: ProInput = {
    toetsdatum: '2024-06-10',
    dlBron: { kind: 'direct', dl: 60 },
    iq: { score: 70, testdatum: recentIq },
    sociaalEmotioneleProblematiek: false,
    dle: { 'begrijpend-lezen': 25, 'inzichtelijk-rekenen': 28 },
  };
  const problems = (input: ProInput): string[] => {
    const r = berekenProAdvies(input, { now });
    if (r.ok) throw new Error('verwacht een fout');
    expect(r.error.code).toBe('pro-invoer-ongeldig');
    const ps = r.error.details?.['problemen'] as { veld: string; melding: string }[];
    return ps.map((p) => `${p.veld}: ${p.melding}`);
  };

  it('rejects negative DLE, a future toetsdatum and an IQ outside 40–160', () => {
    expect(problems({ ...valid, dle: { 'begrijpend-lezen': -3, 'inzichtelijk-rekenen': 28 } }).join()).toMatch(
      /dle\.begrijpend-lezen: .*niet negatief/,
    );
    expect(problems({ ...valid, toetsdatum: '2024-07-01' }).join()).toMatch(/toetsdatum: .*in de toekomst/);
    expect(problems({ ...valid, iq: { score: 35, testdatum: recentIq } }).join()).toMatch(/IQ van 35 is niet mogelijk/);
    expect(problems({ ...valid, iq: { score: 170, testdatum: recentIq } }).join()).toMatch(/IQ van 170/);
    expect(problems({ ...valid, dlBron: { kind: 'direct', dl: -1 } }).join()).toMatch(/DL\) kan niet negatief/);
  });

  it('rejects a DLE far above the DL as a typing error', () => {
    // DL 30; DLE 55 is 25 months above it (> 20): typed 55 for 35?
    expect(
      problems({ ...valid, dlBron: { kind: 'direct', dl: 30 }, dle: { 'begrijpend-lezen': 55, 'inzichtelijk-rekenen': 20 } }).join(),
    ).toMatch(/invoerfout/);
    // DLE 50 is exactly 20 above: allowed (a strong reader).
    expect(
      berekenProAdvies(
        { ...valid, dlBron: { kind: 'direct', dl: 30 }, dle: { 'begrijpend-lezen': 50, 'inzichtelijk-rekenen': 20 } },
        { now },
      ).ok,
    ).toBe(true);
  });

  it('lists every problem at once, not only the first', () => {
    const all = problems({ ...valid, iq: { score: 20, testdatum: '2030-01-01' }, dle: { spellen: -1 } });
    expect(all.length).toBeGreaterThanOrEqual(4);
  });

  it('rejects a DL of 0 and impossible dates', () => {
    expect(problems({ ...valid, dlBron: { kind: 'direct', dl: 0 } }).join()).toMatch(/didactische leeftijd is 0/);
    expect(problems({ ...valid, toetsdatum: '2024-02-30' }).join()).toMatch(/geen geldige datum/);
  });
});

describe('criteria are data an SWV can change', () => {
  it('an SWV without an IQ criterion for LWOO (opting out) gives LWOO on achterstand alone', () => {
    const custom: { ok: true; value: ProCriteria } = {
      ok: true,
      value: { ...NATIONAL_PRO_CRITERIA, name: 'SWV zonder IQ-criterium LWOO', lwoo: { ...NATIONAL_PRO_CRITERIA.lwoo, iq: [] } },
    };
    // IQ 110, no SEO: nationally geen; LA BL 0,40 and IR 0,30 (DL 50) → LWOO under the custom criteria.
    const input: ProInput = {
      toetsdatum: '2024-06-10',
      dlBron: { kind: 'direct', dl: 50 },
      iq: { score: 110, testdatum: recentIq },
      sociaalEmotioneleProblematiek: false,
      dle: { 'begrijpend-lezen': 30, 'inzichtelijk-rekenen': 35 },
    };
    expect(advies(input).advies).toBe('geen');
    const a = advies(input, custom.value);
    expect(a.advies).toBe('lwoo');
    expect(a.criteria).toBe('SWV zonder IQ-criterium LWOO');
  });

  it('without grensvlak the full PrO match wins for IQ 78', () => {
    const input: ProInput = {
      toetsdatum: '2024-06-10',
      dlBron: { kind: 'direct', dl: 60 },
      iq: { score: 78, testdatum: recentIq },
      sociaalEmotioneleProblematiek: false,
      dle: { 'begrijpend-lezen': 24, 'inzichtelijk-rekenen': 27 },
    };
    expect(advies(input, { ...NATIONAL_PRO_CRITERIA, grensvlak: false }).advies).toBe('pro');
  });
});

describe('properties of the advice', () => {
  const arb = fc.record({
    dl: fc.integer({ min: 1, max: 90 }),
    iq: fc.integer({ min: 40, max: 160 }),
    seo: fc.boolean(),
    dles: fc.array(fc.integer({ min: 0, max: 80 }), { minLength: 4, maxLength: 4 }),
  });

  it('PrO only with IQ 55–80 and 2·DLE ≤ DL on two domains, one of them BL or IR', () => {
    fc.assert(
      fc.property(arb, ({ dl, iq, seo, dles }) => {
        const [bl = 0, tl = 0, sp = 0, ir = 0] = dles;
        const r = berekenProAdvies(
          {
            toetsdatum: '2024-06-10',
            dlBron: { kind: 'direct', dl },
            iq: { score: iq, testdatum: recentIq },
            sociaalEmotioneleProblematiek: seo,
            dle: { 'begrijpend-lezen': bl, 'technisch-lezen': tl, spellen: sp, 'inzichtelijk-rekenen': ir },
          },
          { now },
        );
        if (!r.ok) return; // DLE far above DL: rejected, fine
        const cap = Math.min(dl, 60);
        const proLevel = (x: number) => 2 * x <= cap;
        const count = [bl, tl, sp, ir].filter(proLevel).length;
        if (r.value.advies === 'pro') {
          expect(iq >= 55 && iq <= 80).toBe(true);
          expect(count >= 2 && (proLevel(bl) || proLevel(ir))).toBe(true);
        }
        if (r.value.advies === 'lwoo') expect(iq >= 75 && iq <= 120).toBe(true);
        if (iq < 55 || iq > 120) expect(r.value.advies).toBe('geen');
      }),
      { numRuns: 500 },
    );
  });
});
