import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { csvText } from '../packages/data/test/helpers/data.ts';
import { readHistory } from '../packages/drift/src/history.ts';
import { mulberry32, normals } from '../packages/drift/test/helpers/prng.ts';
import {
  findNode24,
  type GitHubDouble,
  type GitHubEvent,
  runAction,
  s3ClientConfig,
  s3Env,
  scheduleEvent,
  startGitHubDouble,
  startS3Server,
  workflowDispatchEvent,
} from './harness/index.ts';

const OWNER = 'octocat';
const REPO = 'model-repo';
const HOSTILE = '<img src=x onerror=alert(1)> @everyone | #1';

let double: GitHubDouble;
let workspace: string;

/** A seeded table: two numeric columns, a categorical and a boolean; `shift` moves every distribution. */
function table(rows: number, seed: number, shift: number): string {
  const next = mulberry32(seed + 1);
  const cities = ['paris', 'lyon', 'nice', HOSTILE];
  return csvText({
    age: normals(rows, seed, 40 + 15 * shift, 10).map(Math.round),
    income: normals(rows, seed + 2, 50_000 + 20_000 * shift, 10_000),
    city: Array.from({ length: rows }, () => cities[Math.min(3, Math.floor(next() * (4 - 3 * shift)))]),
    churned: Array.from({ length: rows }, () => (next() < 0.2 + 0.5 * shift ? 'yes' : 'no')),
  });
}

async function write(name: string, text: string): Promise<void> {
  await writeFile(join(workspace, name), text);
}

function drift(inputs: Record<string, string> = {}, event: GitHubEvent<object> = scheduleEvent()) {
  return runAction({
    action: 'actions/drift',
    inputs: { reference: 'reference.csv', current: 'current.csv', 'output-dir': 'out', ...inputs },
    event,
    githubApiUrl: double.url,
    cwd: workspace,
  });
}

const issues = () => double.state.issues(OWNER, REPO);
const comments = (issue: number) => double.state.issueComments(OWNER, REPO, issue);

beforeEach(async () => {
  double = await startGitHubDouble();
  workspace = await mkdtemp(join(tmpdir(), 'drift-e2e-'));
  await write('reference.csv', table(500, 1, 0));
  await write('current.csv', table(400, 2, 1));
  await write('stable.csv', table(400, 3, 0));
});

afterEach(async () => {
  await double.close();
});

describe('the drift action on a schedule', () => {
  it('opens one issue with the report on drift, then comments on it while drift lasts', async () => {
    const first = await drift({ assignees: 'octocat', 'issue-label': 'drift, data' });
    expect(first.exitCode, first.stdout + first.stderr).toBe(0);
    expect(first.outputs).toMatchObject({ drifted: 'true', 'issue-action': 'opened', dispatched: 'false' });
    expect(issues()).toHaveLength(1);
    const issue = issues()[0]!;
    expect(first.outputs['issue-number']).toBe(String(issue.number));
    expect(issue.title).toBe('Data drift detected');
    expect(issue.labels.map((l) => (typeof l === 'string' ? l : l.name))).toEqual(['drift', 'data']);
    expect(issue.assignees?.map((a) => a.login)).toEqual(['octocat']);
    expect(issue.body).toContain('<!-- mlactions:issue key=drift -->');
    expect(issue.body).toContain('**Drift detected**');
    expect(issue.body).toMatch(/\| 🔴 \| age \| numeric \| ks \|/);
    expect(issue.body).toContain('```mermaid\nxychart-beta');
    expect(first.summary).toContain('### Drift report');

    const json = JSON.parse(await readFile(first.outputs.report!, 'utf8'));
    expect(json).toMatchObject({ drifted: true, driftShare: 1 });
    expect(json.features.map((f: { name: string }) => f.name)).toEqual(['age', 'income', 'city', 'churned']);
    for (const feature of json.features) {
      expect(Object.keys(feature)).toEqual(
        expect.arrayContaining(['name', 'type', 'stattest', 'statistic', 'pValue', 'threshold', 'drifted']),
      );
    }
    expect(JSON.parse(first.outputs['drifted-columns']!)).toEqual(['age', 'income', 'city', 'churned']);

    const second = await drift({ 'issue-label': 'drift, data' });
    expect(second.exitCode, second.stdout + second.stderr).toBe(0);
    expect(second.outputs).toMatchObject({
      'issue-action': 'commented',
      'issue-number': String(issue.number),
    });
    expect(issues()).toHaveLength(1);
    expect(comments(issue.number)).toHaveLength(1);
    expect(comments(issue.number)[0]?.body).toContain('**Drift detected**');
  });

  it('remembers each check’s statistics in the issue and charts each drifted column over them', async () => {
    for (let run = 0; run < 3; run++) {
      const done = await drift({ 'history-checks': '2' });
      expect(done.exitCode, done.stdout + done.stderr).toBe(0);
    }
    expect(issues()).toHaveLength(1);
    const body = issues()[0]!.body ?? '';
    expect(body).toMatch(/^<!-- mlactions:issue key=drift -->\nLast checked by \[this run\]\(https:/);
    expect(body).toContain('#### History\n\n2 of the last 2 checks found drift.');
    expect(body).toContain('title "age: ks p-value over 2 checks"');
    const kept = readHistory(body);
    expect(kept.damaged).toBeUndefined();
    expect(kept.checks).toHaveLength(2);
    expect(kept.checks[1]!.columns.map((c) => c[0])).toEqual(['age', 'income', 'city', 'churned']);
    expect(body.length).toBeLessThanOrEqual(65_536);
    expect(comments(issues()[0]!.number)).toHaveLength(2);
  });

  it('ignores a damaged history in the issue with a warning, and starts a new one', async () => {
    double.seedIssue({
      title: 'Data drift detected',
      body: '<!-- mlactions:issue key=drift -->\nold\n<!-- mlactions:drift-history {"version":1,"checks":[{"at":"x"}]} -->',
      labels: ['drift'],
      user: 'github-actions[bot]',
    });
    const run = await drift();
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.outputs['issue-action']).toBe('commented');
    expect(run.annotations).toEqual([
      expect.objectContaining({
        level: 'warning',
        message:
          'The drift history kept in the issue was ignored (check 1 has no valid time); a new one starts with this check.',
      }),
    ]);
    expect(readHistory(issues()[0]!.body).checks).toHaveLength(1);
  });

  it('keeps no history when asked not to', async () => {
    await drift({ 'history-checks': '0' });
    await drift({ 'history-checks': '0' });
    expect(issues()[0]!.body).not.toContain('mlactions:drift-history');
    expect(issues()[0]!.body).toMatch(/^<!-- mlactions:issue key=drift -->\nFound by/);
  });

  it('fails the check on a data-quality rule beside drift, with the rules in the issue', async () => {
    await write('rules.txt', '# volume\nrows >= 10000\n');
    const run = await drift({
      current: 'stable.csv',
      'quality-rules': 'missing(age) <= 0.01\ncategories(churned) in [yes, no]',
      'quality-rules-file': 'rules.txt',
    });
    expect(run.exitCode).toBe(1);
    expect(run.outputs).toMatchObject({
      drifted: 'false',
      'quality-passed': 'false',
      'failed-quality-rules': 'rows >= 10000: 400 rows',
      'issue-action': 'opened',
      dispatched: 'false',
    });
    const body = issues()[0]!.body ?? '';
    expect(body).toContain('#### Data quality: 1 of 3 rules failed');
    expect(body).toMatch(/\| ❌ \| rows &gt;= 10000 +\| 400 rows/);
    const report = JSON.parse(await readFile(run.outputs.report!, 'utf8'));
    expect(report.quality.passed).toBe(false);

    const passing = await drift({ current: 'stable.csv', 'quality-rules': 'rows >= 100' });
    expect(passing.exitCode, passing.stdout + passing.stderr).toBe(0);
    expect(passing.outputs).toMatchObject({ 'quality-passed': 'true', 'issue-action': 'commented' });
  });

  it('leaves an outsider’s issue that carries the marker alone, and opens its own', async () => {
    const planted = double.seedIssue({
      title: 'Data drift detected',
      body: '<!-- mlactions:issue key=drift -->\nplanted by an outsider',
      labels: ['drift'],
      user: 'mallory',
    });
    const first = await drift();
    expect(first.exitCode, first.stdout + first.stderr).toBe(0);
    expect(first.outputs['issue-action']).toBe('opened');
    const ours = issues().filter((i) => i.user?.login === 'github-actions[bot]');
    expect(ours).toHaveLength(1);
    expect(first.outputs['issue-number']).toBe(String(ours[0]?.number));
    const second = await drift();
    expect(second.outputs).toMatchObject({
      'issue-action': 'commented',
      'issue-number': String(ours[0]?.number),
    });
    expect(comments(planted.number)).toEqual([]);
    expect(issues().find((i) => i.number === planted.number)?.body).toBe(
      '<!-- mlactions:issue key=drift -->\nplanted by an outsider',
    );
  });

  it('opens no issue when the data has not drifted', async () => {
    const run = await drift({ current: 'stable.csv' });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.outputs).toMatchObject({ drifted: 'false', 'issue-action': 'none', 'drifted-columns': '[]' });
    expect(run.outputs['issue-number']).toBeUndefined();
    expect(issues()).toHaveLength(0);
    expect(run.summary).toContain('No drift: 0 of 4 tested columns drifted');
  });

  it('comments when drift is gone, and closes the issue when asked', async () => {
    await drift();
    const number = issues()[0]!.number;
    const kept = await drift({ current: 'stable.csv' });
    expect(kept.outputs).toMatchObject({ 'issue-action': 'commented', 'issue-number': String(number) });
    expect(issues()[0]?.state).toBe('open');
    expect(comments(number).at(-1)?.body).toMatch(/^The drift is gone as of \[this run\]\(https:/);

    const closed = await drift({ current: 'stable.csv', 'close-on-recovery': 'true' });
    expect(closed.outputs).toMatchObject({ 'issue-action': 'closed', 'issue-number': String(number) });
    expect(issues()[0]).toMatchObject({ state: 'closed', state_reason: 'completed' });
    expect(comments(number)).toHaveLength(2);

    // A new episode of drift opens a new issue rather than reopening the closed one.
    const again = await drift();
    expect(again.outputs['issue-action']).toBe('opened');
    expect(issues()).toHaveLength(2);
  });

  it('keeps one issue per check name', async () => {
    await drift({ 'check-name': 'inputs' });
    await drift({ 'check-name': 'labels', 'issue-title': 'Label drift' });
    await drift({ 'check-name': 'inputs' });
    expect(issues().map((i) => i.title)).toEqual(['Data drift detected', 'Label drift']);
    expect(comments(issues()[0]!.number)).toHaveLength(1);
  });

  it('starts retraining with workflow_dispatch when it opens the issue', async () => {
    const inputs = { 'dispatch-workflow': 'train.yml', name: 'churn' };
    const first = await drift(inputs);
    expect(first.exitCode, first.stdout + first.stderr).toBe(0);
    expect(first.outputs.dispatched).toBe('true');
    const number = issues()[0]!.number;
    expect(double.state.workflowDispatches(OWNER, REPO)).toEqual([
      {
        workflow_id: 'train.yml',
        ref: 'refs/heads/main',
        inputs: {
          model: 'churn',
          reason: `Data drift: 4 of 4 tested columns drifted (100%); see issue #${number}.`,
          issue: String(number),
        },
      },
    ]);
    // Still drifting: a comment, and no second retraining unless asked for on every drifted run.
    await drift(inputs);
    expect(double.state.workflowDispatches(OWNER, REPO)).toHaveLength(1);
    const every = await drift({ ...inputs, 'dispatch-on': 'drift' });
    expect(every.outputs.dispatched).toBe('true');
    expect(double.state.workflowDispatches(OWNER, REPO)).toHaveLength(2);
  });

  it('sends repository_dispatch with the drift in its payload', async () => {
    const run = await drift({ 'dispatch-event-type': 'retrain', name: 'churn', 'key-features': 'age' });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const [sent] = double.state.repositoryDispatches(OWNER, REPO);
    expect(sent).toMatchObject({
      event_type: 'retrain',
      client_payload: {
        model: 'churn',
        issue: issues()[0]!.number,
        drift_share: 1,
        drifted_columns: ['age', 'income', 'city', 'churned'],
      },
    });
    expect(sent?.client_payload.reason).toMatch(/1 of them key features/);
  });

  it('says what the workflow needs when GitHub refuses to start it', async () => {
    const run = await drift({ 'dispatch-workflow': 'train.yml', 'dispatch-ref': 'no-such-branch' });
    expect(run.exitCode).toBe(1);
    expect(run.annotations[0]?.message).toMatch(
      /^GitHub refused to start train\.yml on no-such-branch \(.*No ref found for: no-such-branch.*\)\. The workflow must exist on that ref with `on: workflow_dispatch` declaring the inputs reason, issue\.$/,
    );
    double.expectViolation({ operationId: 'actions/create-workflow-dispatch', status: 422 });
    // The issue was opened first; the next run comments on it.
    expect(issues()).toHaveLength(1);
  });

  it('does not dispatch when there is no drift', async () => {
    const run = await drift({ current: 'stable.csv', 'dispatch-workflow': 'train.yml' });
    expect(run.outputs.dispatched).toBe('false');
    expect(double.state.workflowDispatches(OWNER, REPO)).toHaveLength(0);
  });

  it('keeps the issue under GitHub’s body limit with the whole report in the summary', async () => {
    const wide = (seed: number, shift: number) =>
      csvText(
        Object.fromEntries(
          Array.from({ length: 1500 }, (_, c) => [
            `sensor_reading_with_a_long_name_${c}`,
            normals(60, seed * 10_000 + c, shift),
          ]),
        ),
      );
    await write('wide-reference.csv', wide(1, 0));
    await write('wide-current.csv', wide(2, 2));
    const run = await drift({ reference: 'wide-reference.csv', current: 'wide-current.csv' });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const body = issues()[0]!.body ?? '';
    expect(body.length).toBeLessThanOrEqual(65_536);
    expect(body).toMatch(
      /leaves out 10 charts, [\d,]+ rows of the table\. See \[the full report in the job summary\]\(https:/,
    );
    expect(run.summary).toContain('sensor\\_reading\\_with\\_a\\_long\\_name\\_1499 |');
    expect(run.summary.length).toBeGreaterThan(65_536);
  });

  it('renders hostile category labels inert in the issue and its charts', async () => {
    const run = await drift();
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const body = issues()[0]!.body ?? '';
    expect(body).not.toContain('<img');
    expect(body).not.toMatch(/(^|[^\u200d])@everyone/);
    const city = body.indexOf('title "city"');
    const chart = body.slice(city, body.indexOf('```', city));
    expect(chart).toMatch(/x-axis "category" \["paris", "[^"]*", "[^"]*", "[^"]*"\]/);
    expect(chart).toContain('"img src=x onerror=alert(1) …"');
  });
});

describe('the drift action with a stored reference', () => {
  it('saves the reference profile and checks against it next time with the same result', async () => {
    const first = await drift({ 'save-reference-profile': 'profiles/reference.json' });
    expect(first.exitCode, first.stdout + first.stderr).toBe(0);
    expect(first.outputs['reference-profile']).toBe(join(workspace, 'profiles/reference.json'));
    const second = await drift({ reference: 'profiles/reference.json', 'output-dir': 'out2' });
    expect(second.exitCode, second.stdout + second.stderr).toBe(0);
    const [a, b] = await Promise.all(
      [first, second].map(async (run) => JSON.parse(await readFile(run.outputs.report!, 'utf8'))),
    );
    expect(b.features).toEqual(a.features);
    expect(b.reference.sources).toEqual(['reference.csv']);
  });

  it('uses the profile published with a model version in a store', async () => {
    const saved = await drift({
      current: 'stable.csv',
      'save-reference-profile': 'model/reference-profile.json',
    });
    expect(saved.exitCode, saved.stdout + saved.stderr).toBe(0);
    await write('model/model.onnx', 'not really a model');
    const published = await runAction({
      action: 'actions/publish',
      inputs: { store: 'file://store', name: 'churn', version: '1.0.0', files: 'model', alias: 'production' },
      githubApiUrl: double.url,
      cwd: workspace,
    });
    expect(published.exitCode, published.stdout + published.stderr).toBe(0);

    const run = await drift({ reference: '', store: 'file://store', name: 'churn', alias: 'production' });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain('Reference: model/reference-profile.json of churn 1.0.0.');
    expect(run.outputs.drifted).toBe('true');

    const missing = await drift({
      reference: '',
      store: 'file://store',
      name: 'churn',
      version: '1.0.0',
      'reference-profile': 'model/model.onnx',
    });
    expect(missing.exitCode).toBe(1);
    expect(missing.annotations[0]?.message).toBe(
      'churn 1.0.0: model/model.onnx is not a drift profile; make one with `mlactions profile` and publish it with the model',
    );
  });

  it('reads the current data from S3 (a prefix of gzipped CSV) through the endpoint input', async () => {
    const server = await startS3Server({ buckets: ['lake'] });
    try {
      const client = new S3Client(s3ClientConfig(server.endpoint));
      const current = await readFile(join(workspace, 'current.csv'));
      await client.send(
        new PutObjectCommand({ Bucket: 'lake', Key: 'inputs/week-47.csv.gz', Body: gzipSync(current) }),
      );
      client.destroy();
      const run = await runAction({
        action: 'actions/drift',
        inputs: {
          reference: 'reference.csv',
          current: 's3://lake/inputs/',
          endpoint: server.endpoint,
          'output-dir': 'out',
        },
        env: s3Env(server),
        githubApiUrl: double.url,
        cwd: workspace,
      });
      expect(run.exitCode, run.stdout + run.stderr).toBe(0);
      expect(run.outputs.drifted).toBe('true');
      const report = JSON.parse(await readFile(run.outputs.report!, 'utf8'));
      expect(report.current.sources).toEqual(['s3://lake/inputs/week-47.csv.gz']);
      expect(issues()).toHaveLength(1);
    } finally {
      await server.stop();
    }
  });

  it('reads zstd-compressed data as it reads the plain file', async () => {
    const plain = await drift({ 'output-dir': 'plain' });
    const zstd = execFileSync(
      findNode24(),
      [
        '-e',
        'process.stdout.write(require("node:zlib").zstdCompressSync(require("node:fs").readFileSync(0)))',
      ],
      { input: await readFile(join(workspace, 'current.csv')) },
    );
    await writeFile(join(workspace, 'current.csv.zst'), zstd);
    const run = await drift({ current: 'current.csv.zst', 'output-dir': 'zstd' });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const features = async (out: string) => JSON.parse(await readFile(out, 'utf8')).features;
    expect(await features(run.outputs.report!)).toEqual(await features(plain.outputs.report!));
  });

  it('names a version that holds no profile, or several', async () => {
    await mkdir(join(workspace, 'bare'));
    await write('bare/model.onnx', 'not really a model');
    await drift({ current: 'stable.csv', 'save-reference-profile': 'two/a.json' });
    await drift({ current: 'stable.csv', 'save-reference-profile': 'two/b.json' });
    for (const [version, files] of [
      ['1.0.0', 'bare'],
      ['2.0.0', 'two'],
    ]) {
      const published = await runAction({
        action: 'actions/publish',
        inputs: { store: 'file://store', name: 'churn', version: version!, files: files! },
        githubApiUrl: double.url,
        cwd: workspace,
      });
      expect(published.exitCode, published.stdout + published.stderr).toBe(0);
    }
    const from = (version: string) => drift({ reference: '', store: 'file://store', name: 'churn', version });
    expect((await from('1.0.0')).annotations[0]?.message).toBe(
      'churn 1.0.0 holds no drift profile; publish one (made with `mlactions profile`) with the model',
    );
    expect((await from('2.0.0')).annotations[0]?.message).toBe(
      'churn 2.0.0 holds several drift profiles (two/a.json, two/b.json); name the one to use',
    );
    expect(issues()).toHaveLength(0);
  });
});

describe('the drift action on mistakes', () => {
  it('fails, saying why, when it could test no column (another delimiter), and writes no issue', async () => {
    const current = await readFile(join(workspace, 'current.csv'), 'utf8');
    await write('semicolons.csv', current.replaceAll(',', ';'));
    const run = await drift({ current: 'semicolons.csv' });
    expect(run.exitCode).toBe(1);
    expect(run.annotations[0]?.message).toMatch(
      /^The drift check tested no column: the current data has none of the reference's columns "age", "income", "city", "churned" \(its columns: "age;income;city;churned"\)\. Check the delimiter/,
    );
    expect(issues()).toHaveLength(0);
  });

  it('names a missing file and writes no issue', async () => {
    const run = await drift({ current: 'nope.csv' }, workflowDispatchEvent());
    expect(run.exitCode).toBe(1);
    expect(run.annotations[0]?.message).toBe('No such file or directory: nope.csv');
    expect(issues()).toHaveLength(0);
  });

  it('refuses a store reference without a store instead of checking against the reference file', async () => {
    const run = await drift({ alias: 'production' });
    expect(run.exitCode).toBe(1);
    expect(run.annotations[0]?.message).toBe(
      '`alias` takes effect only with `store`: set `store` under `with:`, or remove it',
    );
    expect(issues()).toHaveLength(0);
  });

  it('names an unknown column in an override', async () => {
    const run = await drift({ columns: 'agee=psi:0.2' });
    expect(run.exitCode).toBe(1);
    expect(run.annotations[0]?.message).toMatch(
      /^Column "agee" is not in the reference data; its columns are "age"/,
    );
  });

  it('names the permission a read-only token lacks, with the report in the summary', async () => {
    double.readOnly = true;
    const run = await drift();
    expect(run.exitCode).toBe(1);
    expect(run.annotations[0]?.message).toMatch(/permissions: \{ issues: write \}/);
    expect(run.summary).toContain('**Drift detected**');
  });
});
