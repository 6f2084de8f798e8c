import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { type ArtifactStore, openStore } from '@mlactions/store';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeSha, type GitHubDouble, startGitHubDouble } from '../../../test/harness/index.ts';
import { s3ClientConfig, s3Env, startS3Server } from '../../../test/harness/s3-server.ts';
import { runCli, runCliAsync } from './bundled-cli.ts';

const SHA = fakeSha('cli deploy');

let root: string;
let store: ArtifactStore;
let storeUri: string;

/** Publishes a version whose model.bin holds `content`. */
async function publish(version: string, content: string) {
  const file = join(root, `model-${version}.bin`);
  await writeFile(file, content);
  await store.publish({ name: 'iris', version, files: [{ source: file, path: 'model.bin' }] });
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'cli-deploy-'));
  storeUri = `file://${join(root, 'store')}`;
  store = openStore(storeUri);
  await publish('1.0.0', 'weights one');
  await publish('1.1.0', 'weights two');
  await store.promote({ name: 'iris', alias: 'production', version: '1.0.0' });
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** `mlactions deploy` of the model iris from the folder store, in `root`, outside any git checkout. */
const deployArgs = (...more: string[]) => [
  'deploy',
  '--store',
  storeUri,
  '--name',
  'iris',
  '--sha',
  SHA,
  ...more,
];
// The CLI's GitHub settings come from the test alone, whatever this machine's environment holds.
/** 1.1.0 to the alias production, which points at 1.0.0. */
const TO_PRODUCTION = ['--version', '1.1.0', '--alias', 'production'];
const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('GITHUB_')));

describe('mlactions deploy', () => {
  it('moves the alias, copies the files to a folder, runs the command and the smoke test', async () => {
    const serving = join(root, 'serving');
    const run = runCli(
      deployArgs(
        ...TO_PRODUCTION,
        '--copy-to',
        'serving',
        '--command',
        'echo "$MLACTIONS_MODEL_VERSION after $MLACTIONS_PREVIOUS_VERSION" > rolled-out.txt',
        '--smoke-test',
        'test "$(cat "$MLACTIONS_MODEL_DIR/model.bin")" = "weights two"',
        '--format',
        'json',
      ),
      { cwd: root, env },
    );
    expect(run.status, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({ outcome: 'deployed', version: '1.1.0', previousVersion: '1.0.0' });
    expect(result.deploymentId).toBeUndefined();
    expect(await readFile(join(result.modelDir, 'model.bin'), 'utf8')).toBe('weights two');
    expect(await store.resolve('iris', { alias: 'production' })).toBe('1.1.0');
    expect((await readdir(serving)).sort()).toEqual(['mlactions-manifest.json', 'model.bin']);
    expect(await readFile(join(serving, 'model.bin'), 'utf8')).toBe('weights two');
    expect(await readFile(join(root, 'rolled-out.txt'), 'utf8')).toBe('1.1.0 after 1.0.0\n');
  });

  it('restores the alias and the folder when the smoke test fails, and exits 1 naming what it restored', async () => {
    const serving = join(root, 'serving');
    await mkdir(serving);
    await writeFile(join(serving, 'model.bin'), 'weights one');
    const run = runCli(deployArgs(...TO_PRODUCTION, '--copy-to', serving, '--smoke-test', 'exit 3'), {
      cwd: root,
      env,
    });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('### Deploy failed: iris 1.1.0 to production');
    expect(run.stderr).toMatch(
      /^mlactions: The smoke test exited with code 3\. Restored .*the files at .*serving.*alias production to 1\.0\.0/m,
    );
    expect(await store.resolve('iris', { alias: 'production' })).toBe('1.0.0');
    expect(await readdir(serving)).toEqual(['model.bin']);
    expect(await readFile(join(serving, 'model.bin'), 'utf8')).toBe('weights one');
  });

  it('copies a version named by an alias to an S3 prefix', async () => {
    const server = await startS3Server({ buckets: ['serving'] });
    const s3 = new S3Client(s3ClientConfig(server.endpoint));
    try {
      const run = await runCliAsync(
        deployArgs(
          '--version',
          'production',
          '--copy-to',
          's3://serving/iris',
          '--endpoint',
          server.endpoint,
        ),
        { cwd: root, env: { ...env, ...s3Env(server) } },
      );
      expect(run.status, run.stderr).toBe(0);
      expect(run.stdout).toContain('### Deployed iris 1.0.0 to production');
      const get = (Key: string) =>
        s3.send(new GetObjectCommand({ Bucket: 'serving', Key })).then((o) => o.Body!.transformToString());
      expect(await get('iris/model.bin')).toBe('weights one');
      expect(JSON.parse(await get('iris/mlactions-manifest.json'))).toMatchObject({ version: '1.0.0' });
    } finally {
      s3.destroy();
      await server.stop();
    }
  });

  describe('with --github', () => {
    let double: GitHubDouble;

    beforeEach(async () => {
      double = await startGitHubDouble();
    });

    afterEach(async () => {
      await double.close();
    });

    it('records a deployment of the environment that ends in success', async () => {
      const run = await runCliAsync(
        deployArgs(
          ...TO_PRODUCTION,
          '--github',
          '--repo',
          'octocat/model-repo',
          '--api-url',
          double.url,
          '--format',
          'json',
        ),
        { cwd: root, env: { ...env, GITHUB_TOKEN: 'ghs_test' } },
      );
      expect(run.status, run.stderr).toBe(0);
      const [deployment] = double.state.deployments('octocat', 'model-repo', 'production');
      expect(deployment).toMatchObject({
        sha: SHA,
        task: 'deploy:model',
        environment: 'production',
        payload: { model: 'iris', version: '1.1.0', previousVersion: '1.0.0' },
      });
      expect(JSON.parse(run.stdout).deploymentId).toBe(deployment!.id);
      const states = double.state.deploymentStatuses('octocat', 'model-repo', Number(deployment!.id));
      expect(states.map((s) => s.state)).toEqual(['in_progress', 'success']);
    });

    it('needs a token and a repository, and says so before anything changes', () => {
      const noToken = runCli(deployArgs(...TO_PRODUCTION, '--github'), {
        cwd: root,
        env: { ...env, GITHUB_REPOSITORY: 'octocat/model-repo' },
      });
      expect(noToken.status).toBe(1);
      expect(noToken.stderr).toBe(
        'mlactions: --github needs a token with deployments: write: pass --token or set GITHUB_TOKEN.\n',
      );
      const noRepo = runCli(deployArgs(...TO_PRODUCTION, '--github'), {
        cwd: root,
        env: { ...env, GITHUB_TOKEN: 'ghs_test' },
      });
      expect(noRepo.stderr).toBe(
        'mlactions: --github needs the repository: pass --repo <owner/name> or set GITHUB_REPOSITORY.\n',
      );
    });
  });

  it('refuses a deploy with no target', () => {
    const run = runCli(deployArgs('--version', '1.1.0'), { cwd: root, env });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^mlactions: Nothing to roll out: give `alias`/);
  });
});
