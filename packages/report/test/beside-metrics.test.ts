import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '@mlactions/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReport } from '../src/build-report.ts';
import { reportRequestFrom } from '../src/report-settings.ts';

let root: string;
const git = (...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: root });

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'mlactions-beside-'));
  git('init', '-q');
  await writeFile(join(root, 'metrics.json'), '{"accuracy": 0.8}');
  await writeFile(join(root, 'params.yaml'), 'train:\n  lr: 0.01\n  epochs: 10\nseed: 1\n');
  await writeFile(join(root, 'loss.csv'), 'step,loss\n0,1\n1,0.6\n2,0.5\n');
  git('add', '.');
  git('commit', '-qm', 'base');
  await writeFile(join(root, 'metrics.json'), '{"accuracy": 0.9}');
  await writeFile(join(root, 'params.yaml'), 'train:\n  lr: 0.02\n  epochs: 10\nseed: 1\n');
  await writeFile(join(root, 'loss.csv'), 'step,loss\n0,1\n1,0.4\n2,0.3\n');
});

afterAll(() => rm(root, { recursive: true, force: true }));

const context = () => ({ cwd: root, openStore: (uri: string) => openStore(uri) });

describe('parameters and curves beside the metrics', () => {
  it('reads the base parameters and curves at the git ref of the metrics baseline', async () => {
    const built = await buildReport(
      await reportRequestFrom(
        {
          head: [join(root, 'metrics.json')],
          base: ['git:HEAD'],
          params: 'params.yaml',
          plots: ['loss.csv'],
        },
        context(),
      ),
    );
    expect(built.json.params).toEqual([
      { name: 'train.lr', base: '0.01', head: '0.02', changed: true },
      { name: 'seed', base: '1', head: '1', changed: false },
      { name: 'train.epochs', base: '10', head: '10', changed: false },
    ]);
    expect(built.summary).toContain('| train.lr | 0.01 | 0.02 |');
    expect(built.summary).toContain('<details><summary>2 unchanged parameters</summary>');
    expect(built.summary).toContain('x-axis "step" 0 --> 2');
    expect(built.summary).toContain('line "base" [1, 0.6, 0.5]');
    expect(built.summary).toContain('line "head" [1, 0.4, 0.3]');
  });

  it('takes the base parameters from the store version the baseline is read from', async () => {
    const store = `file://${join(root, 'store')}`;
    await openStore(store).publish({
      name: 'm',
      version: '1.0.0',
      files: [join(root, 'metrics.json')],
      metricsFile: join(root, 'metrics.json'),
      paramsFile: join(root, 'params.yaml'),
    });
    await writeFile(join(root, 'params.toml'), 'seed = 2\n[train]\nlr = 0.02\nepochs = 10\n');
    const built = await buildReport(
      await reportRequestFrom(
        {
          head: [join(root, 'metrics.json')],
          baseStore: store,
          baseModel: 'm',
          baseVersion: '1.0.0',
          params: 'params.toml',
        },
        context(),
      ),
    );
    expect(built.json.params?.filter((p) => p.changed)).toEqual([
      { name: 'seed', base: '1', head: '2', changed: true },
    ]);
  });

  it('compares with a given base file, and refuses base-params without params', async () => {
    await writeFile(join(root, 'old.json'), '{"train": {"lr": 0.5}}');
    const built = await buildReport(
      await reportRequestFrom(
        { head: [join(root, 'metrics.json')], params: 'params.yaml', baseParams: 'old.json' },
        context(),
      ),
    );
    expect(built.json.params?.find((p) => p.name === 'train.lr')).toEqual({
      name: 'train.lr',
      base: '0.5',
      head: '0.02',
      changed: true,
    });
    await expect(
      reportRequestFrom({ head: [join(root, 'metrics.json')], baseParams: 'old.json' }, context()),
    ).rejects.toThrow('`base-params` needs `params`');
  });
});
