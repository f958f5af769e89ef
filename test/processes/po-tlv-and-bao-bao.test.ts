import { describe, expect, it } from 'vitest';
import { BAO_BAO } from '../../core/processes/bao-bao.js';
import { PO_TLV } from '../../core/processes/po-tlv.js';
import { processForTitel } from '../../core/processes/process-set.js';
import { CONTEXT, TLV, expectStatus, start, walk } from '../workflow/fixtures.js';

describe('PO TLV SBO/SO (000)', () => {
  it.each([
    ['TLV SBO', 'Aanvraag TLV SBO'],
    ['TLV SO', 'Aanvraag TLV SO'],
  ])('titel %s starts the PO TLV process with the digital form %s', (titel, formulier) => {
    const def = processForTitel(titel);
    expect(def.ok && def.value.id).toBe('po-tlv-sbo-so');
    expectStatus(start(PO_TLV, titel), 'TLV voorlopige aanvraag', false);
    expect(PO_TLV.starts.find((s) => s.titel === titel)?.formulier).toBe(formulier);
  });

  it('after indienen the ouders may read the leerling and hulpvraag (000: ouders krijgen toegang)', () => {
    const { state, effects } = walk(PO_TLV, [{ by: 'intern-begeleider', to: 'TLV aanvraag indienen' }], 'TLV SBO');
    expect(
      effects[0]?.filter((e) => e.kind === 'grant-scope' && e.to.kind === 'ouders').map((e) => (e.kind === 'grant-scope' ? e.scope : '')),
    ).toEqual(['leerling', 'hulpvraag']);
    expect(state.status).toBe('TLV aanvraag indienen');
  });

  it('is decided like TLV VSO: afgegeven with TLV fields, or afwijzing toegelicht', () => {
    const a = walk(
      PO_TLV,
      [
        { by: 'intern-begeleider', to: 'TLV aanvraag indienen' },
        { by: 'commissie-toelaatbaarheid', to: 'TLV afgegeven', tlv: TLV },
      ],
      'TLV SO',
    );
    expectStatus(a.state, 'TLV afgegeven', true);
    const b = walk(
      PO_TLV,
      [
        { by: 'intern-begeleider', to: 'TLV aanvraag indienen' },
        { by: 'swv-loket', to: 'TLV aanvraag incompleet' },
        { by: 'intern-begeleider', bijlage: true },
        { by: 'commissie-toelaatbaarheid', to: 'TLV afwijzing toegelicht' },
      ],
      'TLV SBO',
    );
    expectStatus(b.state, 'TLV afwijzing toegelicht', true);
  });
});

describe('BaO-BaO (000)', () => {
  it('the partner school sees the hulpvraag only while the overleg runs', () => {
    const { state, effects } = walk(BAO_BAO, [
      { by: 'intern-begeleider', to: 'BaO-BaO overleg gestart', omschrijving: 'Overleg met de partnerschool; ouders gaven toestemming.' },
      { by: 'intern-begeleider', to: 'BaO-BaO overleg afgerond' },
    ]);
    expectStatus(state, 'BaO-BaO overleg afgerond', true);
    const partner = { kind: 'betrokken-organisatie', relatie: 'partnerschool' } as const;
    expect(effects[0]).toContainEqual({
      kind: 'grant-scope',
      hulpvraagId: CONTEXT.hulpvraagId,
      to: partner,
      scope: 'hulpvraag',
      rights: ['read', 'write'],
      expiresAt: null,
    });
    expect(effects[1]).toContainEqual({ kind: 'revoke-scope', hulpvraagId: CONTEXT.hulpvraagId, from: partner, scope: 'leerling' });
  });

  it('the owning school can end it before it started', () => {
    const { state } = walk(BAO_BAO, [{ by: 'intern-begeleider', to: 'BaO-BaO overleg afgerond' }]);
    expectStatus(state, 'BaO-BaO overleg afgerond', true);
  });
});
