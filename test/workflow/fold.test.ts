// Status is derived from the log [DESIGN §3]: property tests that end statuses are final and
// that two clients with the same events, received in any order, compute the same status.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asId, type BijlageId, type StatusEventId } from '../../core/model/ids.js';
import { ALL_ROLES } from '../../core/model/role.js';
import type { RecordedStatusEvent } from '../../core/model/status-event.js';
import { PROCESS_DEFINITIONS } from '../../core/processes/process-set.js';
import { TLV_VSO } from '../../core/processes/tlv-vso.js';
import { statusDefinition, transition, transitionsFrom } from '../../core/workflow/engine.js';
import { foldStatusEvents } from '../../core/workflow/fold.js';
import { TLV, actorWith, start, walk } from './fixtures.js';

const BASE = Date.parse('2026-09-01T08:00:00.000Z');

/**
 * A random event: mostly a move the definition offers from the live status, made by a role
 * allowed to make it; sometimes a random (usually illegal) change or a bijlage by anyone.
 */
const eventArb = (names: readonly string[]) =>
  fc.record({
    mode: fc.constantFrom('legal', 'legal', 'legal', 'random', 'bijlage'),
    pick: fc.nat(),
    pick2: fc.nat(),
    to: fc.constantFrom(...names),
    staleFrom: fc.option(fc.constantFrom(...names), { nil: undefined, freq: 8 }),
    role: fc.constantFrom(...ALL_ROLES),
    minute: fc.nat({ max: 2 }),
    omschrijving: fc.constantFrom('Toelichting', 'Toelichting', ''),
    withTlv: fc.constantFrom(true, true, false),
    relaySeq: fc.option(fc.nat({ max: 60 }), { nil: undefined, freq: 2 }),
  });

type RawEvent = ReturnType<typeof eventArb> extends fc.Arbitrary<infer T> ? T : never;

/** Builds a log whose `from` follows the live status, so sequences go somewhere. */
function buildLog(defIndex: number, raw: readonly RawEvent[]): { def: (typeof PROCESS_DEFINITIONS)[number]; log: RecordedStatusEvent[] } {
  const def = PROCESS_DEFINITIONS[defIndex % PROCESS_DEFINITIONS.length] ?? TLV_VSO;
  let state = start(def);
  const log: RecordedStatusEvent[] = [];
  raw.forEach((r, i) => {
    const id = asId<StatusEventId>(`e${String(i).padStart(3, '0')}`);
    // Neighbouring events may share a minute or swap order, so the canonical ordering is exercised.
    const at = new Date(BASE + (i + r.minute) * 60_000).toISOString();
    const options = transitionsFrom(def, state.status);
    const option = options[r.pick % Math.max(1, options.length)];
    const legal = r.mode === 'legal' && option !== undefined;
    const actor = legal ? actorWith(option.by[r.pick2 % option.by.length] ?? r.role) : actorWith(r.role);
    const seq = r.relaySeq === undefined ? {} : { relaySeq: r.relaySeq };
    const event: RecordedStatusEvent =
      r.mode === 'bijlage'
        ? { kind: 'bijlage-toegevoegd', id, at, bijlageId: asId<BijlageId>(`b${i}`), actor, ...seq }
        : {
            kind: 'status-change',
            id,
            at,
            from: r.staleFrom ?? state.status,
            to: legal ? option.to : r.to,
            ...(r.omschrijving === '' ? {} : { omschrijving: r.omschrijving }),
            ...(r.withTlv ? { tlv: TLV } : {}),
            actor,
            ...seq,
          };
    log.push(event);
    state = foldStatusEvents(start(def), log).state;
  });
  return { def, log };
}

const logArb = fc
  .nat({ max: PROCESS_DEFINITIONS.length - 1 })
  .chain((d) => {
    const def = PROCESS_DEFINITIONS[d] ?? TLV_VSO;
    return fc.tuple(fc.constant(d), fc.array(eventArb(def.statuses.map((s) => s.status)), { maxLength: 30 }));
  })
  .map(([d, raw]) => buildLog(d, raw));

describe('folding the status log', () => {
  it('the generated logs are not vacuous: many reach an end status, many contain rejected events', () => {
    const samples = fc.sample(logArb, { numRuns: 200, seed: 42 });
    const folded = samples.map(({ def, log }) => ({ def, r: foldStatusEvents(start(def), log) }));
    const ended = folded.filter(({ def, r }) => statusDefinition(def, r.state.status)?.end === true).length;
    const withRejections = folded.filter(({ r }) => r.rejected.length > 0).length;
    expect(ended).toBeGreaterThan(40);
    expect(withRejections).toBeGreaterThan(50);
  });

  it('no sequence of events moves a hulpvraag out of an end status', () => {
    fc.assert(
      fc.property(logArb, ({ def, log }) => {
        const { state } = foldStatusEvents(start(def), log);
        const endIndex = state.history.findIndex((h) => statusDefinition(def, h.to)?.end === true);
        if (endIndex >= 0) expect(state.history.length).toBe(endIndex + 1);
        for (const h of state.history) expect(statusDefinition(def, h.from)?.end).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('two clients holding the same events in any order compute the same status, history and rejections', () => {
    fc.assert(
      fc.property(
        logArb.chain(({ def, log }) =>
          fc.tuple(fc.constant(def), fc.constant(log), fc.shuffledSubarray(log, { minLength: log.length, maxLength: log.length })),
        ),
        ([def, log, shuffled]) => {
          const a = foldStatusEvents(start(def), log);
          const b = foldStatusEvents(start(def), shuffled);
          expect(b.state.status).toBe(a.state.status);
          expect(b.state.history).toEqual(a.state.history);
          expect(b.rejected.map((r) => [r.event.id, r.error.code])).toEqual(a.rejected.map((r) => [r.event.id, r.error.code]));
          expect(b.applied.map((x) => x.effects)).toEqual(a.applied.map((x) => x.effects));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('folding is deterministic: the same log twice gives identical results', () => {
    fc.assert(
      fc.property(logArb, ({ def, log }) => {
        expect(foldStatusEvents(start(def), log)).toEqual(foldStatusEvents(start(def), log));
      }),
      { numRuns: 100 },
    );
  });

  it('from every end status of every process, every possible event by every role is refused or changes nothing', () => {
    for (const def of PROCESS_DEFINITIONS) {
      for (const end of def.statuses.filter((s) => s.end)) {
        const state = { ...start(def), status: end.status };
        for (const role of ALL_ROLES) {
          for (const to of def.statuses) {
            const r = transition(
              state,
              {
                kind: 'status-change',
                id: asId<StatusEventId>(`x-${role}-${to.status}`),
                at: '2027-01-01T00:00:00.000Z',
                from: end.status,
                to: to.status,
                omschrijving: 'x',
                tlv: TLV,
              },
              actorWith(role),
              new Date('2027-01-01'),
            );
            expect(r.ok ? 'ok' : r.error.code).toBe('eindstatus-bereikt');
          }
          const b = transition(
            state,
            {
              kind: 'bijlage-toegevoegd',
              id: asId<StatusEventId>(`b-${role}`),
              at: '2027-01-01T00:00:00.000Z',
              bijlageId: asId<BijlageId>('b'),
            },
            actorWith(role),
            new Date('2027-01-01'),
          );
          expect(b.ok && b.value.state.status).toBe(end.status);
        }
      }
    }
  });

  it('an illegal event stays in the log but is skipped and reported as rejected', () => {
    const { log } = walk(TLV_VSO, [{ by: 'intern-begeleider', to: 'TLV aanvraag indienen' }]);
    const first = log[0];
    if (first === undefined) throw new Error('lege log');
    const illegal: RecordedStatusEvent = {
      kind: 'status-change',
      id: asId<StatusEventId>('illegal-1'),
      at: new Date(Date.parse(first.at) + 60_000).toISOString(),
      from: 'TLV aanvraag indienen',
      to: 'TLV afgegeven',
      tlv: TLV,
      actor: actorWith('intern-begeleider'),
    };
    const result = foldStatusEvents(start(TLV_VSO), [illegal, ...log]);
    expect(result.state.status).toBe('TLV aanvraag indienen');
    expect(result.rejected.map((r) => [r.event.id, r.error.code])).toEqual([['illegal-1', 'niet-toegestaan-voor-rol']]);
  });

  it('concurrent changes from the same status: the earlier one wins, the later one is rejected as stale', () => {
    const { log } = walk(TLV_VSO, [{ by: 'intern-begeleider', to: 'TLV aanvraag indienen' }]);
    const t = Date.parse(log[0]?.at ?? '');
    const mk = (id: string, minute: number, to: string, role: 'swv-loket' | 'deskundige'): RecordedStatusEvent => ({
      kind: 'status-change',
      id: asId<StatusEventId>(id),
      at: new Date(t + minute * 60_000).toISOString(),
      from: 'TLV aanvraag indienen',
      to,
      omschrijving: 'x',
      actor: actorWith(role),
    });
    const incompleet = mk('c-1', 5, 'TLV aanvraag incompleet', 'swv-loket');
    const vragen = mk('c-2', 6, 'TLV vragen gesteld', 'deskundige');
    const r = foldStatusEvents(start(TLV_VSO), [...log, vragen, incompleet]);
    expect(r.state.status).toBe('TLV aanvraag incompleet');
    expect(r.rejected.map((x) => x.error.code)).toEqual(['status-verouderd']);
  });

  it('once the relay has sequenced the events, a back-dated withdrawal cannot overtake the decision', () => {
    const { log } = walk(TLV_VSO, [{ by: 'intern-begeleider', to: 'TLV aanvraag indienen' }]);
    const indienen = log[0];
    if (indienen === undefined) throw new Error('lege log');
    const t = Date.parse(indienen.at);
    const decision: RecordedStatusEvent = {
      kind: 'status-change',
      id: asId<StatusEventId>('besluit'),
      at: new Date(t + 3_600_000).toISOString(),
      from: 'TLV aanvraag indienen',
      to: 'TLV afgegeven',
      tlv: TLV,
      actor: actorWith('commissie-toelaatbaarheid'),
      relaySeq: 2,
    };
    // written after the decision was known, but with a clock set one minute after indienen
    const backdated: RecordedStatusEvent = {
      kind: 'status-change',
      id: asId<StatusEventId>('terug'),
      at: new Date(t + 60_000).toISOString(),
      from: 'TLV aanvraag indienen',
      to: 'TLV aanvraag ingetrokken',
      actor: actorWith('intern-begeleider'),
      relaySeq: 3,
    };
    const r = foldStatusEvents(start(TLV_VSO), [{ ...indienen, relaySeq: 1 }, backdated, decision]);
    expect(r.state.status).toBe('TLV afgegeven');
    expect(r.rejected.map((x) => [x.event.id, x.error.code])).toEqual([['terug', 'eindstatus-bereikt']]);
    // without relay sequence numbers the clock would decide: that is why the sync layer sets them
    const unseq = ({ relaySeq: _seq, ...rest }: RecordedStatusEvent): RecordedStatusEvent => rest;
    const unsequenced = foldStatusEvents(start(TLV_VSO), [indienen, unseq(backdated), unseq(decision)]);
    expect(unsequenced.state.status).toBe('TLV aanvraag ingetrokken');
  });

  it('orders events by time, then id', () => {
    const a = {
      kind: 'bijlage-toegevoegd',
      id: asId<StatusEventId>('b'),
      at: '2027-01-01T00:00:00.000Z',
      bijlageId: asId<BijlageId>('1'),
      actor: actorWith('intern-begeleider'),
    } as const;
    const b = { ...a, id: asId<StatusEventId>('a') };
    const c = { ...a, id: asId<StatusEventId>('c'), at: '2026-12-31T23:59:00.000Z' };
    // The fold applies them in that order, whatever order they arrived in.
    const r = foldStatusEvents(start(TLV_VSO), [a, b, c]);
    expect(r.rejected).toEqual([]);
    expect(r.applied.map((x) => x.event.id)).toEqual(['c', 'a', 'b']);
  });
});
