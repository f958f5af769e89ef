import { describe, expect, it } from 'vitest';
import { FINANCIEEL_ARRANGEMENT as FA } from '../../core/processes/financieel-arrangement.js';
import { expectStatus, start, walk } from '../workflow/fixtures.js';

describe('Financieel Arrangement (002)', () => {
  it('titel "Financieel Arrangement" starts in FA voorlopige aanvraag with the form "Aanvraag Financieel Arrangement"', () => {
    expectStatus(start(FA), 'FA voorlopige aanvraag', false);
    expect(FA.starts[0]?.formulier).toBe('Aanvraag Financieel Arrangement');
  });

  it('after FA afgegeven a bijlage from the school is the evaluation and ends the process', () => {
    const { state, effects } = walk(FA, [
      { by: 'intern-begeleider', to: 'FA aanvraag indienen' },
      { by: 'swv-loket', to: 'FA vragen gesteld', omschrijving: 'Welke inzet is er al geweest?' },
      { by: 'intern-begeleider', bijlage: true },
      { by: 'swv-coordinator', to: 'FA afgegeven' },
      { by: 'intern-begeleider', bijlage: true },
    ]);
    expectStatus(state, 'FA evaluatie toegevoegd', true);
    expect(state.history.filter((h) => h.automatic).map((h) => h.to)).toEqual(['FA aanvraag aangevuld', 'FA evaluatie toegevoegd']);
    expect(effects[3]).toContainEqual({
      kind: 'copy-to-ouders',
      hulpvraagId: state.context.hulpvraagId,
      document: 'besluit',
      status: 'FA afgegeven',
    });
    expect(effects[4]).toContainEqual({
      kind: 'notify-role',
      hulpvraagId: state.context.hulpvraagId,
      role: 'swv-coordinator',
      status: 'FA evaluatie toegevoegd',
    });
  });

  it('FA afgegeven is not an end status, FA afgewezen is', () => {
    const { state } = walk(FA, [
      { by: 'ondersteuningscoordinator', to: 'FA aanvraag indienen' },
      { by: 'swv-loket', to: 'FA aanvraag incompleet' },
      { by: 'ondersteuningscoordinator', bijlage: true },
      { by: 'commissie-toelaatbaarheid', to: 'FA afgewezen', omschrijving: 'Zie brief.' },
    ]);
    expectStatus(state, 'FA afgewezen', true);
    expect(FA.statuses.find((s) => s.status === 'FA afgegeven')?.end).toBe(false);
  });

  it('the school can withdraw an afgegeven arrangement (e.g. the leerling leaves)', () => {
    const { state } = walk(FA, [
      { by: 'intern-begeleider', to: 'FA aanvraag indienen' },
      { by: 'swv-coordinator', to: 'FA afgegeven' },
      { by: 'intern-begeleider', to: 'FA aanvraag ingetrokken' },
    ]);
    expectStatus(state, 'FA aanvraag ingetrokken', true);
  });
});
