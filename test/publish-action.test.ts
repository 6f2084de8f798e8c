import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../packages/store/src/index.ts';
import {
  type GitHubDouble,
  pushEvent,
  runAction,
  type S3Server,
  s3Env,
  startGitHubDouble,
  startS3Server,
} from './harness/index.ts';

let workspace: string;
let storeDir: string;
const temps: string[] = [];

async function temp(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

async function write(path: string, content: string | Buffer): Promise<void> {
  await mkdir(join(workspace, path, '..'), { recursive: true });
  await writeFile(join(workspace, path), content);
}

const sha256 = (bytes: string | Buffer) => createHash('sha256').update(bytes).digest('hex');

/** Every file under a folder, relative, sorted: what a store holds. */
async function listing(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort();
}

interface RunExtras {
  cwd?: string;
  env?: Record<string, string>;
  githubApiUrl?: string;
}

const publish = (inputs: Record<string, string>, extras: RunExtras = {}) =>
  runAction({
    action: 'actions/publish',
    inputs: { store: `file://${storeDir}`, name: 'iris', files: 'model.onnx', ...inputs },
    event: pushEvent(),
    cwd: extras.cwd ?? workspace,
    ...(extras.env ? { env: extras.env } : {}),
    ...(extras.githubApiUrl ? { githubApiUrl: extras.githubApiUrl } : {}),
  });

/** The fetch action in a fresh workspace, as a downstream job runs it. */
async function fetchDownstream(inputs: Record<string, string>, extras: RunExtras = {}) {
  const downstream = await temp('fetch-e2e-');
  const run = await runAction({
    action: 'actions/fetch',
    inputs: { store: `file://${storeDir}`, name: 'iris', ...inputs },
    cwd: downstream,
    ...(extras.env ? { env: extras.env } : {}),
    ...(extras.githubApiUrl ? { githubApiUrl: extras.githubApiUrl } : {}),
  });
  return { run, downstream };
}

beforeEach(async () => {
  workspace = await temp('publish-e2e-');
  storeDir = await temp('publish-store-');
  await write('model.onnx', 'onnx bytes of the model');
});

afterEach(async () => {
  for (const dir of temps.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe('the publish action on a folder store', () => {
  it('publishes files, folders and glob matches with metrics, then a downstream job fetches it by alias', async () => {
    await write('tokenizer/vocab.json', '{"a": 1}');
    await write('tokenizer/merges/rules.txt', 'a b');
    await write('extra/labels.txt', 'setosa');
    await write('extra/classes.txt', 'versicolor');
    await write('metrics.json', JSON.stringify({ accuracy: 0.93, eval: { f1: 0.91 } }));
    await write('params.yaml', 'lr: 0.01\n');
    await write('data/train.csv', 'x,y\n1,2\n');

    const run = await publish({
      version: '1.0.0',
      files: 'model.onnx\ntokenizer\nextra/*.txt',
      'metrics-file': 'metrics.json',
      'params-file': 'params.yaml',
      data: 'data',
      alias: 'candidate',
    });
    expect(run.exitCode, run.stdout).toBe(0);
    const manifestPath = join(storeDir, 'models', 'iris', 'versions', '1.0.0.json');
    expect(run.outputs).toMatchObject({
      name: 'iris',
      version: '1.0.0',
      manifest: manifestPath,
      alias: 'candidate',
      'skipped-bytes': '0',
    });
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8'));
    expect(manifest.files.map((f: { path: string }) => f.path)).toEqual([
      'classes.txt',
      'labels.txt',
      'model.onnx',
      'tokenizer/merges/rules.txt',
      'tokenizer/vocab.json',
    ]);
    expect(Number(run.outputs['uploaded-bytes'])).toBe(
      manifest.files.reduce((sum: number, f: { size: number }) => sum + f.size, 0),
    );
    expect(manifest).toMatchObject({
      metrics: { 'metrics.json': { accuracy: 0.93, 'eval.f1': 0.91 } },
      params: { lr: 0.01 },
      gitSha: pushEvent().payload.after,
      runUrl: expect.stringMatching(/\/actions\/runs\/\d+$/),
    });
    expect(manifest.data[0]).toMatchObject({ path: 'data', files: 1 });

    expect(run.summary).toContain('### Published iris 1.0.0');
    expect(run.summary).toContain(`| model.onnx | 23 B | \`${sha256('onnx bytes of the model')}\` |`);
    expect(run.summary).toMatch(/\| metrics\.json \| eval\.f1 \| 0\.91 \|/);
    expect(run.summary).toContain('candidate now points to 1.0.0 (was unset)');
    expect(run.stdout).toContain('Published iris 1.0.0 to file://');

    const { run: fetched, downstream } = await fetchDownstream({ alias: 'candidate', path: 'model-dir' });
    expect(fetched.exitCode, fetched.stdout).toBe(0);
    expect(fetched.outputs).toMatchObject({
      name: 'iris',
      version: '1.0.0',
      path: join(downstream, 'model-dir'),
      bytes: run.outputs['uploaded-bytes'],
    });
    expect(await readFile(join(downstream, 'model-dir', 'model.onnx'), 'utf8')).toBe(
      'onnx bytes of the model',
    );
    expect(await readFile(join(downstream, 'model-dir', 'tokenizer/merges/rules.txt'), 'utf8')).toBe('a b');
    expect(fetched.summary).toContain('### Fetched iris 1.0.0');
  });

  it('bumps versions and does not send a file the store already holds', async () => {
    const first = await publish({ bump: 'patch' });
    expect(first.exitCode, first.stdout).toBe(0);
    expect(first.outputs.version).toBe('0.0.1');
    const second = await publish({ bump: 'minor' });
    expect(second.exitCode, second.stdout).toBe(0);
    expect(second.outputs).toMatchObject({ version: '0.1.0', 'uploaded-bytes': '0', 'skipped-bytes': '23' });
    const manifest = JSON.parse(await readFile(second.outputs.manifest!, 'utf8'));
    expect(manifest.parent).toBe('0.0.1');
  });

  it('refuses an existing version with a clear error, leaving the store as it was', async () => {
    expect((await publish({ version: '1.0.0' })).exitCode).toBe(0);
    const before = await listing(storeDir);
    const manifestBefore = await readFile(join(storeDir, 'models/iris/versions/1.0.0.json'), 'utf8');

    await write('model.onnx', 'different bytes');
    const again = await publish({ version: '1.0.0', alias: 'production' });
    expect(again.exitCode).toBe(1);
    expect(again.annotations).toEqual([
      expect.objectContaining({
        level: 'error',
        message: expect.stringMatching(/^iris 1\.0\.0 already exists in file:\/\/.*; versions are immutable/),
      }),
    ]);
    expect(again.outputs).toEqual({});
    expect(await listing(storeDir)).toEqual(before);
    expect(await readFile(join(storeDir, 'models/iris/versions/1.0.0.json'), 'utf8')).toBe(manifestBefore);
  });

  it('names a pattern that matches nothing, a missing file and a bad bump, and publishes nothing', async () => {
    const pattern = await publish({ version: '1.0.0', files: 'model.onnx\nweights/*.bin' });
    expect(pattern.exitCode).toBe(1);
    expect(pattern.annotations[0]?.message).toBe(
      'The files pattern "weights/*.bin" matches no file; check the path.',
    );
    const missing = await publish({ version: '1.0.0', files: 'model.onnx\nnope.bin' });
    expect(missing.exitCode).toBe(1);
    expect(missing.annotations[0]?.message).toBe(`File ${join(workspace, 'nope.bin')} does not exist.`);
    const bump = await publish({ bump: 'huge' });
    expect(bump.exitCode).toBe(1);
    expect(bump.annotations[0]?.message).toBe('`bump` must be major, minor or patch, got "huge"');
    expect(await listing(storeDir)).toEqual([]);
  });

  it('renders hostile file and metric names inert in the summary', async () => {
    const hostile = '<img src=x onerror=alert(1)> @everyone | x';
    await write('metrics.json', JSON.stringify({ [hostile]: 1 }));
    await write('assets/evil_[x](y)|.txt', 'x');
    const run = await publish({ version: '1.0.0', files: 'assets', 'metrics-file': 'metrics.json' });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.summary).not.toContain('<img');
    expect(run.summary).not.toMatch(/(^|[^\u200d])@everyone/);
    expect(run.summary).toContain('| assets/evil\\_\\[x\\](y)&#124;.txt | 1 B |');
    const row = run.summary.split('\n').find((line) => line.includes('onerror'))!;
    expect(row.split('|')).toHaveLength(5);
  });

  it('a downstream fetch names a missing alias and a reference naming neither version nor alias', async () => {
    expect((await publish({ version: '1.0.0' })).exitCode).toBe(0);
    const { run: unset } = await fetchDownstream({ alias: 'production' });
    expect(unset.exitCode).toBe(1);
    expect(unset.annotations[0]?.message).toMatch(/^Alias production of iris is not set in file:\/\//);
    const { run: neither, downstream } = await fetchDownstream({});
    expect(neither.exitCode).toBe(1);
    expect(neither.annotations[0]?.message).toBe('Name either a version or an alias of iris, not neither.');
    expect(await readdir(downstream)).toEqual([]);
  });
});

describe('the fetch action on a deprecated version', () => {
  it('fetches it with a warning that gives the reason, and the reason as an output', async () => {
    expect((await publish({ version: '1.0.0' })).exitCode).toBe(0);
    await openStore(`file://${storeDir}`).deprecate({
      name: 'iris',
      version: '1.0.0',
      reason: 'leaks labels',
    });
    const { run } = await fetchDownstream({ version: '1.0.0' });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.outputs.deprecated).toBe('leaks labels');
    expect(run.annotations).toContainEqual(
      expect.objectContaining({
        level: 'warning',
        message: expect.stringMatching(/^iris 1\.0\.0 is deprecated .*: leaks labels\.$/),
      }),
    );
  });
});

describe('the publish action with dispatch', () => {
  let double: GitHubDouble;

  beforeEach(async () => {
    double = await startGitHubDouble();
  });

  afterEach(async () => {
    await double.close();
  });

  it('sends model-promoted to the repository when it moves the alias, and nothing without an alias', async () => {
    const first = await publish(
      { version: '1.0.0', alias: 'candidate', dispatch: 'true' },
      { githubApiUrl: double.url },
    );
    expect(first.exitCode, first.stdout).toBe(0);
    const second = await publish(
      { version: '1.1.0', alias: 'candidate', dispatch: 'true' },
      { githubApiUrl: double.url },
    );
    expect(second.exitCode, second.stdout).toBe(0);
    const plain = await publish({ version: '1.2.0', dispatch: 'true' }, { githubApiUrl: double.url });
    expect(plain.exitCode, plain.stdout).toBe(0);
    expect(double.state.repositoryDispatches('octocat', 'model-repo')).toEqual([
      {
        event_type: 'model-promoted',
        client_payload: { name: 'iris', version: '1.0.0', alias: 'candidate', previous: null },
      },
      {
        event_type: 'model-promoted',
        client_payload: { name: 'iris', version: '1.1.0', alias: 'candidate', previous: '1.0.0' },
      },
    ]);
  });
});

describe("the fetch action with if-missing: skip (the gate's production model)", () => {
  it('treats only an alias never set as a first run; an alias it cannot read fails the step', async () => {
    expect((await publish({ version: '1.0.0' })).exitCode).toBe(0);
    const { run: first, downstream } = await fetchDownstream({ alias: 'production', 'if-missing': 'skip' });
    expect(first.exitCode, first.stdout).toBe(0);
    expect(first.outputs.found).toBe('false');
    expect(await readdir(downstream)).toEqual([]);

    // A store whose alias cannot be read is a failure to fetch the baseline, never a first run.
    await mkdir(join(storeDir, 'models/iris/aliases/production'), { recursive: true });
    await writeFile(join(storeDir, 'models/iris/aliases/production/0000000001.json'), '{"alias": ');
    const { run: broken } = await fetchDownstream({ alias: 'production', 'if-missing': 'skip' });
    expect(broken.exitCode).toBe(1);
    expect(broken.outputs.found).toBeUndefined();
  });
});

describe('the publish action on S3', () => {
  let s3: S3Server;

  beforeEach(async () => {
    s3 = await startS3Server({ buckets: ['models'] });
  });

  afterEach(async () => {
    await s3.stop();
  });

  it('publishes to a bucket prefix and a downstream job fetches the version', async () => {
    const env = s3Env(s3);
    const store = 's3://models/team';
    const run = await publish({ store, version: '2.1.0', endpoint: s3.endpoint }, { env });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.outputs).toMatchObject({
      version: '2.1.0',
      manifest: 's3://models/team/models/iris/versions/2.1.0.json',
      'uploaded-bytes': '23',
    });
    const again = await publish({ store, version: '2.1.0', endpoint: s3.endpoint }, { env });
    expect(again.exitCode).toBe(1);
    expect(again.annotations[0]?.message).toMatch(/^iris 2\.1\.0 already exists in s3:\/\/models\/team/);

    const { run: fetched, downstream } = await fetchDownstream(
      { store, version: '2.1.0', endpoint: s3.endpoint },
      { env },
    );
    expect(fetched.exitCode, fetched.stdout).toBe(0);
    expect(await readFile(join(downstream, 'model', 'model.onnx'), 'utf8')).toBe('onnx bytes of the model');
  });
});

describe('the publish action on GitHub releases', () => {
  let double: GitHubDouble;
  const store = 'github-release://octocat/model-repo';

  beforeEach(async () => {
    double = await startGitHubDouble();
  });

  afterEach(async () => {
    await double.close();
  });

  it('uploads the files and the manifest as release assets; a downstream job fetches them', async () => {
    const run = await publish({ store, version: '1.0.0', alias: 'production' }, { githubApiUrl: double.url });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.outputs.manifest).toBe(
      'https://github.com/octocat/model-repo/releases/download/iris%40v1.0.0/mlactions.manifest.json',
    );
    const releases = double.state.releases('octocat', 'model-repo');
    const version = releases.find((r) => r.tag_name === 'iris@v1.0.0')!;
    expect(version.assets.map((a) => a.name).sort()).toEqual(['mlactions.manifest.json', 'model.onnx']);
    const model = version.assets.find((a) => a.name === 'model.onnx')!;
    expect(double.state.assetContent('octocat', 'model-repo', model.id)?.toString()).toBe(
      'onnx bytes of the model',
    );
    expect(releases.map((r) => r.tag_name)).toContain('iris@aliases');

    const { run: fetched, downstream } = await fetchDownstream(
      { store, alias: 'production' },
      { githubApiUrl: double.url },
    );
    expect(fetched.exitCode, fetched.stdout).toBe(0);
    expect(fetched.outputs.version).toBe('1.0.0');
    expect(await readFile(join(downstream, 'model', 'model.onnx'), 'utf8')).toBe('onnx bytes of the model');
  });

  it('without a token says which input to set and contacts nothing', async () => {
    const run = await publish({ store, version: '1.0.0', token: '' }, { githubApiUrl: double.url });
    expect(run.exitCode).toBe(1);
    expect(run.annotations[0]?.message).toBe(
      'The store github-release://octocat/model-repo needs a GitHub token with contents access: ' +
        'set the `token` input (by default the job token, which needs `contents: write`).',
    );
    expect(double.requests).toHaveLength(0);
  });
});
