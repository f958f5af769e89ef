import { describe, expect, it } from 'vitest';
import { PRAKTIJKONDERWIJS as PRO } from '../../core/processes/praktijkonderwijs.js';
import { TLV, expectStatus, start, walk } from '../workflow/fixtures.js';

describe('Praktijkonderwijs zij-instroom (002)', () => {
  it('titel "Praktijkonderwijs" starts in PrO voorlopige aanvraag with its form', () => {
    expectStatus(start(PRO), 'PrO voorlopige aanvraag', false);
    expect(PRO.starts[0]?.formulier).toBe('Aanvraag Praktijkonderwijs');
  });

  it('akkoord in the loketvergadering: PrO afgegeven with the TLV PrO recorded', () => {
    const { state } = walk(PRO, [
      { by: 'intern-begeleider', to: 'PrO aanvraag indienen' },
      { by: 'swv-loket', to: 'PrO afgegeven', tlv: TLV },
    ]);
    expectStatus(state, 'PrO afgegeven', true);
    expect(state.tlv?.volgnummer).toBe(42);
  });

  it('aangehouden becomes PrO vragen gesteld; the answer as bijlage makes it aangevuld; then afwijzing', () => {
    const { state } = walk(PRO, [
      { by: 'intern-begeleider', to: 'PrO aanvraag indienen' },
      { by: 'swv-loket', to: 'PrO vragen gesteld', omschrijving: 'Aangehouden: IQ-onderzoek ouder dan twee jaar.' },
      { by: 'intern-begeleider', bijlage: true },
      { by: 'swv-loket', to: 'PrO afwijzing', omschrijving: 'Leerachterstand onvoldoende op twee domeinen.' },
    ]);
    expectStatus(state, 'PrO afwijzing', true);
    expect(state.history.map((h) => h.to)).toContain('PrO aanvraag aangevuld');
  });

  it('incompleet, aangevuld by hand, then withdrawn by the school', () => {
    const { state } = walk(PRO, [
      { by: 'intern-begeleider', to: 'PrO aanvraag indienen' },
      { by: 'swv-loket', to: 'PrO aanvraag incompleet' },
      { by: 'intern-begeleider', to: 'PrO aanvraag aangevuld' },
      { by: 'intern-begeleider', to: 'PrO aanvraag ingetrokken' },
    ]);
    expectStatus(state, 'PrO aanvraag ingetrokken', true);
  });
});
