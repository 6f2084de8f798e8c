import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isUserError } from '@mlactions/core';
import { openStore } from '@mlactions/store';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeSpan } from '../src/demo/code-span.ts';
import { CLASSES, COLUMNS, DATA_SIZES, generateData, LABEL, toCsv } from '../src/demo/dataset.ts';
import { DEMO_MARKER, prepareDemoFolder } from '../src/demo/folder.ts';
import { cleanEnv, runCli } from './bundled-cli.ts';

function demo(...args: string[]) {
  return runCli(['demo', ...args]);
}

let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'mlactions-demo-'));
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('mlactions demo (the bundled command)', () => {
  let dir: string;
  let first: ReturnType<typeof demo>;

  beforeAll(() => {
    dir = join(work, 'run');
    first = demo('--dir', dir);
  });

  it('runs every step, one line each, and exits 0', () => {
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    const steps = first.stdout
      .split('\n')
      .map((line) => /^\s*\d+\. (\w+)/.exec(line)?.[1])
      .filter(Boolean);
    expect(steps).toEqual([
      'data',
      'train',
      'publish',
      'train',
      'publish',
      'validate',
      'images',
      'report',
      'gate',
      'promote',
      'drift',
      'write',
    ]);
    expect(first.stdout).toContain('1.1.0 passed: 3 of 3 rules hold');
    expect(first.stdout).toContain('production: 1.0.0 → 1.1.0');
    expect(first.stdout).toMatch(/drift found in \d of 7 columns \(tenure_months, plan, /);
    expect(first.stdout).toContain(`Open ${join(dir, 'report.html')} in a browser`);
  });

  it('leaves both versions in the folder store, with production on 1.1.0', async () => {
    const store = openStore(`file://${join(dir, 'store')}`);
    expect(await store.listVersions('renewal-outcome')).toEqual(['1.0.0', '1.1.0']);
    expect(await store.resolve('renewal-outcome', { alias: 'production' })).toBe('1.1.0');
    const history = await store.aliasHistory('renewal-outcome', 'production');
    expect(history.map((entry) => entry.version)).toEqual(['1.0.0', '1.1.0']);
    const manifest = await store.show('renewal-outcome', '1.1.0');
    expect(manifest.files.map((file) => file.path)).toEqual(['model.onnx']);
    expect(manifest.parent).toBe('1.0.0');
    expect(Object.keys(manifest.metrics ?? {}).sort()).toEqual(['cost.json', 'final.json', 'history.csv']);
    expect(manifest.params).toMatchObject({ epochs: 40, seed: 7 });
  });

  it('writes the data, models, metrics and reports', async () => {
    for (const file of [
      DEMO_MARKER,
      'data/train.csv',
      'data/validation.csv',
      'data/holdout.csv',
      'data/live.csv',
      'runs/1.0.0/model.onnx',
      'runs/1.1.0/model.onnx',
      'runs/1.1.0/params.json',
      'runs/1.1.0/metrics/history.csv',
      'runs/1.1.0/metrics/final.json',
      'runs/1.1.0/metrics/holdout.json',
      'runs/1.1.0/metrics/cost.json',
      'curves/1.1.0/roc.csv',
      'drift.json',
      'report.md',
      'report.html',
      'curves/1.1.0/confusion-matrix.png',
      'assets.git/HEAD',
      'images/pr-1/confusion-matrix.png',
    ]) {
      expect(existsSync(join(dir, file)), file).toBe(true);
    }
    const history = (await readFile(join(dir, 'runs/1.1.0/metrics/history.csv'), 'utf8')).trim().split('\n');
    expect(history[0]).toBe('epoch,loss,accuracy,val_loss,val_accuracy');
    expect(history).toHaveLength(41);
    const report = await readFile(join(dir, 'report.md'), 'utf8');
    expect(report).toContain('## 1.1.0 against 1.0.0');
    expect(report).toContain('```mermaid\nxychart-beta');
    // Beside the metrics: the parameter diff, the run's cost and the ROC curve validate wrote.
    expect(report).toContain('| epochs | 15 | 40 |');
    expect(report).toContain('**What the run cost**');
    expect(report).toMatch(/\| cost\.gpu\\_hours \| 0 \| 0 \|/);
    expect(report).toContain('  x-axis "fpr" 0 --> 1\n  y-axis "tpr"');
    expect(report).toContain('## Gate: 1.1.0 on the held-out rows');
    expect(report).toContain('## Drift: live data against the training data');
    const html = await readFile(join(dir, 'report.html'), 'utf8');
    expect(html).toContain('<pre class="mermaid">xychart-beta');
  });

  it("pushes the candidate's confusion matrix to the assets branch, and the report shows it from there", async () => {
    // Asked of git itself: the branch the report action uses by default, one commit, one file in pr-1/.
    const git = (...args: string[]) =>
      execFileSync('git', args, { env: { ...process.env, GIT_DIR: join(dir, 'assets.git') } });
    const commit = git('rev-parse', 'refs/heads/mlactions-assets').toString().trim();
    expect(git('ls-tree', '-r', '--name-only', commit).toString()).toBe('pr-1/confusion-matrix.png\n');
    expect(git('log', '--format=%s', commit).toString()).toBe('Images of pull request #1\n');
    const blob = git('cat-file', 'blob', `${commit}:pr-1/confusion-matrix.png`);
    // The picture the job drew, 3 × 3 squares of the three classes.
    expect(blob).toEqual(await readFile(join(dir, 'curves/1.1.0/confusion-matrix.png')));
    const picture = PNG.sync.read(blob);
    expect([picture.width, picture.height]).toEqual([236, 236]);
    expect(first.stdout).toContain(
      `images    1.1.0's confusion matrix on the held-out rows → branch mlactions-assets of ${join(dir, 'assets.git')}, pr-1/confusion-matrix.png (commit ${commit.slice(0, 7)})`,
    );
    // The report links it as the action does (a file beside it, read back from the branch) ...
    expect(await readFile(join(dir, 'images/pr-1/confusion-matrix.png'))).toEqual(blob);
    const report = await readFile(join(dir, 'report.md'), 'utf8');
    expect(report).toContain('**Images from the job**');
    expect(report).toContain('![confusion-matrix.png](images/pr-1/confusion-matrix.png)');
    expect(report).toMatch(/\| Images +\| 1\.1\.0's confusion matrix .* `mlactions-assets` /);
    // ... and the page holds the branch's bytes, since it fetches nothing.
    const html = await readFile(join(dir, 'report.html'), 'utf8');
    expect(html).toContain(
      `<img src="data:image/png;base64,${blob.toString('base64')}" alt="confusion-matrix.png">`,
    );
  });

  it('starts clean when run again in its folder, gives the same results, and prints JSON with --format json', async () => {
    const model = await readFile(join(dir, 'runs/1.1.0/model.onnx'));
    const holdout = await readFile(join(dir, 'runs/1.1.0/metrics/holdout.json'), 'utf8');
    await writeFile(join(dir, 'left-over.txt'), 'from before');
    const again = demo('--dir', dir, '--format', 'json');
    expect(again.status).toBe(0);
    expect(again.stderr).toContain(' 9. gate ');
    const result = JSON.parse(again.stdout);
    expect(result).toMatchObject({
      model: 'renewal-outcome',
      seed: 7,
      gate: { passed: true },
      promotion: { alias: 'production', from: '1.0.0', to: '1.1.0' },
      drift: { drifted: true, tested: 7 },
      images: {
        branch: 'mlactions-assets',
        files: ['pr-1/confusion-matrix.png'],
        links: ['images/pr-1/confusion-matrix.png'],
      },
    });
    const head = execFileSync('git', ['rev-parse', 'refs/heads/mlactions-assets'], {
      env: { ...process.env, GIT_DIR: join(dir, 'assets.git') },
    });
    expect(result.images.commit).toBe(head.toString().trim());
    expect(result.holdout.candidate.accuracy).toBeGreaterThan(result.holdout.baseline.accuracy);
    expect(result.report.metrics.length).toBeGreaterThan(10);
    expect(existsSync(join(dir, 'left-over.txt'))).toBe(false);
    expect(await readFile(join(dir, 'runs/1.1.0/model.onnx'))).toEqual(model);
    expect(await readFile(join(dir, 'runs/1.1.0/metrics/holdout.json'), 'utf8')).toBe(holdout);
  });

  it('still runs without git, saying in one line and in the report that the image step was skipped and why', async () => {
    const noGit = join(work, 'no-git');
    await mkdir(join(work, 'empty-path'));
    const run = runCli(['demo', '--dir', noGit], { env: cleanEnv({ PATH: join(work, 'empty-path') }) });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const lines = run.stdout.split('\n').filter((line) => line.includes('images'));
    expect(lines).toEqual([
      ' 7. images    skipped: The `git` command was not found on PATH: install git (https://git-scm.com/downloads) to write images to a local branch.',
    ]);
    expect(existsSync(join(noGit, 'assets.git'))).toBe(false);
    const report = await readFile(join(noGit, 'report.md'), 'utf8');
    expect(report).toContain('The image step was skipped. The `git` command was not found on PATH');
    expect(report).not.toContain('![');
    const html = await readFile(join(noGit, 'report.html'), 'utf8');
    const main = html.slice(html.indexOf('<main>'), html.indexOf('</main>'));
    expect(main).toContain('The image step was skipped. The <code>git</code> command was not found on PATH');
    expect(main).not.toContain('<img');
  });

  it('refuses a folder that holds other files, and touches nothing in it', async () => {
    const foreign = join(work, 'mine');
    await mkdir(foreign);
    await writeFile(join(foreign, 'notes.txt'), 'keep me');
    const refused = demo('--dir', foreign);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(`mlactions: ${foreign} holds files that the demo did not write`);
    expect(await readdir(foreign)).toEqual(['notes.txt']);
  });
});

describe('prepareDemoFolder', () => {
  it('makes a new folder, uses an empty one, and replaces an earlier demo folder', async () => {
    const dir = join(work, 'prepare', 'nested');
    await prepareDemoFolder(dir);
    expect(await readdir(dir)).toEqual([DEMO_MARKER]);
    await writeFile(join(dir, 'old.csv'), 'x');
    await prepareDemoFolder(dir);
    expect(await readdir(dir)).toEqual([DEMO_MARKER]);
    const empty = join(work, 'empty');
    await mkdir(empty);
    await prepareDemoFolder(empty);
    expect(await readdir(empty)).toEqual([DEMO_MARKER]);
  });

  it('refuses a file', async () => {
    const file = join(work, 'a-file');
    await writeFile(file, 'x');
    const error = await prepareDemoFolder(file).catch((e: unknown) => e);
    expect(isUserError(error)).toBe(true);
    expect((error as Error).message).toContain('is not a folder');
  });
});

describe('the demo data', () => {
  it('is the same for a seed and differs between seeds', () => {
    const a = generateData(7);
    const b = generateData(7);
    expect(b.train.values).toEqual(a.train.values);
    expect(b.live.values).toEqual(a.live.values);
    expect(generateData(8).train.values).not.toEqual(a.train.values);
  });

  it('has every class in realistic shares, and a live table without labels', () => {
    const data = generateData(7);
    expect(data.train.rows).toBe(DATA_SIZES.train);
    expect(data.live.labels).toHaveLength(0);
    const counts = CLASSES.map((_, c) => data.train.labels.filter((label) => label === c).length);
    for (const count of counts) expect(count / data.train.rows).toBeGreaterThan(0.1);
    const plans = new Set<number>();
    for (let r = 0; r < data.train.rows; r++) plans.add(data.train.values[r * COLUMNS.length + 1]!);
    expect([...plans].sort()).toEqual([0, 1, 2]);
  });

  it('writes CSV with a header, the label last where there is one', () => {
    const data = generateData(1);
    const train = toCsv(data.train).split('\n');
    expect(train[0]).toBe([...COLUMNS, LABEL].join(','));
    expect(train[1]!.split(',')).toHaveLength(COLUMNS.length + 1);
    expect(CLASSES).toContain(train[1]!.split(',').at(-1));
    expect(toCsv(data.live).split('\n')[0]).toBe(COLUMNS.join(','));
  });
});

describe('codeSpan', () => {
  it('shows plain text as code and escapes what a code span cannot hold', () => {
    expect(codeSpan('f1_macro >= baseline - 0.02')).toBe('`f1_macro >= baseline - 0.02`');
    expect(codeSpan('a`b')).toBe('a&#96;b');
    expect(codeSpan('a|b')).toBe('a&#124;b');
    expect(codeSpan('a\u202eb')).not.toContain('\u202e');
  });
});
