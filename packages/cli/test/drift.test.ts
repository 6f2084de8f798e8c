import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { fileSource } from '@mlactions/data';
import { profileSources } from '@mlactions/drift';
import { beforeAll, describe, expect, it } from 'vitest';
import { s3ClientConfig, s3Env, startS3Server } from '../../../test/harness/s3-server.ts';
import { csvText } from '../../data/test/helpers/data.ts';
import { normals } from '../../drift/test/helpers/prng.ts';
import { runCli, runCliAsync } from './bundled-cli.ts';

let dir: string;

const mlactions = (...args: string[]) => runCli(args, { cwd: dir });

/** A seeded table of `rows` rows; `shift` moves both columns. */
function table(rows: number, seed: number, shift: number, columns = ['x', 'kind', 'extra']): string {
  const x = normals(rows, seed, shift, 1);
  const all: Record<string, ArrayLike<unknown>> = {
    x,
    kind: Array.from(x, (v) => (v > 0.5 ? 'high' : 'low')),
    extra: normals(rows, seed + 1),
    new_column: normals(rows, seed + 2),
  };
  return csvText(Object.fromEntries(columns.map((name) => [name, all[name]!])));
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-drift-'));
  await writeFile(join(dir, 'ref.csv'), table(400, 1, 0));
  await writeFile(join(dir, 'ref-a.csv'), table(200, 1, 0));
  await writeFile(join(dir, 'ref-b.csv'), table(200, 5, 0));
  await writeFile(join(dir, 'cur.csv'), table(300, 2, 1.5, ['x', 'kind', 'new_column']));
  await writeFile(join(dir, 'same.csv'), table(300, 3, 0));
  await writeFile(join(dir, 'broken.json'), '{"format": "mlactions-drift-profile", "version": 1, "rows": ');
});

describe('mlactions drift', () => {
  it('prints DESIGN’s JSON shape and nothing else on stdout, and exits 0 on drift', () => {
    const run = mlactions('drift', '--reference', 'ref.csv', '--current', 'cur.csv', '--format', 'json');
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    const json = JSON.parse(run.stdout);
    expect(json).toMatchObject({ drifted: true, driftShare: 1 });
    expect(json.features[0]).toMatchObject({
      name: 'x',
      type: 'numeric',
      stattest: 'ks',
      threshold: 0.05,
      drifted: true,
    });
    expect(json.features[0].statistic).toBeGreaterThan(0.5);
    expect(json.features[0].pValue).toBeLessThan(1e-10);
    expect(json.features[1]).toMatchObject({
      name: 'kind',
      type: 'categorical',
      stattest: 'ztest',
      drifted: true,
    });
  });

  it('reports a column missing from the current data, and one found only there', () => {
    const json = JSON.parse(
      mlactions('drift', '--reference', 'ref.csv', '--current', 'cur.csv', '--format', 'json').stdout,
    );
    expect(json.features[2]).toMatchObject({
      name: 'extra',
      state: 'absent',
      reason: 'the column is missing from the current data',
      stattest: null,
      drifted: false,
    });
    expect(json.columnsOnlyInReference).toEqual(['extra']);
    expect(json.columnsOnlyInCurrent).toEqual(['new_column']);
    const markdown = mlactions('drift', '--reference', 'ref.csv', '--current', 'cur.csv').stdout;
    expect(markdown).toContain('Only in the reference (missing from the current data): extra.');
    expect(markdown).toContain('Only in the current data (not checked): new\\_column.');
    expect(markdown).toMatch(
      /\| ⚪ \| extra \| numeric \| — \|.*\| absent: the column is missing from the current data \|/,
    );
  });

  it('takes tests, thresholds and key features, and fails on drift only when asked', () => {
    const args = ['drift', '--reference', 'ref.csv', '--current', 'same.csv', '--format', 'json'];
    const calm = JSON.parse(
      mlactions(...args, '--stattest', 'psi', '--column', 'kind=jensenshannon:0.5').stdout,
    );
    expect(calm.features.map((f: { stattest: string }) => f.stattest)).toEqual([
      'psi',
      'jensenshannon',
      'psi',
    ]);
    expect(calm.features[1].threshold).toBe(0.5);
    expect(calm.drifted).toBe(false);

    const strict = mlactions(
      ...args,
      '--threshold',
      '0',
      '--stattest',
      'psi',
      '--key-feature',
      'x',
      '--fail-on-drift',
    );
    expect(strict.status).toBe(1);
    expect(JSON.parse(strict.stdout)).toMatchObject({ drifted: true, driftedKeyFeatures: ['x'] });
    expect(strict.stderr).toBe('mlactions: drift detected in 3 of 3 tested columns\n');
  });

  it('checks data-quality rules beside drift and exits 1 when one fails', () => {
    const args = ['drift', '--reference', 'ref.csv', '--current', 'same.csv'];
    const failed = mlactions(
      ...args,
      '--quality-rule',
      'rows >= 1000',
      '--quality-rule',
      'missing(x) <= 0.5',
      '--format',
      'json',
    );
    expect(failed.status).toBe(1);
    expect(JSON.parse(failed.stdout).quality).toMatchObject({ passed: false });
    expect(failed.stderr).toBe('mlactions: data-quality rules failed:\n  rows >= 1000: 300 rows\n');
    const passed = mlactions(...args, '--quality-rule', 'rows >= 100');
    expect(passed.status, passed.stderr).toBe(0);
    expect(passed.stdout).toContain('#### Data quality: every rule passed');
    const typo = mlactions(...args, '--quality-rule', 'rows >= lots');
    expect(typo.stderr).toBe('mlactions: data-quality rule "rows >= lots": "lots" is not a number\n');
  });

  it('saves the reference profile and reads it back as the reference, with the same result', () => {
    const direct = mlactions(
      'drift',
      '--reference',
      'ref.csv',
      '--current',
      'cur.csv',
      '--format',
      'json',
      '--save-reference-profile',
      'profiles/ref.json',
    );
    expect(direct.status, direct.stderr).toBe(0);
    expect(direct.stderr).toBe(`mlactions: wrote ${join(dir, 'profiles/ref.json')}\n`);
    const stored = mlactions(
      'drift',
      '--reference',
      'profiles/ref.json',
      '--current',
      'cur.csv',
      '--format',
      'json',
    );
    expect(stored.status, stored.stderr).toBe(0);
    expect(JSON.parse(stored.stdout).features).toEqual(JSON.parse(direct.stdout).features);
  });

  it('names a missing file, and a broken profile, in one line', () => {
    const missing = mlactions('drift', '--reference', 'ref.csv', '--current', 'nope.csv');
    expect(missing.status).toBe(1);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toBe('mlactions: No such file or directory: nope.csv\n');
    const broken = mlactions('drift', '--reference', 'broken.json', '--current', 'cur.csv');
    expect(broken.status).toBe(1);
    expect(broken.stderr).toMatch(/^mlactions: broken\.json: not valid JSON \([^\n]*\)\n$/);
  });

  it('names an unknown test and an unknown column', () => {
    const test = mlactions('drift', '--reference', 'ref.csv', '--current', 'cur.csv', '--stattest', 'tt');
    expect(test.stderr).toBe(
      'mlactions: stattest: unknown stattest "tt"; use one of ks, cramervonmises, anderson, wasserstein, psi, jensenshannon, chisquare, ztest\n',
    );
    const column = mlactions('drift', '--reference', 'ref.csv', '--current', 'cur.csv', '--column', 'y=psi');
    expect(column.status).toBe(1);
    expect(column.stderr).toBe(
      'mlactions: Column "y" is not in the reference data; its columns are "x", "kind", "extra"\n',
    );
  });
});

describe('mlactions profile', () => {
  it('profiles shards, merges them, and the merged profile is the reference the whole data gives', () => {
    for (const shard of ['a', 'b']) {
      const run = mlactions('profile', '--data', `ref-${shard}.csv`, '--out', `shards/${shard}.json`);
      expect(run.status, run.stderr).toBe(0);
      expect(run.stderr).toBe(
        `mlactions: wrote shards/${shard}.json: 200 rows; columns x (numeric), kind (categorical), extra (numeric)\n`,
      );
    }
    const merge = mlactions('profile', '--merge', 'shards/a.json', 'shards/b.json', '--out', 'all.json');
    expect(merge.status, merge.stderr).toBe(0);
    const whole = mlactions('profile', '--data', 'ref-a.csv', '--data', 'ref-b.csv', '--out', 'whole.json');
    expect(whole.status, whole.stderr).toBe(0);
    const check = (reference: string) =>
      JSON.parse(
        mlactions('drift', '--reference', reference, '--current', 'cur.csv', '--format', 'json').stdout,
      );
    expect(check('all.json').features).toEqual(check('whole.json').features);
    // Several stored profiles given as the reference are merged too.
    expect(check('shards/*.json').features).toEqual(check('whole.json').features);
  });

  it('profiles data of many chunks in its worker threads: the profile one thread gives, gzipped or not', async () => {
    // 60,000 rows (about 3 MB, three chunks and more): sketches, and the threads at work.
    await writeFile(join(dir, 'big.csv'), table(60_000, 9, 0));
    await writeFile(join(dir, 'big.csv.gz'), gzipSync(await readFile(join(dir, 'big.csv'))));
    const alone = await profileSources(fileSource(join(dir, 'big.csv')), { read: { threads: 0 } });
    expect(alone.columns[0]).toMatchObject({ name: 'x', values: null });
    for (const file of ['big.csv', 'big.csv.gz']) {
      const run = mlactions('profile', '--data', file, '--out', `${file}.json`);
      expect(run.status, run.stderr).toBe(0);
      const written = JSON.parse(await readFile(join(dir, `${file}.json`), 'utf8'));
      expect({ ...written, sources: [] }, file).toEqual({ ...alone, sources: [] });
    }
  });

  it('reads tab-separated data under another name with --delimiter tab (or \\t)', async () => {
    const csv = await readFile(join(dir, 'ref-a.csv'), 'utf8');
    await writeFile(join(dir, 'ref-a.txt'), csv.replaceAll(',', '\t'));
    for (const delimiter of ['tab', '\\t']) {
      const run = mlactions('profile', '--data', 'ref-a.txt', '--delimiter', delimiter, '--out', 'tabs.json');
      expect(run.status, run.stderr).toBe(0);
      expect(run.stderr).toBe(
        'mlactions: wrote tabs.json: 200 rows; columns x (numeric), kind (categorical), extra (numeric)\n',
      );
    }
  });

  it('refuses data and profiles together, and a reference that mixes them', () => {
    expect(mlactions('profile', '--data', 'ref.csv', '--out', 'ref.json').status).toBe(0);
    const both = mlactions('profile', '--data', 'ref.csv', '--merge', 'ref.json', '--out', 'x.json');
    expect(both.status).toBe(1);
    expect(both.stderr).toBe('mlactions: give --data <path>... or --merge <profile.json>..., not both\n');
    const mixed = mlactions(
      'drift',
      '--reference',
      'ref.csv',
      '--reference',
      'ref.json',
      '--current',
      'cur.csv',
    );
    expect(mixed.status).toBe(1);
    expect(mixed.stderr).toBe(
      'mlactions: The reference mixes stored profiles (ref.json) and data (ref.csv); give either data or profiles\n',
    );
  });
});

describe('mlactions drift and profile on s3:// data', () => {
  it('read objects through --endpoint as they read files, sources named by URI', async () => {
    const server = await startS3Server({ buckets: ['data'] });
    try {
      const client = new S3Client(s3ClientConfig(server.endpoint));
      await client.send(
        new PutObjectCommand({
          Bucket: 'data',
          Key: 'week/cur.csv',
          Body: await readFile(join(dir, 'cur.csv')),
        }),
      );
      client.destroy();
      const env = { ...process.env, ...s3Env(server) };
      const run = await runCliAsync(
        [
          'drift',
          '--reference',
          'ref.csv',
          '--current',
          's3://data/week/',
          '--endpoint',
          server.endpoint,
          '--format',
          'json',
        ],
        { cwd: dir, env },
      );
      expect(run.status, run.stderr).toBe(0);
      const local = JSON.parse(
        mlactions('drift', '--reference', 'ref.csv', '--current', 'cur.csv', '--format', 'json').stdout,
      );
      const remote = JSON.parse(run.stdout);
      expect(remote.current.sources).toEqual(['s3://data/week/cur.csv']);
      expect(remote.features).toEqual(local.features);

      const profile = await runCliAsync(
        ['profile', '--data', 's3://data/week/*.csv', '--endpoint', server.endpoint, '--out', 's3.json'],
        { cwd: dir, env },
      );
      expect(profile.stderr).toBe(
        'mlactions: wrote s3.json: 300 rows; columns x (numeric), kind (categorical), new_column (numeric)\n',
      );
      const missing = await runCliAsync(
        ['profile', '--data', 's3://data/week/nope.csv', '--endpoint', server.endpoint, '--out', 'x.json'],
        { cwd: dir, env },
      );
      expect(missing.status).toBe(1);
      expect(missing.stderr).toBe('mlactions: No such object: s3://data/week/nope.csv\n');
    } finally {
      await server.stop();
    }
  });
});
