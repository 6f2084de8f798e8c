import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type InitOptions, writeTemplates } from '../packages/cli/src/init/write-templates.ts';
// @ts-expect-error the script is plain JavaScript
import { auditWorkflow } from '../scripts/audit-workflows.mjs';
// @ts-expect-error the script is plain JavaScript
import { lintWorkflows } from '../scripts/lint-workflows.mjs';
import { REPO_ROOT } from './harness/index.ts';
import { checkWorkflowChain, parseWorkflowFile } from './harness/workflow-chain.ts';

const temps: string[] = [];
afterEach(async () => {
  for (const dir of temps.splice(0)) await rm(dir, { recursive: true, force: true });
});

type Settings = Omit<InitOptions, 'dir' | 'templatesDir' | 'force'>;

/** What init writes for these settings: file name → text. */
async function initWrites(settings: Settings): Promise<Record<string, string>> {
  const dir = await mkdtemp(join(tmpdir(), 'init-chain-'));
  temps.push(dir);
  await writeTemplates({ dir, templatesDir: join(REPO_ROOT, 'templates'), force: false, ...settings });
  const workflows = join(dir, '.github/workflows');
  const files = (await readdir(workflows)).sort();
  return Object.fromEntries(
    await Promise.all(files.map(async (f) => [f, await readFile(join(workflows, f), 'utf8')] as const)),
  );
}

const trainCommand = 'node train.mjs';
const CONFIGURATIONS: [string, Settings][] = [
  ['a github-release store', { trainCommand, name: 'churn' }],
  [
    'an S3 store',
    {
      trainCommand,
      name: 'churn',
      store: 's3://models/churn',
      awsRoleArn: 'arn:aws:iam::123456789012:role/models',
      awsRegion: 'eu-west-1',
      python: '3.12',
    },
  ],
  ['GPU runners', { trainCommand, name: 'churn', gpuLabels: ['self-hosted', 'a100'], forks: true }],
];

describe("the chain of what init writes, read with GitHub's parsers", () => {
  it.each(CONFIGURATIONS)(
    'holds for %s: every output read is declared, every action has its scopes',
    async (_what, settings) => {
      const files = await initWrites(settings);
      expect(Object.keys(files)).toContain('train.yml');
      for (const [name, text] of Object.entries(files))
        expect(await checkWorkflowChain(name, text)).toEqual([]);
    },
  );

  it('breaks where a template renames an output or drops a permission, and says where', async () => {
    const { 'train.yml': train, 'report.yml': report } = await initWrites(CONFIGURATIONS[0]![1]);
    const renamed = train!.replace(
      'steps.publish.outputs.version',
      'steps.publish.outputs.published-version',
    );
    expect(renamed).not.toBe(train);
    expect(await checkWorkflowChain('train.yml', renamed)).toEqual([
      'train.yml: job publish: output version reads steps.publish.outputs.published-version, which mlactions/mlactions/actions/publish@v0.1.0 does not declare',
    ]);
    const unprivileged = report!.replace(/\n\s+pull-requests: write[^\n]*/, '');
    expect(unprivileged).not.toBe(report);
    expect(await checkWorkflowChain('report.yml', unprivileged)).toEqual([
      "report.yml: job report: step Report the metrics (report) needs `pull-requests: write` in the job's permissions",
    ]);
    const releases = train!.replace(/contents: write/, 'contents: read');
    expect(await checkWorkflowChain('train.yml', releases)).toEqual([
      "train.yml: job publish: step Publish the model (publish) needs `contents: write` in the job's permissions",
    ]);
  });

  it("refuses what GitHub's parser refuses, with its message", async () => {
    const { 'train.yml': train } = await initWrites(CONFIGURATIONS[0]![1]);
    await expect(
      parseWorkflowFile('train.yml', train!.replace('needs: train', 'needs: [train, nope]')),
    ).rejects.toThrow(/train\.yml: .*nope/);
  });
});

describe("the README's copy-paste workflow", () => {
  it('passes actionlint, the workflow audit and the chain check', async () => {
    const readme = await readFile(join(REPO_ROOT, 'README.md'), 'utf8');
    const workflow = /```yaml\n(name: [\s\S]*?)```/.exec(readme)?.[1];
    expect(workflow).toBeDefined();
    expect(auditWorkflow(workflow)).toEqual([]);
    expect(await checkWorkflowChain('report.yml', workflow!)).toEqual([]);
    const dir = await mkdtemp(join(tmpdir(), 'readme-workflow-'));
    temps.push(dir);
    await mkdir(join(dir, '.github/workflows'), { recursive: true });
    await writeFile(join(dir, '.github/workflows/report.yml'), workflow!);
    expect((await lintWorkflows({ root: dir })).problems).toEqual([]);
  });
});
