import { describe, expect, it } from 'vitest';
import { SCHAKELVOORZIENING as SV } from '../../core/processes/schakelvoorziening.js';
import { expectStatus, start, walk } from '../workflow/fixtures.js';

describe('Schakelvoorziening (002)', () => {
  it('titel "Schakelvoorziening" starts in SV voorlopige aanvraag with the form "Aanvraag Schakelvoorziening"', () => {
    expectStatus(start(SV), 'SV voorlopige aanvraag', false);
    expect(SV.starts[0]?.formulier).toBe('Aanvraag Schakelvoorziening');
  });

  it('indienen then the coördinator places the leerling (SV afgegeven)', () => {
    const { state } = walk(SV, [
      { by: 'intern-begeleider', to: 'SV aanvraag indienen' },
      { by: 'swv-coordinator', to: 'SV afgegeven' },
    ]);
    expectStatus(state, 'SV afgegeven', true);
  });

  it('questions, answer by bijlage, then SV afgewezen', () => {
    const { state } = walk(SV, [
      { by: 'intern-begeleider', to: 'SV aanvraag indienen' },
      { by: 'swv-loket', to: 'SV vragen gesteld' },
      { by: 'intern-begeleider', bijlage: true },
      { by: 'swv-coordinator', to: 'SV afgewezen' },
    ]);
    expectStatus(state, 'SV afgewezen', true);
  });

  it('statuses the seed does not name are marked as our decision', () => {
    const decided = SV.statuses.filter((s) => s.bron === 'besluit').map((s) => s.status);
    expect(decided).toContain('SV afgegeven');
    expect(decided).not.toContain('SV aanvraag indienen');
  });
});
