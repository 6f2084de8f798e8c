import type { Metric, MetricComparison, MetricSet } from '@mlactions/core';
import { expect } from 'vitest';

/** A comparison with the given fields over an unchanged single-value default. */
export function comparison(fields: Partial<MetricComparison>): MetricComparison {
  return {
    file: 'metrics.json',
    name: 'accuracy',
    base: 0.9,
    head: 0.9,
    delta: 0,
    relative: 0,
    better: 'higher',
    status: 'unchanged',
    changed: false,
    significant: null,
    pValue: null,
    test: null,
    baseStats: null,
    headStats: null,
    ...fields,
  };
}

/** The cells of a markdown table row, splitting only at pipes that are not escaped. */
export function cells(row: string): string[] {
  return row.split(/(?<!\\)\|/).slice(1, -1);
}

export const HOSTILE = '<img src=x onerror=alert(1)> @everyone | x';

export function set(values: Record<string, number>, extra: Metric[] = []): MetricSet {
  const metrics = Object.entries(values).map(
    ([name, value]): Metric => ({
      file: 'metrics.json',
      name,
      value: { kind: 'number', value },
    }),
  );
  return { runs: 1, metrics: [...metrics, ...extra] };
}

/** Every table row of a markdown text has as many cells as its header. */
export function expectWellFormedTables(markdown: string): void {
  const lines = markdown.split('\n');
  lines.forEach((line, index) => {
    if (!line.startsWith('| ') || lines[index - 1]?.startsWith('|')) return;
    const width = cells(line).length;
    for (let row = index + 1; lines[row]?.startsWith('|'); row++)
      expect(cells(lines[row]!)).toHaveLength(width);
  });
}
