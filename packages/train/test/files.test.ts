import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dataFingerprint } from '../src/cache-service.ts';
import { folderStamp } from '../src/checkpoint.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'train-files-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('folderStamp', () => {
  it('is undefined for a missing or empty folder and changes with what the folder holds', async () => {
    expect(await folderStamp(join(dir, 'missing'))).toBeUndefined();
    await mkdir(join(dir, 'ckpt/sub'), { recursive: true });
    expect(await folderStamp(join(dir, 'ckpt'))).toBeUndefined();
    await writeFile(join(dir, 'ckpt/sub/a.pt'), 'abc');
    const first = await folderStamp(join(dir, 'ckpt'));
    expect(first).toMatch(/^1:3:/);
    await writeFile(join(dir, 'ckpt/b.pt'), 'de');
    expect(await folderStamp(join(dir, 'ckpt'))).toMatch(/^2:5:/);
  });
});

describe('dataFingerprint', () => {
  it('hashes the contents under the patterns, from the workspace, and is empty when nothing matches', async () => {
    await mkdir(join(dir, 'data'));
    await writeFile(join(dir, 'data/a.csv'), '1,2\n');
    const one = await dataFingerprint(['data'], dir);
    expect(one).toMatch(/^[0-9a-f]{64}$/);
    expect(await dataFingerprint(['data/*.csv'], dir)).toBe(one);
    await writeFile(join(dir, 'data/a.csv'), '1,3\n');
    expect(await dataFingerprint(['data'], dir)).not.toBe(one);
    expect(await dataFingerprint(['nothing-here'], dir)).toBe('');
    expect(await dataFingerprint([], dir)).toBe('');
  });
});
