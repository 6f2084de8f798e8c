import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type S3Server, s3ClientConfig, startS3Server } from '../../../test/harness/s3-server.ts';
import {
  LOCATION_MANIFEST,
  mirror,
  openServingLocation,
  type PlacedFile,
  type ServingLocation,
  snapshot,
} from '../src/serving-location.ts';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'deploy-location-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Local files to place, by path. */
async function files(name: string, content: Record<string, string>): Promise<PlacedFile[]> {
  const placed: PlacedFile[] = [];
  for (const [path, text] of Object.entries(content)) {
    const file = join(dir, name, ...path.split('/'));
    await mkdir(join(file, '..'), { recursive: true });
    await writeFile(file, text);
    placed.push({ path, file });
  }
  return placed;
}

async function contents(location: ServingLocation): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const path of await location.list()) {
    const file = join(dir, 'read-back');
    await location.download(path, file);
    out[path] = await readFile(file, 'utf8');
  }
  return out;
}

/** Replacing a location's content with a version, then restoring what was there, on any backend. */
async function replaceAndRestore(location: ServingLocation) {
  await mirror(location, await files('old', { 'model.onnx': 'old', 'extra/notes.txt': 'keep me' }));
  const kept = await snapshot(location, join(dir, 'kept'));
  expect(kept.map((f) => f.path)).toEqual(['extra/notes.txt', 'model.onnx']);

  await mirror(
    location,
    await files('new', {
      'model.onnx': 'new',
      'tokenizer/vocab.json': '{}',
      [LOCATION_MANIFEST]: '{"version":"2"}',
    }),
  );
  expect(await contents(location)).toEqual({
    [LOCATION_MANIFEST]: '{"version":"2"}',
    'model.onnx': 'new',
    'tokenizer/vocab.json': '{}',
  });

  await mirror(location, kept);
  expect(await contents(location)).toEqual({ 'extra/notes.txt': 'keep me', 'model.onnx': 'old' });
}

describe('a folder serving location', () => {
  it('is replaced by a version and restored, leaving no empty folders behind', async () => {
    const serving = join(dir, 'serving');
    await replaceAndRestore(openServingLocation('serving', { cwd: dir }));
    expect((await readdir(serving)).sort()).toEqual(['extra', 'model.onnx']);
  });

  it('starts empty when the folder does not exist yet', async () => {
    const location = openServingLocation(`file://${join(dir, 'not-yet')}`, { cwd: dir });
    expect(await snapshot(location, join(dir, 'kept'))).toEqual([]);
  });

  it('refuses a folder that holds the working directory, and locations that are not folders or S3', () => {
    expect(() => openServingLocation('.', { cwd: dir })).toThrow(/holds the working directory/);
    expect(() => openServingLocation('..', { cwd: dir })).toThrow(/holds the working directory/);
    expect(() => openServingLocation('s3://bucket-name', { cwd: dir })).toThrow(/is a whole bucket/);
    expect(() => openServingLocation('github-release://o/r', { cwd: dir })).toThrow(/must be a folder or s3/);
  });
});

describe('an S3 serving location', () => {
  let server: S3Server;

  beforeAll(async () => {
    server = await startS3Server({ buckets: ['serving'] });
  });

  afterAll(async () => {
    await server.stop();
  });

  it('is replaced by a version and restored, leaving the rest of the bucket alone', async () => {
    const s3 = { clientConfig: s3ClientConfig(server.endpoint) };
    const neighbour = openServingLocation('s3://serving/other', { cwd: dir, s3 });
    await mirror(neighbour, await files('neighbour', { 'a.txt': 'a' }));
    await replaceAndRestore(openServingLocation('s3://serving/models/iris', { cwd: dir, s3 }));
    expect(await contents(neighbour)).toEqual({ 'a.txt': 'a' });
  });
});
