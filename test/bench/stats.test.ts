// The benchmark harness's statistics on known inputs: a wrong median or
// exponent would silently mislabel every figure in bench/results.
import { describe, expect, it } from 'vitest';
import { fitPowerLaw, median, pairedRatios, percentile, ratio, summarize } from '../../bench/stats.js';

describe('bench statistics', () => {
  it('takes the middle sample as the median, and the mean of the middle two for an even count', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
    expect(() => median([])).toThrow();
  });

  it('summarises samples as median, min, max and count without reordering the input', () => {
    const xs = [9, 2, 5, 4];
    expect(summarize(xs)).toEqual({ n: 4, median: 4.5, min: 2, max: 9 });
    expect(xs).toEqual([9, 2, 5, 4]);
  });

  it('uses nearest-rank percentiles, so p99 of 100 samples is the 99th smallest', () => {
    const xs = Array.from({ length: 100 }, (_, i) => 100 - i); // 100 … 1
    expect(percentile(xs, 99)).toBe(99);
    expect(percentile(xs, 50)).toBe(50);
    expect(percentile(xs, 100)).toBe(100);
    expect(percentile([3, 1, 2], 0)).toBe(1);
    expect(() => percentile(xs, 101)).toThrow();
  });

  it('reports a ratio against a zero or broken baseline as NaN instead of Infinity', () => {
    expect(ratio(30, 60)).toBe(0.5);
    expect(ratio(1, 0)).toBeNaN();
    expect(ratio(Number.NaN, 2)).toBeNaN();
    expect(pairedRatios([2, 9], [4, 3])).toEqual([0.5, 3]);
    expect(() => pairedRatios([1], [1, 2])).toThrow();
  });

  it('fits the growth exponent of y = a·x^b exactly on clean power laws', () => {
    const linear = fitPowerLaw([1_000, 10_000, 100_000].map((x) => ({ x, y: 0.02 * x })));
    expect(linear.exponent).toBeCloseTo(1, 10);
    expect(linear.coefficient).toBeCloseTo(0.02, 10);
    expect(linear.r2).toBeCloseTo(1, 10);
    const quadratic = fitPowerLaw([2, 4, 8, 16].map((x) => ({ x, y: 3 * x * x })));
    expect(quadratic.exponent).toBeCloseTo(2, 10);
    expect(quadratic.coefficient).toBeCloseTo(3, 10);
  });

  it('fits the least-squares exponent through noisy points and reports how well it fits', () => {
    // log10 y = 0, 1.2, 1.8 at log10 x = 3, 4, 5: slope (by hand) = 0.9, intercept -2.6.
    const fit = fitPowerLaw([
      { x: 1e3, y: 1 },
      { x: 1e4, y: 10 ** 1.2 },
      { x: 1e5, y: 10 ** 1.8 },
    ]);
    expect(fit.exponent).toBeCloseTo(0.9, 10);
    expect(fit.coefficient).toBeCloseTo(10 ** -2.6, 10);
    expect(fit.r2).toBeGreaterThan(0.9);
    expect(fit.r2).toBeLessThan(1);
  });

  it('refuses a fit it cannot make', () => {
    expect(() => fitPowerLaw([{ x: 10, y: 1 }])).toThrow();
    expect(() =>
      fitPowerLaw([
        { x: 10, y: 1 },
        { x: 10, y: 2 },
      ]),
    ).toThrow();
    expect(() =>
      fitPowerLaw([
        { x: 0, y: 1 },
        { x: 10, y: 2 },
      ]),
    ).toThrow();
  });
});
