// The workflows `mlactions init` writes, run the way GitHub runs them, in a repository set up the way
// the Quickstart has a user set it up: a training script, validation data with a `label` column, and
// the drift check's export step made the user's own. Events go in as GitHub sends them, and each
// finished run sends workflow_run on to the workflows that follow it.
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@mlactions/github';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type InitOptions, writeTemplates } from '../packages/cli/src/init/write-templates.ts';
import { createRandom } from '../packages/example-model/src/index.ts';
import { openStore } from '../packages/store/src/index.ts';
import {
  fakeSha,
  type GitHubDouble,
  pullRequestEvent,
  pushEvent,
  REPO_ROOT,
  type S3Server,
  s3Env,
  scheduleEvent,
  startGitHubDouble,
  startS3Server,
} from './harness/index.ts';
import { deliver, type WorkflowRepository, type WorkflowRun } from './harness/workflow-runner.ts';

type Settings = Omit<InitOptions, 'dir' | 'templatesDir' | 'force' | 'trainCommand' | 'name'>;

const temps: string[] = [];
let trainScript: string;
beforeAll(async () => {
  const dir = await temp('workflow-train-');
  trainScript = join(dir, 'train.mjs');
  await build({
    entryPoints: [join(REPO_ROOT, 'test/fixtures/workflow-repo/train.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: trainScript,
    logLevel: 'silent',
    // Bundled CommonJS (yaml, by way of @mlactions/core) requires Node's modules.
    banner: {
      js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    },
  });
});
afterAll(async () => {
  for (const dir of temps.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function temp(prefix: string) {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

/**
 * Customers with two features and whether they churned; `shift` moves x1 (the live data after the
 * world changed). Seeded, so every run sees the same rows.
 */
function customers(seed: number, rows: number, options: { label: boolean; shift?: number }): string {
  const random = createRandom(seed);
  const lines = [options.label ? 'x1,x2,label' : 'x1,x2'];
  for (let i = 0; i < rows; i++) {
    const churn = random.next() < 0.4;
    const x1 = (churn ? 1.5 : -1.5) + random.normal() + (options.shift ?? 0);
    const x2 = (churn ? 0.5 : -0.5) + random.normal();
    lines.push(
      [x1.toFixed(3), x2.toFixed(3), ...(options.label ? [churn ? 'churn' : 'stay'] : [])].join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}

const LAST_WEEK = 'inputs/last-week.csv';
/** The drift template's export step, which the Quickstart leaves to the user: theirs copies a file. */
const EXPORT_STEP = 'python export_inputs.py --days 7 --out data/current.csv';

/** A user's repository after `mlactions init` and the Quickstart's second step. */
async function userRepository(
  settings: Settings,
): Promise<{ source: string; files: Record<string, string> }> {
  const source = await temp('workflow-repo-');
  await cp(trainScript, join(source, 'train.mjs'));
  await writeFile(join(source, 'train-config.json'), '{"epochs": 3}\n');
  await mkdir(join(source, 'data'));
  await mkdir(join(source, 'inputs'));
  await writeFile(join(source, 'data/train.csv'), customers(1, 400, { label: true }));
  await writeFile(join(source, 'data/validation.csv'), customers(2, 200, { label: true }));
  await writeFile(join(source, LAST_WEEK), customers(3, 300, { label: false }));
  const written = await writeTemplates({
    dir: source,
    templatesDir: join(REPO_ROOT, 'templates'),
    force: false,
    name: 'churn',
    trainCommand: 'node train.mjs',
    ...settings,
  });
  const files: Record<string, string> = {};
  for (const path of written) files[path.split('/').pop()!] = await readFile(path, 'utf8');
  expect(files['drift.yml']).toContain(EXPORT_STEP);
  files['drift.yml'] = files['drift.yml']!.replace(EXPORT_STEP, `cp ${LAST_WEEK} data/current.csv`);
  await writeFile(join(source, '.github/workflows/drift.yml'), files['drift.yml']!);
  return { source, files };
}

const CONFIGURATIONS: [string, Settings & { s3?: true }][] = [
  ['a github-release store', {}],
  ['an S3 store', { s3: true }],
  ['GPU runners', { gpuLabels: ['self-hosted', 'a100'] }],
];

/** The jobs' logs of the runs, for a failure's message. */
const logs = (runs: WorkflowRun[]) =>
  runs
    .flatMap((run) => Object.entries(run.jobs).map(([id, job]) => `${run.file} ${id}: ${job.log.join('\n')}`))
    .join('\n');
const summary = (runs: WorkflowRun[]) => runs.map((run) => `${run.file}: ${run.conclusion}`);

/** The servers a chain runs against, the repository init wrote, and a look into the store. */
interface Chain {
  double: GitHubDouble;
  repository: WorkflowRepository;
  /** The version the store's `production` alias names. */
  production(): Promise<string | undefined>;
  /** The payloads of the Deployments to `production`, oldest first. */
  deployed(): unknown[];
}

/** Runs `body` against a fresh GitHub double (and S3 server), in a repository init wrote for `settings`. */
async function withChain(
  { s3, ...settings }: Settings & { s3?: true },
  body: (chain: Chain) => Promise<void>,
): Promise<void> {
  const double = await startGitHubDouble();
  let server: S3Server | undefined;
  try {
    server = s3 ? await startS3Server({ buckets: ['models'] }) : undefined;
    const storeSettings = server
      ? {
          store: 's3://models/churn',
          awsRoleArn: 'arn:aws:iam::123456789012:role/models',
          awsRegion: server.region,
        }
      : {};
    const { source, files } = await userRepository({ ...settings, ...storeSettings });
    const repository: WorkflowRepository = {
      files,
      source,
      githubApiUrl: double.url,
      // Each job's token has the permissions its `permissions:` grant, and no more.
      jobToken: (permissions) => double.jobToken(permissions),
      ...(server ? { awsEnv: s3Env(server) } : {}),
      // The GPU host: the fake nvidia-smi answers as an H100 would.
      selfHostedEnv: {
        PATH: `${join(REPO_ROOT, 'test/fixtures/nvidia-smi/bin')}:${process.env.PATH}`,
        FAKE_NVIDIA_SMI: 'h100',
      },
    };
    const store = server
      ? openStore('s3://models/churn', {
          s3: {
            endpoint: server.endpoint,
            region: server.region,
            clientConfig: { credentials: server.credentials },
          },
        })
      : openStore('github-release://octocat/model-repo', {
          github: { client: createClient({ token: 'ghs_test', baseUrl: double.url, pacing: 'none' }) },
        });
    await body({
      double,
      repository,
      production: async () =>
        (await store.listAliases('churn')).find((a) => a.alias === 'production')?.version,
      deployed: () => double.state.deployments('octocat', 'model-repo', 'production').map((d) => d.payload),
    });
  } finally {
    await server?.stop();
    await double.close();
  }
}

/** The pull request's head: the repository, training for more epochs. */
async function pullRequestHead(source: string): Promise<string> {
  const head = await temp('workflow-head-');
  await cp(source, head, { recursive: true });
  await writeFile(join(head, 'train-config.json'), '{"epochs": 12}\n');
  return head;
}

/** The gate's check runs on a commit: their summaries. */
const gateSummaries = (double: GitHubDouble, sha: string) =>
  double.state.checkRuns('octocat', 'model-repo', sha).map((run) => run.output.summary ?? '');

describe('the workflows init writes, run as GitHub would', () => {
  // The chains wait on processes and servers more than they compute: they run side by side.
  it.concurrent.each(CONFIGURATIONS)(
    'with %s: push publishes and deploys, a pull request is reported and gated, the merge deploys it, and drift opens and closes an issue',
    (_what, settings) =>
      withChain(settings, async ({ double, repository, production, deployed }) => {
        // A push to main trains and publishes 0.0.1; the training run's completion starts the deploy.
        const pushed = await deliver(repository, pushEvent());
        expect(summary(pushed), logs(pushed)).toEqual(['train.yml: success', 'deploy.yml: success']);
        expect(pushed[0]!.jobs.train!.runsOn).toEqual(settings.gpuLabels ?? 'ubuntu-latest');
        expect(pushed[0]!.jobs.publish!.outputs.version).toBe('0.0.1');
        expect(deployed()).toMatchObject([{ version: '0.0.1' }]);
        expect(await production()).toBe('0.0.1');
        const tags = double.state.releases('octocat', 'model-repo').map((r) => r.tag_name);
        if (settings.s3) expect(tags).toEqual([]);
        else expect(tags).toContain('churn@v0.0.1');

        // A pull request that trains longer: one comment that compares with production, and the
        // gate's status on the pull request's head commit, from rules that compared with production.
        const head = await pullRequestHead(repository.source);
        const pr = pullRequestEvent({ mergeCommitSha: fakeSha('merge of #7') });
        const headSha = pr.payload.pull_request.head.sha;
        double.seedPullRequest({ number: pr.payload.number, head: { sha: headSha } });
        const opened = await deliver({ ...repository, source: head }, pr);
        expect(summary(opened), logs(opened)).toEqual(['gate.yml: success', 'report.yml: success']);
        const comments = double.state.issueComments('octocat', 'model-repo', pr.payload.number);
        expect(comments).toHaveLength(1);
        expect(comments[0]!.body).toContain('0.0.1');
        expect(comments[0]!.body).not.toMatch(/no baseline/i);
        const statuses = double.state.statuses('octocat', 'model-repo', headSha);
        expect(statuses.map((s) => [s.context, s.state])).toEqual([['mlactions/gate', 'success']]);
        expect(gateSummaries(double, headSha)).toEqual([expect.stringContaining('Baseline: baseline model')]);

        // The merge: GitHub closes the pull request (no workflow here runs on that) and pushes the
        // merge commit to main, which trains, publishes 0.0.2 and deploys it to production.
        expect(await deliver(repository, pullRequestEvent({ action: 'closed' }))).toEqual([]);
        const merged = await deliver(
          { ...repository, source: head },
          pushEvent({ after: pr.payload.pull_request.merge_commit_sha!, message: 'Merge pull request #7' }),
        );
        expect(summary(merged), logs(merged)).toEqual(['train.yml: success', 'deploy.yml: success']);
        expect(deployed()).toMatchObject([{ version: '0.0.1' }, { version: '0.0.2' }]);
        expect(await production()).toBe('0.0.2');

        // Each Monday the drift check compares last week's inputs with the training data: the
        // world moved, so an issue is opened (and retraining asked for); a week later it is back,
        // so the issue is closed.
        await writeFile(join(repository.source, LAST_WEEK), customers(3, 300, { label: false, shift: 2 }));
        const drifted = await deliver(repository, scheduleEvent());
        expect(summary(drifted), logs(drifted)).toEqual(['drift.yml: success']);
        const [issue] = double.state.issues('octocat', 'model-repo').filter((i) => !i.pull_request);
        expect(issue).toMatchObject({ state: 'open', labels: [expect.objectContaining({ name: 'drift' })] });
        expect(double.state.workflowDispatches('octocat', 'model-repo')).toMatchObject([
          { workflow_id: 'train.yml' },
        ]);
        await writeFile(join(repository.source, LAST_WEEK), customers(4, 300, { label: false }));
        const recovered = await deliver(repository, scheduleEvent());
        expect(summary(recovered), logs(recovered)).toEqual(['drift.yml: success']);
        expect(double.state.issue('octocat', 'model-repo', issue!.number)?.state).toBe('closed');
      }),
    240_000,
  );
});

describe('a template that breaks the chain', () => {
  it(
    'without `statuses: write` the gate job fails, and the pull request gets no status',
    () =>
      withChain({}, async ({ double, repository }) => {
        const gate = repository.files['gate.yml']!;
        const unprivileged = gate.replace(/\n\s+statuses: write[^\n]*/, '');
        expect(unprivileged).not.toBe(gate);
        const pr = pullRequestEvent();
        double.seedPullRequest({
          number: pr.payload.number,
          head: { sha: pr.payload.pull_request.head.sha },
        });
        const runs = await deliver({ ...repository, files: { 'gate.yml': unprivileged } }, pr);
        expect(summary(runs)).toEqual(['gate.yml: failure']);
        expect(runs[0]!.jobs.gate!.log.join('\n')).toContain(
          'Add `permissions: { statuses: write }` to the job',
        );
        expect(double.state.statuses('octocat', 'model-repo', pr.payload.pull_request.head.sha)).toEqual([]);
      }),
    120_000,
  );

  it(
    "with the fetch step's output renamed, the gate stops comparing with production",
    () =>
      withChain({}, async ({ double, repository }) => {
        const gate = repository.files['gate.yml']!;
        const renamed = gate.replaceAll('steps.production.outputs.found', 'steps.production.outputs.exists');
        expect(renamed).not.toBe(gate);
        const pushed = await deliver(
          {
            ...repository,
            files: {
              'train.yml': repository.files['train.yml']!,
              'deploy.yml': repository.files['deploy.yml']!,
            },
          },
          pushEvent(),
        );
        expect(summary(pushed), logs(pushed)).toEqual(['train.yml: success', 'deploy.yml: success']);
        const pr = pullRequestEvent();
        const headSha = pr.payload.pull_request.head.sha;
        double.seedPullRequest({ number: pr.payload.number, head: { sha: headSha } });
        const runs = await deliver({ ...repository, files: { 'gate.yml': renamed } }, pr);
        // The run succeeds: only the chain's promise, a gate that compares with production, is broken.
        expect(summary(runs), logs(runs)).toEqual(['gate.yml: success']);
        expect(gateSummaries(double, headSha)).toEqual([
          expect.not.stringContaining('Baseline: baseline model'),
        ]);
      }),
    120_000,
  );

  it(
    'an S3 publish job without the credentials step fails and says why, and nothing is deployed',
    () =>
      withChain({ s3: true }, async ({ repository, production, deployed }) => {
        const train = repository.files['train.yml']!;
        const withoutRole = train.replace(
          /\n\s+- uses: aws-actions\/configure-aws-credentials@[^\n]*\n(\s+with:\n(\s{10}[^\n]*\n)+)/,
          '\n',
        );
        expect(withoutRole).not.toContain('configure-aws-credentials@');
        const runs = await deliver(
          { ...repository, files: { ...repository.files, 'train.yml': withoutRole } },
          pushEvent(),
        );
        expect(summary(runs)).toEqual(['train.yml: failure', 'deploy.yml: skipped']);
        expect(runs[0]!.jobs.publish!.log.join('\n')).toMatch(
          /No AWS (credentials were found|region is set)/,
        );
        expect(deployed()).toEqual([]);
        expect(await production()).toBeUndefined();
      }),
    120_000,
  );
});
