import { describe, expect, it } from 'vitest';
import { metricFormatOf, parseMetricsText } from '../src/metrics/parse.ts';

describe('metricFormatOf', () => {
  it('tells formats by extension', () => {
    expect(metricFormatOf('a/metrics.JSON')).toBe('json');
    expect(metricFormatOf('params.yml')).toBe('yaml');
    expect(metricFormatOf('dvclive/plots/metrics/loss.tsv')).toBe('tsv');
    expect(metricFormatOf('history.ndjson')).toBe('jsonl');
    expect(metricFormatOf('model.onnx')).toBeUndefined();
  });
});

describe('parseMetricsText', () => {
  it('reads a DVC-style metrics.json as it is', () => {
    const text =
      '{"train": {"loss": 0.12, "acc": 0.97}, "eval": {"acc": [0.9, 0.92, 0.91]}, "model": "resnet18"}';
    expect(parseMetricsText(text, 'metrics.json', 'json')).toEqual([
      { file: 'metrics.json', name: 'train.loss', value: { kind: 'number', value: 0.12 } },
      { file: 'metrics.json', name: 'train.acc', value: { kind: 'number', value: 0.97 } },
      { file: 'metrics.json', name: 'eval.acc', value: { kind: 'samples', values: [0.9, 0.92, 0.91] } },
      { file: 'metrics.json', name: 'model', value: { kind: 'text', text: 'resnet18' } },
    ]);
  });

  it('ignores a byte-order mark', () => {
    expect(parseMetricsText('\uFEFF{"acc": 1}', 'm.json', 'json')).toEqual([
      { file: 'm.json', name: 'acc', value: { kind: 'number', value: 1 } },
    ]);
  });

  it('reads YAML', () => {
    expect(parseMetricsText('eval:\n  rmse: .nan\n  r2: 0.8\n', 'm.yaml', 'yaml')).toEqual([
      { file: 'm.yaml', name: 'eval.rmse', value: { kind: 'number', value: Number.NaN } },
      { file: 'm.yaml', name: 'eval.r2', value: { kind: 'number', value: 0.8 } },
    ]);
  });

  it('reads a JSON list of per-step objects as a history', () => {
    const [loss] = parseMetricsText('[{"step": 1, "loss": 2}, {"step": 2, "loss": 1}]', 'h.json', 'json');
    expect(loss).toEqual({
      file: 'h.json',
      name: 'loss',
      value: { kind: 'number', value: 1 },
      history: [
        { step: 1, value: 2 },
        { step: 2, value: 1 },
      ],
    });
  });

  it('reads an empty document as no metrics and refuses a bare value', () => {
    expect(parseMetricsText('', 'm.yaml', 'yaml')).toEqual([]);
    expect(() => parseMetricsText('0.5', 'm.json', 'json')).toThrow(/m\.json: expected an object of metrics/);
  });

  it('reads JSONL, one object per step, with NaN and blank lines', () => {
    const text = '{"epoch": 1, "val": {"loss": 1.5}}\n\n{"epoch": 2, "val": {"loss": NaN}}\r\n';
    expect(parseMetricsText(text, 'h.jsonl', 'jsonl')).toEqual([
      {
        file: 'h.jsonl',
        name: 'val.loss',
        value: { kind: 'number', value: Number.NaN },
        history: [
          { step: 1, value: 1.5 },
          { step: 2, value: Number.NaN },
        ],
      },
    ]);
  });

  it('names the line and column of a malformed JSONL line', () => {
    const text = '{"loss": 1}\n{"loss": 2}\n{"loss": 3,, "acc": 1}\n';
    expect(() => parseMetricsText(text, 'h.jsonl', 'jsonl')).toThrow(
      /^h\.jsonl:3:12: this is not valid JSON/,
    );
    expect(() => parseMetricsText('{"loss": 1}\n[1, 2]\n', 'h.jsonl', 'jsonl')).toThrow(
      /^h\.jsonl:2: expected one JSON object per line/,
    );
    expect(() => parseMetricsText('{"a": 1, "a": 2}\n', 'h.jsonl', 'jsonl')).toThrow(
      /^h\.jsonl:1:10: a key appears twice/,
    );
  });

  it('reads CSV and TSV', () => {
    expect(parseMetricsText('acc\n0.5\n', 'm.csv', 'csv')).toHaveLength(1);
    expect(parseMetricsText('acc\tf1\n0.5\t0.4\n', 'm.tsv', 'tsv')).toHaveLength(2);
  });
});
