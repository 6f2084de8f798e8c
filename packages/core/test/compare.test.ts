import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compareMetrics } from '../src/compare/compare.ts';
import type { Metric, MetricSet, MetricValue } from '../src/metrics/types.ts';

const num = (value: number): MetricValue => ({ kind: 'number', value });
const samples = (...values: number[]): MetricValue => ({ kind: 'samples', values });
const text = (value: string): MetricValue => ({ kind: 'text', text: value });

function set(values: Record<string, MetricValue>, file = 'metrics.json'): MetricSet {
  return { runs: 1, metrics: Object.entries(values).map(([name, value]): Metric => ({ file, name, value })) };
}

/** The comparison of one metric named `name` with the given values. */
function one(name: string, base: MetricValue, head: MetricValue, options = {}) {
  return compareMetrics(set({ [name]: base }), set({ [name]: head }), options).metrics[0]!;
}

describe('compareMetrics: single values', () => {
  it('fills the JSON contract for a better accuracy', () => {
    expect(one('accuracy', num(0.8), num(0.9))).toMatchObject({
      file: 'metrics.json',
      name: 'accuracy',
      base: 0.8,
      head: 0.9,
      better: 'higher',
      status: 'improved',
      changed: true,
      significant: null,
      pValue: null,
    });
    const { delta, relative } = one('accuracy', num(0.8), num(0.9));
    expect(delta).toBeCloseTo(0.1, 15);
    expect(relative).toBeCloseTo(0.125, 15);
  });

  it('reads direction from the name', () => {
    expect(one('val_loss', num(0.5), num(0.4)).status).toBe('improved');
    expect(one('val_loss', num(0.5), num(0.6)).status).toBe('regressed');
    expect(one('accuracy', num(0.9), num(0.8)).status).toBe('regressed');
  });

  it('calls a change in a metric with no direction unchanged but changed', () => {
    expect(one('learning_rate', num(0.1), num(0.01))).toMatchObject({
      better: null,
      status: 'unchanged',
      changed: true,
    });
  });

  it('treats a change within tolerance as unchanged', () => {
    expect(one('accuracy', num(0.9), num(0.9 + 1e-12))).toMatchObject({
      status: 'unchanged',
      changed: false,
    });
    expect(one('accuracy', num(0.9), num(0.905), { absolute: 0.01 }).status).toBe('unchanged');
    expect(one('accuracy', num(0.9), num(0.95), { relative: 0.1 }).status).toBe('unchanged');
    expect(one('accuracy', num(0.9), num(0.95), { rules: [{ pattern: 'acc*', absolute: 0.1 }] }).status).toBe(
      'unchanged',
    );
    expect(one('accuracy', num(0.9), num(0.95), { absolute: 0.01 }).status).toBe('improved');
  });

  it('lets rules set the direction', () => {
    expect(one('accuracy', num(0.9), num(0.95), { rules: [{ pattern: '*', better: 'lower' }] }).status).toBe(
      'regressed',
    );
  });

  it('has no relative change from a zero base', () => {
    expect(one('errors', num(0), num(2))).toMatchObject({ delta: 2, relative: null, status: 'regressed' });
  });

  it('counts NaN as worse than any number', () => {
    expect(one('loss', num(0.5), num(Number.NaN))).toMatchObject({
      status: 'regressed',
      delta: null,
      changed: true,
    });
    expect(one('accuracy', num(Number.NaN), num(0.5))).toMatchObject({ status: 'improved', delta: null });
    expect(one('accuracy', num(Number.NaN), num(Number.NaN))).toMatchObject({
      status: 'unchanged',
      changed: false,
    });
    expect(one('lr', num(0.5), num(Number.NaN))).toMatchObject({ status: 'unchanged', changed: true });
  });

  it('compares infinities', () => {
    expect(one('loss', num(1), num(Number.POSITIVE_INFINITY))).toMatchObject({
      status: 'regressed',
      delta: Number.POSITIVE_INFINITY,
    });
    expect(one('loss', num(Number.POSITIVE_INFINITY), num(Number.POSITIVE_INFINITY))).toMatchObject({
      status: 'unchanged',
      delta: 0,
      relative: null,
    });
  });

  it('shows text without diffing it', () => {
    expect(one('model', text('resnet18'), text('resnet50'))).toMatchObject({
      base: 'resnet18',
      head: 'resnet50',
      delta: null,
      relative: null,
      status: 'unchanged',
      changed: true,
    });
    expect(one('model', text('a'), text('a')).changed).toBe(false);
    expect(one('accuracy', text('n/a'), num(0.9))).toMatchObject({
      status: 'unchanged',
      changed: true,
      head: 0.9,
    });
  });
});

describe('compareMetrics: several values', () => {
  const fixture = JSON.parse(readFileSync(new URL('./fixtures/ttest.json', import.meta.url), 'utf8')) as {
    welch: { a: number[]; b: number[]; pValue: number }[];
  };

  it("uses Welch's t-test, with scipy's p-value, and calls a significant change a change", () => {
    const [{ a, b, pValue }] = fixture.welch as [{ a: number[]; b: number[]; pValue: number }];
    // scipy compared a with b; here a is the base and b the head (the p-value is symmetric).
    const result = one('accuracy', samples(...a), samples(...b));
    expect(result.pValue! / pValue - 1).toBeLessThan(1e-9);
    expect(result).toMatchObject({ test: 'welch', significant: true, status: 'improved', changed: true });
    expect(result.base).toBeCloseTo(0.915, 12);
    expect(result.headStats?.n).toBe(5);
    expect(result.baseStats?.low).toBeLessThan(0.915);
  });

  it('calls a change within noise unchanged, saying it is not significant', () => {
    const { a, b, pValue } = fixture.welch[1]!;
    expect(pValue).toBeGreaterThan(0.05);
    expect(one('accuracy', samples(...a), samples(...b))).toMatchObject({
      status: 'unchanged',
      changed: true,
      significant: false,
    });
  });

  it('honours alpha', () => {
    const { a, b } = fixture.welch[1]!;
    expect(one('accuracy', samples(...a), samples(...b), { alpha: 0.1 }).status).toBe('improved');
  });

  it('tests several values against a single one with a one-sample t-test', () => {
    const result = one('accuracy', num(0.8), samples(0.9, 0.91, 0.92));
    expect(result).toMatchObject({
      test: 'one-sample',
      significant: true,
      status: 'improved',
      baseStats: null,
    });
    expect(one('accuracy', samples(0.9, 0.91, 0.92), num(0.8)).status).toBe('regressed');
  });

  it('compares several values holding a NaN as NaN', () => {
    expect(one('accuracy', samples(0.9, 0.91), samples(0.92, Number.NaN))).toMatchObject({
      status: 'regressed',
      headStats: null,
      test: null,
    });
  });
});

describe('compareMetrics: presence', () => {
  it('reports new and removed metrics, head order first', () => {
    const report = compareMetrics(set({ a: num(1), gone: num(2) }), set({ fresh: samples(1, 2), a: num(1) }));
    expect(report.metrics.map((metric) => [metric.name, metric.status, metric.base, metric.head])).toEqual([
      ['fresh', 'new', null, 1.5],
      ['a', 'unchanged', 1, 1],
      ['gone', 'removed', 2, null],
    ]);
    expect(report.metrics[0]?.headStats?.n).toBe(2);
  });

  it('makes every metric new on a first run', () => {
    const report = compareMetrics(undefined, set({ a: num(1) }));
    expect(report).toMatchObject({ hasBaseline: false, baseRuns: 0, headRuns: 1 });
    expect(report.metrics[0]).toMatchObject({ status: 'new', head: 1, base: null, changed: true });
  });

  it('matches by file and name, and by name alone when each side is one file', () => {
    const two = (file: string): MetricSet => ({
      runs: 1,
      metrics: [
        { file, name: 'acc', value: num(0.5) },
        { file: 'other.json', name: 'acc', value: num(0.5) },
      ],
    });
    expect(compareMetrics(two('a.json'), two('b.json')).metrics.map((m) => `${m.file} ${m.status}`)).toEqual([
      'b.json new',
      'other.json unchanged',
      'a.json removed',
    ]);
    const renamed = compareMetrics(set({ acc: num(0.5) }, 'old.json'), set({ acc: num(0.6) }, 'new.json'));
    expect(renamed.metrics).toHaveLength(1);
    expect(renamed.metrics[0]).toMatchObject({ file: 'new.json', status: 'improved' });
  });

  it('carries histories for charts', () => {
    const history = [
      { step: 1, value: 2 },
      { step: 2, value: 1 },
    ];
    const base: MetricSet = { runs: 1, metrics: [{ file: 'h.csv', name: 'loss', value: num(1), history }] };
    const head: MetricSet = { runs: 1, metrics: [{ file: 'h.csv', name: 'loss', value: num(0.5) }] };
    expect(compareMetrics(base, head).metrics[0]?.history).toEqual({ base: history });
  });
});
