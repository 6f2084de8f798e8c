import { copyFile, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type InitOptions, writeTemplates } from '../packages/cli/src/init/write-templates.ts';
import {
  type GitHubDouble,
  pullRequestEvent,
  pushEvent,
  REPO_ROOT,
  s3Env,
  startGitHubDouble,
  startS3Server,
  workflowRunEvent,
} from './harness/index.ts';
import { runWorkflow } from './harness/workflow-runner.ts';

const temps: string[] = [];
let double: GitHubDouble;
beforeEach(async () => {
  double = await startGitHubDouble();
});
afterEach(async () => {
  await double.close();
  for (const dir of temps.splice(0)) await rm(dir, { recursive: true, force: true });
});

const temp = async (prefix: string) => {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
};

/** A user's repository: the example Node training script, and the workflows init wrote for it. */
async function repository(settings: Omit<InitOptions, 'dir' | 'templatesDir' | 'force'>) {
  const source = await temp('workflow-repo-');
  await copyFile(join(REPO_ROOT, 'examples/train-node/train.mjs'), join(source, 'train.mjs'));
  await writeTemplates({
    dir: source,
    templatesDir: join(REPO_ROOT, 'templates'),
    force: false,
    name: 'churn',
    // The example writes its model as model/model.json; the workflows publish model.onnx.
    trainCommand: 'node train.mjs && cp model/model.json model.onnx',
    ...settings,
  });
  const workflows = join(source, '.github/workflows');
  const files = Object.fromEntries(
    await Promise.all(
      (await readdir(workflows)).map(async (f) => [f, await readFile(join(workflows, f), 'utf8')] as const),
    ),
  );
  return { source, files };
}

describe('the workflows init writes, run as GitHub would', () => {
  it.each<[string, { gpuLabels?: string[] }]>([
    ['a hosted runner', {}],
    ['GPU runners', { gpuLabels: ['self-hosted', 'a100'] }],
  ])(
    'a push to main trains and publishes a version to the github-release store, on %s',
    async (_what, settings) => {
      const { source, files } = await repository(settings);
      const jobs = await runWorkflow({
        name: 'train.yml',
        text: files['train.yml']!,
        event: pushEvent(),
        source,
        githubApiUrl: double.url,
        // The GPU host: the fake nvidia-smi answers as an H100 would.
        selfHostedEnv: {
          PATH: `${join(REPO_ROOT, 'test/fixtures/nvidia-smi/bin')}:${process.env.PATH}`,
          FAKE_NVIDIA_SMI: 'h100',
        },
      });
      expect(jobs.train?.conclusion, jobs.train?.log.join('\n')).toBe('success');
      expect(jobs.train?.runsOn).toEqual(settings.gpuLabels ?? 'ubuntu-latest');
      expect(jobs.publish?.conclusion, jobs.publish?.log.join('\n')).toBe('success');
      expect(jobs.publish?.outputs.version).toBe('0.0.1');
      const releases = double.state.releases('octocat', 'model-repo').map((r) => r.tag_name);
      expect(releases).toContain('churn@v0.0.1');
    },
  );

  it('after the push, the deploy moves production, and a pull request gets one comment that compares with it', async () => {
    const { source, files } = await repository({});
    const push = pushEvent();
    const run = (name: string, event: Parameters<typeof runWorkflow>[0]['event']) =>
      runWorkflow({ name, text: files[name]!, event, source, githubApiUrl: double.url });
    const published = await run('train.yml', push);
    expect(published.publish?.conclusion, published.publish?.log.join('\n')).toBe('success');

    const deployed = await run(
      'deploy.yml',
      workflowRunEvent({
        event: 'push',
        headSha: push.payload.after,
        headBranch: 'main',
        workflowName: 'Model training',
        pullRequests: [],
      }),
    );
    expect(deployed.deploy?.conclusion, deployed.deploy?.log.join('\n')).toBe('success');
    const [deployment] = double.state.deployments('octocat', 'model-repo', 'production');
    expect(deployment?.payload).toMatchObject({ version: '0.0.1' });

    const pr = pullRequestEvent();
    double.seedPullRequest({ number: pr.payload.number, head: { sha: pr.payload.pull_request.head.sha } });
    const reported = await run('report.yml', pr);
    expect(reported.build?.conclusion, reported.build?.log.join('\n')).toBe('success');
    expect(reported.report?.conclusion, reported.report?.log.join('\n')).toBe('success');
    const comments = double.state.issueComments('octocat', 'model-repo', pr.payload.number);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain('0.0.1');
    expect(comments[0]!.body).not.toMatch(/no baseline/i);
  });

  it('a push to main publishes to an S3 store with the role init wrote', async () => {
    const server = await startS3Server({ buckets: ['models'] });
    try {
      const { source, files } = await repository({
        store: 's3://models/churn',
        awsRoleArn: 'arn:aws:iam::123456789012:role/models',
        awsRegion: server.region,
      });
      const jobs = await runWorkflow({
        name: 'train.yml',
        text: files['train.yml']!,
        event: pushEvent(),
        source,
        githubApiUrl: double.url,
        awsEnv: s3Env(server),
      });
      expect(jobs.publish?.conclusion, jobs.publish?.log.join('\n')).toBe('success');
      expect(jobs.publish?.outputs.version).toBe('0.0.1');
      expect(double.state.releases('octocat', 'model-repo')).toEqual([]);

      // Without the credentials step (a template that forgot it), the publish job fails and says why.
      const withoutRole = files['train.yml']!.replace(
        /\n\s+- uses: aws-actions\/configure-aws-credentials@[^\n]*\n(\s+with:\n(\s{10}[^\n]*\n)+)/,
        '\n',
      );
      expect(withoutRole).not.toContain('configure-aws-credentials@');
      const broken = await runWorkflow({
        name: 'train.yml',
        text: withoutRole,
        event: pushEvent(),
        source,
        githubApiUrl: double.url,
        awsEnv: s3Env(server),
      });
      expect(broken.publish?.conclusion).toBe('failure');
      expect(broken.publish?.log.join('\n')).toMatch(/No AWS (credentials were found|region is set)/);
    } finally {
      await server.stop();
    }
  });
});
