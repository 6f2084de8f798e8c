import { existsSync } from 'node:fs';
import { copyFile, cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, parse } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../packages/store/src/index.ts';
import { fixture, writeReversedClassifier } from '../packages/validate/test/gate-fixtures.ts';
import {
  type GitHubDouble,
  type GitHubEvent,
  pullRequestEvent,
  REPO_ROOT,
  runAction,
  startGitHubDouble,
  workflowRunEvent,
} from './harness/index.ts';

const OWNER = 'octocat';
const REPO = 'model-repo';
const PR = 12;
const event = pullRequestEvent({ number: PR });
const HEAD = event.payload.pull_request.head.sha;
const MERGE = event.payload.pull_request.merge_commit_sha!;

let double: GitHubDouble;
let workspace: string;

beforeEach(async () => {
  double = await startGitHubDouble();
  double.seedPullRequest({ number: PR, head: { sha: HEAD } });
  workspace = await mkdtemp(join(tmpdir(), 'gate-e2e-'));
  for (const name of [
    'multiclass.onnx',
    'multiclass.csv',
    'binary.onnx',
    'sklearn_tensor.onnx',
    'sklearn.csv',
  ])
    await copyFile(fixture(name), join(workspace, name));
  writeReversedClassifier(join(workspace, 'reversed.onnx'));
});

afterEach(async () => {
  await double.close();
});

function gate(
  inputs: Record<string, string>,
  options: { action?: string; event?: GitHubEvent<object> } = {},
) {
  return runAction({
    action: options.action ?? 'actions/gate',
    inputs: { 'output-dir': 'out', ...inputs },
    event: options.event ?? event,
    githubApiUrl: double.url,
    cwd: workspace,
  });
}

const goodModel = {
  model: 'multiclass.onnx',
  data: 'multiclass.csv',
  label: 'species',
  slice: 'region',
  rules: 'accuracy >= 0.75\nslices.north.accuracy >= 0.8',
};

/** The reversed classifier on sklearn.csv: a model that ranks the classes backwards. */
const badModel = {
  model: 'reversed.onnx',
  data: 'sklearn.csv',
  label: 'grade',
  rules: 'accuracy >= 0.8\nrows == 60',
};

const statuses = () => double.state.statuses(OWNER, REPO);
const checkRuns = () => double.state.checkRuns(OWNER, REPO);

describe('the gate action on a pull request', () => {
  it('posts success for a good model on the head commit, with a check run', async () => {
    const run = await gate(goodModel);
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(statuses()).toEqual([
      expect.objectContaining({
        state: 'success',
        context: 'mlactions/gate',
        description: 'All 2 checks passed',
      }),
    ]);
    expect(double.state.statuses(OWNER, REPO, HEAD)).toHaveLength(1);
    expect(double.state.statuses(OWNER, REPO, MERGE)).toHaveLength(0);
    const [check, ...more] = checkRuns();
    expect(more).toHaveLength(0);
    expect(check).toMatchObject({
      head_sha: HEAD,
      name: 'mlactions/gate',
      status: 'completed',
      conclusion: 'success',
    });
    expect(check?.output.summary).toContain('slices.north.accuracy &gt;= 0.8');
    expect(statuses()[0]?.target_url).toBe(check?.html_url);

    expect(run.outputs).toMatchObject({ passed: 'true', 'failed-rules': '' });
    expect(run.outputs['check-run-url']).toBe(check?.html_url);
    const metrics = JSON.parse(await readFile(run.outputs.metrics!, 'utf8'));
    expect(metrics).toMatchObject({ task: 'classification', rows: 60, metrics: { accuracy: 0.8 } });
    expect(JSON.parse(await readFile(run.outputs.report!, 'utf8'))).toMatchObject({ passed: true });
    expect(run.summary).toContain('| ✅ | accuracy &gt;= 0.75 | 0.8 | 0.75 | passed |');
    // The classifier's curves, for the report's plots.
    const roc = await readFile(join(run.outputs['curves-dir']!, 'roc.csv'), 'utf8');
    expect(roc).toMatch(/^fpr,tpr\n0,0\n/);
    expect(roc.trim().split('\n').at(-1)).toBe('1,1');
    const calibration = await readFile(join(run.outputs['curves-dir']!, 'calibration.csv'), 'utf8');
    expect(calibration).toMatch(/^prob_pred,prob_true\n/);
  });

  it('posts failure naming the failing rule for a bad model, and fails the step', async () => {
    const run = await gate(badModel);
    expect(run.exitCode).toBe(1);
    const [status, ...more] = statuses();
    expect(more).toHaveLength(0);
    expect(status).toMatchObject({ state: 'failure', description: '1 of 2 checks failed: accuracy >= 0.8' });
    expect(double.state.statuses(OWNER, REPO, HEAD)).toHaveLength(1);
    expect(checkRuns()[0]).toMatchObject({ head_sha: HEAD, conclusion: 'failure' });
    expect(run.outputs.passed).toBe('false');
    expect(run.outputs['failed-rules']).toMatch(/^accuracy = \S+ >= 0\.8: failed$/);
    expect(run.annotations).toEqual([
      expect.objectContaining({
        level: 'error',
        message: expect.stringMatching(/^The gate failed:\naccuracy = /),
      }),
    ]);
    expect(run.summary).toMatch(/\| ❌ \| accuracy &gt;= 0\.8 \|/);
  });

  it('keeps the step green when asked, the status still failure', async () => {
    const run = await gate({ ...badModel, 'fail-on-failure': 'false', context: 'models/gate' });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(statuses()).toEqual([expect.objectContaining({ state: 'failure', context: 'models/gate' })]);
    expect(run.annotations).toEqual([expect.objectContaining({ level: 'warning' })]);
  });

  it('fails a real regression against the baseline model by the paired bootstrap', async () => {
    const run = await gate({
      model: 'reversed.onnx',
      data: 'sklearn.csv',
      label: 'grade',
      rules: 'rows == 60',
      'baseline-model': 'sklearn_tensor.onnx',
      resamples: '200',
    });
    expect(run.exitCode).toBe(1);
    expect(run.outputs['failed-rules']).toMatch(/^accuracy \S+ vs baseline model \S+: .*: worse \(failed\)$/);
    expect(statuses()[0]).toMatchObject({ state: 'failure', description: '1 of 2 checks failed: accuracy' });
    expect(run.summary).toContain('Paired bootstrap against the baseline model');
  });

  it('gates any framework’s predictions joined with the baseline’s on an id', async () => {
    const predictions = join(REPO_ROOT, 'packages/validate/test/fixtures/predictions');
    await copyFile(join(predictions, 'candidate.csv'), join(workspace, 'candidate.csv'));
    await copyFile(join(predictions, 'baseline.csv'), join(workspace, 'baseline.csv'));
    const run = await gate({
      predictions: 'candidate.csv',
      label: 'species',
      slice: 'region',
      'baseline-predictions': 'baseline.csv',
      id: 'id',
      rules: 'accuracy >= baseline\nslices.south.rows == 30',
      resamples: '200',
    });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(double.state.statuses(OWNER, REPO, HEAD)).toEqual([
      expect.objectContaining({ state: 'success', description: 'All 3 checks passed' }),
    ]);
    expect(run.summary).toContain('Paired bootstrap against the baseline predictions');
    const report = JSON.parse(await readFile(join(workspace, 'out', 'gate.json'), 'utf8'));
    expect(report.baseline.source).toBe(`baseline predictions ${join(workspace, 'baseline.csv')}`);
  });

  it('gates against the metrics a previous run kept as the baseline', async () => {
    const first = await gate(goodModel);
    const run = await gate({
      ...goodModel,
      rules: 'accuracy >= baseline\nf1_macro >= baseline - 0.01',
      baseline: first.outputs.metrics!,
    });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.summary).toContain(`Baseline: ${first.outputs.metrics!.replaceAll('_', '\\_')}`);
    const firstRun = await gate({ ...goodModel, rules: 'accuracy >= baseline' });
    expect(firstRun.exitCode).toBe(0);
    expect(firstRun.annotations).toEqual([
      expect.objectContaining({
        level: 'notice',
        message: expect.stringMatching(/^No baseline: no baseline was given/),
      }),
    ]);
  });

  it('reads the baseline from the store version production points to', async () => {
    const store = `file://${join(workspace, 'store')}`;
    const withStore = { ...goodModel, rules: 'accuracy >= baseline', store, name: 'species' };
    const firstRun = await gate(withStore);
    expect(firstRun.exitCode, firstRun.stdout).toBe(0);
    expect(firstRun.annotations).toEqual([
      expect.objectContaining({
        level: 'notice',
        message: expect.stringMatching(/alias production of species is not set/),
      }),
    ]);

    const kept = JSON.parse(await readFile(firstRun.outputs.metrics!, 'utf8'));
    await writeFile(
      join(workspace, 'production.json'),
      JSON.stringify({ ...kept, metrics: { ...kept.metrics, accuracy: 0.9 } }),
    );
    const opened = openStore(store, { cwd: workspace });
    await opened.publish({
      name: 'species',
      version: '2.0.0',
      files: ['multiclass.onnx'],
      metricsFile: 'production.json',
    });
    await opened.promote({ name: 'species', alias: 'production', version: '2.0.0' });

    const run = await gate(withStore);
    expect(run.exitCode).toBe(1);
    expect(run.outputs['failed-rules']).toBe('accuracy = 0.8 >= baseline = 0.9: failed');
    expect(run.summary).toContain('Baseline: species 2.0.0 (production) in file:');
  });

  it('ends a model that does not fit the data in one clear error, with an error status', async () => {
    const run = await gate({ ...goodModel, model: 'binary.onnx' });
    expect(run.exitCode).toBe(1);
    expect(run.annotations).toHaveLength(1);
    expect(run.annotations[0]).toMatchObject({ level: 'error' });
    expect(run.annotations[0]?.message).toMatch(
      /^model \S*binary\.onnx does not fit data file \S*multiclass\.csv: input "input" takes 3 features/,
    );
    expect(run.annotations[0]?.message).toContain('model inputs: "input" float32 [batch, 3]');
    expect(`${run.stdout}${run.stderr}`).not.toMatch(/\n\s+at /);
    expect(statuses()).toEqual([
      expect.objectContaining({
        state: 'error',
        description: expect.stringMatching(/^The gate could not run: model /),
      }),
    ]);
    expect(checkRuns()).toHaveLength(0);
  });

  it('refuses store inputs without a store instead of gating without the baseline they name', async () => {
    const run = await gate({ ...goodModel, 'baseline-alias': 'staging', name: 'species' });
    expect(run.exitCode).toBe(1);
    expect(run.annotations.map((a) => a.message)).toEqual([
      '`name`, `baseline-alias` name a store baseline: give `store` too',
    ]);
  });

  it('still posts the status when the token may not create check runs', async () => {
    double.failNext({ kind: 'forbidden', match: { operationId: 'checks/create' } });
    const run = await gate(goodModel);
    expect(run.exitCode, run.stdout).toBe(0);
    expect(checkRuns()).toHaveLength(0);
    expect(statuses()).toEqual([expect.objectContaining({ state: 'success' })]);
    expect(double.state.statuses(OWNER, REPO, HEAD)).toHaveLength(1);
    expect(run.annotations).toEqual([
      expect.objectContaining({
        level: 'warning',
        message: expect.stringMatching(/may not create check runs/),
      }),
    ]);
  });

  it('names the permission when the token may not post statuses', async () => {
    double.readOnly = true;
    const run = await gate({ ...goodModel, 'check-run': 'false' });
    expect(run.exitCode).toBe(1);
    expect(run.annotations.at(-1)?.message).toMatch(/statuses: write/);
    expect(run.summary).toContain('accuracy');
  });
});

describe('the gate action on a pull request from a fork', () => {
  it('warns that no status can be posted with the read-only token, the step still gating', async () => {
    const fork = pullRequestEvent({ number: PR, fork: 'forker' });
    double.readOnly = true;
    const good = await gate(goodModel, { event: fork });
    expect(good.exitCode, good.stdout).toBe(0);
    expect(statuses()).toHaveLength(0);
    expect(good.annotations.map((a) => a.level)).toEqual(['warning', 'warning']);
    expect(good.annotations[1]?.message).toMatch(/^No commit status on this pull request from a fork/);
    const bad = await gate(badModel, { event: fork });
    expect(bad.exitCode).toBe(1);
  });
});

describe('the gate action in the workflow_run gate for forks', () => {
  it("posts the status and check run on the fork's head commit that the payload names, and refuses a commit that is not a sha", async () => {
    const forkHead = pullRequestEvent({ number: PR, fork: 'forker' }).payload.pull_request.head.sha;
    const after = workflowRunEvent({ headSha: forkHead, headRepository: `forker/${REPO}`, pullRequests: [] });
    const run = await gate({ ...goodModel, commit: forkHead }, { event: after });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(double.state.statuses(OWNER, REPO, forkHead)).toEqual([
      expect.objectContaining({ state: 'success', context: 'mlactions/gate' }),
    ]);
    expect(checkRuns()).toEqual([expect.objectContaining({ head_sha: forkHead, conclusion: 'success' })]);

    const bad = await gate({ ...goodModel, commit: 'main' }, { event: after });
    expect(bad.exitCode).toBe(1);
    expect(bad.annotations[0]?.message).toBe('commit must be a full 40-character sha, got "main"');
    expect(statuses()).toHaveLength(1);
  });
});

describe('the gate action as published', () => {
  it('runs from a copy of its folder with no node_modules above it, onnxruntime-node beside the bundle', async () => {
    const copy = await mkdtemp(join(tmpdir(), 'gate-published-'));
    await cp(join(REPO_ROOT, 'actions/gate/action.yml'), join(copy, 'action.yml'));
    await cp(join(REPO_ROOT, 'actions/gate/dist'), join(copy, 'dist'), { recursive: true });
    for (let dir = copy; dir !== parse(dir).root; dir = dirname(dir))
      expect(existsSync(join(dir, 'node_modules')), dir).toBe(false);
    const shipped = join(copy, 'dist/node_modules/onnxruntime-node/bin/napi-v6');
    expect(existsSync(join(shipped, 'linux/x64/onnxruntime_binding.node'))).toBe(true);
    expect(existsSync(join(shipped, 'linux/arm64/onnxruntime_binding.node'))).toBe(true);
    expect(existsSync(join(shipped, 'darwin'))).toBe(false);
    expect(existsSync(join(shipped, 'win32'))).toBe(false);

    const run = await gate(goodModel, { action: copy });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(statuses()).toEqual([expect.objectContaining({ state: 'success' })]);
  });
});
