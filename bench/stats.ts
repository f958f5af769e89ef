// Pure statistics for the benchmark harness: summaries of repeated samples,
// percentiles, ratios against a baseline and the power-law fit that turns
// "1k → 10k → 100k" timings into one growth exponent.

export interface Summary {
  readonly n: number;
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

const sorted = (xs: readonly number[]): number[] => [...xs].sort((a, b) => a - b);

/** Median; the mean of the two middle values for an even count. Throws on empty input (a bug in the caller). */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) throw new Error('median of no samples');
  const s = sorted(xs);
  const mid = Math.floor(s.length / 2);
  // Both indices exist: s.length >= 1 and mid < s.length.
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * Percentile by the nearest-rank method (p in [0, 100]): the smallest sample
 * with at least p % of the samples at or below it. Nearest rank never invents
 * a latency nobody saw, which matters for p99 of a few hundred deliveries.
 */
export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) throw new Error('percentile of no samples');
  if (!(p >= 0 && p <= 100)) throw new Error(`percentile out of range: ${p}`);
  const s = sorted(xs);
  const rank = Math.max(1, Math.ceil((p / 100) * s.length));
  return s[rank - 1]!;
}

export function summarize(xs: readonly number[]): Summary {
  if (xs.length === 0) throw new Error('summary of no samples');
  let min = Infinity;
  let max = -Infinity;
  for (const x of xs) {
    if (x < min) min = x;
    if (x > max) max = x;
  }
  return { n: xs.length, median: median(xs), min, max };
}

/** value / baseline; NaN when the baseline is zero or either side is not finite, so a broken run shows as such. */
export function ratio(value: number, baseline: number): number {
  if (!Number.isFinite(value) || !Number.isFinite(baseline) || baseline === 0) return Number.NaN;
  return value / baseline;
}

/**
 * Ratios of paired samples (subject[i] / baseline[i]). Pairs are taken from
 * interleaved repetitions, so a burst of load from other users of the machine
 * hits both sides of a pair and largely cancels out.
 */
export function pairedRatios(subject: readonly number[], baseline: readonly number[]): number[] {
  if (subject.length !== baseline.length) throw new Error('paired ratios need equal sample counts');
  return subject.map((s, i) => ratio(s, baseline[i]!));
}

export interface PowerFit {
  /** b in y = a · x^b: 1 is linear growth, 2 quadratic. */
  readonly exponent: number;
  readonly coefficient: number;
  /** Coefficient of determination of the fit in log-log space. */
  readonly r2: number;
}

/** Least-squares fit of log y = log a + b log x. Needs two distinct positive x values and positive y values. */
export function fitPowerLaw(points: readonly { readonly x: number; readonly y: number }[]): PowerFit {
  if (points.length < 2) throw new Error('a power-law fit needs at least two points');
  for (const { x, y } of points) {
    if (!(x > 0 && y > 0)) throw new Error(`a power-law fit needs positive values, got (${x}, ${y})`);
  }
  const lx = points.map((p) => Math.log(p.x));
  const ly = points.map((p) => Math.log(p.y));
  const n = points.length;
  const mx = lx.reduce((a, b) => a + b, 0) / n;
  const my = ly.reduce((a, b) => a + b, 0) / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = lx[i]! - mx;
    const dy = ly[i]! - my;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  if (sxx === 0) throw new Error('a power-law fit needs at least two distinct x values');
  const exponent = sxy / sxx;
  const intercept = my - exponent * mx;
  const r2 = syy === 0 ? 1 : (sxy * sxy) / (sxx * syy);
  return { exponent, coefficient: Math.exp(intercept), r2 };
}
