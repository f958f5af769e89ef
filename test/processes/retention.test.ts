// Retention as data (issue 20, WPO 18a lid 13): which end status starts how long
// a dossier may be kept, per SWV; holds postpone; open dossiers have no date.
import { describe, expect, it } from 'vitest';
import { PROCESS_DEFINITIONS } from '../../core/processes/process-set.js';
import { DEFAULT_RETENTION_POLICY, dossierBewaarTot, parseRetentionPolicy } from '../../core/processes/retention.js';

describe('retention as data', () => {
  it('by default a dossier is kept three years after the last hulpvraag ended', () => {
    expect(
      dossierBewaarTot(
        [
          { processId: 'tlv-vso', status: 'TLV afgegeven', eindeOp: '2026-12-01' },
          { processId: 'bezwaar-tlv', status: 'Besluit op bezwaar', eindeOp: '2027-03-15' },
        ],
        [],
      ),
    ).toEqual({ soort: 'termijn', tot: '2030-03-15', door: 'bewaartermijn' });
  });

  it('an open hulpvraag, or none, means no date yet', () => {
    expect(dossierBewaarTot([{ processId: 'tlv-vso', status: 'TLV aanvraag indienen', eindeOp: null }], []).soort).toBe('lopend');
    expect(dossierBewaarTot([], []).soort).toBe('lopend');
  });

  it('an SWV sets its own period per process and end status; 29 February ends on 28 February', () => {
    const policy = parseRetentionPolicy({ standaardJaren: 3, perProces: { bag: { 'BAG afgerond': 2 } } }, PROCESS_DEFINITIONS);
    if (!policy.ok) throw new Error(policy.error.message);
    expect(dossierBewaarTot([{ processId: 'bag', status: 'BAG afgerond', eindeOp: '2028-02-29' }], [], policy.value)).toEqual({
      soort: 'termijn',
      tot: '2030-02-28',
      door: 'bewaartermijn',
    });
  });

  it('a policy naming an unknown process or a status that is not an end status is refused in Dutch', () => {
    const notEnd = parseRetentionPolicy({ standaardJaren: 3, perProces: { bag: { 'BAG geagendeerd': 2 } } }, PROCESS_DEFINITIONS);
    expect(!notEnd.ok && notEnd.error.message).toContain('geen eindstatus');
    const unknown = parseRetentionPolicy({ standaardJaren: 3, perProces: { verzonnen: { x: 2 } } }, PROCESS_DEFINITIONS);
    expect(!unknown.ok && unknown.error.code).toBe('bewaarbeleid-ongeldig');
    expect(parseRetentionPolicy({ standaardJaren: 0, perProces: {} }, PROCESS_DEFINITIONS).ok).toBe(false);
  });

  it('a bewaarplicht (bezwaar, juridische procedure) postpones the date only when it ends later', () => {
    const hv = [{ processId: 'tlv-vso', status: 'TLV afgegeven', eindeOp: '2026-12-01' }];
    expect(dossierBewaarTot(hv, [{ reden: 'Beroep bij de rechtbank', tot: '2031-06-30' }])).toEqual({
      soort: 'termijn',
      tot: '2031-06-30',
      door: 'bewaarplicht',
    });
    expect(dossierBewaarTot(hv, [{ reden: 'Bezwaar', tot: '2027-06-30' }], DEFAULT_RETENTION_POLICY)).toEqual({
      soort: 'termijn',
      tot: '2029-12-01',
      door: 'bewaartermijn',
    });
  });
});
