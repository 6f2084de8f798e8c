import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import rootPkg from '../package.json' with { type: 'json' };
import { type InitOptions, writeTemplates } from '../packages/cli/src/init/write-templates.ts';
import { REPO_ROOT } from './harness/index.ts';

interface Finding {
  file?: string;
  line: number;
  rule: string;
  message: string;
}

// The scripts are plain ESM JavaScript (they run before anything is built), so they are loaded by URL.
const audit = (await import(new URL('../scripts/audit-workflows.mjs', import.meta.url).href)) as {
  auditWorkflow(text: string, options?: { ownRef?: string }): Finding[];
  auditWorkflows(options?: { root?: string }): { files: string[]; findings: Finding[] };
  formatFinding(f: Finding): string;
};
const actionlint = (await import(new URL('../scripts/lint-workflows.mjs', import.meta.url).href)) as {
  lintWorkflows(options?: { root?: string; labels?: string[] }): Promise<{
    files: string[];
    problems: { file: string; message: string }[];
  }>;
};

const temps: string[] = [];
afterEach(async () => {
  for (const dir of temps.splice(0)) await rm(dir, { recursive: true, force: true });
});

const CHECKOUT = 'actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8 # v5.0.0';
const RELEASE_SHA = '0123456789abcdef0123456789abcdef01234567';

/** A workflow that keeps every rule: each planted mistake below breaks exactly one. */
const GOOD = `name: good
on:
  pull_request:
permissions: {}
jobs:
  build:
    runs-on: ubuntu-latest
    permissions:
      contents: read
    steps:
      - uses: ${CHECKOUT}
        with:
          persist-credentials: false
      - name: Build
        env:
          TITLE: \${{ github.event.pull_request.title }}
        run: echo "$TITLE"
      - uses: mlactions/mlactions/actions/report@v${rootPkg.version}
        with:
          head: metrics.json
  gate:
    needs: build
    runs-on: ubuntu-latest
    permissions:
      contents: read
      statuses: write
    steps:
      - uses: ${CHECKOUT}
        with:
          ref: \${{ github.event.pull_request.base.sha }}
          persist-credentials: false
      - uses: mlactions/mlactions/actions/gate@${RELEASE_SHA} # v${rootPkg.version}
        with:
          rules: accuracy >= 0.9
`;

const GPU_JOB = `name: train
on:
  push:
  pull_request:
permissions: {}
jobs:
  train:
    runs-on: [self-hosted, gpu]
    if: github.event_name != 'pull_request' || github.event.pull_request.head.repo.full_name == github.repository
    permissions:
      contents: read
    steps:
      - name: Refuse a fork's pull request
        env:
          HEAD_REPOSITORY: \${{ github.event.pull_request.head.repo.full_name }}
        run: test "$GITHUB_EVENT_NAME" != pull_request || test "$HEAD_REPOSITORY" = "$GITHUB_REPOSITORY"
      - run: python train.py
`;

const AFTER_RUN = `name: after
on:
  workflow_run:
    workflows: [Model publish]
    types: [completed]
permissions: {}
jobs:
  deploy:
    if: >-
      github.event.workflow_run.event == 'push' &&
      github.event.workflow_run.head_repository.full_name == github.repository &&
      github.event.workflow_run.conclusion == 'success'
    runs-on: ubuntu-latest
    permissions:
      deployments: write
    steps:
      - run: echo deploying
`;

const RELEASE = `name: release
on:
  workflow_dispatch:
permissions: {}
jobs:
  tag:
    runs-on: ubuntu-latest
    permissions:
      contents: write
    steps:
      - uses: ${CHECKOUT}
        with:
          persist-credentials: true
      - run: git push origin v1.0.0
`;

/** `${{ inner }}`: a workflow expression, written so that it reads as one here. */
const expression = (inner: string) => ['$', `{{ ${inner} }}`].join('');

const rules = (text: string, options?: { ownRef?: string }) =>
  audit.auditWorkflow(text, options).map((f) => f.rule);

/** Replaces one exact piece of a workflow, failing the test if it is not there. */
function plant(text: string, from: string, to: string): string {
  expect(text, `the fixture holds ${JSON.stringify(from)}`).toContain(from);
  return text.replace(from, to);
}

describe('the workflow audit', () => {
  it('passes the workflows that keep every rule', () => {
    for (const text of [GOOD, GPU_JOB, AFTER_RUN, RELEASE]) expect(audit.auditWorkflow(text)).toEqual([]);
  });

  it.each([
    [
      'checkout-credentials',
      'a checkout that persists the token',
      (w: string) =>
        plant(w, '          persist-credentials: false\n      - name: Build', '      - name: Build'),
    ],
    [
      'checkout-credentials',
      'persist-credentials: true in a job that may not push',
      (w: string) =>
        plant(w, 'persist-credentials: false\n      - name', 'persist-credentials: true\n      - name'),
    ],
    [
      'top-permissions',
      'scopes granted to the whole workflow',
      (w: string) => plant(w, 'permissions: {}', 'permissions:\n  contents: write'),
    ],
    [
      'job-permissions',
      'a job that inherits its scopes',
      (w: string) =>
        plant(
          w,
          '    runs-on: ubuntu-latest\n    permissions:\n      contents: read\n    steps',
          '    runs-on: ubuntu-latest\n    steps',
        ),
    ],
    ['pinned', 'a third-party action on a tag', (w: string) => plant(w, CHECKOUT, 'actions/checkout@v5')],
    [
      'pinned',
      'a sha without its version comment',
      (w: string) => plant(w, CHECKOUT, 'actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8'),
    ],
    [
      'own-actions',
      'our action on a branch',
      (w: string) => plant(w, `actions/report@v${rootPkg.version}`, 'actions/report@main'),
    ],
    [
      'run-injection',
      'event text expanded in run',
      (w: string) =>
        plant(w, 'run: echo "$TITLE"', `run: echo "${expression('github.event.pull_request.title')}"`),
    ],
    [
      'run-injection',
      'a workflow input expanded in run',
      (w: string) => plant(w, 'run: echo "$TITLE"', `run: echo "${expression('inputs.version')}"`),
    ],
    [
      'run-injection',
      'a step output expanded in run',
      (w: string) => plant(w, 'run: echo "$TITLE"', `run: echo "${expression('steps.best.outputs.run')}"`),
    ],
    [
      'dangerous-trigger',
      'pull_request_target',
      (w: string) => plant(w, 'on:\n  pull_request:', 'on:\n  pull_request_target:'),
    ],
    [
      'status-no-pr-code',
      "the status job running the pull request's code",
      (w: string) =>
        plant(
          w,
          '      - uses: mlactions/mlactions/actions/gate',
          '      - run: python train.py\n      - uses: mlactions/mlactions/actions/gate',
        ),
    ],
    [
      'status-no-pr-code',
      "the status job checking out the pull request's head",
      (w: string) =>
        plant(
          w,
          `ref: ${expression('github.event.pull_request.base.sha')}`,
          `ref: ${expression('github.event.pull_request.head.sha')}`,
        ),
    ],
  ])('finds %s: %s', (rule, _what, mistake) => {
    expect(rules(mistake(GOOD))).toEqual([rule]);
  });

  it('finds a self-hosted job that a fork could reach, or that does not refuse one first', () => {
    const noIf = plant(GPU_JOB, / {4}if: .*\n/.exec(GPU_JOB)![0], '');
    expect(rules(noIf)).toEqual(['self-hosted-fork']);
    const noRefusal = plant(
      GPU_JOB,
      / {6}- name: Refuse[\s\S]*?\n(?= {6}- run: python)/.exec(GPU_JOB)![0],
      '',
    );
    expect(rules(noRefusal)).toEqual(['self-hosted-fork']);
  });

  it.each([
    ['event', "github.event.workflow_run.event == 'push' &&\n      "],
    [
      'head repository',
      'github.event.workflow_run.head_repository.full_name == github.repository &&\n      ',
    ],
    ['conclusion', " &&\n      github.event.workflow_run.conclusion == 'success'"],
  ])('finds a workflow_run job that does not check the run’s %s', (_what, check) => {
    expect(rules(plant(AFTER_RUN, check, ''))).toEqual(['workflow-run-guard']);
  });

  it('finds a reusable workflow called on a tag', () => {
    const caller = `${GOOD}  shared:\n    permissions: {}\n    uses: acme/workflows/.github/workflows/lint.yml@main\n`;
    expect(rules(caller)).toEqual(['pinned']);
    const pinned = caller.replace(
      'lint.yml@main',
      'lint.yml@08c6903cd8c0fde910a37f88322edcfb5dd907a8 # v1.0.0',
    );
    expect(rules(pinned)).toEqual([]);
  });

  it('lets only a job granted contents: write persist the token it pushes with', () => {
    expect(rules(plant(RELEASE, 'contents: write', 'contents: read'))).toEqual(['checkout-credentials']);
  });

  it('holds init-written sets to the release they were written for', () => {
    expect(rules(GOOD, { ownRef: RELEASE_SHA })).toEqual(['own-actions']);
    expect(
      rules(plant(GOOD, `report@v${rootPkg.version}`, `report@${RELEASE_SHA} # v${rootPkg.version}`), {
        ownRef: RELEASE_SHA,
      }),
    ).toEqual([]);
  });

  it('names the file, line and rule', () => {
    const [finding] = audit.auditWorkflow(plant(GOOD, CHECKOUT, 'actions/checkout@v5'));
    expect(audit.formatFinding({ file: 'templates/x.yml', ...finding! })).toBe(
      'templates/x.yml:11: actions/checkout@v5: pin third-party actions by a full commit sha with a # vX.Y.Z comment [pinned]',
    );
  });

  it("passes every workflow of the repository: the templates, the examples' and the project's own", () => {
    const { files, findings } = audit.auditWorkflows();
    expect(findings.map(audit.formatFinding)).toEqual([]);
    expect(files).toEqual(
      expect.arrayContaining([
        'templates/gate.yml',
        'templates/gate-forks.yml',
        'templates/cleanup.yml',
        'templates/report-forks.yml',
        'examples/pytorch/.github/workflows/gate.yml',
        '.github/workflows/release.yml',
        '.github/workflows/ci.yml',
      ]),
    );
  });

  it('has Dependabot keep the pinned actions and the npm dependencies current', () => {
    const config = parse(readFileSync(join(REPO_ROOT, '.github/dependabot.yml'), 'utf8'));
    const ecosystems = config.updates.map((u: { 'package-ecosystem': string }) => u['package-ecosystem']);
    expect(ecosystems).toEqual(expect.arrayContaining(['github-actions', 'npm']));
  });
});

describe('what mlactions init writes', () => {
  const trainCommand = 'python train.py';
  const aws = { awsRoleArn: 'arn:aws:iam::123456789012:role/models', awsRegion: 'eu-west-1' };
  const configurations: Omit<InitOptions, 'dir' | 'templatesDir' | 'force'>[] = [
    { store: 'github-release://acme/churn', name: 'churn', trainCommand, cleanup: true },
    {
      store: 's3://acme-models/prod',
      name: 'churn',
      gpuLabels: ['self-hosted', 'a100'],
      trainCommand,
      ...aws,
    },
    {
      store: 'file:///srv/models',
      name: 'churn',
      environment: 'prod-eu',
      gpuLabels: ['gpu-h100'],
      trainCommand,
      python: '3.12',
      baseline: 'git' as const,
    },
    {
      store: 's3://acme-models/prod',
      name: 'churn',
      forks: true,
      cleanup: true,
      releaseSha: RELEASE_SHA,
      trainCommand,
      ...aws,
    },
    { forks: true, trainCommand },
  ];

  it.each(configurations)('passes the audit and actionlint: %j', async (settings) => {
    const dir = await mkdtemp(join(tmpdir(), 'init-audit-'));
    temps.push(dir);
    const written = await writeTemplates({
      dir,
      templatesDir: join(REPO_ROOT, 'templates'),
      force: false,
      ...settings,
    });
    const names = (await readdir(join(dir, '.github/workflows'))).sort();
    expect(names.includes('report-forks.yml')).toBe(settings.forks === true);
    expect(names.includes('gate-forks.yml')).toBe(settings.forks === true);
    expect(names.includes('cleanup.yml')).toBe(settings.cleanup === true);
    const ownRef = settings.releaseSha ?? `v${rootPkg.version}`;
    for (const file of written) {
      const findings = audit.auditWorkflow(await readFile(file, 'utf8'), { ownRef });
      expect(
        findings.map((f) => audit.formatFinding({ ...f, file })),
        file,
      ).toEqual([]);
    }
    const lint = await actionlint.lintWorkflows({ root: dir, labels: settings.gpuLabels ?? ['gpu'] });
    expect(lint.problems).toEqual([]);
    expect(lint.files).toHaveLength(written.length);
  });
});

describe('the example project', () => {
  it('loads checkpoints and cached data as weights only, on a torch that has weights_only', async () => {
    const train = await readFile(join(REPO_ROOT, 'examples/pytorch/train.py'), 'utf8');
    const loads = train.match(/torch\.load\([^)]*\)/g) ?? [];
    expect(loads.length).toBeGreaterThan(0);
    for (const call of loads) expect(call).toContain('weights_only=True');
    const requirements = await readFile(join(REPO_ROOT, 'examples/pytorch/requirements.txt'), 'utf8');
    expect(requirements).toMatch(/^torch>=2\.(6|[7-9]|\d\d)/m);
  });
});
