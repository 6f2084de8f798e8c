import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '@mlactions/store';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './bundled-cli.ts';

let dir: string;

const mlactions = (...args: string[]) => runCli(args, { cwd: dir });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-report-'));
  await writeFile(join(dir, 'base.json'), JSON.stringify({ accuracy: 0.9, train: { loss: 0.3 } }));
  await writeFile(join(dir, 'head.json'), JSON.stringify({ accuracy: 0.8, train: { loss: 0.2 }, f1: 0.7 }));
});

describe('mlactions report', () => {
  it('prints DESIGN’s JSON shape and nothing else on stdout', () => {
    const run = mlactions('report', '--base', 'base.json', '--head', 'head.json', '--format', 'json');
    expect(run.status, run.stderr).toBe(0);
    const json = JSON.parse(run.stdout);
    const byName = Object.fromEntries(json.metrics.map((m: { name: string }) => [m.name, m]));
    expect(byName.accuracy).toMatchObject({
      file: 'head.json',
      base: 0.9,
      head: 0.8,
      better: 'higher',
      status: 'regressed',
    });
    expect(byName['train.loss']).toMatchObject({ better: 'lower', status: 'improved' });
    expect(byName.f1).toMatchObject({ base: null, head: 0.7, status: 'new' });
  });

  it('prints the markdown report by default', () => {
    const run = mlactions('report', '--base', 'base.json', '--head', 'head.json');
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/\| 🔴 \| accuracy \| 0\.9 \| 0\.8 \|/);
  });

  it('diffs --base-params against --head-params and draws each --plot', async () => {
    await writeFile(join(dir, 'base-params.yaml'), 'train:\n  lr: 0.1\nseed: 1\n');
    await writeFile(join(dir, 'params.toml'), 'seed = 1\n[train]\nlr = 0.2\n');
    await writeFile(join(dir, 'pr.csv'), 'recall,precision\n0,1\n0.5,0.9\n1,0.5\n');
    const args = ['report', '--base', 'base.json', '--head', 'head.json'];
    const params = ['--base-params', 'base-params.yaml', '--head-params', 'params.toml'];
    const json = mlactions(...args, ...params, '--format', 'json');
    expect(json.status, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout).params).toEqual([
      { name: 'train.lr', base: '0.1', head: '0.2', changed: true },
      { name: 'seed', base: '1', head: '1', changed: false },
    ]);
    const markdown = mlactions(...args, ...params, '--plot', 'pr.csv');
    expect(markdown.status, markdown.stderr).toBe(0);
    expect(markdown.stdout).toContain('| train.lr | 0.1 | 0.2 |');
    expect(markdown.stdout).toContain('x-axis "recall" 0 --> 1');
  });

  it('names a missing file and exits non-zero without a stack trace', () => {
    const run = mlactions('report', '--base', 'base.json', '--head', 'nope.json');
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toBe(
      'mlactions: nope.json: no such file or folder. Check the path to the metrics.',
    );
  });

  it('reads the baseline from a store version named by version or alias', async () => {
    const store = openStore(`file://${join(dir, 'store')}`);
    await store.publish({
      name: 'churn',
      version: '1.0.0',
      files: [join(dir, 'base.json')],
      metricsFile: join(dir, 'base.json'),
    });
    const fromStore = [
      'report',
      '--head',
      'head.json',
      '--base-store',
      'file://store',
      '--base-model',
      'churn',
    ];
    const byVersion = mlactions(...fromStore, '--base-version', '1.0.0', '--format', 'json');
    expect(byVersion.status, byVersion.stderr).toBe(0);
    const accuracy = JSON.parse(byVersion.stdout).metrics.find(
      (m: { name: string }) => m.name === 'accuracy',
    );
    expect(accuracy).toMatchObject({ base: 0.9, head: 0.8, status: 'regressed' });
    const charted = mlactions(...fromStore, '--base-version', '1.0.0');
    expect(charted.stdout).toContain('x-axis ["1.0.0", "this change"]');
    expect(mlactions(...fromStore, '--base-version', '1.0.0', '--base-history', '0').stdout).not.toContain(
      'xychart-beta',
    );
    const unset = mlactions(...fromStore);
    expect(unset.status, unset.stderr).toBe(0);
    expect(unset.stderr).toContain('no baseline (the alias production of churn is not set');
    const noModel = mlactions('report', '--head', 'head.json', '--base-store', 'file://store');
    expect(noModel.status).toBe(1);
    expect(noModel.stderr.trim()).toBe(
      'mlactions: `base-store` needs `base-model`: the model name in the store',
    );
  });

  it('pools seed files on each side as runs: noise with the same mean is not called improved', async () => {
    // Three seeds a side drawn around one mean: head's seed1 and seed2 beat base's, seed3 does not.
    const seeds = { base: [0.8, 0.83, 0.86], head: [0.84, 0.87, 0.79] };
    for (const [side, values] of Object.entries(seeds)) {
      await mkdir(join(dir, side), { recursive: true });
      for (const [i, accuracy] of values.entries())
        await writeFile(join(dir, side, `seed${i + 1}.json`), JSON.stringify({ accuracy }));
    }
    const args = ['report', '--format', 'json'];
    for (const side of ['base', 'head'])
      for (const seed of [1, 2, 3]) args.push(`--${side}`, `${side}/seed${seed}.json`);

    const pooled = mlactions(...args);
    expect(pooled.status, pooled.stderr).toBe(0);
    const [accuracy, ...others] = JSON.parse(pooled.stdout).metrics;
    expect(others).toEqual([]);
    expect(accuracy).toMatchObject({
      name: 'accuracy',
      status: 'unchanged',
      test: 'welch',
      significant: false,
    });
    expect(accuracy.base).toBeCloseTo(0.83, 12);
    expect(accuracy.head).toBeCloseTo(0.833333, 5);
    const markdown = mlactions(...args.slice(0, 1), ...args.slice(3));
    expect(markdown.stdout).toMatch(
      /⚪ \| accuracy \| 0\.83 ± [\d.]+ \(n=3\) \| 0\.83333 ± [\d.]+ \(n=3\) \|/,
    );

    // Paired by file name, each seed is one value against one value: two of three "improved".
    const paired = mlactions(...args, '--pair-by-name');
    expect(paired.status, paired.stderr).toBe(0);
    const statuses = JSON.parse(paired.stdout).metrics.map((m: { file: string; status: string }) => [
      m.file,
      m.status,
    ]);
    expect(statuses).toEqual([
      ['seed1.json', 'improved'],
      ['seed2.json', 'improved'],
      ['seed3.json', 'regressed'],
    ]);
  });
});

describe('mlactions report on metrics files that cannot be read as metrics', () => {
  it('names a file nested thousands of levels deep, without overflowing the stack', async () => {
    await writeFile(join(dir, 'deep.json'), `${'{"a":'.repeat(3000)}1${'}'.repeat(3000)}`);
    const run = mlactions('report', '--base', 'base.json', '--head', 'deep.json');
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(
      'mlactions: deep.json:1: objects and lists nest deeper than 64 levels here; metrics nest a few ' +
        'levels at most. Flatten the file.\n',
    );
  });

  it('refuses an empty metrics file instead of reporting every metric removed', async () => {
    await writeFile(join(dir, 'empty.json'), '\n');
    const run = mlactions('report', '--base', 'base.json', '--head', 'empty.json');
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      'mlactions: empty.json: the metrics file is empty. Check that the run wrote its metrics there.\n',
    );
  });

  it('keeps NaN and infinite metrics through a store version, and reports against them', async () => {
    await writeFile(
      join(dir, 'odd.json'),
      '{"accuracy": NaN, "loss": Infinity, "gain": -Infinity, "f1": 0.5}',
    );
    await writeFile(join(dir, 'model.onnx'), 'the model');
    const store = ['--store', 'file://store'];
    const published = mlactions(
      'publish',
      ...store,
      '--name',
      'm',
      '--version',
      '1.0.0',
      '--file',
      'model.onnx',
      '--metrics',
      'odd.json',
    );
    expect(published.status, published.stderr).toBe(0);
    const shown = JSON.parse(mlactions('show', ...store, '--name', 'm', '--version', '1.0.0').stdout);
    expect(shown.metrics).toEqual({
      'odd.json': { accuracy: 'NaN', loss: 'Infinity', gain: '-Infinity', f1: 0.5 },
    });
    const run = mlactions(
      'report',
      '--base-store',
      'file://store',
      '--base-model',
      'm',
      '--base-version',
      '1.0.0',
      '--head',
      'odd.json',
      '--format',
      'json',
    );
    expect(run.status, run.stderr).toBe(0);
    const byName = Object.fromEntries(
      JSON.parse(run.stdout).metrics.map((m: { name: string }) => [m.name, m]),
    );
    expect(byName.accuracy).toMatchObject({ base: 'NaN', head: 'NaN' });
    expect(byName.loss).toMatchObject({ base: 'Infinity', head: 'Infinity' });
    expect(byName.gain).toMatchObject({ base: '-Infinity', head: '-Infinity' });
    expect(Object.values(byName).map((m) => (m as { status: string }).status)).not.toContain('new');
  });
});
