// Dutch date formatting for the UI (dd-mm-jjjj, as in the manuals' screenshots).
import { formatDatumNl } from '../../core/model/dates.js';

const pad = (n: number) => String(n).padStart(2, '0');

/** `2024-06-28` or a full ISO timestamp (as the day it was in the Netherlands) → `28-06-2024`; unparsable input is shown as is. */
export function formatDatum(iso: string | undefined | null): string {
  return iso ? formatDatumNl(iso) : '–';
}

/** ISO timestamp → `28-06-2024 14:05` in local time. */
export function formatDatumTijd(iso: string | undefined | null): string {
  if (!iso) return '–';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${pad(d.getDate())}-${pad(d.getMonth() + 1)}-${d.getFullYear()} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Today as ISO date in local time. */
export function vandaagIso(now: Date = new Date()): string {
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

export function plusDagenIso(days: number, now: Date = new Date()): string {
  const d = new Date(now.getFullYear(), now.getMonth(), now.getDate() + days);
  return vandaagIso(d);
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1).replace('.', ',')} kB`;
  return `${(n / 1024 / 1024).toFixed(1).replace('.', ',')} MB`;
}

/** "1 bijlage", "3 bijlagen": a count with the right form of the noun. */
export function aantal(n: number, enkelvoud: string, meervoud: string): string {
  return `${n} ${n === 1 ? enkelvoud : meervoud}`;
}
