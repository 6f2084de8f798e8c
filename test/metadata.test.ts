import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

interface Problem {
  file: string;
  line?: number;
  column?: number;
  kind?: string;
  message: string;
}
interface CheckResult {
  files: string[];
  problems: Problem[];
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const script = (name: string) => join(root, 'scripts', name);

// The scripts are plain ESM JavaScript (they run before anything is built), so they are loaded by URL.
const metadata = (await import(new URL('../scripts/check-action-metadata.mjs', import.meta.url).href)) as {
  checkActionMetadata(options?: { root?: string }): CheckResult;
  formatProblem(p: Problem): string;
};
const workflows = (await import(new URL('../scripts/lint-workflows.mjs', import.meta.url).href)) as {
  lintWorkflows(options?: { root?: string }): Promise<CheckResult>;
  formatProblem(p: Problem): string;
};

function cli(name: string, args: string[]) {
  // A time limit, since spawnSync blocks this test's own timers.
  const run = spawnSync(process.execPath, [script(name), ...args], { encoding: 'utf8', timeout: 120_000 });
  if (run.error)
    throw new Error(`${name} ${args.join(' ')}: ${run.error.message}\n${run.stdout}\n${run.stderr}`);
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

const temps: string[] = [];
async function tree(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'mlactions-metadata-'));
  temps.push(dir);
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return dir;
}

afterEach(async () => {
  for (const dir of temps.splice(0)) await rm(dir, { recursive: true, force: true });
});

const GOOD_ACTION = `name: Good
description: A valid action.
inputs:
  model:
    description: The model.
    required: true
runs:
  using: node24
  main: dist/index.js
`;

describe('action metadata check', () => {
  it('passes on the tree, fixtures included', () => {
    const result = metadata.checkActionMetadata();
    expect(result.problems.map(metadata.formatProblem)).toEqual([]);
    expect(result.files).toContain('test/fixtures/actions/harness-probe/action.yml');
    const run = cli('check-action-metadata.mjs', []);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/action metadata: \d+ file\(s\) valid/);
  });

  it('names the file, line and problem for a misspelled key and a wrong runtime', async () => {
    const dir = await tree({
      'actions/good/action.yml': GOOD_ACTION,
      'actions/good/dist/index.js': '',
      'actions/bad/action.yml': GOOD_ACTION.replace('required: true', 'requird: true')
        .replace('using: node24', 'using: node20')
        .replace('main: dist/index.js', 'mian: dist/index.js'),
    });
    const lines = metadata.checkActionMetadata({ root: dir }).problems.map(metadata.formatProblem);
    expect(lines).toEqual([
      'actions/bad/action.yml:6: unknown key "requird" in inputs.model',
      'actions/bad/action.yml:7: runs is missing the required key "main"',
      'actions/bad/action.yml:8: runs.using is "node20"; mlactions actions run on node24 (set runs.using: node24)',
      'actions/bad/action.yml:9: unknown key "mian" in runs',
    ]);

    const run = cli('check-action-metadata.mjs', ['--root', dir]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('actions/bad/action.yml:6: unknown key "requird" in inputs.model');
    expect(run.stderr).toContain('action metadata: 4 problem(s) in 2 file(s)');
  });

  it('rejects a runtime GitHub does not know and a main that is not there', async () => {
    const dir = await tree({
      'test/fixtures/actions/odd/action.yml': GOOD_ACTION.replace('using: node24', 'using: nodejs'),
    });
    const lines = metadata.checkActionMetadata({ root: dir }).problems.map(metadata.formatProblem);
    expect(lines).toEqual([
      'test/fixtures/actions/odd/action.yml:8: runs.using must be one of "node12", "node16", "node20", "node24", "composite", "docker"',
      'test/fixtures/actions/odd/action.yml:8: runs.using is "nodejs"; mlactions actions run on node24 (set runs.using: node24)',
      'test/fixtures/actions/odd/action.yml:9: runs.main names dist/index.js, which does not exist beside action.yml (build the bundles: node scripts/build.mjs)',
    ]);
  });
});

const GOOD_WORKFLOW = `name: report
on:
  pull_request:
permissions:
  contents: read
  pull-requests: write
jobs:
  report:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v5
      - run: echo "\${{ github.event.pull_request.number }}"
`;

describe('workflow lint', () => {
  it('passes on the tree', async () => {
    const result = await workflows.lintWorkflows();
    expect(result.problems.map(workflows.formatProblem)).toEqual([]);
    expect(result.files).toContain('.github/workflows/ci.yml');
    expect(result.files).toContain('examples/pytorch/.github/workflows/train.yml');
    // The command says the same of a clean tree (one file here: the tree itself is linted above).
    const run = cli('lint-workflows.mjs', ['--root', await tree({ 'templates/report.yml': GOOD_WORKFLOW })]);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('actionlint: 1 workflow file(s) clean\n');
  });

  it('names the file, position and problem for an undefined expression and a bad runs-on', async () => {
    const dir = await tree({
      'templates/report.yml': GOOD_WORKFLOW,
      'templates/flows/report.yml': GOOD_WORKFLOW.replace(
        'github.event.pull_request.number',
        'github.pull_request_number',
      ),
      '.github/workflows/ci.yml': GOOD_WORKFLOW.replace(
        'runs-on: ubuntu-latest',
        'runs-on:\n      labels: ubuntu-latest\n      grup: ci',
      ),
    });
    const { files, problems } = await workflows.lintWorkflows({ root: dir });
    expect(files).toEqual(['templates/flows/report.yml', 'templates/report.yml', '.github/workflows/ci.yml']);
    expect(problems).toMatchObject([
      {
        file: 'templates/flows/report.yml',
        line: 12,
        kind: 'expression',
        message: expect.stringMatching(
          /^property "pull_request_number" is not defined in object type \{action: string; /,
        ),
      },
      {
        file: '.github/workflows/ci.yml',
        line: 11,
        kind: 'syntax-check',
        message: 'unexpected key "grup" for "runs-on" section. expected one of "group", "labels"',
      },
    ]);

    const run = cli('lint-workflows.mjs', ['--root', dir]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      '.github/workflows/ci.yml:11:7: unexpected key "grup" for "runs-on" section',
    );
    expect(run.stderr).toContain('actionlint: 2 problem(s) in 3 workflow file(s)');
  });

  it("lints the example projects' workflows, between the templates and the project's own", async () => {
    const dir = await tree({
      'templates/report.yml': GOOD_WORKFLOW,
      'examples/pytorch/.github/workflows/report.yml': GOOD_WORKFLOW.replace(
        'github.event.pull_request.number',
        'github.pull_request_number',
      ),
      '.github/workflows/ci.yml': GOOD_WORKFLOW,
    });
    const { files, problems } = await workflows.lintWorkflows({ root: dir });
    expect(files).toEqual([
      'templates/report.yml',
      'examples/pytorch/.github/workflows/report.yml',
      '.github/workflows/ci.yml',
    ]);
    expect(problems.map(workflows.formatProblem)).toEqual([
      expect.stringMatching(
        /^examples\/pytorch\/\.github\/workflows\/report\.yml:12:\d+: property "pull_request_number" is not defined/,
      ),
    ]);
  });

  it('accepts self-hosted runner labels listed in .github/actionlint.yaml, and only those', async () => {
    const gpu = GOOD_WORKFLOW.replace('runs-on: ubuntu-latest', 'runs-on: [self-hosted, linux, gpu]');
    const unconfigured = await tree({ 'templates/train.yml': gpu });
    expect(
      (await workflows.lintWorkflows({ root: unconfigured })).problems.map(workflows.formatProblem),
    ).toEqual([
      'templates/train.yml:9:35: label "gpu" is unknown. if it is a custom label for self-hosted runner, set list of labels in actionlint.yaml config file [runner-label]',
    ]);
    const configured = await tree({
      'templates/train.yml': gpu,
      '.github/actionlint.yaml': 'self-hosted-runner:\n  labels: [gpu]\n',
    });
    expect((await workflows.lintWorkflows({ root: configured })).problems).toEqual([]);
  });
});
