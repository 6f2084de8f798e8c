import { describe, expect, it } from 'vitest';
import { Downsampler, meanOfPresent, mergePoints } from '../src/downsample.ts';
import { RunningStat } from '../src/running-stat.ts';

describe('RunningStat', () => {
  it('keeps the mean and maximum of the numbers, skipping what a GPU could not report', () => {
    const stat = new RunningStat();
    expect(stat.summary()).toEqual({ count: 0, mean: null, max: null });
    for (const v of [3, null, 9, Number.NaN, 6]) stat.add(v);
    expect(stat.summary()).toEqual({ count: 3, mean: 6, max: 9 });
  });
});

describe('downsampling', () => {
  it('averages the values present, line by line', () => {
    expect(meanOfPresent([1, null, 3])).toBe(2);
    expect(meanOfPresent([null])).toBeNull();
    expect(
      mergePoints([
        { t: 0, values: [1, null] },
        { t: 2, values: [3, null] },
      ]),
    ).toEqual({ t: 1, values: [2, null] });
  });

  it('keeps every point while there are few', () => {
    const d = new Downsampler(4);
    for (let i = 0; i < 5; i++) d.push({ t: i, values: [i] });
    expect(d.points().map((p) => p.t)).toEqual([0, 1, 2, 3, 4]);
  });

  it('keeps a long series within twice the limit, evenly spaced, its mean intact', () => {
    const d = new Downsampler(10);
    const n = 1000;
    for (let i = 0; i < n; i++) d.push({ t: i, values: [i * 2] });
    const points = d.points();
    expect(points.length).toBeGreaterThanOrEqual(10);
    expect(points.length).toBeLessThanOrEqual(20);
    // Each kept point is the mean of a run of samples: the times stay increasing and evenly spaced.
    const gaps = points.slice(1, -1).map((p, i) => p.t - points[i]!.t);
    expect(new Set(gaps).size).toBe(1);
    // Values follow times exactly (value = 2t) because both are averaged over the same samples.
    for (const p of points) expect(p.values[0]).toBeCloseTo(p.t * 2, 9);
  });

  it('refuses a limit that is not a positive integer', () => {
    expect(() => new Downsampler(0)).toThrow(/positive integer/);
  });
});
