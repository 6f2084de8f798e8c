import { execFile, execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import rootPkg from '../package.json' with { type: 'json' };
import { REPO_ROOT } from './harness/index.ts';

type Step = { name?: string; uses?: string; run?: string; with?: Record<string, unknown> };
type Job = {
  if?: string;
  environment?: { name: string };
  permissions?: Record<string, string>;
  steps: Step[];
};

const workflow = parse(await readFile(join(REPO_ROOT, '.github/workflows/release.yml'), 'utf8')) as {
  jobs: Record<string, Job>;
};
const step = (job: string, name: string) => workflow.jobs[job]!.steps.find((s) => s.name === name)!.run!;

const temps: string[] = [];
afterEach(async () => {
  for (const dir of temps.splice(0)) await rm(dir, { recursive: true, force: true });
});
async function temp(prefix: string) {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

/** Runs a step's script as the runner does (bash -e), giving its exit code and stderr. */
function bash(script: string, cwd: string, env: Record<string, string>) {
  return new Promise<{ code: number; output: string }>((resolve) => {
    execFile(
      'bash',
      ['-e', '-c', script],
      { cwd, env: { PATH: process.env.PATH ?? '', HOME: cwd, ...env } },
      (error, stdout, stderr) =>
        resolve({ code: error ? (error.code as number) : 0, output: stdout + stderr }),
    );
  });
}

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();

describe('the release workflow', () => {
  it('builds with a read-only token from main, and pushes only from a job behind the release environment', () => {
    const { build, release } = workflow.jobs;
    expect(build!.if).toBe("github.ref == 'refs/heads/main'");
    expect(build!.permissions).toEqual({ contents: 'read' });
    expect(release!.environment?.name).toBe('release');
    expect(release!.permissions?.contents).toBe('write');
    expect(release!.steps.some((s) => s.run?.includes('pnpm'))).toBe(false);
    // No cache: an entry another workflow saved could otherwise reach the release.
    expect(
      build!.steps.filter((s) => s.with?.cache !== undefined || s.uses?.startsWith('actions/cache')),
    ).toEqual([]);
    expect(release!.steps.map((s) => s.uses?.split('@')[0])).toContain('actions/attest-build-provenance');
  });

  it('refuses a version that is not x.y.z or differs from package.json', async () => {
    const check = step('build', 'Check the version');
    expect((await bash(check, REPO_ROOT, { VERSION: rootPkg.version })).code).toBe(0);
    const other = await bash(check, REPO_ROOT, { VERSION: '99.0.0' });
    expect(other.code).toBe(1);
    expect(other.output).toContain(`::error::package.json says ${rootPkg.version}, not 99.0.0`);
    expect((await bash(check, REPO_ROOT, { VERSION: '1.2' })).code).toBe(1);
  });

  it('tags a release and moves its major tag, but never moves a full version tag', async () => {
    const origin = await temp('release-origin-');
    git(origin, 'init', '--quiet', '--bare');
    const work = await temp('release-work-');
    git(work, 'init', '--quiet', '--initial-branch', 'main');
    git(work, 'remote', 'add', 'origin', origin);
    await writeFile(join(work, 'README.md'), 'model\n');
    await writeFile(join(work, '.gitignore'), 'dist/\n');
    git(work, 'add', '.');
    git(work, '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '--quiet', '-m', 'main');
    const tag = step('release', 'Commit the bundles onto the release tags');
    // Each run starts as the job's checkout does: main's commit, detached, with no tags fetched.
    const release = async (version: string, bundle: string) => {
      git(work, 'checkout', '--quiet', '--detach', 'main');
      for (const local of git(work, 'tag', '--list').split('\n').filter(Boolean))
        git(work, 'tag', '-d', local);
      await mkdir(join(work, 'actions/gate/dist'), { recursive: true });
      await writeFile(join(work, 'actions/gate/dist/index.js'), bundle);
      const output = join(work, '..', `${version}-output`);
      temps.push(output);
      await writeFile(output, '');
      const run = await bash(tag, work, {
        VERSION: version,
        GITHUB_OUTPUT: output,
        GITHUB_STEP_SUMMARY: '/dev/null',
      });
      return { ...run, output: run.output, sha: /sha=(\w+)/.exec(await readFile(output, 'utf8'))?.[1] };
    };
    const remoteTag = (name: string) => git(origin, 'rev-parse', `refs/tags/${name}`);

    const first = await release('1.2.3', 'one');
    expect(first.code, first.output).toBe(0);
    expect(remoteTag('v1.2.3')).toBe(first.sha);
    expect(remoteTag('v1')).toBe(first.sha);

    const again = await release('1.2.3', 'forged');
    expect(again.code).toBe(1);
    expect(again.output).toContain('v1.2.3 is released already, and a version tag is never moved');
    expect(remoteTag('v1.2.3')).toBe(first.sha);
    expect(remoteTag('v1')).toBe(first.sha);

    const next = await release('1.2.4', 'two');
    expect(next.code, next.output).toBe(0);
    expect(remoteTag('v1')).toBe(next.sha);
    expect(remoteTag('v1.2.3')).toBe(first.sha);
  });
});
