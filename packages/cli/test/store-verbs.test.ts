import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { s3Env, startS3Server } from '../../../test/harness/s3-server.ts';
import { BIN, cleanEnv, runCli, runCliAsync } from './bundled-cli.ts';

let dir: string;

const mlactions = (args: string[], env: Record<string, string> = {}) =>
  runCli(args, { cwd: dir, env: cleanEnv(env) });

/** For the S3 tests: the server lives in this process, so the CLI must run without blocking it. */
const mlactionsAsync = (args: string[], env: Record<string, string>) =>
  runCliAsync(args, { cwd: dir, env: cleanEnv(env) });

const STORE = ['--store', 'file://store'];

const sha256Hex = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** Every file under a folder, relative and sorted. */
async function listing(path: string): Promise<string[]> {
  const entries = await readdir(path, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(path.length + 1))
    .sort();
}

function publish(...args: string[]) {
  return mlactions(['publish', ...STORE, '--name', 'iris', '--file', 'model.onnx', ...args]);
}

/** `publish` of iris 1.0.0 with only the files these arguments name. */
function publishVersion(...args: string[]) {
  return mlactions(['publish', ...STORE, '--name', 'iris', '--version', '1.0.0', ...args]);
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-store-'));
  await writeFile(join(dir, 'model.onnx'), 'the model');
  await mkdir(join(dir, 'tokenizer'));
  await writeFile(join(dir, 'tokenizer', 'vocab.txt'), 'a\nb\n');
  await writeFile(join(dir, 'metrics.json'), JSON.stringify({ accuracy: 0.9, eval: { f1: 0.8 } }));
  await writeFile(join(dir, 'params.json'), JSON.stringify({ lr: 0.1 }));
  await writeFile(join(dir, 'train.csv'), 'x\n1\n');
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('mlactions publish', () => {
  it('publishes and prints one JSON document on stdout with --format json', async () => {
    const run = publish(
      '--version',
      '1.0.0',
      '--file',
      'tokenizer',
      '--metrics',
      'metrics.json',
      '--params',
      'params.json',
      '--data',
      'train.csv',
      '--format',
      'json',
    );
    expect(run.status, run.stderr).toBe(0);
    const json = JSON.parse(run.stdout);
    expect(json).toMatchObject({
      name: 'iris',
      version: '1.0.0',
      store: 'file://store',
      manifest: join(dir, 'store/models/iris/versions/1.0.0.json'),
      uploadedBytes: 13,
      skippedBytes: 0,
      uploadedFiles: 2,
      alias: null,
    });
    expect(json.files.map((f: { path: string }) => f.path)).toEqual(['model.onnx', 'tokenizer/vocab.txt']);
    const manifest = JSON.parse(await readFile(json.manifest, 'utf8'));
    expect(manifest).toMatchObject({
      metrics: { 'metrics.json': { accuracy: 0.9, 'eval.f1': 0.8 } },
      params: { lr: 0.1 },
      data: [{ path: 'train.csv', files: 1, size: 4 }],
    });
    // Outside a workflow there is no provenance to record.
    expect(manifest.gitSha).toBeUndefined();
  });

  it('prints one line by default, bumps from the latest and moves an alias', () => {
    const first = publish('--bump', 'minor', '--alias', 'candidate');
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toBe(
      'Published iris 0.1.0 to file://store: 1 file(s), 9 B uploaded, 0 B already stored. ' +
        'candidate now points to 0.1.0 (was unset).\n',
    );
    const second = publish('--bump', 'patch');
    expect(second.stdout).toMatch(/^Published iris 0\.1\.1 .* 0 B uploaded, 9 B already stored\.\n$/);
  });

  it('refuses an existing version with one line and a non-zero exit, leaving the store as it was', async () => {
    expect(publish('--version', '1.0.0').status).toBe(0);
    const before = await listing(join(dir, 'store'));
    await writeFile(join(dir, 'model.onnx'), 'another model');
    const run = publish('--version', '1.0.0', '--alias', 'production');
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      'mlactions: iris 1.0.0 already exists in file://store; versions are immutable, so publish a new version.\n',
    );
    expect(await listing(join(dir, 'store'))).toEqual(before);
  });

  it('takes --version as the verb’s own option, not the program’s', () => {
    expect(mlactions(['--version']).stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    const run = publish('--version', '3.0.0');
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^Published iris 3\.0\.0 /);
  });

  it('names both ways to give a token for a github-release store', () => {
    const run = mlactions([
      'publish',
      '--store',
      'github-release://octo/models',
      '--name',
      'iris',
      '--file',
      'model.onnx',
    ]);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(
      'mlactions: The store github-release://octo/models needs a GitHub token with contents access: ' +
        'pass --token <token> or set GITHUB_TOKEN.\n',
    );
  });
});

describe('mlactions fetch, promote, list and show', () => {
  beforeEach(() => {
    expect(publish('--version', '1.0.0', '--metrics', 'metrics.json', '--alias', 'production').status).toBe(
      0,
    );
    expect(publish('--version', '1.1.0').status).toBe(0);
  });

  it('list shows versions with their aliases', () => {
    expect(mlactions(['list', ...STORE, '--name', 'iris']).stdout).toBe('1.0.0  (production)\n1.1.0\n');
    const json = JSON.parse(mlactions(['list', ...STORE, '--name', 'iris', '--format', 'json']).stdout);
    expect(json).toEqual({ name: 'iris', versions: ['1.0.0', '1.1.0'], aliases: { production: '1.0.0' } });
    const none = mlactions(['list', ...STORE, '--name', 'other']);
    expect(none.status).toBe(0);
    expect(none.stdout).toBe('');
    expect(none.stderr).toBe('mlactions: file://store has no versions of other\n');
  });

  it('show prints the manifest, by version or alias, as JSON or markdown', async () => {
    const byVersion = mlactions(['show', ...STORE, '--name', 'iris', '--version', '1.0.0']);
    expect(byVersion.status, byVersion.stderr).toBe(0);
    const stored = await readFile(join(dir, 'store/models/iris/versions/1.0.0.json'), 'utf8');
    expect(JSON.parse(byVersion.stdout)).toEqual(JSON.parse(stored));
    const markdown = mlactions([
      'show',
      ...STORE,
      '--name',
      'iris',
      '--alias',
      'production',
      '--format',
      'markdown',
    ]);
    expect(markdown.stdout).toContain('### Model iris 1.0.0');
    expect(markdown.stdout).toContain('| metrics.json | accuracy | 0.9 |');
    const missing = mlactions(['show', ...STORE, '--name', 'iris', '--version', '2.0.0']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toBe(
      'mlactions: file://store has no version 2.0.0 of iris (versions there: 1.0.0, 1.1.0).\n',
    );
  });

  it('promote moves an alias, compare-and-swap with --expect', () => {
    const stale = mlactions([
      'promote',
      ...STORE,
      '--name',
      'iris',
      '--version',
      '1.1.0',
      '--alias',
      'production',
      '--expect',
      'none',
    ]);
    expect(stale.status).toBe(1);
    expect(stale.stderr).toBe(
      'mlactions: Alias production of iris points to 1.0.0, not nothing; it changed since it was read, so it was not moved.\n',
    );
    const run = mlactions([
      'promote',
      ...STORE,
      '--name',
      'iris',
      '--version',
      '1.1.0',
      '--alias',
      'production',
      '--expect',
      '1.0.0',
      '--format',
      'json',
    ]);
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      alias: 'production',
      seq: 2,
      version: '1.1.0',
      previous: '1.0.0',
      action: 'promote',
    });
    const text = mlactions([
      'promote',
      ...STORE,
      '--name',
      'iris',
      '--version',
      '1.0.0',
      '--alias',
      'staging',
    ]);
    expect(text.stdout).toBe('staging of iris now points to 1.0.0 (was unset).\n');
  });

  it('fetch writes the files of an alias or a version, verified', async () => {
    const run = mlactions([
      'fetch',
      ...STORE,
      '--name',
      'iris',
      '--alias',
      'production',
      '--out',
      'out',
      '--format',
      'json',
    ]);
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      name: 'iris',
      version: '1.0.0',
      store: 'file://store',
      found: true,
      out: join(dir, 'out'),
      files: [join(dir, 'out', 'model.onnx')],
      bytes: 9,
    });
    expect(await readFile(join(dir, 'out', 'model.onnx'), 'utf8')).toBe('the model');
    const text = mlactions(['fetch', ...STORE, '--name', 'iris', '--version', '1.1.0', '--out', 'out2']);
    expect(text.stdout).toBe(
      `Fetched iris 1.1.0 from file://store into ${join(dir, 'out2')}: 1 file(s), 9 B, sizes and sha256 verified.\n`,
    );
  });

  it('fetch --if-missing skip fetches nothing for an alias never set, and exits 0', () => {
    const args = ['fetch', ...STORE, '--name', 'iris', '--alias', 'canary', '--out', 'out', '--if-missing'];
    const run = mlactions([...args, 'skip']);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toBe('Alias canary of iris is not set in file://store yet: nothing was fetched.\n');
    expect(mlactions([...args, 'error']).stderr).toBe(
      'mlactions: Alias canary of iris is not set in file://store; promote a version first.\n',
    );
  });

  it('fetch names a reference that gives both a version and an alias', () => {
    const run = mlactions([
      'fetch',
      ...STORE,
      '--name',
      'iris',
      '--version',
      '1.0.0',
      '--alias',
      'production',
      '--out',
      'o',
    ]);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe('mlactions: Name either a version or an alias of iris, not both.\n');
  });
});

describe('what publish and fetch refuse', () => {
  it('publish refuses a device or a FIFO before reading it, in one line', async () => {
    const device = publish('--version', '1.0.0', '--file', '/dev/zero');
    expect(device.status).toBe(1);
    expect(device.stderr).toBe(
      'mlactions: /dev/zero is a device, not a regular file; publish only regular files.\n',
    );
    execFileSync('mkfifo', [join(dir, 'pipe')]);
    const fifo = publish('--version', '1.0.0', '--file', 'pipe');
    expect(fifo.status).toBe(1);
    expect(fifo.stderr).toBe(
      `mlactions: ${join(dir, 'pipe')} is a FIFO (named pipe), not a regular file; publish only regular files.\n`,
    );
    expect(await readdir(dir)).not.toContain('store');
  });

  it('publish refuses a symlink in a published folder that leads out of it', async () => {
    await mkdir(join(dir, 'model'));
    await writeFile(join(dir, 'model', 'weights.bin'), 'weights');
    await writeFile(join(dir, 'secret.txt'), 'not for the store');
    // A link to a file inside the folder is that file; one that leads out is refused.
    await symlink('weights.bin', join(dir, 'model', 'inside.bin'));
    await symlink('../secret.txt', join(dir, 'model', 'config'));
    const run = publishVersion('--file', 'model');
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(
      `mlactions: ${join(dir, 'model', 'config')} is a symlink to ${join(dir, 'secret.txt')}, outside ` +
        `${join(dir, 'model')}; replace it with the file itself or remove it.\n`,
    );
    await rm(join(dir, 'model', 'config'));
    const ok = publishVersion('--file', 'model', '--format', 'json');
    expect(ok.status, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout).files.map((f: { path: string }) => f.path)).toEqual([
      'model/inside.bin',
      'model/weights.bin',
    ]);
  });

  it('fetch leaves the target as it was and names the folder in the way of a file', async () => {
    await writeFile(join(dir, 'a.bin'), 'new a');
    await writeFile(join(dir, 'b.bin'), 'new b');
    expect(publishVersion('--file', 'a.bin', '--file', 'b.bin').status).toBe(0);
    await mkdir(join(dir, 'out', 'b.bin'), { recursive: true });
    await writeFile(join(dir, 'out', 'a.bin'), 'old a');
    const run = mlactions(['fetch', ...STORE, '--name', 'iris', '--version', '1.0.0', '--out', 'out']);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(
      `mlactions: ${join(dir, 'out', 'b.bin')} is a folder where the file b.bin goes; move it or fetch ` +
        'into another folder; nothing was written.\n',
    );
    expect(await readFile(join(dir, 'out', 'a.bin'), 'utf8')).toBe('old a');
    expect(await readdir(join(dir, 'out'))).toEqual(['a.bin', 'b.bin']);
    expect((await readdir(dir)).filter((name) => name.startsWith('.'))).toEqual([]);
  });

  it('fetch does not write through a symlinked folder in its target', async () => {
    expect(publish('--version', '1.0.0', '--file', 'tokenizer').status).toBe(0);
    await mkdir(join(dir, 'elsewhere'));
    await mkdir(join(dir, 'out'));
    await symlink(join(dir, 'elsewhere'), join(dir, 'out', 'tokenizer'));
    const run = mlactions(['fetch', ...STORE, '--name', 'iris', '--version', '1.0.0', '--out', 'out']);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(
      `mlactions: ${join(dir, 'out', 'tokenizer')} is a symlink; fetch does not write tokenizer/vocab.txt ` +
        'through it. Remove the link or fetch into another folder; nothing was written.\n',
    );
    expect(await readdir(join(dir, 'elsewhere'))).toEqual([]);
    expect(await readdir(join(dir, 'out'))).toEqual(['tokenizer']);
  });

  it('publish on a full disk says so in one line naming the path, and leaves no temporary file', async () => {
    await writeFile(join(dir, 'weights.bin'), Buffer.alloc(512 * 1024, 1));
    await mkdir(join(dir, 'store'));
    // A 64 KiB file system for the store, in a mount namespace of the command's own (no root needed).
    const script =
      'mount -t tmpfs -o size=64k tmpfs store && ' +
      `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} publish --store file://store --name iris --version 1.0.0 --file weights.bin; ` +
      'echo "exit $?"; ls -A store/blobs/sha256';
    const run = spawnSync('unshare', ['--map-root-user', '--mount', 'sh', '-c', script], {
      cwd: dir,
      encoding: 'utf8',
    });
    expect(run.stderr).toBe(
      `mlactions: No space left to write ${join(dir, 'store/blobs/sha256')}/` +
        `${sha256Hex(Buffer.alloc(512 * 1024, 1))} (ENOSPC); free space on that disk (or raise the quota) ` +
        'or use a store elsewhere, then publish again. Nothing was published.\n',
    );
    // The exit status, then the blob folder's entries: none.
    expect(run.stdout).toBe('exit 1\n');
  });

  it('list and publish --bump skip entries of the versions folder that are not versions, with one warning', async () => {
    expect(publish('--version', '1.0.0').status).toBe(0);
    const versions = join(dir, 'store/models/iris/versions');
    await writeFile(join(versions, '1.0.0.bak.json'), '{}');
    await writeFile(join(versions, 'latest.json'), '{}');
    const warning =
      'mlactions: warning: file://store holds entries among the versions of iris that are not versions, ' +
      'skipped: "1.0.0.bak", "latest". Move them out of the store.\n';
    const list = mlactions(['list', ...STORE, '--name', 'iris']);
    expect(list.status, list.stderr).toBe(0);
    expect(list.stdout).toBe('1.0.0\n');
    expect(list.stderr).toBe(warning);
    const bumped = publish('--bump', 'minor', '--format', 'json');
    expect(bumped.status, bumped.stderr).toBe(0);
    expect(JSON.parse(bumped.stdout).version).toBe('1.1.0');
    expect(bumped.stderr).toContain(warning);
  });
});

describe('the store verbs on S3', () => {
  it('publish and fetch through --endpoint', async () => {
    const s3 = await startS3Server({ buckets: ['models'] });
    try {
      const env = s3Env(s3);
      const store = ['--store', 's3://models/team', '--endpoint', s3.endpoint];
      const published = await mlactionsAsync(
        [
          'publish',
          ...store,
          '--name',
          'iris',
          '--version',
          '1.0.0',
          '--file',
          'model.onnx',
          '--format',
          'json',
        ],
        env,
      );
      expect(published.status, published.stderr).toBe(0);
      expect(JSON.parse(published.stdout).manifest).toBe('s3://models/team/models/iris/versions/1.0.0.json');
      const fetched = await mlactionsAsync(
        ['fetch', ...store, '--name', 'iris', '--version', '1.0.0', '--out', 'out'],
        env,
      );
      expect(fetched.status, fetched.stderr).toBe(0);
      expect(await readFile(join(dir, 'out', 'model.onnx'), 'utf8')).toBe('the model');
    } finally {
      await s3.stop();
    }
  });
});
