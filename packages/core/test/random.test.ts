import { describe, expect, it } from 'vitest';
import { mulberry32, seededRandom } from '../src/random.ts';

describe('seededRandom', () => {
  it('repeats its stream for a seed, differs between seeds and stays in [0, 1)', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const values = Array.from({ length: 10_000 }, () => a());
    expect(values.slice(0, 5)).toEqual(Array.from({ length: 5 }, () => b()));
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    expect(values.reduce((s, v) => s + v, 0) / values.length).toBeCloseTo(0.5, 1);
    expect(seededRandom(43)()).not.toBe(seededRandom(42)());
  });

  it('matches mulberry32’s published first output for seed 0', () => {
    // mulberry32(0)() from the reference implementation (bryc/code, PRNGs.md).
    expect(seededRandom(0)()).toBe(0.26642920868471265);
    expect(mulberry32(0)).toEqual([0x6d2b79f5, Math.round(0.26642920868471265 * 2 ** 32)]);
  });
});
