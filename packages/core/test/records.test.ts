import { describe, expect, it } from 'vitest';
import { isIndexKey, metricsFromRecords } from '../src/metrics/records.ts';
import type { MetricValue } from '../src/metrics/types.ts';

const num = (value: number): MetricValue => ({ kind: 'number', value });

describe('metricsFromRecords', () => {
  it('takes the last value and keeps the numeric history, stepping by a step key', () => {
    const records = [
      new Map([
        ['epoch', num(0)],
        ['loss', num(1.0)],
        ['note', { kind: 'text', text: 'warmup' } as MetricValue],
      ]),
      new Map([
        ['epoch', num(1)],
        ['loss', num(0.5)],
      ]),
      new Map([['epoch', num(2)]]),
    ];
    expect(metricsFromRecords(records, 'h.jsonl')).toEqual([
      {
        file: 'h.jsonl',
        name: 'loss',
        value: num(0.5),
        history: [
          { step: 0, value: 1 },
          { step: 1, value: 0.5 },
        ],
      },
      { file: 'h.jsonl', name: 'note', value: { kind: 'text', text: 'warmup' } },
    ]);
  });

  it('steps by position without a step key and never reports timestamps', () => {
    const records = [
      new Map([
        ['timestamp', num(1700000000)],
        ['acc', num(0.5)],
      ]),
      new Map([
        ['timestamp', num(1700000100)],
        ['acc', num(0.7)],
      ]),
    ];
    const [acc, ...rest] = metricsFromRecords(records, 'a.csv');
    expect(rest).toEqual([]);
    expect(acc?.history).toEqual([
      { step: 1, value: 0.5 },
      { step: 2, value: 0.7 },
    ]);
  });
});

describe('isIndexKey', () => {
  it('knows step and clock columns, in any case', () => {
    expect(['step', 'Epoch', 'global_step', 'timestamp', 'iter'].every(isIndexKey)).toBe(true);
    expect(['loss', 'time', 'steps_per_second'].some(isIndexKey)).toBe(false);
  });
});
