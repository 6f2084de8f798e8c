import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '@mlactions/store';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type GitHubDouble,
  type GitHubEvent,
  pullRequestEvent,
  pushEvent,
  runAction,
  startGitHubDouble,
  workflowRunEvent,
} from './harness/index.ts';

const OWNER = 'octocat';
const REPO = 'model-repo';
const PR = 7;

let double: GitHubDouble;
let workspace: string;

async function write(name: string, content: unknown): Promise<void> {
  await writeFile(join(workspace, name), typeof content === 'string' ? content : JSON.stringify(content));
}

function report(
  inputs: Record<string, string>,
  event: GitHubEvent<object> = pullRequestEvent({ number: PR }),
) {
  return runAction({
    action: 'actions/report',
    inputs: { base: 'base.json', head: 'head.json', 'output-dir': 'out', ...inputs },
    event,
    githubApiUrl: double.url,
    cwd: workspace,
  });
}

const comments = () => double.state.issueComments(OWNER, REPO, PR);
const stickies = (key = 'metrics') =>
  comments().filter((c) => c.body?.includes(`mlactions:sticky key=${key} `));

beforeEach(async () => {
  double = await startGitHubDouble();
  double.seedPullRequest({
    number: PR,
    head: { sha: pullRequestEvent({ number: PR }).payload.pull_request.head.sha },
  });
  workspace = await mkdtemp(join(tmpdir(), 'report-e2e-'));
  await write('base.json', { accuracy: 0.9, loss: 0.3, eval: { f1: 0.8 } });
  await write('head.json', { accuracy: 0.85, loss: 0.25, eval: { f1: 0.8 } });
});

afterEach(async () => {
  await double.close();
});

describe('the report action on a pull request', () => {
  it('creates one comment, then updates that same comment', async () => {
    const first = await report({});
    expect(first.exitCode, first.stdout).toBe(0);
    expect(stickies()).toHaveLength(1);
    expect(stickies()[0]?.body).toMatch(/accuracy/);
    expect(first.outputs).toMatchObject({ improved: '1', 'regressed-count': '1', regressed: 'true' });
    expect(first.summary).toContain('accuracy');
    const json = JSON.parse(await readFile(first.outputs.report!, 'utf8'));
    expect(json.metrics.find((m: { name: string }) => m.name === 'accuracy')).toMatchObject({
      base: 0.9,
      head: 0.85,
      better: 'higher',
      status: 'regressed',
    });

    await write('head.json', { accuracy: 0.95, loss: 0.25, eval: { f1: 0.8 } });
    const second = await report({});
    expect(second.exitCode, second.stdout).toBe(0);
    expect(stickies()).toHaveLength(1);
    expect(second.outputs['comment-url']).toBe(first.outputs['comment-url']);
    expect(stickies()[0]?.body).toContain('0.95');
    expect(double.requestsFor('issues/update-comment')).toHaveLength(1);
  });

  it('finds its comment behind 250 earlier ones', async () => {
    await report({});
    double.seedComments({ issue: PR, count: 250 });
    await write('head.json', { accuracy: 0.99, loss: 0.2, eval: { f1: 0.8 } });
    const run = await report({});
    expect(run.exitCode, run.stdout).toBe(0);
    expect(comments()).toHaveLength(251);
    expect(stickies()).toHaveLength(1);
    expect(stickies()[0]?.body).toContain('0.99');
  });

  it('leaves an outsider’s comment that carries the marker alone, and keeps its own', async () => {
    const [planted] = double.seedComments({
      issue: PR,
      count: 1,
      user: 'mallory',
      body: () => '<!-- mlactions:sticky key=metrics -->\nplanted by an outsider',
    });
    const first = await report({});
    expect(first.exitCode, first.stdout).toBe(0);
    // The job token cannot read GET /user (403): it writes as github-actions[bot].
    expect(double.requestsFor('users/get-authenticated').map((r) => r.status)).toEqual([403]);
    const ours = () => comments().filter((c) => c.user?.login === 'github-actions[bot]');
    expect(ours()).toHaveLength(1);
    expect(ours()[0]?.body).toMatch(/accuracy/);
    await write('head.json', { accuracy: 0.97, loss: 0.25, eval: { f1: 0.8 } });
    const second = await report({});
    expect(second.exitCode, second.stdout).toBe(0);
    expect(ours()).toHaveLength(1);
    expect(ours()[0]?.body).toContain('0.97');
    expect(comments().find((c) => c.id === planted!.id)?.body).toBe(
      '<!-- mlactions:sticky key=metrics -->\nplanted by an outsider',
    );
    expect(double.requestsFor('issues/update-comment').map((r) => r.path)).toEqual([
      `/repos/${OWNER}/${REPO}/issues/comments/${ours()[0]?.id}`,
    ]);
  });

  it('matches among the comments of a user token’s user, or of the `comment-author` an App writes as', async () => {
    await double.close();
    double = await startGitHubDouble({ actor: { login: 'ml-reporter' } });
    double.seedPullRequest({
      number: PR,
      head: { sha: pullRequestEvent({ number: PR }).payload.pull_request.head.sha },
    });
    const marked = () => '<!-- mlactions:sticky key=metrics -->\nearlier';
    const [app] = double.seedComments({ issue: PR, count: 1, user: 'mlactions-app[bot]', body: marked });
    const [own] = double.seedComments({ issue: PR, count: 1, user: 'ml-reporter', body: marked });
    expect((await report({})).exitCode).toBe(0);
    expect(comments().find((c) => c.id === own!.id)?.body).toMatch(/accuracy/);
    expect(comments().find((c) => c.id === app!.id)?.body).toContain('earlier');

    await double.close();
    double = await startGitHubDouble({ actor: { login: 'mlactions-app[bot]', type: 'Bot' } });
    double.seedPullRequest({
      number: PR,
      head: { sha: pullRequestEvent({ number: PR }).payload.pull_request.head.sha },
    });
    const [appComment] = double.seedComments({
      issue: PR,
      count: 1,
      user: 'mlactions-app[bot]',
      body: marked,
    });
    expect((await report({ 'comment-author': 'mlactions-app[bot]' })).exitCode).toBe(0);
    expect(comments()).toHaveLength(1);
    expect(comments()[0]).toMatchObject({ id: appComment!.id, body: expect.stringMatching(/accuracy/) });
    expect(double.requestsFor('users/get-authenticated')).toEqual([]);
  });

  it('keeps one comment per report key', async () => {
    await report({ key: 'train' });
    await report({ key: 'eval' });
    await report({ key: 'train' });
    expect(stickies('train')).toHaveLength(1);
    expect(stickies('eval')).toHaveLength(1);
    expect(comments()).toHaveLength(2);
  });

  it('fails the step on a regression only when asked', async () => {
    const run = await report({ 'fail-on-regression': 'true' });
    expect(run.exitCode).toBe(1);
    expect(run.annotations).toContainEqual(
      expect.objectContaining({ level: 'error', message: expect.stringMatching(/regressed/) }),
    );
    expect(stickies()).toHaveLength(1);
  });

  it('pools seed files on each side as runs, and pairs them by name only with pair-by-name', async () => {
    // Head's seed1 and seed2 beat base's, seed3 does not: noise around one mean.
    const seeds = { base: [0.8, 0.83, 0.86], head: [0.84, 0.87, 0.79] };
    for (const [side, values] of Object.entries(seeds))
      for (const [i, accuracy] of values.entries()) await write(`${side}-seed${i + 1}.json`, { accuracy });
    const lines = (side: string) => [1, 2, 3].map((i) => `${side}-seed${i}.json`).join('\n');
    const inputs = { base: lines('base'), head: lines('head') };
    const pooled = await report(inputs);
    expect(pooled.exitCode, pooled.stdout).toBe(0);
    expect(pooled.outputs).toMatchObject({ improved: '0', 'regressed-count': '0' });
    expect(stickies()[0]?.body).toMatch(/⚪ \| accuracy \| 0\.83 ± [\d.]+ \(n=3\) \|/);
    // Paired by name the files are different things: base-seed1.json has no head-seed1.json.
    const paired = await report({ ...inputs, 'pair-by-name': 'true' });
    expect(paired.exitCode, paired.stdout).toBe(0);
    const json = JSON.parse(await readFile(paired.outputs.report!, 'utf8'));
    expect(json.metrics.map((m: { status: string }) => m.status)).toEqual([
      'new',
      'new',
      'new',
      'removed',
      'removed',
      'removed',
    ]);
  });

  it('states a first run with no baseline and posts the metrics as they are', async () => {
    const run = await report({ base: 'missing-base.json' });
    expect(run.exitCode).not.toBe(0);
    expect(run.annotations[0]?.message).toContain('missing-base.json');
    const first = await report({ base: '' });
    expect(first.exitCode, first.stdout).toBe(0);
    expect(first.annotations).toContainEqual(
      expect.objectContaining({ level: 'notice', message: expect.stringMatching(/No baseline/) }),
    );
    expect(stickies()).toHaveLength(1);
  });

  it('renders hostile metric names and NaN inert, with the table whole', async () => {
    const hostile = '<img src=x onerror=alert(1)> @everyone | x';
    await write('base.json', { [hostile]: 1, accuracy: 0.5 });
    await write('head.json', `{"${hostile}": NaN, "accuracy": 0.6}`);
    const run = await report({});
    expect(run.exitCode, run.stdout).toBe(0);
    const body = stickies()[0]?.body ?? '';
    expect(body).not.toContain('<img');
    expect(body).not.toMatch(/(^|[^`\w\u200b-\u200d])@everyone/);
    const row = body.split('\n').find((line) => line.includes('onerror'));
    expect(row).toBeDefined();
    const header = body.split('\n').find((line) => line.startsWith('|') && !line.includes('onerror'));
    const cells = (line: string) => line.replace(/\\\|/g, '').split('|').length;
    expect(cells(row!)).toBe(cells(header!));
  });

  it('keeps a 5,000-metric report under the comment limit and leaves the rest to the summary', async () => {
    const base: Record<string, number> = {};
    const head: Record<string, number> = {};
    for (let i = 0; i < 5000; i++) {
      base[`layer_${i}.accuracy`] = 0.5;
      head[`layer_${i}.accuracy`] = i % 2 === 0 ? 0.6 : 0.4;
    }
    await write('base.json', base);
    await write('head.json', head);
    const run = await report({});
    expect(run.exitCode, run.stdout).toBe(0);
    const body = stickies()[0]?.body ?? '';
    expect(body.length).toBeLessThan(65_536);
    expect(body).toMatch(/leaves out .* See \[the full report in the job summary\]\(https:/);
    expect(run.summary.length).toBeGreaterThan(body.length);
    // Both ends of the table are in the summary (names are markdown-escaped there too).
    expect(run.summary).toContain('layer\\_0.accuracy');
    expect(run.summary).toContain('layer\\_4999.accuracy');
  });

  it('lists changed parameters beside the metrics and draws curve files, in the comment and the JSON', async () => {
    await write('base-params.json', { train: { lr: 0.01, epochs: 10 } });
    await write('params.toml', '[train]\nlr = 0.02\nepochs = 10\n');
    await write('roc.json', {
      roc: [
        { fpr: 0, tpr: 0 },
        { fpr: 0.5, tpr: 0.8 },
        { fpr: 1, tpr: 1 },
      ],
    });
    const run = await report({ params: 'params.toml', 'base-params': 'base-params.json', plots: 'roc.json' });
    expect(run.exitCode, run.stdout).toBe(0);
    const body = stickies()[0]?.body ?? '';
    expect(body).toContain('| train.lr | 0.01 | 0.02 |');
    expect(body).toContain('<details><summary>1 unchanged parameter</summary>');
    expect(body).toContain('x-axis "fpr" 0 --> 1');
    const json = JSON.parse(await readFile(run.outputs.report!, 'utf8'));
    expect(json.params).toEqual([
      { name: 'train.lr', base: '0.01', head: '0.02', changed: true },
      { name: 'train.epochs', base: '10', head: '10', changed: false },
    ]);
  });

  it("shows the job's images from the assets branch, and refuses an oversized one before posting", async () => {
    await write('confusion.png', '\x89PNG image bytes');
    const run = await report({ images: '*.png' });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const files = double.state.branchFiles(OWNER, REPO, 'mlactions-assets');
    expect([...(files?.keys() ?? [])]).toEqual([`pr-${PR}/confusion.png`]);
    expect(stickies()[0]?.body).toMatch(
      new RegExp(
        `!\\[confusion\\.png\\]\\(https://[^/]+/${OWNER}/${REPO}/blob/[0-9a-f]{40}/pr-${PR}/confusion\\.png\\?raw=true\\)`,
      ),
    );

    const tooBig = await report({ images: '*.png', 'images-max-bytes': '5', key: 'other' });
    expect(tooBig.exitCode).not.toBe(0);
    expect(tooBig.stdout + tooBig.stderr).toContain('confusion.png: 17 bytes, over the 5 allowed per image');
    expect(stickies('other')).toHaveLength(0);
  });

  it('names the permission when the token may not comment', async () => {
    double.readOnly = true;
    const run = await report({});
    expect(run.exitCode).toBe(1);
    expect(run.annotations[0]?.message).toMatch(/pull-requests: write/);
    expect(run.summary).toContain('accuracy');
    double.takeViolations();
  });
});

describe('the report action with a baseline from the store', () => {
  it('compares with the metrics recorded with the version an alias names; an unset alias is a first run', async () => {
    const storeDir = await mkdtemp(join(tmpdir(), 'report-store-'));
    const store = openStore(`file://${storeDir}`);
    const unset = await report({ base: '', 'base-store': `file://${storeDir}`, 'base-model': 'churn' });
    expect(unset.exitCode, unset.stdout).toBe(0);
    expect(unset.annotations).toContainEqual(
      expect.objectContaining({
        level: 'notice',
        message: expect.stringMatching(/alias production of churn is not set/),
      }),
    );

    await write('model.bin', 'weights');
    await store.publish({
      name: 'churn',
      version: '1.0.0',
      files: [join(workspace, 'model.bin')],
      metricsFile: join(workspace, 'base.json'),
    });
    await store.promote({ name: 'churn', alias: 'production', version: '1.0.0' });
    const run = await report({ base: '', 'base-store': `file://${storeDir}`, 'base-model': 'churn' });
    expect(run.exitCode, run.stdout).toBe(0);
    const json = JSON.parse(await readFile(run.outputs.report!, 'utf8'));
    expect(json.metrics.find((m: { name: string }) => m.name === 'accuracy')).toMatchObject({
      base: 0.9,
      head: 0.85,
      status: 'regressed',
    });
  });

  it('charts each metric across the versions up to the baseline, this change last', async () => {
    const storeDir = await mkdtemp(join(tmpdir(), 'report-store-'));
    const store = openStore(`file://${storeDir}`);
    await write('model.bin', 'weights');
    const published = [
      { version: '1.0.0', accuracy: 0.8, loss: 0.4 },
      { version: '1.1.0', accuracy: 0.9, loss: 0.3 },
      { version: '1.2.0', accuracy: 0.95, loss: 0.2 },
      { version: '1.3.0', accuracy: 0.99, loss: 0.1 },
    ];
    for (const { version, ...metrics } of published) {
      await write(`metrics-${version}.json`, metrics);
      await store.publish({
        name: 'churn',
        version,
        files: [join(workspace, 'model.bin')],
        metricsFile: join(workspace, `metrics-${version}.json`),
      });
    }
    // The baseline is 1.2.0; 1.3.0 came after it and is not its history.
    await store.promote({ name: 'churn', alias: 'production', version: '1.2.0' });
    const inputs = { base: '', 'base-store': `file://${storeDir}`, 'base-model': 'churn' };
    const run = await report({ ...inputs, 'base-history': '2' });
    expect(run.exitCode, run.stdout).toBe(0);
    const body = stickies()[0]!.body!;
    expect(body).toContain('x-axis ["1.1.0", "1.2.0", "this change"]');
    expect(body).toContain('line [0.9, 0.95, 0.85]');
    expect(body).toContain('line [0.3, 0.2, 0.25]');
    expect(run.summary).toContain('x-axis ["1.1.0", "1.2.0", "this change"]');

    const all = await report(inputs);
    expect(stickies()[0]!.body).toContain('x-axis ["1.0.0", "1.1.0", "1.2.0", "this change"]');
    expect(all.exitCode).toBe(0);
    const none = await report({ ...inputs, 'base-history': '0' });
    expect(none.exitCode).toBe(0);
    expect(stickies()[0]!.body).not.toContain('xychart-beta');
  });

  it('refuses store inputs without base-store rather than comparing with the base files', async () => {
    const run = await report({ 'base-model': 'churn' });
    expect(run.exitCode).toBe(1);
    expect(run.annotations.map((a) => a.message)).toEqual([
      '`base-model` names a store baseline: give `base-store` too',
    ]);
    expect(comments()).toHaveLength(0);
  });
});

describe('the report action without a pull request from this repository', () => {
  it('on a fork pull request: the summary and an artifact, no comment and no failure', async () => {
    const event = pullRequestEvent({ number: PR, fork: 'forker' });
    double.readOnly = true;
    const run = await report({}, event);
    expect(run.exitCode, run.stdout).toBe(0);
    expect(comments()).toHaveLength(0);
    expect(run.summary).toContain('accuracy');
    const artifact = run.outputs['artifact-dir']!;
    expect(JSON.parse(await readFile(join(artifact, 'pull-request.json'), 'utf8'))).toEqual({
      number: PR,
      headSha: event.payload.pull_request.head.sha,
    });
  });

  it('the workflow_run reporter posts the fork run artifact after checking its head sha, repository and branch, labelled as the fork run reported it', async () => {
    const FORK_PR = 8;
    const forkEvent = pullRequestEvent({ number: FORK_PR, fork: 'forker', headRef: 'faster' });
    const headSha = forkEvent.payload.pull_request.head.sha;
    double.seedPullRequest({
      number: FORK_PR,
      head: { sha: headSha, ref: 'faster', repo: `forker/${REPO}` },
    });
    const forkRun = await report({}, forkEvent);
    const artifact = forkRun.outputs['artifact-dir']!;
    const forkStickies = () =>
      double.state
        .issueComments(OWNER, REPO, FORK_PR)
        .filter((c) => c.body?.includes('mlactions:sticky key=metrics '));
    const companion = (run: { headSha?: string; headRepository?: string; headBranch?: string }) =>
      report(
        { head: join(artifact, 'head', '0'), 'pull-request-file': join(artifact, 'pull-request.json') },
        workflowRunEvent({
          headSha,
          headRepository: `forker/${REPO}`,
          headBranch: 'faster',
          pullRequests: [],
          ...run,
        }),
      );

    // The same sha pushed to another fork's branch, or another branch, names another run: refused.
    for (const other of [
      { headRepository: `mallory/${REPO}` },
      { headBranch: 'main' },
      { headSha: 'f'.repeat(40) },
    ]) {
      const forged = await companion(other);
      expect(forged.exitCode, JSON.stringify(other)).toBe(1);
      expect(forged.annotations[0]?.message).toMatch(
        new RegExp(
          `names pull request #${FORK_PR}, whose head is forker/${REPO} faster at ${headSha}, not .* that the triggering run built; nothing was posted`,
        ),
      );
    }
    expect(forkStickies()).toHaveLength(0);

    const run = await companion({});
    expect(run.exitCode, run.stdout).toBe(0);
    expect(forkStickies()).toHaveLength(1);
    expect(forkStickies()[0]?.body).toContain(
      `Metrics report: numbers as reported by the run of forker/${REPO} (branch faster), not re-run here`,
    );
  });

  it('the workflow_run reporter names a missing or wrong pull-request file, posting nothing', async () => {
    const event = workflowRunEvent({ headSha: 'e'.repeat(40), pullRequests: [] });
    const missing = await report({ 'pull-request-file': 'nope.json' }, event);
    expect(missing.exitCode).toBe(1);
    expect(missing.annotations[0]?.message).toMatch(/nope\.json: no such file\. Give the pull-request\.json/);
    await write('pr.json', { number: 999 });
    const unknown = await report({ 'pull-request-file': 'pr.json' }, event);
    expect(unknown.exitCode).toBe(1);
    expect(unknown.annotations[0]?.message).toMatch(
      /names pull request #999, which octocat\/model-repo does not have; nothing was posted/,
    );
    expect(comments()).toHaveLength(0);
  });

  it('on a push: the summary alone by default, a commit comment when configured', async () => {
    const event = pushEvent();
    const quiet = await report({}, event);
    expect(quiet.exitCode, quiet.stdout).toBe(0);
    expect(double.state.commitComments(OWNER, REPO)).toHaveLength(0);
    expect(quiet.summary).toContain('accuracy');

    const loud = await report({ 'without-pull-request': 'commit-comment' }, event);
    expect(loud.exitCode, loud.stdout).toBe(0);
    const [comment, ...more] = double.state.commitComments(OWNER, REPO);
    expect(more).toHaveLength(0);
    expect(comment?.commit_id).toBe(event.payload.after);
    expect(comment?.body).toContain('accuracy');
  });
});
