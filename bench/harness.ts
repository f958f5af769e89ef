// Benchmark harness: repeated measurements, rows with median/min/max, ratios
// against a baseline measured in the same run, goals, and time/count bounds on
// every loop. Absolute times are recorded and printed, never asserted.
import { performance } from 'node:perf_hooks';
import { median, pairedRatios, ratio, summarize, type Summary } from './stats.js';

export type Better = 'higher' | 'lower';

export interface RowInput {
  /** Stable id, e.g. `relay.durable.c100.deliveries`; used for ratios and in the JSON. */
  readonly id: string;
  readonly label: string;
  readonly unit: string;
  readonly better: Better;
  readonly samples: readonly number[];
  readonly note?: string;
}

export interface Row extends RowInput {
  readonly suite: string;
  readonly summary: Summary;
  /** Ratios of this row against one or more baselines measured in the same run. */
  readonly baselines: { readonly id: string; readonly label: string; readonly ratio: Summary; readonly paired: boolean }[];
}

export type GoalStatus = 'met' | 'missed' | 'not measured';

export interface Goal {
  readonly id: string;
  readonly text: string;
  readonly measured: string;
  readonly status: GoalStatus;
  readonly why?: string;
}

export interface BenchOptions {
  readonly quick: boolean;
  readonly full: boolean;
}

export class BenchContext {
  readonly rows: Row[] = [];
  readonly goals: Goal[] = [];
  readonly notes: string[] = [];
  currentSuite = '';

  constructor(readonly options: BenchOptions) {}

  get quick(): boolean {
    return this.options.quick;
  }

  get full(): boolean {
    return this.options.full;
  }

  /** Pick a value by mode: quick, normal, full (full falls back to normal). */
  pick<T>(quick: T, normal: T, full: T = normal): T {
    return this.options.quick ? quick : this.options.full ? full : normal;
  }

  log(message: string): void {
    process.stderr.write(`[bench ${this.currentSuite}] ${message}\n`);
  }

  note(text: string): void {
    this.notes.push(`${this.currentSuite}: ${text}`);
  }

  record(input: RowInput): Row {
    if (input.samples.length === 0) throw new Error(`row ${input.id} has no samples`);
    if (this.rows.some((r) => r.id === input.id)) throw new Error(`duplicate row id ${input.id}`);
    const row: Row = { ...input, samples: [...input.samples], suite: this.currentSuite, summary: summarize(input.samples), baselines: [] };
    this.rows.push(row);
    this.log(
      `${input.label}: ${formatNumber(row.summary.median)} ${input.unit} (min ${formatNumber(row.summary.min)}, max ${formatNumber(row.summary.max)}, n=${row.summary.n})`,
    );
    return row;
  }

  row(id: string): Row | undefined {
    return this.rows.find((r) => r.id === id);
  }

  /**
   * Attach "subject / baseline" to the subject row (a row may have several baselines). With equal sample counts the
   * samples are taken as interleaved pairs (paired ratios, robust to load
   * bursts); otherwise the ratio of medians is reported as a single value.
   */
  compare(subjectId: string, baselineId: string): Summary | undefined {
    const subject = this.row(subjectId);
    const baseline = this.row(baselineId);
    if (!subject || !baseline) return undefined;
    const paired = subject.samples.length === baseline.samples.length;
    const ratios = paired
      ? pairedRatios(subject.samples, baseline.samples).filter((r) => Number.isFinite(r))
      : [ratio(subject.summary.median, baseline.summary.median)];
    if (ratios.length === 0) return undefined;
    const summary = summarize(ratios);
    const entry = { id: baselineId, label: baseline.label, ratio: summary, paired };
    const i = subject.baselines.findIndex((b) => b.id === baselineId);
    if (i >= 0) subject.baselines[i] = entry;
    else subject.baselines.push(entry);
    return summary;
  }

  goal(goal: Goal): void {
    this.goals.push(goal);
    this.log(`goal ${goal.id}: ${goal.status} (${goal.measured})`);
  }
}

export const now = (): number => performance.now();

/** Milliseconds one call takes. */
export async function timeOnce(fn: () => unknown): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

export interface Bounds {
  /** Stop after this many iterations... */
  readonly maxCount: number;
  /** ...or after this many milliseconds, whichever comes first. */
  readonly maxMs: number;
  /** Never stop before this many iterations (still subject to a hard 10× maxMs cap). */
  readonly minCount?: number;
}

/**
 * Operations per second of `op`, bounded in count and time. Returns the rate
 * and how many operations ran, so a rate from three operations is visible as such.
 */
export async function rate(op: (i: number) => unknown, bounds: Bounds): Promise<{ perSecond: number; count: number; ms: number }> {
  const t0 = performance.now();
  const hardStop = t0 + bounds.maxMs * 10;
  let count = 0;
  for (;;) {
    await op(count);
    count++;
    const t = performance.now();
    if (count >= bounds.maxCount) break;
    if (t - t0 >= bounds.maxMs && count >= (bounds.minCount ?? 1)) break;
    if (t >= hardStop) break;
  }
  const ms = performance.now() - t0;
  return { perSecond: (count * 1000) / ms, count, ms };
}

/**
 * Run each named measurement `repeats` times in round-robin (a, b, a, b, …) so
 * a baseline and its subject see the same machine load; returns the samples per name.
 */
export async function interleave<K extends string>(
  repeats: number,
  measurements: Readonly<Record<K, () => Promise<number> | number>>,
  budgetMs = Infinity,
): Promise<Record<K, number[]>> {
  const names = Object.keys(measurements) as K[];
  const out = Object.fromEntries(names.map((k) => [k, [] as number[]])) as Record<K, number[]>;
  const t0 = performance.now();
  for (let r = 0; r < repeats; r++) {
    for (const name of names) out[name].push(await measurements[name]());
    // Always finish at least one full round so every row has a sample.
    if (performance.now() - t0 > budgetMs) break;
  }
  return out;
}

/** Yield to the event loop, so sockets and timers get a turn inside long loops. */
export const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const abs = Math.abs(x);
  if (abs >= 100_000) return Math.round(x).toLocaleString('en-US');
  if (abs >= 100) return x.toFixed(0);
  if (abs >= 10) return x.toFixed(1);
  if (abs >= 1) return x.toFixed(2);
  if (abs >= 0.01) return x.toFixed(3);
  return x.toPrecision(2);
}

export const formatRatio = (s: Summary): string =>
  s.n === 1 ? `${s.median.toFixed(2)}×` : `${s.median.toFixed(2)}× (${s.min.toFixed(2)}–${s.max.toFixed(2)})`;

export { median };
