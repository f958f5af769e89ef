// The UI offers only what the engine accepts: for every status of every process and every
// role, the offered changes are exactly the changes `transition` accepts.
import { describe, expect, it } from 'vitest';
import { asId, type StatusEventId } from '../../core/model/ids.js';
import { ALL_ROLES } from '../../core/model/role.js';
import { PROCESS_DEFINITIONS } from '../../core/processes/process-set.js';
import { availableTransitions } from '../../core/workflow/available.js';
import { transition } from '../../core/workflow/engine.js';
import { TLV, actorWith, start } from './fixtures.js';

describe.each(PROCESS_DEFINITIONS.map((d) => [d.naam, d] as const))('availableTransitions for %s', (_naam, def) => {
  it('offers exactly the changes the engine accepts, for every status and role', () => {
    let offeredSomething = 0;
    for (const status of def.statuses) {
      const state = { ...start(def), status: status.status };
      for (const role of ALL_ROLES) {
        const actor = actorWith(role);
        const offered = availableTransitions(state, actor)
          .map((t) => t.to)
          .sort();
        const accepted = def.statuses
          .filter((target) => {
            const r = transition(
              state,
              {
                kind: 'status-change',
                id: asId<StatusEventId>(`a-${role}-${target.status}`),
                at: '2027-01-01T00:00:00.000Z',
                from: status.status,
                to: target.status,
                omschrijving: 'Toelichting',
                tlv: TLV,
              },
              actor,
              new Date('2027-01-01T00:00:00.000Z'),
            );
            return r.ok;
          })
          .map((t) => t.status)
          .sort();
        expect({ status: status.status, role, offered }).toEqual({ status: status.status, role, offered: accepted });
        offeredSomething += offered.length;
      }
    }
    expect(offeredSomething).toBeGreaterThan(0);
  });
});
