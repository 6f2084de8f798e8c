// The cleanup action as the runner runs it, on a folder store: retention with a dry run first, then gc.
import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ArtifactStore, openStore } from '../packages/store/src/index.ts';
import { runAction, scheduleEvent } from './harness/index.ts';

let root: string;
let storeUri: string;
let store: ArtifactStore;

const cleanup = (inputs: Record<string, string>) =>
  runAction({
    action: 'actions/cleanup',
    inputs: { store: storeUri, ...inputs },
    event: scheduleEvent(),
    cwd: root,
  });

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'cleanup-e2e-'));
  storeUri = `file://${join(root, 'store')}`;
  store = openStore(storeUri, { cwd: root });
  for (const version of ['1.0.0', '1.1.0', '1.2.0', '1.3.0']) {
    await writeFile(join(root, `model-${version}.bin`), `weights of ${version}`);
    await store.publish({ name: 'iris', version, files: [`model-${version}.bin`] });
  }
  await store.promote({ name: 'iris', alias: 'production', version: '1.0.0' });
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('the cleanup action', () => {
  it('says what a dry run would delete, deletes it when run for real, and keeps what the alias needs', async () => {
    const dry = await cleanup({ name: 'iris', keep: '2', 'dry-run': 'true' });
    expect(dry.exitCode, dry.stdout).toBe(0);
    expect(dry.outputs).toMatchObject({ deleted: '1.1.0', 'freed-bytes': '0' });
    expect(dry.summary).toContain('### Store clean-up (dry run)');
    expect(dry.summary).toContain('- Kept iris 1.0.0: alias production points to it.');
    expect(await store.listVersions('iris')).toHaveLength(4);

    const real = await cleanup({ name: 'iris', keep: '2' });
    expect(real.exitCode, real.stdout).toBe(0);
    expect(real.outputs.deleted).toBe('1.1.0');
    expect(await store.listVersions('iris')).toEqual(['1.0.0', '1.2.0', '1.3.0']);
    // The deleted version's file is younger than an hour: a publish may still be using it.
    expect(real.outputs['freed-bytes']).toBe('0');

    const blobs = join(root, 'store/blobs/sha256');
    const then = new Date(Date.now() - 2 * 60 * 60 * 1000);
    for (const name of await readdir(blobs)) await utimes(join(blobs, name), then, then);
    const gc = await cleanup({});
    expect(gc.exitCode, gc.stdout).toBe(0);
    expect(gc.outputs['freed-bytes']).toBe(String('weights of 1.1.0'.length));
    expect(await readdir(blobs)).toHaveLength(3);
  });

  it('refuses settings that say nothing to do, naming the input', async () => {
    const run = await cleanup({ keep: '3' });
    expect(run.exitCode).toBe(1);
    expect(run.annotations).toContainEqual(
      expect.objectContaining({ level: 'error', message: '`keep` thins out one model: give `name` too' }),
    );
  });
});
