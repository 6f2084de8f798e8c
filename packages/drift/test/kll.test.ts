import { describe, expect, it } from 'vitest';
import { KllSketch, sortRange } from '../src/kll.ts';
import { sampleOf, weightBelow } from '../src/sample.ts';
import { mulberry32, normals } from './helpers/prng.ts';

/** Largest |sketch rank - true rank| / n over 199 evenly spaced quantiles of the data. */
function maxRankError(sketch: KllSketch, data: Float64Array): number {
  const exact = sampleOf(data);
  const approx = sketch.sample();
  let worst = 0;
  for (let q = 1; q < 200; q++) {
    const x = exact.values[Math.floor((q / 200) * data.length)]!;
    worst = Math.max(worst, Math.abs(weightBelow(exact, x) - weightBelow(approx, x)) / data.length);
  }
  return worst;
}

function feed(sketch: KllSketch, data: Float64Array, batch = 4096): KllSketch {
  for (let i = 0; i < data.length; i += batch) sketch.updateMany(data.subarray(i, i + batch));
  return sketch;
}

describe('sortRange', () => {
  it('sorts like a numeric sort, duplicates and negatives included', () => {
    const next = mulberry32(3);
    for (const n of [0, 1, 2, 17, 100, 5000]) {
      const a = Float64Array.from(
        { length: n },
        () => Math.floor(next() * 50) - 25 + (next() < 0.5 ? 0.5 : 0),
      );
      const expected = Float64Array.from(a).sort();
      sortRange(a, 0, n);
      expect(a).toEqual(expected);
    }
  });
});

describe('KLL sketch', () => {
  it('is exact while nothing has been compacted', () => {
    const data = normals(500, 1);
    const sketch = feed(new KllSketch(), data);
    expect(sketch.rankError()).toBe(0);
    expect(sketch.sample().values).toEqual(sampleOf(data).values);
    expect(sketch.count).toBe(500);
  });

  it('keeps the rank error within its stated bound, with a few thousand items for 300,000 values', () => {
    const data = normals(300_000, 2, 5, 3);
    const sketch = feed(new KllSketch(), data);
    const bound = sketch.rankError();
    expect(bound).toBeGreaterThan(0);
    expect(bound).toBeLessThan(0.01);
    expect(maxRankError(sketch, data)).toBeLessThanOrEqual(bound);
    expect(sketch.sample().values.length).toBeLessThan(5000);
    expect(sketch.sample().total).toBe(300_000);
  });

  it('merges: the merged sketch summarizes the union within its bound', () => {
    const a = normals(120_000, 3);
    const b = normals(80_000, 4, 1);
    const merged = feed(new KllSketch(400, 1), a);
    merged.merge(feed(new KllSketch(400, 2), b));
    const union = new Float64Array(a.length + b.length);
    union.set(a);
    union.set(b, a.length);
    expect(merged.count).toBe(200_000);
    expect(maxRankError(merged, union)).toBeLessThanOrEqual(merged.rankError());
  });

  it('round-trips through JSON and is deterministic for a given seed', () => {
    const data = normals(50_000, 5);
    const one = feed(new KllSketch(400, 7), data, 1000);
    const two = feed(new KllSketch(400, 7), data, 3000);
    const json = JSON.parse(JSON.stringify(one.toJSON()));
    expect(json).toEqual(two.toJSON());
    const back = KllSketch.fromJSON(json);
    expect(back.sample()).toEqual(one.sample());
    expect(back.rankError()).toBe(one.rankError());
  });

  it('counts values one at a time the same as in batches', () => {
    const data = normals(20_000, 6);
    const single = new KllSketch(400, 9);
    for (const x of data) single.update(x);
    expect(single.toJSON()).toEqual(feed(new KllSketch(400, 9), data, 777).toJSON());
  });
});
