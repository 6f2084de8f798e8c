import { describe, expect, it } from 'vitest';
import { compareMetrics } from '../src/compare/compare.ts';
import { reportToJson } from '../src/compare/json.ts';

describe('reportToJson', () => {
  it('writes the contract fields, non-finite numbers as strings, and no histories', () => {
    const report = compareMetrics(
      { runs: 1, metrics: [{ file: 'm.csv', name: 'loss', value: { kind: 'number', value: 1 } }] },
      {
        runs: 1,
        metrics: [
          {
            file: 'm.csv',
            name: 'loss',
            value: { kind: 'number', value: Number.POSITIVE_INFINITY },
            history: [{ step: 1, value: Number.POSITIVE_INFINITY }],
          },
        ],
      },
    );
    const json = reportToJson(report);
    expect(JSON.parse(JSON.stringify(json))).toEqual({
      hasBaseline: true,
      baseRuns: 1,
      headRuns: 1,
      alpha: 0.05,
      confidence: 0.95,
      metrics: [
        {
          file: 'm.csv',
          name: 'loss',
          base: 1,
          head: 'Infinity',
          delta: 'Infinity',
          relative: 'Infinity',
          better: 'lower',
          status: 'regressed',
          changed: true,
          significant: null,
          pValue: null,
          test: null,
          baseStats: null,
          headStats: null,
        },
      ],
    });
    expect(Object.keys(json.metrics[0]!).slice(0, 8)).toEqual([
      'file',
      'name',
      'base',
      'head',
      'delta',
      'relative',
      'better',
      'status',
    ]);
  });
});
