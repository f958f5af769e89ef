// Retention as data (WPO art. 18a lid 13; issue 20): which end status of which
// process starts how long a dossier may be kept. The default is three years
// after the decision; an SWV can set its own period per process and end status
// (e.g. a school's own two-year norm). `dossierBewaarTot` turns a dossier's
// hulpvragen and any bewaarplicht holds into the date it must be deleted.
// The client fixes that date in the access list with a signed record and
// every party deletes the dossier after it (core/access/retention-record.ts,
// core/client/client-retention.ts, PROTOCOL P60).
import { z } from 'zod';
import type { IsoDate } from '../model/dates.js';
import { ok, fail, type Result } from '../result.js';
import type { ProcessDefinition } from '../workflow/definition.js';

export const RetentionPolicySchema = z.object({
  /** Years after the end status, unless a process says otherwise (WPO 18a lid 13: three). */
  standaardJaren: z.number().int().min(1).max(20),
  /** Per process id, per end status: years. */
  perProces: z.record(z.string(), z.record(z.string(), z.number().int().min(1).max(20))),
});
export type RetentionPolicy = z.infer<typeof RetentionPolicySchema>;

export const DEFAULT_RETENTION_POLICY: RetentionPolicy = { standaardJaren: 3, perProces: {} };

/** Parses an SWV's policy and checks it names only end statuses of known processes. */
export function parseRetentionPolicy(input: unknown, defs: readonly ProcessDefinition[]): Result<RetentionPolicy> {
  const p = RetentionPolicySchema.safeParse(input);
  if (!p.success) return fail('bewaarbeleid-ongeldig', 'Het bewaarbeleid is ongeldig: gebruik hele jaren van 1 tot en met 20.');
  for (const [processId, perStatus] of Object.entries(p.data.perProces)) {
    const def = defs.find((d) => d.id === processId);
    if (!def) return fail('bewaarbeleid-ongeldig', `Het bewaarbeleid noemt een onbekend proces '${processId}'.`);
    for (const status of Object.keys(perStatus)) {
      if (def.statuses.find((s) => s.status === status)?.end !== true) {
        return fail(
          'bewaarbeleid-ongeldig',
          `'${status}' is geen eindstatus van ${def.naam}; alleen een eindstatus start een bewaartermijn.`,
        );
      }
    }
  }
  return ok(p.data);
}

const plusJaren = (date: IsoDate, jaren: number): IsoDate => {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(y + jaren, m - 1, d));
  // 29 February plus years into a non-leap year: 28 February, never a day later than the period allows.
  return target.getUTCMonth() === m - 1 ? target.toISOString().slice(0, 10) : `${y + jaren}-02-28`;
};

export interface HulpvraagEinde {
  readonly processId: string;
  readonly status: string;
  /** When the end status was reached; null while the hulpvraag is open. */
  readonly eindeOp: IsoDate | null;
}

export interface Bewaarplicht {
  /** Why the dossier must be kept longer (bezwaar, juridische procedure). */
  readonly reden: string;
  readonly tot: IsoDate;
}

export type BewaarStand =
  { readonly soort: 'lopend' } | { readonly soort: 'termijn'; readonly tot: IsoDate; readonly door: 'bewaartermijn' | 'bewaarplicht' };

/**
 * The date a dossier is to be deleted: the latest end of its hulpvragen plus
 * their periods, postponed by any hold that ends later. A dossier with an open
 * hulpvraag (or none) has no date yet.
 */
export function dossierBewaarTot(
  hulpvragen: readonly HulpvraagEinde[],
  holds: readonly Bewaarplicht[],
  policy: RetentionPolicy = DEFAULT_RETENTION_POLICY,
): BewaarStand {
  if (hulpvragen.length === 0 || hulpvragen.some((h) => h.eindeOp === null)) return { soort: 'lopend' };
  const dates = hulpvragen.map((h) => plusJaren(h.eindeOp as IsoDate, policy.perProces[h.processId]?.[h.status] ?? policy.standaardJaren));
  const termijn = dates.reduce((a, b) => (a > b ? a : b));
  const hold = holds.map((h) => h.tot).reduce<IsoDate | null>((a, b) => (a === null || b > a ? b : a), null);
  return hold !== null && hold > termijn
    ? { soort: 'termijn', tot: hold, door: 'bewaarplicht' }
    : { soort: 'termijn', tot: termijn, door: 'bewaartermijn' };
}
