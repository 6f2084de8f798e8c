import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ArtifactStore, openStore } from '@mlactions/store';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyAlias, planAlias, restoreAlias } from '../src/alias-target.ts';

const RUN = 'https://github.com/o/r/actions/runs/1';
let dir: string;
let store: ArtifactStore;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'deploy-alias-'));
  store = openStore(`file://${join(dir, 'store')}`);
  await writeFile(join(dir, 'm.bin'), 'm');
  for (const version of ['1.0.0', '1.1.0', '1.2.0'])
    await store.publish({ name: 'iris', version, files: [join(dir, 'm.bin')] });
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const versions = async () =>
  (await store.aliasHistory('iris', 'production')).map((e) => `${e.action} ${e.version}`);

describe('the alias target', () => {
  it('moves an alias that nothing moved since it was read, and rolls it back', async () => {
    await store.promote({ name: 'iris', alias: 'production', version: '1.0.0' });
    const plan = await planAlias(store, 'iris', 'production', '1.1.0', RUN);
    expect(plan).toMatchObject({ current: '1.0.0', previous: '1.0.0', movedByThisRun: false });
    expect(await applyAlias(store, plan, '1.1.0', { runUrl: RUN })).toBe(true);
    await restoreAlias(store, plan, '1.1.0', { runUrl: RUN });
    expect(await versions()).toEqual(['promote 1.0.0', 'promote 1.1.0', 'rollback 1.0.0']);
  });

  it('refuses when another run moved the alias after it was read', async () => {
    await store.promote({ name: 'iris', alias: 'production', version: '1.0.0' });
    const plan = await planAlias(store, 'iris', 'production', '1.1.0', RUN);
    await store.promote({ name: 'iris', alias: 'production', version: '1.2.0' });
    await expect(applyAlias(store, plan, '1.1.0', {})).rejects.toThrow(/points to 1\.2\.0, not 1\.0\.0/);
    expect(await versions()).toEqual(['promote 1.0.0', 'promote 1.2.0']);
  });

  it('moves a never-set alias, which then has nothing to go back to', async () => {
    const plan = await planAlias(store, 'iris', 'production', '1.1.0', RUN);
    expect(plan).toMatchObject({ current: null, previous: undefined });
    expect(await applyAlias(store, plan, '1.1.0', {})).toBe(true);
    await expect(restoreAlias(store, plan, '1.1.0', {})).rejects.toThrow(
      /no earlier version to roll back to/,
    );
  });

  it('recognises its own earlier attempt’s move: not moved again, still restored on failure', async () => {
    await store.promote({ name: 'iris', alias: 'production', version: '1.0.0' });
    await store.promote({ name: 'iris', alias: 'production', version: '1.1.0', provenance: { runUrl: RUN } });
    const again = await planAlias(store, 'iris', 'production', '1.1.0', RUN);
    expect(again).toMatchObject({ current: '1.1.0', previous: '1.0.0', movedByThisRun: true });
    expect(await applyAlias(store, again, '1.1.0', {})).toBe(true);
    expect(await versions()).toHaveLength(2);

    const otherRun = await planAlias(store, 'iris', 'production', '1.1.0', `${RUN}0`);
    expect(otherRun).toMatchObject({ current: '1.1.0', previous: undefined, movedByThisRun: false });
    expect(await applyAlias(store, otherRun, '1.1.0', {})).toBe(false);
  });
});
