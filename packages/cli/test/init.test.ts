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
import { runCli } from './bundled-cli.ts';

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
    );
    expect(run.status, run.stderr).toBe(0);
    const workflows = join(dir, '.github/workflows');
    const written = readdirSync(workflows).sort();
    expect(written).toEqual(
      readdirSync(join(repoRoot, 'templates'))
        .filter((f) => f.endsWith('.yml') && !f.endsWith('-forks.yml'))
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
    expect(init(dir, '--forks', '--name', 'churn').status).toBe(0);
    const written = readdirSync(join(dir, '.github/workflows'));
    expect(written).toEqual(expect.arrayContaining(['gate-forks.yml', 'report-forks.yml', 'gate.yml']));
    const alone = mkdtempSync(join(tmpdir(), 'init-'));
    expect(init(alone, '--only', 'report-forks').status).toBe(0);
    expect(readdirSync(join(alone, '.github/workflows'))).toEqual(['report-forks.yml']);
  });

  it('refuses to overwrite a workflow, writing nothing, unless --force', () => {
    const dir = mkdtempSync(join(tmpdir(), 'init-'));
    expect(init(dir, '--only', 'report').status).toBe(0);
    const path = join(dir, '.github/workflows/report.yml');
    writeFileSync(path, 'mine\n');
    const again = init(dir);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain(`${path} already exist; nothing was written. Pass --force`);
    expect(readFileSync(path, 'utf8')).toBe('mine\n');
    expect(readdirSync(join(dir, '.github/workflows'))).toEqual(['report.yml']);
    expect(init(dir, '--force').status).toBe(0);
    expect(readFileSync(path, 'utf8')).not.toBe('mine\n');
  });

  it('names an unknown template', () => {
    const run = init(mkdtempSync(join(tmpdir(), 'init-')), '--only', 'nope');
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/no template named nope\. Templates: .*report/);
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

  it('never lets a value become a workflow expression or break the YAML', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a workflow expression planted on purpose
    const out = fillTemplate(template, { name: '${{ secrets.TOKEN }}"\nrun: evil' });
    const parsed = parse(out);
    expect(parsed.jobs.train.steps[0].with.name).toBe('$ {{ secrets.TOKEN }}"\nrun: evil');
    expect(out).not.toContain('${{');
  });
});
