import { describe, expect, it } from 'vitest';
import { asId, type UserId } from '../../core/model/ids.js';
import { TEAM_SCHOOLONDERSTEUNING as TSO } from '../../core/processes/team-schoolondersteuning.js';
import { availableTransitions } from '../../core/workflow/available.js';
import { transition } from '../../core/workflow/engine.js';
import { CONTEXT, Clock, actorWith, changeEvent, expectStatus, start, walk } from '../workflow/fixtures.js';

describe('Team Schoolondersteuning (003)', () => {
  it('titel "Team Schoolondersteuning" attaches the form of that name and tells the behandelaar', () => {
    expectStatus(start(TSO), 'AANGEMELD', false);
    expect(TSO.starts[0]?.formulier).toBe('Team Schoolondersteuning');
    expect(TSO.statuses.find((s) => s.status === 'AANGEMELD')?.onEnter).toContainEqual({ kind: 'notify', to: { kind: 'behandelaar' } });
  });

  it('regierolhouder confirms, evaluates, returns to the schakelteam; the IB/COO closes with AFGEROND', () => {
    const { state, effects } = walk(TSO, [
      { by: 'regierolhouder', to: 'GEAGENDEERD' },
      { by: 'regierolhouder', to: 'TUSSENTIJDSE EVALUATIE' },
      { by: 'regierolhouder', to: 'GEAGENDEERD' },
      { by: 'regierolhouder', to: 'RETOUR NAAR SCHAKELTEAM' },
      { by: 'intern-begeleider', to: 'AFGEROND' },
    ]);
    expectStatus(state, 'AFGEROND', true);
    // the IB/COO hears that the regierolhouder took the task (003 stap 4)
    expect(effects[0]).toContainEqual({ kind: 'notify-aanvrager', hulpvraagId: CONTEXT.hulpvraagId, status: 'GEAGENDEERD' });
    // at AFGEROND the behandelaar loses access
    expect(effects[4]?.filter((e) => e.kind === 'revoke-scope' && e.from.kind === 'behandelaar').length).toBe(3);
  });

  it('RETOUR NAAR SCHAKELTEAM because other expertise is needed: back to AANGEMELD for a new regierolhouder', () => {
    const { state } = walk(TSO, [
      { by: 'regierolhouder', to: 'GEAGENDEERD' },
      { by: 'regierolhouder', to: 'RETOUR NAAR SCHAKELTEAM' },
      { by: 'ondersteuningscoordinator', to: 'AANGEMELD' },
      { by: 'regierolhouder', to: 'GEAGENDEERD' },
      { by: 'ondersteuningscoordinator', to: 'AFGEROND' },
    ]);
    expectStatus(state, 'AFGEROND', true);
  });

  it('only the assigned regierolhouder may set the status, not any holder of the role', () => {
    const s = start(TSO);
    const stranger = { ...actorWith('regierolhouder'), userId: asId<UserId>('user-andere-regie') };
    const clock = new Clock();
    const r = transition(s, changeEvent(clock, 'AANGEMELD', 'GEAGENDEERD'), stranger, new Date('2027-01-01'));
    expect(r.ok ? 'ok' : r.error.code).toBe('niet-toegestaan-voor-rol');
    expect(availableTransitions(s, stranger)).toEqual([]);
    expect(availableTransitions(s, actorWith('regierolhouder')).map((t) => t.to)).toEqual(['GEAGENDEERD']);
  });

  it('the regierolhouder cannot close; the IB/COO can close from any open status', () => {
    const { state } = walk(TSO, [{ by: 'regierolhouder', to: 'GEAGENDEERD' }]);
    expect(availableTransitions(state, actorWith('regierolhouder')).map((t) => t.to)).not.toContain('AFGEROND');
    expect(availableTransitions(state, actorWith('intern-begeleider')).map((t) => t.to)).toEqual(['AFGEROND']);
  });
});

describe('Team Schoolondersteuning notifications', () => {
  it('the coördinator is told of changes by others, not of its own', () => {
    const { effects } = walk(TSO, [
      { by: 'regierolhouder', to: 'GEAGENDEERD' },
      { by: 'regierolhouder', to: 'RETOUR NAAR SCHAKELTEAM' },
      { by: 'intern-begeleider', to: 'AFGEROND' },
    ]);
    const toCoordinator = (i: number): boolean => effects[i]?.some((e) => e.kind === 'notify' && e.to.kind === 'coordinator') ?? false;
    expect(toCoordinator(0)).toBe(false);
    expect(toCoordinator(2)).toBe(true);
  });
});
