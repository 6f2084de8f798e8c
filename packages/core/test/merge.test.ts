import { describe, expect, it } from 'vitest';
import { meanHistory, mergeRuns } from '../src/metrics/merge.ts';
import type { Metric } from '../src/metrics/types.ts';

describe('mergeRuns', () => {
  it('keeps a single run as it is', () => {
    const run: Metric[] = [{ file: 'm.json', name: 'acc', value: { kind: 'number', value: 0.9 } }];
    expect(mergeRuns([run])).toEqual({ runs: 1, metrics: run });
  });

  it('pools the numbers of several runs into samples, matching by file and name', () => {
    const seed = (acc: number, extra: Metric[] = []): Metric[] => [
      { file: 'm.json', name: 'acc', value: { kind: 'number', value: acc } },
      ...extra,
    ];
    const merged = mergeRuns([
      seed(0.9),
      seed(0.92, [{ file: 'm.json', name: 'f1', value: { kind: 'samples', values: [0.5, 0.6] } }]),
      seed(0.91, [{ file: 'm.json', name: 'f1', value: { kind: 'number', value: 0.7 } }]),
    ]);
    expect(merged).toEqual({
      runs: 3,
      metrics: [
        { file: 'm.json', name: 'acc', value: { kind: 'samples', values: [0.9, 0.92, 0.91] } },
        { file: 'm.json', name: 'f1', value: { kind: 'samples', values: [0.5, 0.6, 0.7] } },
      ],
    });
  });

  it('shows the distinct texts of runs that disagree on a non-numeric metric', () => {
    const run = (text: string): Metric[] => [
      { file: 'm.json', name: 'model', value: { kind: 'text', text } },
    ];
    expect(mergeRuns([run('a'), run('b'), run('a')]).metrics[0]?.value).toEqual({
      kind: 'text',
      text: 'a | b',
    });
  });

  it("averages the runs' histories step by step", () => {
    const run = (values: number[]): Metric[] => [
      {
        file: 'h.csv',
        name: 'loss',
        value: { kind: 'number', value: values.at(-1)! },
        history: values.map((value, index) => ({ step: index + 1, value })),
      },
    ];
    expect(mergeRuns([run([1, 0.5]), run([3, 1.5, 1])]).metrics[0]?.history).toEqual([
      { step: 1, value: 2 },
      { step: 2, value: 1 },
      { step: 3, value: 1 },
    ]);
  });
});

describe('meanHistory', () => {
  it('sorts by step', () => {
    expect(
      meanHistory([
        [
          { step: 5, value: 1 },
          { step: 2, value: 3 },
        ],
      ]),
    ).toEqual([
      { step: 2, value: 3 },
      { step: 5, value: 1 },
    ]);
  });
});
