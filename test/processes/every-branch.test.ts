// For every process, every transition (explicit, automatic, withdrawal) is walked from the
// first status through that transition to an end status, with actors holding the allowed role.
import { describe, expect, it } from 'vitest';
import type { Role } from '../../core/model/role.js';
import { PROCESS_DEFINITIONS } from '../../core/processes/process-set.js';
import type { ProcessDefinition } from '../../core/workflow/definition.js';
import { transitionsFrom } from '../../core/workflow/engine.js';
import { TLV, expectStatus, walk, type Step } from '../workflow/fixtures.js';

type Edge = { from: string; to: string; step: (to: string) => Step };

function edges(def: ProcessDefinition): Edge[] {
  const out: Edge[] = [];
  for (const s of def.statuses) {
    for (const o of transitionsFrom(def, s.status)) {
      const by = o.by[0] as Role;
      const target = def.statuses.find((x) => x.status === o.to);
      out.push({ from: s.status, to: o.to, step: (to) => ({ by, to, ...(target?.recordsTlv === true ? { tlv: TLV } : {}) }) });
    }
  }
  for (const a of def.automatic)
    for (const f of a.in) out.push({ from: f, to: a.to, step: () => ({ by: a.by[0] as Role, bijlage: true }) });
  return out;
}

/** Shortest list of edges from `from` to a status satisfying `goal`. */
function path(def: ProcessDefinition, from: string, goal: (s: string) => boolean): Edge[] | undefined {
  const all = edges(def);
  const prev = new Map<string, Edge | null>([[from, null]]);
  const queue = [from];
  for (let cur = queue.shift(); cur !== undefined; cur = queue.shift()) {
    if (goal(cur)) {
      const p: Edge[] = [];
      for (let e = prev.get(cur); e; e = prev.get(e.from)) p.unshift(e);
      return p;
    }
    for (const e of all.filter((x) => x.from === cur)) {
      if (!prev.has(e.to)) {
        prev.set(e.to, e);
        queue.push(e.to);
      }
    }
  }
  return undefined;
}

describe.each(PROCESS_DEFINITIONS.map((d) => [d.naam, d] as const))('every branch of %s', (_naam, def) => {
  const first = def.starts[0]?.status ?? '';
  const isEnd = (s: string): boolean => def.statuses.find((x) => x.status === s)?.end === true;

  it.each(edges(def).map((e) => [`${e.from} → ${e.to}`, e] as const))(
    'walks from the first status through %s to an end status',
    (_label, edge) => {
      const before = path(def, first, (s) => s === edge.from);
      const after = path(def, edge.to, isEnd);
      expect(before).toBeDefined();
      expect(after).toBeDefined();
      const route = [...(before ?? []), edge, ...(after ?? [])];
      const { state } = walk(
        def,
        route.map((e) => e.step(e.to)),
        def.starts[0]?.titel,
      );
      expectStatus(state, route.at(-1)?.to ?? '', true);
      expect(state.history.map((h) => h.to)).toEqual(route.map((e) => e.to));
    },
  );

  it.each(def.statuses.filter((s) => s.end).map((s) => [s.status] as const))('reaches end status %s from the first status', (end) => {
    const route = path(def, first, (s) => s === end);
    expect(route).toBeDefined();
    const { state } = walk(
      def,
      (route ?? []).map((e) => e.step(e.to)),
      def.starts[0]?.titel,
    );
    expectStatus(state, end, true);
  });
});
