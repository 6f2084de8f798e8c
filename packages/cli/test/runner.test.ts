import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
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
      '--private-key-file',
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

  it('starts run.sh without the credentials: allow-listed env, config by a removed 0600 file, nothing secret on argv', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    const keyFile = join(dir, 'app-key.pem');
    await writeFile(keyFile, pem);
    const out = join(dir, 'out');
    const tmp = join(dir, 'tmp');
    await mkdir(out);
    await mkdir(tmp);
    // As root, the runner runs as `nobody`, who must reach these folders and the script.
    const root = process.getuid?.() === 0;
    if (root) await Promise.all([chmod(dir, 0o755), chmod(out, 0o777), chmod(tmp, 0o777)]);
    const runSh = join(dir, 'run.sh');
    await writeFile(
      runSh,
      [
        '#!/bin/sh',
        `env > ${out}/env`,
        `printf '%s\\n' "$@" > ${out}/argv`,
        `tr '\\0' '\\n' < /proc/$PPID/cmdline > ${out}/parent-cmdline`,
        `id -u > ${out}/uid`,
        `ls -A "$TMPDIR"/mlactions-jit-* > ${out}/config-dir`,
        'exit 3',
        '',
      ].join('\n'),
    );
    await chmod(runSh, 0o755);
    const run = await mlactions(
      [
        'runner',
        'jit',
        '--repo',
        'octocat/model-repo',
        '--labels',
        'gpu',
        '--start',
        runSh,
        ...(root ? ['--run-as', 'nobody'] : []),
        ...api(),
      ],
      {
        APP_ID: '12345',
        INSTALLATION_ID: '678',
        PRIVATE_KEY_FILE: keyFile,
        PRIVATE_KEY: pem,
        GITHUB_TOKEN: 'ghp_admin_secret',
        AWS_SECRET_ACCESS_KEY: 'aws-secret',
        SOMETHING_ELSE: 'x',
        TMPDIR: tmp,
        CUDA_VISIBLE_DEVICES: '1',
        RUNNER_ALLOW_RUNASROOT: '1',
        GITHUB_ACTIONS: 'true',
      },
    );
    expect(run.status, run.stderr).toBe(3);
    expect(double.requestsFor('actions/generate-runner-jitconfig-for-repo')[0]?.headers.authorization).toBe(
      'token ghs_installation67812345',
    );
    const env = Object.fromEntries(
      (await readFile(join(out, 'env'), 'utf8'))
        .trim()
        .split('\n')
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );
    const config = env.ACTIONS_RUNNER_INPUT_JITCONFIG ?? '';
    expect(decoded(config).labels).toEqual(['gpu']);
    // The workflow log would mask the configuration.
    expect(run.stderr).toContain(`::add-mask::${config}`);
    for (const name of ['APP_ID', 'INSTALLATION_ID', 'PRIVATE_KEY_FILE', 'PRIVATE_KEY', 'GITHUB_TOKEN'])
      expect(env).not.toHaveProperty(name);
    expect(env).not.toHaveProperty('AWS_SECRET_ACCESS_KEY');
    expect(env).not.toHaveProperty('SOMETHING_ELSE');
    expect(env).toMatchObject({ CUDA_VISIBLE_DEVICES: '1', RUNNER_ALLOW_RUNASROOT: '1' });
    const argv = await readFile(join(out, 'argv'), 'utf8');
    const parentCmdline = await readFile(join(out, 'parent-cmdline'), 'utf8');
    expect(argv.trim()).toBe('');
    const envText = await readFile(join(out, 'env'), 'utf8');
    for (const secret of ['ghp_admin_secret', keyFile, 'PRIVATE KEY', 'aws-secret']) {
      expect(envText).not.toContain(secret);
      expect(parentCmdline).not.toContain(secret);
    }
    expect(parentCmdline).not.toContain(config);
    // The configuration file was deleted before run.sh started, its folder when the runner exited.
    expect(await readFile(join(out, 'config-dir'), 'utf8')).toBe('');
    expect(await readdir(tmp)).toEqual([]);
    expect((await readFile(join(out, 'uid'), 'utf8')).trim()).toBe(
      root ? execFileSync('id', ['-u', 'nobody'], { encoding: 'utf8' }).trim() : String(process.getuid?.()),
    );
  });

  it('refuses secrets on the command line, naming what to use instead', async () => {
    const refusals: [string, RegExp][] = [
      ['--token', /--token puts the token on the command line.*set GITHUB_TOKEN or pass --token-file/],
      ['--private-key', /--private-key puts the App's key on the command line: pass --private-key-file/],
    ];
    for (const [flag, message] of refusals) {
      const run = await mlactions(['runner', 'jit', '--repo', 'a/b', '--labels', 'gpu', flag, 'x', ...api()]);
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(message);
    }
    expect(double.requests).toEqual([]);
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
      /no credentials: set GITHUB_TOKEN, pass --token-file.*Administration: write.*GITHUB_TOKEN cannot register runners/,
    );

    double.failNext({
      match: { operationId: 'actions/generate-runner-jitconfig-for-repo' },
      kind: 'forbidden',
    });
    const forbidden = await mlactions(
      ['runner', 'jit', '--repo', 'octocat/model-repo', '--labels', 'gpu', ...api()],
      { GITHUB_TOKEN: 'ghs_job' },
    );
    expect(forbidden.status).toBe(1);
    expect(forbidden.stderr).toMatch(
      /^mlactions: repository octocat\/model-repo: not found or not allowed \(403: .*\)\. Registering a runner needs/,
    );

    const tokenFile = join(dir, 'token');
    await writeFile(tokenFile, 't\n', { mode: 0o600 });
    const missing = await mlactions([
      'runner',
      'jit',
      '--repo',
      'octocat/nope',
      '--labels',
      'gpu',
      '--token-file',
      tokenFile,
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
      ...api(),
    ];
    expect((await mlactions(args, { GITHUB_TOKEN: 't' })).status).toBe(0);
    const again = await mlactions(args, { GITHUB_TOKEN: 't' });
    expect(again.stderr).toMatch(/A runner with the name twice already exists\. Choose another --name/);

    const both = await mlactions(['runner', 'jit', '--repo', 'a/b', '--org', 'a', '--labels', 'gpu']);
    expect(both.stderr).toMatch(/--repo <owner\/name> or --org <org> \(one of them\)/);
    const noLabel = await mlactions(['runner', 'jit', '--repo', 'octocat/model-repo', ...api()], {
      GITHUB_TOKEN: 't',
    });
    expect(noLabel.stderr).toMatch(/at least one label/);
  });

  it('explains the permissions in --help', async () => {
    const help = await mlactions(['runner', 'jit', '--help']);
    expect(help.stdout).toMatch(/GitHub App installation token/);
    expect(help.stdout).toMatch(/--start <run\.sh>/);
  });
});
