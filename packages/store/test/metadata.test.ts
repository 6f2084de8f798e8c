import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMetrics, readParams, recordMetrics } from '../src/metadata.ts';
import { userErrorOf } from './contract.ts';

describe('metrics and params for a manifest', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mlactions-metadata-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('records numbers, samples and text by file and name', () => {
    expect(
      recordMetrics([
        { file: 'm.json', name: 'acc', value: { kind: 'number', value: 0.9 } },
        { file: 'm.json', name: 'seeds', value: { kind: 'samples', values: [1, 2] } },
        { file: 'eval/x.csv', name: 'note', value: { kind: 'text', text: 'ok' } },
      ]),
    ).toEqual({ 'm.json': { acc: 0.9, seeds: [1, 2] }, 'eval/x.csv': { note: 'ok' } });
  });

  it('reads metrics in the formats report reads, flattened as report names them', async () => {
    await writeFile(join(dir, 'metrics.yaml'), 'eval:\n  accuracy: 0.5\n');
    expect(await readMetrics('metrics.yaml', dir)).toEqual({ 'metrics.yaml': { 'eval.accuracy': 0.5 } });
    await writeFile(join(dir, 'history.csv'), 'step,loss\n1,0.9\n2,0.4\n');
    expect(await readMetrics(join(dir, 'history.csv'), '/')).toEqual({ 'history.csv': { loss: 0.4 } });
  });

  it('reads params from JSON, YAML or TOML objects and refuses anything else', async () => {
    await writeFile(join(dir, 'params.json'), '{"lr": 0.1, "layers": [2, 3]}');
    expect(await readParams('params.json', dir)).toEqual({ lr: 0.1, layers: [2, 3] });
    await writeFile(join(dir, 'list.yaml'), '- 1\n- 2\n');
    expect(await userErrorOf(readParams('list.yaml', dir))).toContain(
      'an object of names and values at its top level',
    );
    await writeFile(join(dir, 'bad.json'), '{"lr": ');
    expect(await userErrorOf(readParams('bad.json', dir))).toMatch(/bad\.json:1:\d+: this is not valid JSON/);
    expect(await userErrorOf(readParams('absent.json', dir))).toContain('no such parameter file');
    await writeFile(join(dir, 'params.toml'), '[train]\nlr = 0.1\n');
    expect(await readParams('params.toml', dir)).toEqual({ train: { lr: 0.1 } });
  });
});
