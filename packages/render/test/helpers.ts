import type { MetricComparison } from '@mlactions/core';

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
