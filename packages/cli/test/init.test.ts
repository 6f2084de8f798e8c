import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import rootPkg from '../../../package.json' with { type: 'json' };
// @ts-expect-error the script is plain JavaScript
import { auditWorkflows, formatFinding } from '../../../scripts/audit-workflows.mjs';
// @ts-expect-error the script is plain JavaScript
import { lintWorkflows } from '../../../scripts/lint-workflows.mjs';
import { fillTemplate } from '../src/init/fill-template.ts';
import { type InitOptions, writeTemplates } from '../src/init/write-templates.ts';
import { runCli, runCliInTerminal } from './bundled-cli.ts';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));

const init = (dir: string, ...args: string[]) => runCli(['init', '--dir', dir, ...args]);

/** Every `uses:` of a workflow file, jobs and steps alike. */
function usesOf(file: string): string[] {
  const workflow = parse(readFileSync(file, 'utf8'));
  return Object.values(workflow.jobs ?? {}).flatMap((job) => {
    const j = job as { uses?: string; steps?: { uses?: string }[] };
    return [j.uses, ...(j.steps ?? []).map((s) => s.uses)].filter((u): u is string => typeof u === 'string');
  });
}

describe('mlactions init', () => {
  it('writes every template but the fork companions into an empty repository: they pass actionlint and the workflow audit and use only our actions at this version', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'init-'));
    const run = init(
      dir,
      '--store',
      's3://acme-models/prod',
      '--name',
      'churn',
      '--gpu-labels',
      'self-hosted,a100',
      '--train-command',
      'python train.py',
      '--aws-role-arn',
      'arn:aws:iam::123456789012:role/models',
      '--aws-region',
      'eu-west-1',
    );
    expect(run.status, run.stderr).toBe(0);
    const workflows = join(dir, '.github/workflows');
    const written = readdirSync(workflows).sort();
    expect(written).toEqual(
      readdirSync(join(repoRoot, 'templates'))
        .filter((f) => f.endsWith('.yml') && !f.endsWith('-forks.yml') && f !== 'cleanup.yml')
        .sort(),
    );
    const lint = await lintWorkflows({ root: dir, labels: ['a100'] });
    expect(auditWorkflows({ root: dir }).findings.map(formatFinding)).toEqual([]);
    expect(lint.problems).toEqual([]);
    expect(lint.files.length).toBe(written.length);
    for (const file of written) {
      const text = readFileSync(join(workflows, file), 'utf8');
      expect(text, file).not.toContain('# init:');
      for (const uses of usesOf(join(workflows, file)).filter((u) => u.startsWith('mlactions/'))) {
        const match = /^mlactions\/mlactions\/actions\/([a-z-]+)@(.+)$/.exec(uses);
        expect(match, `${file}: ${uses}`).not.toBeNull();
        expect(existsSync(join(repoRoot, 'actions', match![1]!, 'action.yml')), `${file}: ${uses}`).toBe(
          true,
        );
        expect(match![2], `${file}: ${uses}`).toBe(`v${rootPkg.version}`);
      }
    }
  });

  it("writes the fork companions, which post for forks' pull requests with a write token, only when asked", () => {
    const dir = mkdtempSync(join(tmpdir(), 'init-'));
    expect(init(dir, '--forks', '--name', 'churn', '--train-command', 'python train.py').status).toBe(0);
    const written = readdirSync(join(dir, '.github/workflows'));
    expect(written).toEqual(expect.arrayContaining(['gate-forks.yml', 'report-forks.yml', 'gate.yml']));
    const alone = mkdtempSync(join(tmpdir(), 'init-'));
    expect(init(alone, '--only', 'report-forks').status).toBe(0);
    expect(readdirSync(join(alone, '.github/workflows'))).toEqual(['report-forks.yml']);
  });

  it('writes the scheduled store clean-up, which deletes versions, only when asked', () => {
    const dir = mkdtempSync(join(tmpdir(), 'init-'));
    const run = init(
      dir,
      '--cleanup',
      '--store',
      'file:///srv/models',
      '--name',
      'churn',
      '--train-command',
      'x',
    );
    expect(run.status, run.stderr).toBe(0);
    const cleanup = readFileSync(join(dir, '.github/workflows/cleanup.yml'), 'utf8');
    expect(cleanup).toContain('store: "file:///srv/models"');
    expect(cleanup).toContain('name: "churn"');
    // Only a github-release:// store writes to the repository.
    expect(cleanup).toContain('contents: read');
    expect(cleanup).not.toContain('id-token');
  });

  it('refuses to overwrite a workflow, writing nothing, unless --force', () => {
    const dir = mkdtempSync(join(tmpdir(), 'init-'));
    expect(init(dir, '--only', 'report', '--train-command', 'python train.py').status).toBe(0);
    const path = join(dir, '.github/workflows/report.yml');
    writeFileSync(path, 'mine\n');
    const again = init(dir, '--train-command', 'python train.py');
    expect(again.status).toBe(1);
    expect(again.stderr).toContain(`${path} already exist; nothing was written. Pass --force`);
    expect(readFileSync(path, 'utf8')).toBe('mine\n');
    expect(readdirSync(join(dir, '.github/workflows'))).toEqual(['report.yml']);
    expect(init(dir, '--force', '--train-command', 'python train.py').status).toBe(0);
    expect(readFileSync(path, 'utf8')).not.toBe('mine\n');
  });

  it('names an unknown template', () => {
    const run = init(mkdtempSync(join(tmpdir(), 'init-')), '--only', 'nope');
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/no template named nope\. Templates: .*report/);
  });
});

describe('what init writes for the choices made', () => {
  const TRAIN = 'python -m churn.train --epochs 3';
  const AWS = { awsRoleArn: 'arn:aws:iam::123456789012:role/models', awsRegion: 'eu-west-1' };

  interface Step {
    uses?: string;
    run?: string;
    with?: Record<string, string>;
  }
  interface Job {
    'runs-on': string | string[];
    permissions: Record<string, string>;
    steps: Step[];
  }
  interface Workflow {
    on: Record<string, unknown>;
    jobs: Record<string, Job>;
  }

  /** Writes the workflows into a new repository (with these files in it) and reads them back. */
  async function written(
    settings: Omit<InitOptions, 'dir' | 'templatesDir' | 'force'>,
    files: string[] = [],
  ) {
    const dir = mkdtempSync(join(tmpdir(), 'init-'));
    for (const file of files) writeFileSync(join(dir, file), '');
    await writeTemplates({ dir, templatesDir: join(repoRoot, 'templates'), force: false, ...settings });
    const workflows = join(dir, '.github/workflows');
    return Object.fromEntries(
      readdirSync(workflows).map((f) => {
        const text = readFileSync(join(workflows, f), 'utf8');
        return [f, { text, workflow: parse(text) as Workflow }];
      }),
    );
  }

  const jobs = (files: Awaited<ReturnType<typeof written>>) =>
    Object.entries(files).flatMap(([file, { workflow }]) =>
      Object.entries(workflow.jobs).map(([name, job]) => ({ where: `${file} ${name}`, job })),
    );
  const touchesStore = (job: Job) => job.steps.some((s) => s.with?.store ?? s.with?.['base-store']);

  it('refuses, writing nothing, when a setting it cannot guess is missing, and asks for it when it can', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'init-'));
    const options = {
      dir,
      templatesDir: join(repoRoot, 'templates'),
      force: false,
      store: 's3://acme/models',
    };
    await expect(writeTemplates(options)).rejects.toThrow(
      /the workflows need --train-command \(.*\), --aws-role-arn \(.*\), --aws-region \(.*\); nothing was written/,
    );
    expect(existsSync(join(dir, '.github'))).toBe(false);
    const asked: string[] = [];
    const answers: Record<string, string> = {
      'train-command': TRAIN,
      'aws-role-arn': AWS.awsRoleArn,
      'aws-region': AWS.awsRegion,
    };
    const ask = async (setting: string) => {
      asked.push(setting);
      return answers[setting]!;
    };
    await writeTemplates({ ...options, ask });
    expect(asked).toEqual(['train-command', 'aws-role-arn', 'aws-region']);
    expect(readFileSync(join(dir, '.github/workflows/train.yml'), 'utf8')).toContain(`command: "${TRAIN}"`);
  });

  it('in a terminal, asks for each setting no flag gave, keeping answers typed ahead; an empty answer writes nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'init-'));
    const args = ['init', '--dir', dir, '--name', 'churn', '--store', 's3://acme/models'];
    const typed = `${TRAIN}\n${AWS.awsRoleArn}\n${AWS.awsRegion}\n`;
    const run = runCliInTerminal(args, typed);
    expect(run.status, run.stdout).toBe(0);
    for (const question of ['--train-command: the command that trains', '--aws-role-arn: ', '--aws-region: '])
      expect(run.stdout).toContain(question);
    const train = readFileSync(join(dir, '.github/workflows/train.yml'), 'utf8');
    expect(train).toContain(`command: "${TRAIN}"`);
    expect(train).toContain(`role-to-assume: "${AWS.awsRoleArn}"`);
    expect(train).toContain(`aws-region: "${AWS.awsRegion}"`);

    const empty = mkdtempSync(join(tmpdir(), 'init-'));
    const refused = runCliInTerminal(['init', '--dir', empty], '\n');
    expect(refused.status, refused.stdout).toBe(1);
    expect(refused.stdout).toContain('--train-command is needed; nothing was written.');
    expect(existsSync(join(empty, '.github'))).toBe(false);
  });

  it('has one workflow train and publish on a push to main: on the GPU runners when given, on a hosted runner otherwise', async () => {
    for (const gpuLabels of [undefined, ['self-hosted', 'a100']]) {
      const files = await written({ trainCommand: TRAIN, ...(gpuLabels ? { gpuLabels } : {}) });
      const onPush = Object.entries(files).filter(([, { workflow }]) => 'push' in workflow.on);
      expect(onPush.map(([f]) => f)).toEqual(['train.yml']);
      const { train, publish } = files['train.yml']!.workflow.jobs;
      expect(train!['runs-on']).toEqual(gpuLabels ?? 'ubuntu-latest');
      const step = train!.steps.find((s) => s.uses?.includes('/actions/train@'))!;
      expect(step.with!['require-gpu']).toBe(gpuLabels !== undefined);
      expect(publish!.steps.some((s) => s.uses?.includes('/actions/publish@'))).toBe(true);
      expect(files['deploy.yml']!.text).toContain('workflows: [Model training]');
    }
  });

  it('runs the one training command wherever the model is built, and needs no data files it was not told of', async () => {
    const files = await written({ trainCommand: TRAIN });
    const commands = jobs(files).flatMap(({ where, job }) =>
      job.steps.filter((s) => s.uses?.includes('/actions/train@')).map((s) => [where, s.with!.command]),
    );
    expect(commands.map(([where]) => where).sort()).toEqual([
      'gate.yml build',
      'report.yml build',
      'sweep.yml train',
      'train.yml train',
    ]);
    for (const [where, command] of commands) expect(command, where).toBe(TRAIN);
    for (const [file, { text }] of Object.entries(files)) expect(text, file).not.toContain('data.dvc');
  });

  it('for an s3:// store, assumes the role with an OIDC token in every job that touches the store, and says nothing of releases', async () => {
    const files = await written({ trainCommand: TRAIN, store: 's3://acme/models', ...AWS });
    const storeJobs = jobs(files).filter(({ job }) => touchesStore(job));
    expect(storeJobs.map((j) => j.where).sort()).toEqual([
      'deploy.yml deploy',
      'gate.yml gate',
      'report.yml report',
      'sweep.yml best',
      'train.yml publish',
    ]);
    for (const { where, job } of storeJobs) {
      expect(job.permissions['id-token'], where).toBe('write');
      expect(job.permissions.contents ?? 'read', where).toBe('read');
      const credentials = job.steps.findIndex((s) =>
        s.uses?.startsWith('aws-actions/configure-aws-credentials@'),
      );
      const store = job.steps.findIndex((s) => s.with?.store ?? s.with?.['base-store']);
      expect(credentials, where).toBeGreaterThanOrEqual(0);
      expect(credentials, where).toBeLessThan(store);
      expect(job.steps[credentials]!.with).toEqual({
        'role-to-assume': AWS.awsRoleArn,
        'aws-region': AWS.awsRegion,
      });
    }
    for (const { where, job } of jobs(files).filter(({ job }) => !touchesStore(job))) {
      expect(job.permissions['id-token'], where).toBeUndefined();
    }
    for (const [file, { text }] of Object.entries(files)) expect(text, file).not.toMatch(/release/i);
  });

  it('for a github-release:// store, writes releases with contents: write and no AWS step', async () => {
    const files = await written({ trainCommand: TRAIN });
    expect(files['train.yml']!.workflow.jobs.publish!.permissions).toEqual({ contents: 'write' });
    for (const [file, { text }] of Object.entries(files)) expect(text, file).not.toMatch(/aws|id-token/i);
  });

  it('sets up Python, and installs requirements.txt only where the repository has one', async () => {
    const setups = (files: Awaited<ReturnType<typeof written>>) =>
      jobs(files)
        .filter(({ job }) => job.steps.some((s) => s.uses?.includes('/actions/train@')))
        .map(({ job }) => [
          job.steps.find((s) => s.uses?.startsWith('actions/setup-python@'))?.with?.['python-version'],
          job.steps.some((s) => s.run === 'python -m pip install -r requirements.txt'),
        ]);
    expect(setups(await written({ trainCommand: TRAIN }))).toEqual([
      [undefined, false],
      [undefined, false],
      [undefined, false],
      [undefined, false],
    ]);
    expect(setups(await written({ trainCommand: TRAIN, python: '3.11' }))).toEqual([
      ['3.11', false],
      ['3.11', false],
      ['3.11', false],
      ['3.11', false],
    ]);
    expect(setups(await written({ trainCommand: TRAIN, python: '3.11' }, ['requirements.txt']))).toEqual([
      ['3.11', true],
      ['3.11', true],
      ['3.11', true],
      ['3.11', true],
    ]);
  });

  it("takes the report's baseline from the store's production version, and from git only when asked", async () => {
    const report = async (baseline?: 'git') =>
      (
        await written({
          trainCommand: TRAIN,
          store: 'file:///srv/models',
          name: 'churn',
          ...(baseline ? { baseline } : {}),
        })
      )['report.yml']!.workflow.jobs.report!.steps.find((s) => s.uses?.includes('/actions/report@'))!.with;
    expect(await report()).toEqual({
      head: 'metrics.json',
      'base-store': 'file:///srv/models',
      'base-model': 'churn',
      'base-version': 'production',
    });
    expect(await report('git')).toEqual({
      head: 'metrics.json',
      base: `git:${'$'}{{ github.event.pull_request.base.sha }}`,
    });
  });
});

describe('fillTemplate', () => {
  const template = [
    'jobs:',
    '  train:',
    '    runs-on: [self-hosted, gpu] # init: gpu-labels',
    '    environment: production # init: environment',
    '    steps:',
    '      - with:',
    '          store: s3://my-bucket/models # init: store',
    '          name: my-model # init: name',
    '          other: kept # a plain comment',
  ].join('\n');

  it('fills the marked values and removes the markers', () => {
    const out = fillTemplate(template, { store: 'file://models', gpuLabels: ['self-hosted', 'h100'] });
    expect(out).toContain('    runs-on: ["self-hosted", "h100"]\n');
    expect(out).toContain('          store: "file://models"\n');
    expect(out).toContain('    environment: production\n');
    expect(out).toContain('          name: my-model\n');
    expect(out).toContain('          other: kept # a plain comment');
    expect(out).not.toContain('# init:');
  });

  it("pins our actions to the release's commit when the CLI knows it, keeping the version as a comment", () => {
    const uses = [
      '      - uses: mlactions/mlactions/actions/gate@v1.4.0',
      '      - uses: actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8 # v5.0.0',
    ].join('\n');
    const sha = 'a'.repeat(40);
    expect(fillTemplate(uses, { releaseSha: sha }).split('\n')).toEqual([
      `      - uses: mlactions/mlactions/actions/gate@${sha} # v1.4.0`,
      '      - uses: actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8 # v5.0.0',
    ]);
    expect(fillTemplate(uses, {})).toBe(uses);
  });

  it('keeps the lines and blocks whose condition holds and drops the others, markers and all', () => {
    const conditional = [
      'permissions:',
      '  contents: write # init: store-contents',
      '  id-token: write # init-if: s3',
      'steps:',
      '  # init-if: python',
      '  - uses: actions/setup-python',
      '  # init-end',
      '  - run: train',
    ].join('\n');
    expect(fillTemplate(conditional, { store: 's3://acme/models', python: '3.12' })).toBe(
      [
        'permissions:',
        '  contents: read',
        '  id-token: write',
        'steps:',
        '  - uses: actions/setup-python',
        '  - run: train',
      ].join('\n'),
    );
    expect(fillTemplate(conditional, {})).toBe(
      ['permissions:', '  contents: write', 'steps:', '  - run: train'].join('\n'),
    );
    expect(() => fillTemplate('  # init-if: s3\n  x: 1', {})).toThrow('never closed');
    expect(() => fillTemplate('  x: 1 # init-if: nope', {})).toThrow('"# init-if: nope" names no condition');
  });

  it('never lets a value become a workflow expression or break the YAML', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a workflow expression planted on purpose
    const out = fillTemplate(template, { name: '${{ secrets.TOKEN }}"\nrun: evil' });
    const parsed = parse(out);
    expect(parsed.jobs.train.steps[0].with.name).toBe('$ {{ secrets.TOKEN }}"\nrun: evil');
    expect(out).not.toContain('${{');
  });
});
