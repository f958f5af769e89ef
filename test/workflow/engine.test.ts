import { describe, expect, it } from 'vitest';
import { asId, type UserId } from '../../core/model/ids.js';
import { BAG } from '../../core/processes/bag.js';
import { TLV_VSO } from '../../core/processes/tlv-vso.js';
import { TEAM_SCHOOLONDERSTEUNING } from '../../core/processes/team-schoolondersteuning.js';
import { initialState, startProcess, transition } from '../../core/workflow/engine.js';
import { CONFIG, CONTEXT, Clock, actorWith, bijlageEvent, changeEvent, start, walk } from './fixtures.js';

const at = (iso: string): Date => new Date(iso);

describe('transition: coded Dutch errors', () => {
  const s = start(TLV_VSO);
  const ib = actorWith('intern-begeleider');

  it('an event based on a status that is no longer current is refused as stale', () => {
    const clock = new Clock();
    const r = transition(
      s,
      changeEvent(clock, 'TLV aanvraag indienen', 'TLV aanvraag incompleet'),
      actorWith('swv-loket'),
      at('2027-01-01'),
    );
    expect(r.ok ? 'ok' : r.error.code).toBe('status-verouderd');
    expect(r.ok ? '' : r.error.message).toContain("'TLV voorlopige aanvraag'");
  });

  it('an unknown target status and a transition the process lacks are told apart', () => {
    const clock = new Clock();
    const unknown = transition(s, changeEvent(clock, s.status, 'TLV bestaat niet'), ib, at('2027-01-01'));
    expect(unknown.ok ? 'ok' : unknown.error.code).toBe('onbekende-status');
    const missing = transition(s, changeEvent(clock, s.status, 'TLV afgegeven'), ib, at('2027-01-01'));
    expect(missing.ok ? 'ok' : missing.error.code).toBe('overgang-bestaat-niet');
  });

  it('the same event twice is applied once', () => {
    const clock = new Clock();
    const ev = changeEvent(clock, s.status, 'TLV aanvraag indienen');
    const first = transition(s, ev, ib, at('2027-01-01'));
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    const second = transition(first.value.state, { ...ev, from: 'TLV aanvraag indienen' }, ib, at('2027-01-01'));
    expect(second.ok ? 'ok' : second.error.code).toBe('dubbele-gebeurtenis');
  });

  it('an event time in the future or unparsable is refused', () => {
    const clock = new Clock(Date.parse('2030-01-01T00:00:00Z'));
    const future = transition(s, changeEvent(clock, s.status, 'TLV aanvraag indienen'), ib, at('2027-01-01'));
    expect(future.ok ? 'ok' : future.error.code).toBe('tijdstip-in-toekomst');
    const bad = transition(s, { ...changeEvent(clock, s.status, 'TLV aanvraag indienen'), at: 'gisteren' }, ib, at('2027-01-01'));
    expect(bad.ok ? 'ok' : bad.error.code).toBe('ongeldig-tijdstip');
  });

  it('a required omschrijving is checked after the role, so nobody learns what a status needs without the right', () => {
    const { state } = walk(BAG, [{ by: 'intern-begeleider', to: 'BAG aanvraag indienen' }]);
    const clock = new Clock();
    const byIb = transition(state, changeEvent(clock, state.status, 'BAG geagendeerd'), ib, at('2027-01-01'));
    expect(byIb.ok ? 'ok' : byIb.error.code).toBe('niet-toegestaan-voor-rol');
  });

  it('is pure: the input state is not changed and the same input gives the same output', () => {
    const clock = new Clock();
    const ev = changeEvent(clock, s.status, 'TLV aanvraag indienen');
    const snapshot = JSON.stringify(s);
    const a = transition(s, ev, ib, at('2027-01-01'));
    const b = transition(s, ev, ib, at('2027-01-01'));
    expect(JSON.stringify(s)).toBe(snapshot);
    expect(a).toEqual(b);
  });

  it('the aanvrager is not mailed about a change he made himself, but is about changes by others', () => {
    const { effects } = walk(TLV_VSO, [
      { by: 'intern-begeleider', to: 'TLV aanvraag indienen' },
      { by: 'swv-loket', to: 'TLV aanvraag incompleet' },
    ]);
    expect(effects[0]?.some((e) => e.kind === 'notify-aanvrager')).toBe(false);
    expect(effects[1]?.some((e) => e.kind === 'notify-aanvrager')).toBe(true);
  });

  it('a bijlage in a status without an automatic rule is accepted without change', () => {
    const clock = new Clock();
    const r = transition(s, bijlageEvent(clock), ib, at('2027-01-01'));
    expect(r.ok && r.value.changed).toBe(false);
    expect(r.ok && r.value.effects).toEqual([]);
  });
});

describe('starting a hulpvraag', () => {
  it('the titel decides first status and form; the creator must hold a starting role at the owning school', () => {
    const ok = startProcess(TLV_VSO, 'TLV VSO', CONTEXT, CONFIG, actorWith('intern-begeleider'), new Date('2026-11-23'));
    expect(ok.ok && ok.value.state.status).toBe('TLV voorlopige aanvraag');
    expect(ok.ok && ok.value.formulier).toBe('Aanvraag TLV VSO');
    // only the owning school gets access at the start
    expect(
      ok.ok &&
        ok.value.effects.filter((e) => e.kind === 'grant-scope').every((e) => e.kind === 'grant-scope' && e.to.kind === 'eigen-school'),
    ).toBe(true);
    const byLoket = startProcess(TLV_VSO, 'TLV VSO', CONTEXT, CONFIG, actorWith('swv-loket'), new Date('2026-11-23'));
    expect(byLoket.ok ? 'ok' : byLoket.error.code).toBe('niet-toegestaan-voor-rol');
    const wrongTitel = initialState(TLV_VSO, 'Financieel Arrangement', CONTEXT, CONFIG);
    expect(wrongTitel.ok ? 'ok' : wrongTitel.error.code).toBe('onbekende-titel');
  });

  it('Team Schoolondersteuning tells the behandelaar when it is created', () => {
    const r = startProcess(
      TEAM_SCHOOLONDERSTEUNING,
      'Team Schoolondersteuning',
      CONTEXT,
      CONFIG,
      actorWith('ondersteuningscoordinator'),
      new Date('2026-11-23'),
    );
    expect(r.ok && r.value.effects).toContainEqual({
      kind: 'notify',
      hulpvraagId: CONTEXT.hulpvraagId,
      to: { kind: 'behandelaar' },
      status: 'AANGEMELD',
    });
  });

  it('the aanvrager creating the hulpvraag is not notified about it', () => {
    const r = startProcess(TLV_VSO, 'TLV VSO', CONTEXT, CONFIG, actorWith('intern-begeleider'), new Date('2026-11-23'));
    expect(r.ok && r.value.effects.some((e) => e.kind === 'notify-aanvrager')).toBe(false);
    const colleague = { ...actorWith('intern-begeleider'), userId: asId<UserId>('user-collega') };
    const r2 = startProcess(TLV_VSO, 'TLV VSO', CONTEXT, CONFIG, colleague, new Date('2026-11-23'));
    expect(r2.ok && r2.value.effects.some((e) => e.kind === 'notify-aanvrager')).toBe(true);
  });
});
