// Date strings used in the domain. Dates travel as ISO strings, not Date objects,
// because the canonical encoding (and Yjs) stores plain strings deterministically.

/** A calendar date `YYYY-MM-DD` (no time zone: schooljaren and TLV periods are calendar days). */
export type IsoDate = string;
/** A moment in UTC, `YYYY-MM-DDTHH:mm:ss.sssZ` (as `Date.prototype.toISOString`). */
export type IsoDateTime = string;

const AMSTERDAM = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Amsterdam',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

function delen(iso: string): { j: string; m: string; d: string; tijd: string | null } | null {
  const dag = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (dag) return { j: dag[1] ?? '', m: dag[2] ?? '', d: dag[3] ?? '', tijd: null };
  const t = Date.parse(iso);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(iso) || Number.isNaN(t)) return null;
  const p = Object.fromEntries(AMSTERDAM.formatToParts(new Date(t)).map((x) => [x.type, x.value]));
  return { j: p['year'] ?? '', m: p['month'] ?? '', d: p['day'] ?? '', tijd: `${p['hour'] ?? ''}:${p['minute'] ?? ''}` };
}

/**
 * A date as Kindkluis writes it for people (dd-mm-jjjj, as the manuals' screenshots): a calendar day as is,
 * a moment as the day it was in the Netherlands. Anything else is returned unchanged.
 */
export function formatDatumNl(iso: IsoDate | IsoDateTime): string {
  const p = delen(iso);
  return p ? `${p.d}-${p.m}-${p.j}` : iso;
}

/** A moment as dd-mm-jjjj uu:mm in Dutch time; a calendar day has no time and is written as a date. */
export function formatMomentNl(iso: IsoDateTime): string {
  const p = delen(iso);
  return p ? `${p.d}-${p.m}-${p.j}${p.tijd ? ` ${p.tijd}` : ''}` : iso;
}
