// deprecate, delete, gc and --dispatch as a user runs them: the bundled command on a folder store,
// and against the GitHub API double for the model-promoted event.
import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '@mlactions/store';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type GitHubDouble, startGitHubDouble } from '../../../test/harness/index.ts';
import { cleanEnv, runCli, runCliAsync } from './bundled-cli.ts';

let dir: string;

const STORE = ['--store', 'file://store'];
const mlactions = (...args: string[]) => runCli(args, { cwd: dir, env: cleanEnv() });
const promoteArgs = (version: string, ...more: string[]) => [
  'promote',
  ...STORE,
  '--name',
  'iris',
  '--version',
  version,
  '--alias',
  'production',
  ...more,
];
/** The same store in process, for what a test sets up or looks at rather than runs as a user would. */
const store = () => openStore('file://store', { cwd: dir });

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-lifecycle-'));
  // Published in process: only the verbs under test run as the command.
  for (const version of ['1.0.0', '1.1.0', '1.2.0', '1.3.0']) {
    await writeFile(join(dir, `model-${version}.bin`), `weights of ${version}`);
    await store().publish({ name: 'iris', version, files: [`model-${version}.bin`] });
  }
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('mlactions deprecate', () => {
  it('marks a version: fetch warns, promote refuses without --force, undeprecate lifts it', () => {
    const deprecate = mlactions('deprecate', ...STORE, 'iris@1.0.0', '--reason', 'leaks test data');
    expect(deprecate.status, deprecate.stderr).toBe(0);
    expect(deprecate.stdout).toMatch(/^iris 1\.0\.0 is deprecated \(since .*\): leaks test data\.\n$/);

    const fetch = mlactions('fetch', ...STORE, '--name', 'iris', '--version', '1.0.0', '--out', 'out');
    expect(fetch.status, fetch.stderr).toBe(0);
    expect(fetch.stderr).toMatch(/^mlactions: warning: iris 1\.0\.0 is deprecated .*: leaks test data\.$/m);

    const promote = mlactions(...promoteArgs('1.0.0'));
    expect(promote.status).toBe(1);
    expect(promote.stderr).toContain('Alias production was not moved');
    const forced = mlactions(...promoteArgs('1.0.0', '--force'));
    expect(forced.status, forced.stderr).toBe(0);

    const undo = mlactions('undeprecate', ...STORE, 'iris@1.0.0');
    expect(undo.stdout).toBe('iris 1.0.0 is no longer deprecated.\n');
    expect(
      mlactions('fetch', ...STORE, '--name', 'iris', '--version', '1.0.0', '--out', 'out').stderr,
    ).not.toContain('deprecated');
    expect(mlactions('deprecate', ...STORE, 'iris@1.0.0', '--undo').stderr).toBe(
      'mlactions: iris 1.0.0 is not deprecated.\n',
    );
  });

  it('says what is wrong with a missing reason or a malformed version', () => {
    expect(mlactions('deprecate', ...STORE, 'iris@1.0.0').stderr).toMatch(/^mlactions: Give a reason/);
    const bad = mlactions('deprecate', ...STORE, 'iris', '--reason', 'x');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toBe(
      'mlactions: "iris" is not <name>@<version>: write it as iris@1.2.0 (the model, @, the version)\n',
    );
  });
});

describe('mlactions delete', () => {
  it('refuses a version an alias needs unless --force, and deletes one no alias needs', async () => {
    for (const version of ['1.1.0', '1.2.0']) {
      await store().promote({ name: 'iris', version, alias: 'production' });
    }
    const refused = mlactions('delete', ...STORE, 'iris@1.1.0');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('a rollback of alias production would return to it');
    const deleted = mlactions('delete', ...STORE, 'iris@1.0.0', '--format', 'json');
    expect(deleted.status, deleted.stderr).toBe(0);
    expect(JSON.parse(deleted.stdout)).toEqual({ name: 'iris', version: '1.0.0', bytes: 0 });
    expect(mlactions('delete', ...STORE, 'iris@1.1.0', '--force').status).toBe(0);
    expect(await store().listVersions('iris')).toEqual(['1.2.0', '1.3.0']);
  });

  it('keeps the newest N with --keep, printing first what a dry run would delete', async () => {
    await store().promote({ name: 'iris', version: '1.0.0', alias: 'production' });
    const dry = mlactions('delete', ...STORE, 'iris', '--keep', '2', '--dry-run');
    expect(dry.status, dry.stderr).toBe(0);
    expect(dry.stdout).toBe(
      'Would delete 1 version(s) of iris: 1.1.0; 3 kept.\nKept iris 1.0.0: alias production points to it.\n',
    );
    expect(mlactions('delete', ...STORE, 'iris', '--keep', '2').stdout).toMatch(
      /^Deleted 1 version\(s\) of iris: 1\.1\.0;/,
    );
    expect(mlactions('delete', ...STORE, 'iris', '--keep', 'two').stderr).toBe(
      'mlactions: `keep` must be a whole number of versions, 1 or more; got "two"\n',
    );
  });
});

describe('mlactions gc', () => {
  it('frees the files of deleted versions once they are an hour old and prints the bytes', async () => {
    await store().deleteVersion({ name: 'iris', version: '1.0.0' });
    const young = mlactions('gc', ...STORE);
    expect(young.stdout).toBe('Freed 0 B (0 bytes) in 0 item(s) no version references.\n');
    const blobs = join(dir, 'store/blobs/sha256');
    const then = new Date(Date.now() - 2 * 60 * 60 * 1000);
    for (const name of await readdir(blobs)) await utimes(join(blobs, name), then, then);
    const dry = mlactions('gc', ...STORE, '--dry-run', '--format', 'json');
    const bytes = 'weights of 1.0.0'.length;
    expect(JSON.parse(dry.stdout)).toMatchObject({ dryRun: true, bytes, removed: [{ bytes }] });
    expect(await readdir(blobs)).toHaveLength(4);
    const gc = mlactions('gc', ...STORE);
    expect(gc.stdout).toMatch(
      new RegExp(`^Removed blob [0-9a-f]{64} \\(${bytes} B\\)\\.\\nFreed ${bytes} B \\(${bytes} bytes\\)`),
    );
    expect(await readdir(blobs)).toHaveLength(3);
    expect(mlactions('fetch', ...STORE, '--name', 'iris', '--version', '1.1.0', '--out', 'out').status).toBe(
      0,
    );
  });
});

describe('--dispatch', () => {
  let double: GitHubDouble;

  beforeEach(async () => {
    double = await startGitHubDouble({ owner: 'acme', repo: 'churn' });
  });

  afterEach(async () => {
    await double.close();
  });

  const dispatching = (...args: string[]) =>
    runCliAsync([...args, '--dispatch', 'acme/churn'], {
      cwd: dir,
      env: cleanEnv({ GITHUB_TOKEN: 'ghs_test', GITHUB_API_URL: double.url }),
    });

  it('sends model-promoted when promote and publish move an alias', async () => {
    const promote = await dispatching(
      'promote',
      ...STORE,
      '--name',
      'iris',
      '--version',
      '1.2.0',
      '--alias',
      'staging',
    );
    expect(promote.status, promote.stderr).toBe(0);
    await writeFile(join(dir, 'model-2.bin'), 'weights of 2');
    const publish = await dispatching(
      'publish',
      ...STORE,
      '--name',
      'iris',
      '--version',
      '2.0.0',
      '--file',
      'model-2.bin',
      '--alias',
      'staging',
    );
    expect(publish.status, publish.stderr).toBe(0);
    expect(double.state.repositoryDispatches('acme', 'churn')).toMatchObject([
      {
        event_type: 'model-promoted',
        client_payload: { name: 'iris', version: '1.2.0', alias: 'staging', previous: null },
      },
      {
        event_type: 'model-promoted',
        client_payload: { name: 'iris', version: '2.0.0', alias: 'staging', previous: '1.2.0' },
      },
    ]);
  });

  it('sends nothing when the move is refused, and needs a token before anything changes', async () => {
    await store().deprecate({ name: 'iris', version: '1.3.0', reason: 'x' });
    const refused = await dispatching(
      'promote',
      ...STORE,
      '--name',
      'iris',
      '--version',
      '1.3.0',
      '--alias',
      'staging',
    );
    expect(refused.status).toBe(1);
    expect(double.state.repositoryDispatches('acme', 'churn')).toEqual([]);
    const noToken = mlactions(
      'promote',
      ...STORE,
      '--name',
      'iris',
      '--version',
      '1.2.0',
      '--alias',
      'staging',
      '--dispatch',
      'acme/churn',
    );
    expect(noToken.stderr).toBe(
      'mlactions: --dispatch needs a token with contents: write on that repository: pass --token or set GITHUB_TOKEN.\n',
    );
    expect(await store().listAliases('iris')).toEqual([]);
  });
});
