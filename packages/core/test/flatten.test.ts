import { describe, expect, it } from 'vitest';
import { flattenMetrics, leafValue } from '../src/metrics/flatten.ts';
import { UserError } from '../src/user-error.ts';

describe('leafValue', () => {
  it('tells numbers, samples and text apart', () => {
    expect(leafValue(0.5)).toEqual({ kind: 'number', value: 0.5 });
    expect(leafValue([0.9, 0.91])).toEqual({ kind: 'samples', values: [0.9, 0.91] });
    expect(leafValue('resnet')).toEqual({ kind: 'text', text: 'resnet' });
    expect(leafValue(true)).toEqual({ kind: 'text', text: 'true' });
    expect(leafValue(null)).toEqual({ kind: 'text', text: 'null' });
    expect(leafValue([])).toEqual({ kind: 'text', text: '[]' });
    expect(
      leafValue([
        [1, 0],
        [0, 1],
      ]),
    ).toEqual({ kind: 'text', text: '[[1,0],[0,1]]' });
  });
});

describe('flattenMetrics', () => {
  it('joins nested keys with dots, as DVC does', () => {
    const flat = flattenMetrics(
      { train: { loss: 0.2, acc: 0.9 }, eval: { nested: { f1: 0.8 } }, empty: {} },
      'm.json',
    );
    expect([...flat]).toEqual([
      ['train.loss', { kind: 'number', value: 0.2 }],
      ['train.acc', { kind: 'number', value: 0.9 }],
      ['eval.nested.f1', { kind: 'number', value: 0.8 }],
    ]);
  });

  it('refuses two keys that flatten to the same name', () => {
    expect(() => flattenMetrics({ 'a.b': 1, a: { b: 2 } }, 'm.json')).toThrow(UserError);
    expect(() => flattenMetrics({ 'a.b': 1, a: { b: 2 } }, 'm.json')).toThrow(/m\.json: the metric "a\.b"/);
  });
});
