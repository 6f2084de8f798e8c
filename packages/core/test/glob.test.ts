import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { globFiles, isGlobPattern } from '../src/glob.ts';

let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'mlactions-glob-'));
  await mkdir(join(root, 'data', 'a'), { recursive: true });
  for (const file of ['data/y.csv', 'data/.hidden.csv', 'data/a/z.csv', 'data/a/notes.txt']) {
    await writeFile(join(root, file), '');
  }
});

afterAll(() => rm(root, { recursive: true, force: true }));

const matched = async (...patterns: string[]) =>
  (await globFiles(patterns, root)).map((file) => file.slice(root.length + 1));

describe('globFiles', () => {
  it('lets ** match no folder at all, so data/**/*.csv takes the top folder’s files too', async () => {
    expect(await matched('data/**/*.csv')).toEqual(['data/.hidden.csv', 'data/a/z.csv', 'data/y.csv']);
  });

  it('keeps * within a segment, lists files only, and takes away what a ! pattern matches', async () => {
    expect(await matched('data/*')).toEqual(['data/.hidden.csv', 'data/y.csv']);
    expect(await matched('data/**', '!data/a/**')).toEqual(['data/.hidden.csv', 'data/y.csv']);
    expect(await matched(join(root, 'data/a/*.txt'))).toEqual(['data/a/notes.txt']);
  });

  it('tells a pattern from a plain path', () => {
    expect(['model/*.onnx', 'model/[ab].bin', 'a?.txt'].map(isGlobPattern)).toEqual([true, true, true]);
    expect(isGlobPattern('model/model.onnx')).toBe(false);
  });
});
