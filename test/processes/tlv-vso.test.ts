import { describe, expect, it } from 'vitest';
import { TLV_VSO } from '../../core/processes/tlv-vso.js';
import { availableTransitions } from '../../core/workflow/available.js';
import { transition } from '../../core/workflow/engine.js';
import { Clock, TLV, actorWith, bijlageEvent, changeEvent, expectStatus, start, walk } from '../workflow/fixtures.js';

describe('TLV VSO (002)', () => {
  it('a new hulpvraag with titel "TLV VSO" starts in TLV voorlopige aanvraag, visible only to the school', () => {
    const s = start(TLV_VSO);
    expectStatus(s, 'TLV voorlopige aanvraag', false);
    expect(TLV_VSO.starts[0]?.formulier).toBe('Aanvraag TLV VSO');
    const vis = TLV_VSO.statuses.find((x) => x.status === 'TLV voorlopige aanvraag')?.access.map((a) => a.to.kind);
    expect(vis).toEqual(['eigen-school']);
  });

  it('happy path: indienen, incompleet, bijlage makes it aangevuld, the commissie gives the TLV', () => {
    const { state, effects } = walk(TLV_VSO, [
      { by: 'intern-begeleider', to: 'TLV aanvraag indienen' },
      { by: 'swv-loket', to: 'TLV aanvraag incompleet', omschrijving: 'Het OPP ontbreekt.' },
      { by: 'intern-begeleider', bijlage: true },
      { by: 'commissie-toelaatbaarheid', to: 'TLV afgegeven', tlv: TLV },
    ]);
    expectStatus(state, 'TLV afgegeven', true);
    expect(state.history.map((h) => h.to)).toEqual([
      'TLV aanvraag indienen',
      'TLV aanvraag incompleet',
      'TLV aanvraag aangevuld',
      'TLV afgegeven',
    ]);
    expect(state.history[2]?.automatic).toBe(true);
    expect(state.tlv).toEqual(TLV);
    // indienen makes the hulpvraag visible to the SWV and tells the loket
    expect(effects[0]).toContainEqual({
      kind: 'grant-scope',
      hulpvraagId: state.context.hulpvraagId,
      to: { kind: 'role', role: 'swv-loket' },
      scope: 'hulpvraag',
      rights: ['read', 'write'],
      expiresAt: null,
    });
    expect(effects[0]).toContainEqual({
      kind: 'notify-role',
      hulpvraagId: state.context.hulpvraagId,
      role: 'swv-loket',
      status: 'TLV aanvraag indienen',
    });
    // aangevuld is the signal to the deskundigen
    // Only the deskundige assigned to this case (behandelaar of its aanpak) hears of it, not every deskundige in the SWV.
    expect(effects[2]).toContainEqual({
      kind: 'notify',
      hulpvraagId: state.context.hulpvraagId,
      to: { kind: 'behandelaar' },
      status: 'TLV aanvraag aangevuld',
    });
    const last = effects[3] ?? [];
    expect(last).toContainEqual({
      kind: 'copy-to-ouders',
      hulpvraagId: state.context.hulpvraagId,
      document: 'deskundigenadvies',
      status: 'TLV afgegeven',
    });
    expect(last).toContainEqual({
      kind: 'schedule-reminder',
      hulpvraagId: state.context.hulpvraagId,
      at: '2028-01-31',
      reason: 'tlv-loopt-af',
      volgnummer: 42,
      einddatum: '2028-07-31',
    });
    expect(last).toContainEqual({ kind: 'close-overlegronden', hulpvraagId: state.context.hulpvraagId, at: state.history[3]?.at });
    expect(last).toContainEqual({ kind: 'notify-aanvrager', hulpvraagId: state.context.hulpvraagId, status: 'TLV afgegeven' });
  });

  it('vragen gesteld by a deskundige, answered by the school with a bijlage, then afwijzing toegelicht', () => {
    const { state } = walk(TLV_VSO, [
      { by: 'ondersteuningscoordinator', to: 'TLV aanvraag indienen' },
      { by: 'deskundige', to: 'TLV vragen gesteld', omschrijving: 'Vragen staan in beantwoordingvragen.docx.' },
      { by: 'ondersteuningscoordinator', bijlage: true },
      { by: 'swv-coordinator', to: 'TLV afwijzing toegelicht', omschrijving: 'Zie de brief in de bijlagen.' },
    ]);
    expectStatus(state, 'TLV afwijzing toegelicht', true);
  });

  it('the deskundige adding the questions document in vragen gesteld does not move the status', () => {
    const { state } = walk(TLV_VSO, [
      { by: 'intern-begeleider', to: 'TLV aanvraag indienen' },
      { by: 'deskundige', to: 'TLV vragen gesteld' },
      { by: 'deskundige', bijlage: true },
    ]);
    expectStatus(state, 'TLV vragen gesteld', false);
  });

  it('a complete aanvraag can be decided straight from indienen', () => {
    const { state } = walk(TLV_VSO, [
      { by: 'intern-begeleider', to: 'TLV aanvraag indienen' },
      { by: 'commissie-toelaatbaarheid', to: 'TLV afgegeven', tlv: TLV },
    ]);
    expectStatus(state, 'TLV afgegeven', true);
  });

  it.each(['TLV voorlopige aanvraag', 'TLV aanvraag indienen', 'TLV aanvraag incompleet', 'TLV vragen gesteld', 'TLV aanvraag aangevuld'])(
    'the school can withdraw from %s and nothing moves afterwards',
    (from) => {
      const path: Record<string, { by: 'intern-begeleider' | 'swv-loket' | 'deskundige'; to?: string; bijlage?: true }[]> = {
        'TLV voorlopige aanvraag': [],
        'TLV aanvraag indienen': [{ by: 'intern-begeleider', to: 'TLV aanvraag indienen' }],
        'TLV aanvraag incompleet': [
          { by: 'intern-begeleider', to: 'TLV aanvraag indienen' },
          { by: 'swv-loket', to: 'TLV aanvraag incompleet' },
        ],
        'TLV vragen gesteld': [
          { by: 'intern-begeleider', to: 'TLV aanvraag indienen' },
          { by: 'deskundige', to: 'TLV vragen gesteld' },
        ],
        'TLV aanvraag aangevuld': [
          { by: 'intern-begeleider', to: 'TLV aanvraag indienen' },
          { by: 'swv-loket', to: 'TLV aanvraag incompleet' },
          { by: 'intern-begeleider', bijlage: true },
        ],
      };
      const steps = (path[from] ?? []).map((s) =>
        s.bijlage === true ? { by: s.by, bijlage: true as const } : { by: s.by, to: s.to ?? '' },
      );
      const { state } = walk(TLV_VSO, [...steps, { by: 'intern-begeleider', to: 'TLV aanvraag ingetrokken' }]);
      expectStatus(state, 'TLV aanvraag ingetrokken', true);
      const clock = new Clock(Date.parse('2027-01-01T00:00:00Z'));
      const again = transition(
        state,
        changeEvent(clock, 'TLV aanvraag ingetrokken', 'TLV aanvraag indienen'),
        actorWith('intern-begeleider'),
        new Date('2027-01-02'),
      );
      expect(again.ok ? 'ok' : again.error.code).toBe('eindstatus-bereikt');
      const bijlage = transition(state, bijlageEvent(clock), actorWith('intern-begeleider'), new Date('2027-01-02'));
      expect(bijlage.ok && bijlage.value.changed).toBe(false);
    },
  );

  it('the SWV cannot submit on behalf of the school, and an IB of another school cannot either', () => {
    const s = start(TLV_VSO);
    const clock = new Clock();
    const byLoket = transition(s, changeEvent(clock, s.status, 'TLV aanvraag indienen'), actorWith('swv-loket'), new Date('2027-01-01'));
    expect(byLoket.ok ? 'ok' : byLoket.error.code).toBe('niet-toegestaan-voor-rol');
    const otherSchool = { ...actorWith('intern-begeleider'), organisationId: 'org-school-b' as typeof s.context.schoolId };
    const byOther = transition(s, changeEvent(clock, s.status, 'TLV aanvraag indienen'), otherSchool, new Date('2027-01-01'));
    expect(byOther.ok ? 'ok' : byOther.error.code).toBe('niet-toegestaan-voor-rol');
    expect(byOther.ok ? '' : byOther.error.message).toMatch(/niet toegestaan voor uw rol/);
  });

  it('offers each actor only the changes it may make now', () => {
    const s = start(TLV_VSO);
    expect(availableTransitions(s, actorWith('intern-begeleider')).map((t) => t.to)).toEqual([
      'TLV aanvraag indienen',
      'TLV aanvraag ingetrokken',
    ]);
    expect(availableTransitions(s, actorWith('swv-loket'))).toEqual([]);
    const { state } = walk(TLV_VSO, [{ by: 'intern-begeleider', to: 'TLV aanvraag indienen' }]);
    expect(availableTransitions(state, actorWith('swv-loket')).map((t) => t.to)).toEqual(['TLV aanvraag incompleet']);
    const cvt = availableTransitions(state, actorWith('commissie-toelaatbaarheid'));
    expect(cvt.map((t) => t.to)).toEqual(['TLV afgegeven', 'TLV afwijzing toegelicht']);
    expect(cvt[0]?.requiresTlv).toBe(true);
    expect(cvt[1]?.omschrijvingVerplicht).toMatch(/reden/);
  });

  it('TLV afgegeven without the TLV fields, or with a too short period, is refused with a Dutch reason', () => {
    const { state } = walk(TLV_VSO, [{ by: 'intern-begeleider', to: 'TLV aanvraag indienen' }]);
    const clock = new Clock(Date.parse('2026-12-01T00:00:00Z'));
    const cvt = actorWith('commissie-toelaatbaarheid');
    const none = transition(state, changeEvent(clock, state.status, 'TLV afgegeven'), cvt, new Date('2027-01-01'));
    expect(none.ok ? 'ok' : none.error.code).toBe('tlv-gegevens-verplicht');
    const short = transition(
      state,
      changeEvent(clock, state.status, 'TLV afgegeven', { tlv: { ...TLV, einddatum: '2027-07-31' } }),
      cvt,
      new Date('2027-01-01'),
    );
    expect(short.ok ? 'ok' : short.error.code).toBe('tlv-einddatum-te-vroeg');
    expect(short.ok ? '' : short.error.message).toContain('31-07-2028');
  });
});
