import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { csvText } from '../../data/test/helpers/data.ts';
import { checkDriftFiles } from '../src/check-files.ts';
import {
  displayPath,
  isProfileFile,
  profileFiles,
  readProfileFile,
  writeProfileFile,
} from '../src/profile-files.ts';
import { normals } from './helpers/prng.ts';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'drift-files-'));
  await writeFile(
    join(dir, 'ref.csv'),
    csvText({ x: normals(300, 1), id: Array.from({ length: 300 }, (_, i) => i) }),
  );
  await writeFile(join(dir, 'cur.csv'), csvText({ x: normals(300, 2, 1) }));
});

describe('profile files', () => {
  it('are written whole, told apart from data, and read back', async () => {
    const profile = await profileFiles(['ref.csv'], { cwd: dir });
    expect(profile.sources).toEqual(['ref.csv']);
    const path = join(dir, 'nested', 'ref.json');
    await writeProfileFile(path, profile);
    expect(await readdir(join(dir, 'nested'))).toEqual(['ref.json']);
    expect(await isProfileFile(path)).toBe(true);
    expect(await isProfileFile(join(dir, 'ref.csv'))).toBe(false);
    expect(await readProfileFile('nested/ref.json', dir)).toEqual(profile);
    await expect(readProfileFile('nope.json', dir)).rejects.toThrow('No such file: nope.json');
    expect(JSON.parse(await readFile(path, 'utf8')).format).toBe('mlactions-drift-profile');
  });

  it('show paths relative to the working folder when inside it', () => {
    expect(displayPath('/w/data/a.csv', '/w')).toBe('data/a.csv');
    expect(displayPath('/elsewhere/a.csv', '/w')).toBe('/elsewhere/a.csv');
  });
});

describe('checkDriftFiles', () => {
  it('checks data against data, saving the reference profile with relative sources', async () => {
    const result = await checkDriftFiles({
      reference: ['ref.csv'],
      current: ['cur.csv'],
      cwd: dir,
      saveReferenceProfile: 'saved.json',
    });
    expect(result.report.drifted).toBe(true);
    expect(result.report.reference.sources).toEqual(['ref.csv']);
    expect(result.report.current.sources).toEqual(['cur.csv']);
    expect(result.referenceFromProfile).toBe(false);
    expect(result.savedReferenceProfile).toBe(join(dir, 'saved.json'));
    const again = await checkDriftFiles({ reference: ['saved.json'], current: ['cur.csv'], cwd: dir });
    expect(again.referenceFromProfile).toBe(true);
    expect(again.report.features).toEqual(result.report.features);
  });

  it('refuses column options for a stored profile, and a store beside files', async () => {
    await writeProfileFile(join(dir, 'stored.json'), await profileFiles(['ref.csv'], { cwd: dir }));
    await expect(
      checkDriftFiles({
        reference: ['stored.json'],
        current: ['cur.csv'],
        cwd: dir,
        columns: { id: { include: true } },
      }),
    ).rejects.toThrow(/^Column types and inclusion apply when the reference is read from data/);
    await expect(
      checkDriftFiles({
        reference: ['ref.csv'],
        referenceStore: {
          store: {
            fetch: () => Promise.reject(new Error('never called')),
          },
          name: 'm',
          version: '1.0.0',
          out: join(dir, 'out'),
        },
        current: ['cur.csv'],
        cwd: dir,
      }),
    ).rejects.toThrow('Give the reference as files or as a model version in a store, not both');
  });

  it('refuses a damaged stored profile with one clear error', async () => {
    const profile = await profileFiles(['ref.csv'], { cwd: dir });
    const x = profile.columns.find((c) => c.name === 'x')!;
    (x as unknown as { values: unknown[] }).values[3] = 'x';
    await writeFile(join(dir, 'damaged.json'), JSON.stringify(profile));
    await expect(
      checkDriftFiles({ reference: ['damaged.json'], current: ['cur.csv'], cwd: dir }),
    ).rejects.toThrow(
      'damaged.json: column "x": values[3] is "x", not a number; the profile is damaged, profile the reference again',
    );
  });

  it('refuses a stored profile as the current data', async () => {
    await writeProfileFile(join(dir, 'stored.json'), await profileFiles(['ref.csv'], { cwd: dir }));
    await expect(
      checkDriftFiles({ reference: ['ref.csv'], current: ['stored.json'], cwd: dir }),
    ).rejects.toThrow('stored.json is a stored drift profile; the current data must be the data itself');
  });
});
