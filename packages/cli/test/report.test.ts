import { mkdtemp, writeFile } from 'node:fs/promises';
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
});
