import { describe, expect, it } from 'vitest';
import { BAG } from '../../core/processes/bag.js';
import { transition } from '../../core/workflow/engine.js';
import { Clock, actorWith, changeEvent, expectStatus, walk } from '../workflow/fixtures.js';

describe('BAG voor basisscholen (002)', () => {
  it('BAG geagendeerd needs the meeting date in the omschrijving', () => {
    const { state } = walk(BAG, [{ by: 'intern-begeleider', to: 'BAG aanvraag indienen' }]);
    const clock = new Clock();
    const without = transition(
      state,
      changeEvent(clock, state.status, 'BAG geagendeerd', { omschrijving: '   ' }),
      actorWith('swv-loket'),
      new Date('2027-01-01'),
    );
    expect(without.ok ? 'ok' : without.error.code).toBe('omschrijving-verplicht');
    expect(without.ok ? '' : without.error.message).toMatch(/omschrijving verplicht.*vergadering/);
    const withDate = transition(
      state,
      changeEvent(clock, state.status, 'BAG geagendeerd', { omschrijving: 'Vergadering 12 januari 2027, 14.00 uur' }),
      actorWith('swv-loket'),
      new Date('2027-01-01'),
    );
    expect(withDate.ok && withDate.value.state.history.at(-1)?.omschrijving).toBe('Vergadering 12 januari 2027, 14.00 uur');
  });

  it('geagendeerd, moved to a new date, then afgerond with a copy of the advice for the ouders', () => {
    const { state, effects } = walk(BAG, [
      { by: 'intern-begeleider', to: 'BAG aanvraag indienen' },
      { by: 'swv-loket', to: 'BAG geagendeerd', omschrijving: 'Vergadering 12 januari' },
      { by: 'swv-loket', to: 'BAG geagendeerd', omschrijving: 'Verplaatst naar 19 januari' },
      { by: 'swv-coordinator', to: 'BAG afgerond' },
    ]);
    expectStatus(state, 'BAG afgerond', true);
    expect(effects[2]).toContainEqual({ kind: 'notify-aanvrager', hulpvraagId: state.context.hulpvraagId, status: 'BAG geagendeerd' });
    expect(effects[3]).toContainEqual({
      kind: 'copy-to-ouders',
      hulpvraagId: state.context.hulpvraagId,
      document: 'onderwijsadvies',
      status: 'BAG afgerond',
    });
  });

  it('a date reserved before the form was complete can go back to incompleet and on via a bijlage', () => {
    const { state } = walk(BAG, [
      { by: 'intern-begeleider', to: 'BAG aanvraag indienen' },
      { by: 'swv-loket', to: 'BAG geagendeerd', omschrijving: 'Datum gereserveerd: 2 februari' },
      { by: 'swv-loket', to: 'BAG aanvraag incompleet', omschrijving: 'OPP en onderzoeksverslag ontbreken.' },
      { by: 'intern-begeleider', bijlage: true },
      { by: 'swv-loket', to: 'BAG geagendeerd', omschrijving: '2 februari blijft staan' },
      { by: 'intern-begeleider', to: 'BAG aanvraag ingetrokken' },
    ]);
    expectStatus(state, 'BAG aanvraag ingetrokken', true);
  });
});
