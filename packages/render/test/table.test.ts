import { describe, expect, it } from 'vitest';
import { columnsFor, comparisonTable, resultOf, sortForReport, valuesTable } from '../src/table.ts';
import { cells, comparison } from './helpers.ts';

describe('resultOf', () => {
  it('tells an undirected change from no change and from noise', () => {
    expect(resultOf(comparison({ status: 'improved', changed: true }))).toBe('improved');
    expect(resultOf(comparison({ changed: true, better: null }))).toBe('changed');
    expect(resultOf(comparison({ changed: true, significant: false }))).toBe('unchanged');
    expect(resultOf(comparison({}))).toBe('unchanged');
  });
});

describe('sortForReport', () => {
  it('puts regressions first and keeps the order within a result', () => {
    const metrics = [
      comparison({ name: 'a' }),
      comparison({ name: 'b', status: 'new', changed: true }),
      comparison({ name: 'c', status: 'regressed', changed: true }),
      comparison({ name: 'd', status: 'improved', changed: true }),
      comparison({ name: 'e', status: 'regressed', changed: true }),
    ];
    expect(sortForReport(metrics).map((metric) => metric.name)).toEqual(['c', 'e', 'd', 'b', 'a']);
  });
});

describe('comparisonTable', () => {
  it('writes marks, signed changes with percentages, and several values with p', () => {
    const stats = {
      n: 3,
      mean: 0.9,
      sd: 0.01,
      standardError: 0.006,
      confidence: 0.95,
      low: 0.875,
      high: 0.925,
    };
    const metrics = [
      comparison({
        name: 'loss',
        base: 0.5,
        head: 0.6,
        delta: 0.1,
        relative: 0.2,
        status: 'regressed',
        changed: true,
      }),
      comparison({
        name: 'f1',
        base: 0.9,
        head: 0.9,
        baseStats: stats,
        headStats: stats,
        pValue: 0.5,
        significant: false,
      }),
      comparison({
        name: 'model',
        base: 'a|b',
        head: 'c',
        delta: null,
        relative: null,
        changed: true,
        better: null,
      }),
      comparison({
        file: 'eval.json',
        name: 'fresh',
        base: null,
        head: 1,
        delta: null,
        relative: null,
        status: 'new',
      }),
    ];
    const lines = comparisonTable(metrics, columnsFor(metrics));
    expect(lines.map(cells).map((row) => row.map((cell) => cell.trim()))).toEqual([
      ['', 'File', 'Metric', 'Base', 'Head', 'Change', 'p'],
      ['-', '-', '-', '-', '-', '-', '-'],
      ['🔴', 'metrics.json', 'loss', '0.5', '0.6', '+0.1 (+20%)', ''],
      ['⚪', 'metrics.json', 'f1', '0.9 ± 0.025 (n=3)', '0.9 ± 0.025 (n=3)', '0', '0.5'],
      ['🔵', 'metrics.json', 'model', 'a&#124;b', 'c', 'changed', ''],
      ['🆕', 'eval.json', 'fresh', '—', '1', '—', ''],
    ]);
  });

  it('leaves out the file and p columns when they say nothing', () => {
    const metrics = [comparison({})];
    expect(comparisonTable(metrics, columnsFor(metrics))[0]).toBe('| | Metric | Base | Head | Change |');
  });
});

describe('valuesTable', () => {
  it('lists head values for a first run', () => {
    const metrics = [comparison({ base: null, head: 0.8, status: 'new' })];
    expect(valuesTable(metrics, columnsFor(metrics))).toEqual([
      '| Metric | Value |',
      '| - | - |',
      '| accuracy | 0.8 |',
    ]);
  });
});
