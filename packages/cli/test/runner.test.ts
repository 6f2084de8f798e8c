import { generateKeyPairSync } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type GitHubDouble, startGitHubDouble } from '../../../test/harness/index.ts';
import { runCliAsync } from './bundled-cli.ts';

let double: GitHubDouble;
let dir: string;

/** Runs the built CLI without blocking, so the double in this process can answer it. */
const mlactions = (args: string[], env: Record<string, string> = {}) =>
  runCliAsync(args, { cwd: dir, env: { PATH: process.env.PATH ?? '', HOME: dir, ...env } });
const api = () => ['--api-url', double.url];
const decoded = (config: string) => {
  const files = JSON.parse(Buffer.from(config.trim(), 'base64').toString('utf8'));
  return JSON.parse(Buffer.from(files['.runner'], 'base64').toString('utf8'));
};

beforeEach(async () => {
  double = await startGitHubDouble();
  dir = await mkdtemp(join(tmpdir(), 'cli-runner-'));
});
afterEach(async () => {
  await double.close();
  await rm(dir, { recursive: true, force: true });
});

describe('mlactions runner jit', () => {
  it('prints the encoded configuration of a one-job runner registered with the repository', async () => {
    const run = await mlactions(
      [
        'runner',
        'jit',
        '--repo',
        'octocat/model-repo',
        '--labels',
        'gpu,h100',
        '--labels',
        'linux',
        '--name',
        'gpu-box-1',
        ...api(),
      ],
      { GITHUB_TOKEN: 'ghp_admin' },
    );
    expect(run.status, run.stderr).toBe(0);
    expect(decoded(run.stdout)).toMatchObject({
      agentName: 'gpu-box-1',
      labels: ['gpu', 'h100', 'linux'],
      workFolder: '_work',
      poolId: 1,
    });
    const [request] = double.requestsFor('actions/generate-runner-jitconfig-for-repo');
    expect(request?.headers.authorization).toBe('token ghp_admin');
    expect(request?.body).toEqual({
      name: 'gpu-box-1',
      labels: ['gpu', 'h100', 'linux'],
      runner_group_id: 1,
      work_folder: '_work',
    });
  });

  it('registers with an organization as a GitHub App installation, as JSON', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const keyFile = join(dir, 'app.pem');
    await writeFile(keyFile, privateKey.export({ type: 'pkcs1', format: 'pem' }));
    const run = await mlactions([
      'runner',
      'jit',
      '--org',
      'octocat',
      '--labels',
      'gpu',
      '--runner-group-id',
      '3',
      '--app-id',
      '12345',
      '--private-key',
      keyFile,
      '--installation-id',
      '678',
      '--format',
      'json',
      ...api(),
    ]);
    expect(run.status, run.stderr).toBe(0);
    const json = JSON.parse(run.stdout);
    expect(json).toMatchObject({ labels: ['self-hosted', 'Linux', 'X64', 'gpu'] });
    expect(json.name).toMatch(/-[0-9a-f]{6}$/);
    expect(decoded(json.encodedJitConfig)).toMatchObject({ poolId: 3, labels: ['gpu'] });
    expect(double.requestsFor('apps/create-installation-access-token')[0]?.path).toBe(
      '/app/installations/678/access_tokens',
    );
    const [request] = double.requestsFor('actions/generate-runner-jitconfig-for-org');
    expect(request?.headers.authorization).toBe('token ghs_installation67812345');
  });

  it('starts run.sh with the configuration and exits with its code', async () => {
    const runSh = join(dir, 'run.sh');
    await writeFile(runSh, `#!/bin/sh\necho "$@" > "${dir}/args"\nexit 3\n`);
    await chmod(runSh, 0o755);
    const run = await mlactions(
      ['runner', 'jit', '--repo', 'octocat/model-repo', '--labels', 'gpu', '--start', runSh, ...api()],
      {
        GITHUB_TOKEN: 't',
      },
    );
    expect(run.status).toBe(3);
    expect(run.stderr).toMatch(/runner .* registered; starting/);
    const [flag, config] = (await readFile(join(dir, 'args'), 'utf8')).trim().split(' ');
    expect(flag).toBe('--jitconfig');
    expect(decoded(config!).labels).toEqual(['gpu']);
  });

  it('says what credentials it needs and what GitHub refused', async () => {
    const none = await mlactions([
      'runner',
      'jit',
      '--repo',
      'octocat/model-repo',
      '--labels',
      'gpu',
      ...api(),
    ]);
    expect(none.status).toBe(1);
    expect(none.stderr).toMatch(
      /no credentials: pass --token, set GITHUB_TOKEN.*Administration: write.*GITHUB_TOKEN cannot register runners/,
    );

    double.failNext({
      match: { operationId: 'actions/generate-runner-jitconfig-for-repo' },
      kind: 'forbidden',
    });
    const forbidden = await mlactions([
      'runner',
      'jit',
      '--repo',
      'octocat/model-repo',
      '--labels',
      'gpu',
      '--token',
      'ghs_job',
      ...api(),
    ]);
    expect(forbidden.status).toBe(1);
    expect(forbidden.stderr).toMatch(
      /^mlactions: repository octocat\/model-repo: not found or not allowed \(403: .*\)\. Registering a runner needs/,
    );

    const missing = await mlactions([
      'runner',
      'jit',
      '--repo',
      'octocat/nope',
      '--labels',
      'gpu',
      '--token',
      't',
      ...api(),
    ]);
    expect(missing.stderr).toMatch(/repository octocat\/nope: not found or not allowed \(404/);

    const args = [
      'runner',
      'jit',
      '--repo',
      'octocat/model-repo',
      '--labels',
      'gpu',
      '--name',
      'twice',
      '--token',
      't',
      ...api(),
    ];
    expect((await mlactions(args)).status).toBe(0);
    const again = await mlactions(args);
    expect(again.stderr).toMatch(/A runner with the name twice already exists\. Choose another --name/);

    const both = await mlactions([
      'runner',
      'jit',
      '--repo',
      'a/b',
      '--org',
      'a',
      '--labels',
      'gpu',
      '--token',
      't',
    ]);
    expect(both.stderr).toMatch(/--repo <owner\/name> or --org <org> \(one of them\)/);
    const noLabel = await mlactions([
      'runner',
      'jit',
      '--repo',
      'octocat/model-repo',
      '--token',
      't',
      ...api(),
    ]);
    expect(noLabel.stderr).toMatch(/at least one label/);
  });

  it('explains the permissions in --help', async () => {
    const help = await mlactions(['runner', 'jit', '--help']);
    expect(help.stdout).toMatch(/GitHub App installation token/);
    expect(help.stdout).toMatch(/--start <run\.sh>/);
  });
});
