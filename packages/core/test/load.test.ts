import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMetrics, readMetricRun } from '../src/metrics/load.ts';

let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'mlactions-core-load-'));
  const files: Record<string, string> = {
    'base/metrics.json': '{"acc": 0.9}',
    'base/eval/scores.yaml': 'f1: 0.8\n',
    'base/history.csv': 'step,loss\n1,2\n2,1\n',
    'base/.dvc/cache.json': '{"ignored": 1}',
    'base/README.md': '# not metrics',
    'seed1/metrics.json': '{"acc": 0.91}',
    'seed2/metrics.json': '{"acc": 0.93}',
    'seeds/seed1.json': '{"acc": 0.91, "loss": 0.3}',
    'seeds/seed2.json': '{"loss": 0.2, "acc": 0.93}',
    'seeds/eval.json': '{"f1": 0.8}',
    'empty/notes.txt': 'nothing here',
    'odd.txt': 'acc=1',
  };
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(root, path, '..'), { recursive: true });
    await writeFile(join(root, path), text);
  }
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('readMetricRun', () => {
  it('reads every metric file of a folder, keyed by its path inside it, skipping hidden folders', async () => {
    const metrics = await readMetricRun(join(root, 'base'));
    expect(metrics.map((metric) => `${metric.file} ${metric.name}`)).toEqual([
      'eval/scores.yaml f1',
      'history.csv loss',
      'metrics.json acc',
    ]);
  });

  it('keys a single file by its base name', async () => {
    expect(await readMetricRun(join(root, 'base', 'metrics.json'))).toEqual([
      { file: 'metrics.json', name: 'acc', value: { kind: 'number', value: 0.9 } },
    ]);
  });

  it('explains a missing path, an empty folder and an unknown file type', async () => {
    await expect(readMetricRun(join(root, 'nope'))).rejects.toThrow(/no such file or folder/);
    await expect(readMetricRun(join(root, 'empty'))).rejects.toThrow(/holds no metrics files/);
    await expect(readMetricRun(join(root, 'odd.txt'))).rejects.toThrow(/not a metrics file/);
  });
});

describe('loadMetrics', () => {
  it('merges several runs into samples', async () => {
    const set = await loadMetrics([join(root, 'seed1'), join(root, 'seed2')]);
    expect(set).toEqual({
      runs: 2,
      metrics: [{ file: 'metrics.json', name: 'acc', value: { kind: 'samples', values: [0.91, 0.93] } }],
    });
  });

  it('pools several files with the same metric names as runs of one model, whatever their names', async () => {
    const set = await loadMetrics([join(root, 'seeds/seed1.json'), join(root, 'seeds/seed2.json')]);
    expect(set.runs).toBe(2);
    expect(set.metrics).toEqual([
      { file: 'seed1.json', name: 'acc', value: { kind: 'samples', values: [0.91, 0.93] } },
      { file: 'seed1.json', name: 'loss', value: { kind: 'samples', values: [0.3, 0.2] } },
    ]);
  });

  it('keeps files apart by name when asked, or when their metric names differ', async () => {
    const seeds = [join(root, 'seeds/seed1.json'), join(root, 'seeds/seed2.json')];
    const paired = await loadMetrics(seeds, { pairByName: true });
    expect(paired.metrics.map((metric) => `${metric.file} ${metric.name}`)).toEqual([
      'seed1.json acc',
      'seed1.json loss',
      'seed2.json loss',
      'seed2.json acc',
    ]);
    const different = await loadMetrics([seeds[0]!, join(root, 'seeds/eval.json')]);
    expect(different.metrics.map((metric) => `${metric.file} ${metric.name}`)).toEqual([
      'seed1.json acc',
      'seed1.json loss',
      'eval.json f1',
    ]);
  });

  it('takes a single path', async () => {
    expect((await loadMetrics(join(root, 'seed1'))).runs).toBe(1);
  });

  it('refuses an empty list', async () => {
    await expect(loadMetrics([])).rejects.toThrow(/No metrics path/);
  });
});
