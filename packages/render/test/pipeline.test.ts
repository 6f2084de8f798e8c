import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareMetrics, loadMetrics, parseMetricRules, reportToJson } from '@mlactions/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReport } from '../src/report.ts';

let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'mlactions-render-pipeline-'));
  const files: Record<string, string> = {
    'base/metrics.json': '{"eval": {"accuracy": 0.90, "latency_ms": 12.0}, "model": "resnet18"}',
    'base/history.csv': 'epoch,val_loss\n1,0.9\n2,0.6\n3,0.5\n',
    'head/metrics.json': '{"eval": {"accuracy": 0.93, "latency_ms": 12.1, "f1": NaN}, "model": "resnet18"}',
    'head/history.csv': 'epoch,val_loss\n1,0.8\n2,0.5\n3,0.4\n4,0.35\n',
  };
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(root, path, '..'), { recursive: true });
    await writeFile(join(root, path), text);
  }
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('files to comment', () => {
  it('loads, compares and renders folders of metrics', async () => {
    const rules = parseMetricRules('"*latency*": { relative: 0.05 }', 'rules');
    const report = compareMetrics(
      await loadMetrics(join(root, 'base')),
      await loadMetrics(join(root, 'head')),
      {
        rules,
      },
    );
    const json = reportToJson(report);
    expect(json.metrics.map((metric) => [metric.file, metric.name, metric.status])).toEqual([
      ['history.csv', 'val_loss', 'improved'],
      ['metrics.json', 'eval.accuracy', 'improved'],
      ['metrics.json', 'eval.latency_ms', 'unchanged'],
      ['metrics.json', 'eval.f1', 'new'],
      ['metrics.json', 'model', 'unchanged'],
    ]);
    expect(json.metrics[3]?.head).toBe('NaN');
    const { comment, full } = renderReport(report);
    expect(comment).toBe(full);
    expect(full).toContain('| 🟢 | history.csv | val\\_loss | 0.5 | 0.35 | -0.15 (-30%) |');
    expect(full).toContain('line "base" [0.9, 0.6, 0.5]');
    expect(full).toContain('line "head" [0.8, 0.5, 0.4, 0.35]');
  });
});
