import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ArtifactStore, openStore } from '@mlactions/store';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { run } from '../src/program.ts';
import { runCli } from './bundled-cli.ts';

let dir: string;
let uri: string;
let store: ArtifactStore;

async function cli(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

const rollback = (...extra: string[]) =>
  cli('rollback', '--store', uri, '--name', 'iris', '--alias', 'production', ...extra);
const history = async () =>
  (await store.aliasHistory('iris', 'production')).map((e) => `${e.action} ${e.version}`);

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-rollback-'));
  uri = `file://${join(dir, 'store')}`;
  store = openStore(uri);
  await writeFile(join(dir, 'model.onnx'), 'the model');
  for (const version of ['1.0.0', '1.1.0', '1.2.0']) {
    await store.publish({ name: 'iris', version, files: [join(dir, 'model.onnx')] });
    await store.promote({ name: 'iris', alias: 'production', version });
  }
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('mlactions rollback', () => {
  it('walks the alias back through its history, one version each time', async () => {
    const first = await rollback();
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toBe('production of iris rolled back to 1.1.0 (was 1.2.0).\n');

    const second = await rollback('--format', 'json');
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({
      alias: 'production',
      version: '1.0.0',
      previous: '1.1.0',
      action: 'rollback',
      seq: 5,
    });
    expect(await history()).toEqual([
      'promote 1.0.0',
      'promote 1.1.0',
      'promote 1.2.0',
      'rollback 1.1.0',
      'rollback 1.0.0',
    ]);

    const third = await rollback();
    expect(third.code).toBe(1);
    expect(third.stderr).toBe(
      `mlactions: Alias production of iris has no earlier version to roll back to in ${uri}.\n`,
    );
    expect(await history()).toHaveLength(5);
  });

  it('refuses when the alias no longer points where --expect says', async () => {
    const refused = await rollback('--expect', '1.1.0');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/now points to 1\.2\.0, not 1\.1\.0; .* not rolled back/);
    expect(await history()).toHaveLength(3);
    expect((await rollback('--expect', '1.2.0')).code).toBe(0);
  });

  it('runs from the bundled command', () => {
    const bundled = runCli([
      'rollback',
      '--store',
      uri,
      '--name',
      'iris',
      '--alias',
      'production',
      '--format',
      'json',
    ]);
    expect(bundled.status, bundled.stderr).toBe(0);
    expect(JSON.parse(bundled.stdout)).toMatchObject({ version: '1.1.0', previous: '1.2.0' });
  });
});
