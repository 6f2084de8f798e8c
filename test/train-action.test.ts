import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMetrics } from '@mlactions/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { type CacheDouble, startCacheDouble } from './harness/cache-double/index.ts';
import { REPO_ROOT, runAction } from './harness/index.ts';

const FAKE_BIN = join(REPO_ROOT, 'test/fixtures/nvidia-smi/bin');
const TRAIN_SCRIPT = join(REPO_ROOT, 'examples/train-node/train.mjs');
const H100 = 'NVIDIA H100 80GB HBM3';

let workspace: string;
const temps: string[] = [];

async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

beforeEach(async () => {
  workspace = await tempDir('train-e2e-');
});

afterEach(async () => {
  for (const dir of temps.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** A PATH with the fake nvidia-smi first; `machine` picks its answers (see its README). */
const gpuEnv = (machine: string, extra: Record<string, string> = {}) => ({
  PATH: `${FAKE_BIN}:${process.env.PATH}`,
  FAKE_NVIDIA_SMI: machine,
  ...extra,
});

function train(
  inputs: Record<string, string>,
  env: Record<string, string> = gpuEnv('h100'),
  cwd = workspace,
) {
  return runAction({
    action: 'actions/train',
    inputs: {
      command: `node ${TRAIN_SCRIPT}`,
      'metrics-file': 'metrics.json',
      'model-files': 'model/*.json',
      'telemetry-interval-seconds': '0.05',
      'grace-seconds': '30',
      'output-dir': 'out',
      ...inputs,
    },
    env,
    cwd,
  });
}

/** A training job long enough to be sampled and stopped: 50 ms per epoch. */
const slowParams = (epochs: number) => `epochs: ${epochs}\nepoch_ms: 50`;

/** The training command, started once telemetry has sampled twice, however busy the machine. */
const TRAIN_AFTER_TELEMETRY = [
  'until [ "$(wc -l < out/gpu-metrics.csv 2>/dev/null || echo 0)" -ge 3 ]; do sleep 0.05; done',
  `node ${TRAIN_SCRIPT}`,
].join('\n');

describe('the train action on one H100', () => {
  it('runs the command with its log in a group and reports GPUs, telemetry, metrics and model files', async () => {
    const run = await train({ params: slowParams(8), command: TRAIN_AFTER_TELEMETRY });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.groups).toContain('Training command');
    expect(run.stdout).toMatch(/epoch 8\/8 loss/);

    const gpu = JSON.parse(run.outputs['gpu-summary']!);
    expect(gpu).toMatchObject({ count: 1, installed: 1, driverVersion: '580.159.04', cudaVersion: '13.0' });
    expect(gpu.gpus[0]).toMatchObject({
      index: 0,
      name: H100,
      memoryTotalMiB: 81559,
      computeCapability: '9.0',
    });
    expect(gpu.samples).toBeGreaterThan(0);
    expect(run.outputs['gpu-count']).toBe('1');
    expect(JSON.parse(await readFile(run.outputs['gpu-summary-file']!, 'utf8'))).toEqual(gpu);
    const { cost } = JSON.parse(await readFile(run.outputs['cost-file']!, 'utf8'));
    expect(cost.gpu_hours).toBeCloseTo(cost.wall_time_seconds / 3600, 6);
    expect(cost.energy_kwh).toBeGreaterThan(0);
    expect(cost.peak_gpu_memory_mib).toBeGreaterThanOrEqual(0);
    expect(run.summary).toContain('### What the run cost');

    expect(run.summary).toContain('## Training');
    expect(run.summary).toContain(H100);
    expect(run.summary).toMatch(/driver 580\.159\.04 · CUDA 13\.0/);
    expect(run.summary).toContain('```mermaid\nxychart-beta\n  title "GPU utilization"');
    expect(run.summary).toMatch(/\| accuracy \| 0\.9\d+ \|/);

    expect(run.outputs['metrics-file']).toBe(join(workspace, 'metrics.json'));
    expect(run.outputs['model-files']).toBe('model/model.json');
    expect(run.outputs['exit-code']).toBe('0');
    expect(run.outputs['timed-out']).toBe('false');
    expect(JSON.parse(await readFile(run.outputs.params!, 'utf8'))).toEqual({ epochs: 8, epoch_ms: 50 });
  });

  it('writes the telemetry history as a metrics file the report reads', async () => {
    const run = await train({ params: slowParams(6), command: TRAIN_AFTER_TELEMETRY });
    expect(run.exitCode, run.stdout).toBe(0);
    const csv = run.outputs['gpu-metrics-file']!;
    expect((await readFile(csv, 'utf8')).split('\n')[0]).toBe(
      'step,wall_time,gpu0.utilization_pct,gpu0.memory_used_mib,gpu0.power_w,gpu0.temperature_c',
    );
    const set = await loadMetrics(csv);
    const names = set.metrics.map((m) => m.name).sort();
    expect(names).toEqual([
      'gpu0.memory_used_mib',
      'gpu0.power_w',
      'gpu0.temperature_c',
      'gpu0.utilization_pct',
    ]);
    const utilization = set.metrics.find((m) => m.name === 'gpu0.utilization_pct')!;
    const values = utilization.history!.map((p) => p.value);
    const gpu = JSON.parse(run.outputs['gpu-summary']!);
    expect(values).toHaveLength(gpu.samples);
    expect(gpu.gpus[0].telemetry.utilizationPct.max).toBe(Math.max(...values));
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    // The summary keeps two decimals: within half a hundredth (toBeCloseTo(mean, 2) failed on an exact
    // half, 39.125 shown as 39.13, when the machine's pace gave that many samples).
    expect(Math.abs(gpu.gpus[0].telemetry.utilizationPct.mean - mean)).toBeLessThanOrEqual(0.005 + 1e-9);
  });

  it('warns that there is no cache service and trains anyway', async () => {
    const run = await train({ params: 'epochs: 2' });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.annotations).toContainEqual(
      expect.objectContaining({
        level: 'warning',
        message: expect.stringMatching(/no cache service \(ACTIONS_CACHE_URL is not set\)/),
      }),
    );
    expect(run.summary).toContain('Cache: this runner offers no cache service');
    expect(run.outputs.resumed).toBe('false');
  });
});

describe('GPU discovery', () => {
  it('sees all eight GPUs of an HGX board and charts each', async () => {
    const run = await train({ params: slowParams(6), command: TRAIN_AFTER_TELEMETRY }, gpuEnv('h100x8'));
    expect(run.exitCode, run.stdout).toBe(0);
    const gpu = JSON.parse(run.outputs['gpu-summary']!);
    expect(gpu.count).toBe(8);
    expect(gpu.gpus.map((g: { index: number }) => g.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    const chart = run.summary.split('```mermaid')[1]!;
    expect(chart.match(/ {2}line "GPU \d"/g)).toHaveLength(8);
    const header = (await readFile(run.outputs['gpu-metrics-file']!, 'utf8')).split('\n')[0]!;
    expect(header.split(',')).toHaveLength(2 + 8 * 4);
  });

  it('keeps to the GPUs CUDA_VISIBLE_DEVICES names, by index or UUID prefix', async () => {
    const run = await train(
      { params: slowParams(4) },
      gpuEnv('h100x8', { CUDA_VISIBLE_DEVICES: '6,GPU-c0c0915a-7008-4ecb-b3ec-4de7bc38cca2' }),
    );
    expect(run.exitCode, run.stdout).toBe(0);
    const gpu = JSON.parse(run.outputs['gpu-summary']!);
    expect(gpu).toMatchObject({ count: 2, installed: 8 });
    expect(gpu.gpus.map((g: { index: number }) => g.index)).toEqual([6, 2]);
    expect(run.summary).toContain('2 of 8 GPUs visible (CUDA_VISIBLE_DEVICES)');
    const header = (await readFile(run.outputs['gpu-metrics-file']!, 'utf8')).split('\n')[0]!;
    expect(header).toMatch(/^step,wall_time,gpu6\.utilization_pct,.*gpu2\.temperature_c$/);
  });

  it.each([
    ['none', /nvidia-smi found no GPU/],
    ['broken', /nvidia-smi failed \(exit 9\): NVIDIA-SMI has failed because it couldn't communicate/],
  ])('with require-gpu fails before the command runs when nvidia-smi says %s', async (machine, reason) => {
    const run = await train({ 'require-gpu': 'true', command: 'touch ran' }, gpuEnv(machine));
    expect(run.exitCode).toBe(1);
    expect(run.annotations).toHaveLength(1);
    expect(run.annotations[0]!.message).toMatch(reason);
    expect(run.annotations[0]!.message).toMatch(/require-gpu: true/);
    expect(existsSync(join(workspace, 'ran'))).toBe(false);
  });

  it('with require-gpu fails when nvidia-smi is missing or CUDA_VISIBLE_DEVICES hides every GPU', async () => {
    // A PATH that has the shell and node but no nvidia-smi, whatever this machine has installed.
    const bin = await tempDir('train-bin-');
    for (const tool of ['bash', 'touch'])
      await symlink(join('/usr/bin', tool), join(bin, tool)).catch(() => {});
    await symlink(process.execPath, join(bin, 'node'));
    const missing = await train({ 'require-gpu': 'true', command: 'touch ran' }, { PATH: bin });
    expect(missing.exitCode).toBe(1);
    expect(missing.annotations[0]!.message).toMatch(/nvidia-smi is not on PATH/);

    const hidden = await train(
      { 'require-gpu': 'true', command: 'touch ran' },
      gpuEnv('h100x8', { CUDA_VISIBLE_DEVICES: '' }),
    );
    expect(hidden.exitCode).toBe(1);
    expect(hidden.annotations[0]!.message).toMatch(
      /CUDA_VISIBLE_DEVICES="" leaves none of 8 GPU\(s\) visible/,
    );
    expect(existsSync(join(workspace, 'ran'))).toBe(false);
  });

  it('trains without a GPU when none is required, and says so', async () => {
    const run = await train({ params: 'epochs: 2' }, gpuEnv('broken'));
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.summary).toMatch(/No GPU: nvidia-smi failed \(exit 9\)/);
    expect(run.outputs['gpu-count']).toBe('0');
    expect(run.outputs['gpu-metrics-file']).toBeUndefined();
    expect(JSON.parse(run.outputs['gpu-summary']!)).toMatchObject({ count: 0, gpus: [], samples: 0 });
  });
});

describe('the command', () => {
  it('passes the exit code on and fails the step', async () => {
    const run = await train({ command: 'echo training; exit 3' });
    expect(run.exitCode).toBe(3);
    expect(run.outputs['exit-code']).toBe('3');
    expect(run.annotations).toContainEqual(
      expect.objectContaining({ level: 'error', message: 'The training command failed with exit code 3.' }),
    );
    expect(run.summary).toContain('❌ The command failed with exit code 3');
  });

  it('runs in the working directory with the env input, the MLACTIONS_ variables and none of the runner internals', async () => {
    await mkdir(join(workspace, 'sub'));
    const run = await train({
      'working-directory': 'sub',
      'model-files': '',
      env: 'GREETING=hello=world\n# a comment\nSEED=7',
      'metrics-file': 'm.json',
      params: '{"lr": 0.1}',
      command: [
        'pwd > where',
        'env | grep -E "^(GREETING|SEED|MLACTIONS_|INPUT_|ACTIONS_RUNTIME|STATE_)" | sort > env.txt',
        'echo \'{"accuracy": 1}\' > "$MLACTIONS_METRICS_FILE"',
      ].join('\n'),
    });
    expect(run.exitCode, run.stdout).toBe(0);
    expect((await readFile(join(workspace, 'sub/where'), 'utf8')).trim()).toBe(join(workspace, 'sub'));
    const env = await readFile(join(workspace, 'sub/env.txt'), 'utf8');
    expect(env).toContain('GREETING=hello=world\n');
    expect(env).toContain('SEED=7\n');
    expect(env).toContain(`MLACTIONS_CHECKPOINT_DIR=${join(workspace, '.mlactions/checkpoints')}\n`);
    expect(env).toContain(`MLACTIONS_METRICS_FILE=${join(workspace, 'sub/m.json')}\n`);
    expect(env).toContain('MLACTIONS_PARAMS={"lr":0.1}\n');
    expect(env).toContain('MLACTIONS_RESUMED=false\n');
    expect(env).toContain('MLACTIONS_GPU_COUNT=1\n');
    expect(env).not.toMatch(/^(INPUT_|ACTIONS_RUNTIME|STATE_)/m);
    expect(run.outputs['metrics-file']).toBe(join(workspace, 'sub/m.json'));
  });

  it('on timeout sends SIGTERM, lets the script checkpoint and fails the step', async () => {
    // 10.2 s: long enough for the script to start and train on a busy machine before its SIGTERM.
    const run = await train({ params: slowParams(100_000), 'timeout-minutes': '0.17' });
    expect(run.exitCode).toBe(143);
    expect(run.outputs).toMatchObject({ 'timed-out': 'true', 'exit-code': '143' });
    expect(run.stdout).toMatch(/SIGTERM: checkpoint written at epoch \d+/);
    expect(run.summary).toMatch(
      /⏱️ Timed out after 10\.2 s: it left within the \d+ s grace period after SIGTERM \(exit 143\)/,
    );
    expect(run.annotations).toContainEqual(
      expect.objectContaining({
        level: 'error',
        message: expect.stringMatching(/timed out after 0\.17 minute/),
      }),
    );
    const checkpoint = JSON.parse(
      await readFile(join(workspace, '.mlactions/checkpoints/checkpoint.json'), 'utf8'),
    );
    expect(checkpoint.epoch).toBeGreaterThan(0);
    expect(run.stdout).toMatch(new RegExp(`SIGTERM: checkpoint written at epoch ${checkpoint.epoch}\\b`));

    // The same runner's next attempt finds the checkpoint folder where it was and resumes.
    const rerun = await train({ params: slowParams(checkpoint.epoch + 2) });
    expect(rerun.exitCode, rerun.stdout).toBe(0);
    expect(rerun.stdout).toContain(`resumed from checkpoint at epoch ${checkpoint.epoch}`);
    expect(rerun.stdout).toMatch(new RegExp(`epoch ${checkpoint.epoch + 2}/${checkpoint.epoch + 2} loss`));
  });

  it('kills the whole process group once the grace period is over', async () => {
    // bash ignores SIGTERM and so does the sleep it starts (ignored signals are inherited). Once both
    // are set, the command cancels the job as the runner does (SIGINT to the action's process), which
    // stops it as a timeout would, without waiting for a clock.
    const run = await train({
      command: "trap '' TERM\nsleep 60 &\nkill -INT $PPID\nwait $!\necho never",
      'grace-seconds': '0.5',
    });
    expect(run.exitCode).toBe(137);
    expect(run.summary).toMatch(
      /🛑 Cancelled: still running 0\.5 s after SIGTERM, so it was killed \(SIGKILL\)/,
    );
    expect(run.stdout).not.toContain('never');
  });

  it('stops the command as on a timeout when the job is cancelled', async () => {
    // The runner cancels a job by sending SIGINT to the action's process: here the command does it,
    // once the script has written its first checkpoint (so it is ready for the SIGTERM that follows).
    const run = await train({
      params: slowParams(100_000),
      command: [
        `node ${TRAIN_SCRIPT} &`,
        'until [ -f "$MLACTIONS_CHECKPOINT_DIR/checkpoint.json" ]; do sleep 0.05; done',
        'kill -INT $PPID',
        'wait',
      ].join('\n'),
    });
    expect(run.exitCode).not.toBe(0);
    expect(run.stdout).toMatch(/SIGTERM: checkpoint written at epoch \d+/);
    expect(run.summary).toContain('🛑 Cancelled');
    expect(run.annotations).toContainEqual(
      expect.objectContaining({ level: 'error', message: 'The job was cancelled; the command was stopped.' }),
    );
  });
});

describe('data and checkpoints in the runner cache', () => {
  let cache: CacheDouble;
  beforeEach(async () => {
    cache = await startCacheDouble();
  });
  afterEach(async () => {
    await cache.close();
  });

  /** A run on a fresh machine (an empty workspace) as attempt `attempt` of workflow run `runId`. */
  async function attempt(runId: number, attemptNumber: number, inputs: Record<string, string>) {
    const cwd = await tempDir('train-cache-');
    const run = await runAction({
      action: 'actions/train',
      inputs: {
        command: `node ${TRAIN_SCRIPT}`,
        'metrics-file': 'metrics.json',
        'telemetry-interval-seconds': '0.05',
        'grace-seconds': '30',
        'output-dir': 'out',
        'data-paths': 'data',
        'cache-key': 'tiny-logreg',
        ...inputs,
      },
      env: { ...gpuEnv('h100'), ...cache.env() },
      runId,
      runAttempt: attemptNumber,
      cwd,
    });
    return { run, cwd };
  }

  it('saves the checkpoint of a timed-out attempt and the data; the rerun on another machine resumes', async () => {
    const first = await attempt(500, 1, { params: slowParams(100_000), 'timeout-minutes': '0.17' });
    expect(first.run.outputs['timed-out']).toBe('true');
    expect(first.run.stdout).toContain('wrote data/train.csv');
    const epoch = JSON.parse(
      await readFile(join(first.cwd, '.mlactions/checkpoints/checkpoint.json'), 'utf8'),
    ).epoch;
    const keys = cache.entries.filter((e) => e.finalized).map((e) => e.key);
    expect(keys).toContainEqual(expect.stringMatching(/^mlactions-train-tiny-logreg-nodata-ckpt-500-1-\d+$/));
    expect(keys).toContain('mlactions-train-tiny-logreg-nodata-data');
    expect(cache.requests.filter((r) => r.operation === 'put-blob')).toHaveLength(2);

    const second = await attempt(500, 2, { params: slowParams(epoch + 2) });
    expect(second.run.exitCode, second.run.stdout).toBe(0);
    expect(second.run.outputs).toMatchObject({ resumed: 'true', 'data-cache-hit': 'true' });
    expect(second.run.outputs['resumed-from']).toMatch(/-ckpt-500-1-\d+$/);
    expect(second.run.stdout).not.toContain('wrote data/train.csv');
    expect(second.run.stdout).toContain(`resumed from checkpoint at epoch ${epoch}`);
    expect(second.run.summary).toContain(
      'Resumed from checkpoint mlactions-train-tiny-logreg-nodata-ckpt-500-1-',
    );
    // A success saves no checkpoint by default, and the data entry exists already.
    expect(cache.entries.filter((e) => e.finalized)).toHaveLength(2);
  });

  it('keys the data on its fingerprint and resumes another run only with resume: latest', async () => {
    const fingerprintFile = 'data.version';
    const withData = async (runId: number, inputs: Record<string, string>) => {
      const cwd = await tempDir('train-cache-');
      await writeFile(join(cwd, fingerprintFile), 'v1\n');
      return runAction({
        action: 'actions/train',
        inputs: {
          command: `node ${TRAIN_SCRIPT}`,
          'output-dir': 'out',
          'data-paths': 'data',
          'data-fingerprint': fingerprintFile,
          'save-checkpoint': 'always',
          'telemetry-interval-seconds': '0',
          ...inputs,
        },
        env: { ...gpuEnv('h100'), ...cache.env() },
        runId,
        cwd,
      });
    };
    const first = await withData(600, { params: 'epochs: 3' });
    expect(first.exitCode, first.stdout).toBe(0);
    const dataKey = cache.entries.find((e) => e.key.endsWith('-data'))!.key;
    expect(dataKey).toMatch(/^mlactions-train-train-[0-9a-f]{16}-data$/);

    const otherRun = await withData(601, { params: 'epochs: 5' });
    expect(otherRun.outputs).toMatchObject({ resumed: 'false', 'data-cache-hit': 'true' });
    expect(otherRun.stdout).toContain('epoch 1/5');

    const latest = await withData(602, { params: 'epochs: 7', resume: 'latest' });
    expect(latest.outputs.resumed).toBe('true');
    expect(latest.stdout).toContain('resumed from checkpoint at epoch 5');
  });

  it('does not cache the data of a command that failed on its own', async () => {
    const { run } = await attempt(950, 1, {
      command: 'mkdir -p data && echo half > data/train.csv && exit 4',
    });
    expect(run.exitCode).toBe(4);
    expect(cache.entries.filter((e) => e.key.endsWith('-data'))).toEqual([]);
  });

  it('saves a changed checkpoint folder periodically while the command runs', async () => {
    // The command changes its checkpoint until the cache has taken two saves of it.
    const enough = join(await tempDir('train-saved-'), 'two-saves');
    const savedNow = () => cache.entries.filter((e) => e.finalized && e.key.includes('-ckpt-900-1-'));
    const watching = (async () => {
      while (savedNow().length < 2) await new Promise((resolve) => setTimeout(resolve, 20));
      await writeFile(enough, '');
    })();
    const command = [
      'mkdir -p "$MLACTIONS_CHECKPOINT_DIR"',
      `until [ -f ${enough} ]; do date +%s%N > "$MLACTIONS_CHECKPOINT_DIR/step"; sleep 0.05; done`,
      `echo '{"accuracy": 0.9}' > metrics.json`,
    ].join('\n');
    const { run } = await attempt(900, 1, {
      command,
      'data-paths': '',
      'checkpoint-interval-minutes': '0.005',
    });
    await watching;
    expect(run.exitCode, run.stdout).toBe(0);
    expect(savedNow().length).toBeGreaterThanOrEqual(2);
    expect(run.stdout).toMatch(
      /Checkpoint saved to the cache as mlactions-train-tiny-logreg-nodata-ckpt-900-1-\d+/,
    );
  });

  it('saves the checkpoint in the post step when the main step was killed', async () => {
    // The command writes a checkpoint, then kills the action's process as a runner would that gave up
    // waiting on a cancelled job: only the post step is left to save it.
    const command = [
      'mkdir -p "$MLACTIONS_CHECKPOINT_DIR"',
      'echo \'{"epoch": 4, "w": [0, 0], "b": 0}\' > "$MLACTIONS_CHECKPOINT_DIR/checkpoint.json"',
      'kill -KILL $PPID',
    ].join('\n');
    const killed = await attempt(700, 1, { command, 'data-paths': '' });
    expect(killed.run.exitCode).toBeNull();
    expect(killed.run.post?.exitCode, killed.run.post?.stdout).toBe(0);
    expect(killed.run.post?.stdout).toMatch(
      /Checkpoint of the interrupted command saved to the cache as mlactions-train-tiny-logreg-nodata-ckpt-700-1-\d+/,
    );

    const rerun = await attempt(700, 2, { params: 'epochs: 6', 'data-paths': '' });
    expect(rerun.run.exitCode, rerun.run.stdout).toBe(0);
    expect(rerun.run.stdout).toContain('resumed from checkpoint at epoch 4');
  });

  it('does nothing in the post step after a main step that finished', async () => {
    const run = await attempt(800, 1, { params: 'epochs: 2' });
    expect(run.run.exitCode, run.run.stdout).toBe(0);
    expect(run.run.post?.exitCode).toBe(0);
    expect(run.run.post?.stdout ?? '').not.toMatch(/Checkpoint/);
  });
});

describe('the cache double', () => {
  // @actions/cache uploads in one Put Blob up to 128 MiB; larger archives go up in blocks. The Azure
  // Storage SDK that @actions/cache uses is driven here directly, with a small block size.
  const fromCache = createRequire(join(REPO_ROOT, 'packages/train/node_modules/@actions/cache/package.json'));
  const { BlockBlobClient } = fromCache('@azure/storage-blob') as {
    BlockBlobClient: new (
      url: string,
    ) => {
      stageBlock(id: string, body: Buffer, length: number): Promise<unknown>;
      commitBlockList(ids: string[]): Promise<unknown>;
    };
  };

  it('takes an upload in blocks and serves it whole', async () => {
    const cache = await startCacheDouble();
    try {
      const twirp = async (method: string, body: object) => {
        const response = await fetch(
          `${cache.url}twirp/github.actions.results.api.v1.CacheService/${method}`,
          {
            method: 'POST',
            headers: { authorization: `Bearer ${cache.token}`, 'content-type': 'application/json' },
            body: JSON.stringify(body),
          },
        );
        return { status: response.status, body: (await response.json()) as Record<string, unknown> };
      };
      const entry = { key: 'big-1', version: 'v1' };
      const created = await twirp('CreateCacheEntry', entry);
      expect(created.body.ok).toBe(true);
      const blob = new BlockBlobClient(String(created.body.signed_upload_url));
      const parts = [Buffer.alloc(1000, 1), Buffer.alloc(500, 2)];
      const ids = ['0000', '0001'].map((n) => Buffer.from(n).toString('base64'));
      for (const [i, part] of parts.entries()) await blob.stageBlock(ids[i]!, part, part.length);
      await blob.commitBlockList(ids);
      expect((await twirp('FinalizeCacheEntryUpload', { ...entry, size_bytes: '1500' })).body).toMatchObject({
        ok: true,
      });
      expect((await twirp('CreateCacheEntry', entry)).status).toBe(409);

      const found = await twirp('GetCacheEntryDownloadURL', {
        key: 'big-2',
        restore_keys: ['big-'],
        version: 'v1',
      });
      expect(found.body).toMatchObject({ ok: true, matched_key: 'big-1' });
      const bytes = Buffer.from(await (await fetch(String(found.body.signed_download_url))).arrayBuffer());
      expect(bytes.equals(Buffer.concat(parts))).toBe(true);
      expect((await twirp('GetCacheEntryDownloadURL', { key: 'big-1', version: 'v2' })).body).toEqual({
        ok: false,
      });
      expect(cache.requests.map((r) => r.operation)).toContain('put-block-list');
    } finally {
      await cache.close();
    }
  });
});

describe('the templates', () => {
  const template = async (path: string) => parseYaml(await readFile(join(REPO_ROOT, path), 'utf8'));
  type Step = {
    name?: string;
    uses?: string;
    run?: string;
    env?: Record<string, string>;
    with?: Record<string, unknown>;
  };
  type Workflow = { jobs: Record<string, { steps: Step[] }> };

  it.each(['templates/train.yml', 'templates/sweep.yml'])(
    '%s gives our actions only inputs they declare',
    async (path) => {
      const workflow = (await template(path)) as Workflow;
      const ours = Object.values(workflow.jobs)
        .flatMap((job) => job.steps)
        .filter((step) => step.uses?.startsWith('mlactions/mlactions/actions/'));
      expect(ours.length).toBeGreaterThan(1);
      for (const step of ours) {
        const verb = /actions\/([a-z]+)@/.exec(step.uses!)![1]!;
        const inputs = (
          (await template(`actions/${verb}/action.yml`)) as { inputs: Record<string, { required?: boolean }> }
        ).inputs;
        for (const name of Object.keys(step.with ?? {}))
          expect(Object.keys(inputs), `${verb}: ${name}`).toContain(name);
        for (const [name, spec] of Object.entries(inputs))
          if (spec.required) expect(step.with, `${verb}: ${name}`).toHaveProperty(name);
      }
    },
  );

  it.each(['templates/train.yml', 'templates/sweep.yml'])(
    "%s refuses a fork's pull request on the GPU runner before anything of it runs",
    async (path) => {
      const job = ((await template(path)) as Workflow).jobs.train!;
      const [first, second] = job.steps;
      expect(second?.uses).toMatch(/^actions\/checkout@/);
      const refuse = (env: Record<string, string>) =>
        new Promise<number>((resolve) => {
          execFile(
            'bash',
            ['-e', '-c', first!.run!],
            { env: { PATH: process.env.PATH ?? '', GITHUB_REPOSITORY: 'acme/models', ...env } },
            (error) => resolve(error ? (error.code as number) : 0),
          );
        });
      expect(first?.env?.HEAD_REPOSITORY).toBe(
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the workflow expression the step reads
        '${{ github.event.pull_request.head.repo.full_name }}',
      );
      expect(await refuse({ GITHUB_EVENT_NAME: 'pull_request', HEAD_REPOSITORY: 'mallory/models' })).toBe(1);
      expect(await refuse({ GITHUB_EVENT_NAME: 'pull_request', HEAD_REPOSITORY: 'acme/models' })).toBe(0);
      expect(await refuse({ GITHUB_EVENT_NAME: 'push', HEAD_REPOSITORY: '' })).toBe(0);
      expect(await refuse({ GITHUB_EVENT_NAME: 'workflow_dispatch', HEAD_REPOSITORY: '' })).toBe(0);
    },
  );

  it('the sweep names the best run and reports the spread of the runs', async () => {
    const dir = await tempDir('sweep-');
    const runs: [string, number, number][] = [
      ['sweep-lr0.01-bs32', 0.91, 0.01],
      ['sweep-lr0.001-bs32', 0.95, 0.001],
      ['sweep-lr0.01-bs128', 0.89, 0.01],
    ];
    for (const [name, accuracy, lr] of runs) {
      await mkdir(join(dir, 'runs', name, 'run'), { recursive: true });
      await writeFile(
        join(dir, 'runs', name, 'metrics.json'),
        JSON.stringify({ accuracy, eval: { loss: 1 - accuracy } }),
      );
      await writeFile(join(dir, 'runs', name, 'run', 'params.json'), JSON.stringify({ lr }));
    }
    await mkdir(join(dir, 'runs', 'sweep-failed'));
    const step = ((await template('templates/sweep.yml')) as Workflow).jobs.best!.steps.find(
      (s) => s.name === 'Name the best run',
    )!;
    const files = { GITHUB_OUTPUT: join(dir, 'output'), GITHUB_STEP_SUMMARY: join(dir, 'summary') };
    const shell = (env: Record<string, string>) =>
      new Promise<number>((resolve) => {
        execFile(
          'bash',
          ['-e', '-c', step.run!],
          { cwd: dir, env: { PATH: process.env.PATH ?? '', ...files, ...env } },
          (error) => resolve(error ? (error.code as number) : 0),
        );
      });

    expect(await shell({ METRIC: 'accuracy', GOAL: 'max' })).toBe(0);
    const output = await readFile(files.GITHUB_OUTPUT, 'utf8');
    expect(output).toContain('run=sweep-lr0.001-bs32\n');
    const heads = /heads<<EOF\n([\s\S]*?)\nEOF/.exec(output)![1]!.split('\n');
    expect(heads).toEqual([
      'runs/sweep-lr0.001-bs32/metrics.json',
      'runs/sweep-lr0.01-bs32/metrics.json',
      'runs/sweep-lr0.01-bs128/metrics.json',
    ]);
    const summary = await readFile(files.GITHUB_STEP_SUMMARY, 'utf8');
    expect(summary).toContain('| 🏆 | sweep-lr0.001-bs32 | 0.95 | `{"lr":0.001}` |');

    await writeFile(files.GITHUB_OUTPUT, '');
    expect(await shell({ METRIC: 'eval.loss', GOAL: 'min' })).toBe(0);
    expect(await readFile(files.GITHUB_OUTPUT, 'utf8')).toContain('run=sweep-lr0.001-bs32\n');
    expect(await shell({ METRIC: 'f1', GOAL: 'max' })).toBe(1);

    // The report reads the several heads as runs of one model: each metric's mean and interval.
    const report = await new Promise<string>((resolve, reject) => {
      execFile(
        process.execPath,
        [
          join(REPO_ROOT, 'packages/cli/dist/mlactions.js'),
          'report',
          ...heads.flatMap((h) => ['--head', h]),
          '--format',
          'json',
        ],
        { cwd: dir },
        (error, stdout, stderr) => (error ? reject(new Error(stderr)) : resolve(stdout)),
      );
    });
    const accuracy = JSON.parse(report).metrics.find((m: { name: string }) => m.name === 'accuracy');
    expect(accuracy.head).toBeCloseTo((0.91 + 0.95 + 0.89) / 3, 9);
  });
});
