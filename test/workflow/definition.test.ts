import { describe, expect, it } from 'vitest';
import { PROCESS_DEFINITIONS } from '../../core/processes/process-set.js';
import { TLV_VSO } from '../../core/processes/tlv-vso.js';
import { parseProcessSet, type ProcessDefinition } from '../../core/workflow/definition.js';
import { ok, type Result } from '../../core/result.js';

const clone = (d: ProcessDefinition): ProcessDefinition => JSON.parse(JSON.stringify(d)) as ProcessDefinition;
/** One definition through the parser the product runs (the built-in set at load; an SWV's own set). */
const parseOne = (input: unknown): Result<ProcessDefinition | undefined> => {
  const r = parseProcessSet([input]);
  return r.ok ? ok(r.value[0]) : r;
};
const problems = (input: unknown): string => {
  const r = parseOne(input);
  return r.ok ? '' : r.error.message;
};

describe('process definitions are validated data', () => {
  it('every built-in definition survives a JSON round-trip and parses to itself (an SWV can store and edit it without code)', () => {
    for (const def of PROCESS_DEFINITIONS) {
      const parsed = parseOne(JSON.parse(JSON.stringify(def)));
      expect(parsed.ok && parsed.value).toEqual(def);
    }
  });

  it('refuses a transition out of an end status', () => {
    const d = clone(TLV_VSO);
    d.transitions.push({ from: ['TLV afgegeven'], to: 'TLV aanvraag indienen', by: ['swv-loket'], effects: [], bron: 'besluit' });
    expect(problems(d)).toContain("Overgang vanuit eindstatus 'TLV afgegeven'");
  });

  it('refuses unknown statuses, unknown roles, duplicate names and a withdrawal that does not end', () => {
    const d = clone(TLV_VSO);
    d.transitions.push({ from: ['TLV aanvraag indienen'], to: 'TLV bestaat niet', by: ['swv-loket'], effects: [], bron: 'besluit' });
    expect(problems(d)).toContain("onbekende status 'TLV bestaat niet'");
    const roles = JSON.parse(JSON.stringify(TLV_VSO)) as { transitions: { by: string[] }[] };
    roles.transitions[0]?.by.push('directeur-generaal');
    expect(problems(roles)).toMatch(/transitions\.0\.by/);
    const dup = clone(TLV_VSO);
    const first = dup.statuses[0];
    if (first) dup.statuses.push({ ...first });
    expect(problems(dup)).toContain('komt twee keer voor');
    const w = clone(TLV_VSO);
    if (w.withdrawal) w.withdrawal.to = 'TLV aanvraag indienen';
    expect(problems(w)).toContain('Intrekken moet naar een eindstatus gaan');
  });

  it('refuses a status nobody can reach and an open status without a way to an end', () => {
    const unreachable = clone(TLV_VSO);
    unreachable.statuses.push({ status: 'TLV wees', betekenis: 'x', end: false, bron: 'besluit', access: [], onEnter: [] });
    const msg = problems(unreachable);
    expect(msg).toContain("'TLV wees' is vanaf de start niet bereikbaar");
    const stuck = clone(TLV_VSO);
    stuck.withdrawal = null;
    stuck.statuses.push({ status: 'TLV vast', betekenis: 'x', end: false, bron: 'besluit', access: [], onEnter: [] });
    stuck.transitions.push({ from: ['TLV aanvraag indienen'], to: 'TLV vast', by: ['swv-loket'], effects: [], bron: 'besluit' });
    expect(problems(stuck)).toContain("Vanuit 'TLV vast' is geen eindstatus bereikbaar");
  });

  it('refuses hostile input with a Dutch message instead of throwing', () => {
    for (const bad of [null, 42, 'TLV', { id: 'X Y' }, { ...clone(TLV_VSO), statuses: [] }]) {
      const r = parseOne(bad);
      expect(r.ok).toBe(false);
      expect(r.ok ? '' : r.error.code).toBe('procesdefinitie-ongeldig');
    }
  });
});

describe('a set of process definitions', () => {
  it('the built-in set is valid: unique ids and every titel starts exactly one process', async () => {
    expect(parseProcessSet(JSON.parse(JSON.stringify(PROCESS_DEFINITIONS)) as unknown[]).ok).toBe(true);
  });

  it('refuses two processes started by the same titel', async () => {
    const copy = { ...clone(TLV_VSO), id: 'tlv-vso-kopie' };
    const r = parseProcessSet([TLV_VSO, copy]);
    expect(r.ok ? 'ok' : r.error.code).toBe('titel-dubbel');
    expect(r.ok ? '' : r.error.message).toContain("'TLV VSO'");
  });
});
