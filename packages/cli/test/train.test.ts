import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BIN, runCli } from './bundled-cli.ts';

const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const FAKE_BIN = join(REPO_ROOT, 'test/fixtures/nvidia-smi/bin');
const TRAIN_SCRIPT = join(REPO_ROOT, 'examples/train-node/train.mjs');

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-train-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The stand-in nvidia-smi first on PATH, answering as `machine` (see its README). */
const gpuEnv = (machine: string) => ({
  ...process.env,
  PATH: `${FAKE_BIN}:${process.env.PATH}`,
  FAKE_NVIDIA_SMI: machine,
});

/** `mlactions train` on the example script, 50 ms an epoch, sampling the GPUs every 50 ms. */
function trainArgs(epochs: number, ...more: string[]): string[] {
  return [
    'train',
    '--command',
    `node ${TRAIN_SCRIPT}`,
    '--params',
    `epochs: ${epochs}\nepoch_ms: 50`,
    '--metrics-file',
    'metrics.json',
    '--model-files',
    'model/*.json',
    '--telemetry-interval-seconds',
    '0.05',
    '--grace-seconds',
    '5',
    ...more,
  ];
}

const train = (args: string[], machine = 'h100') => runCli(args, { cwd: dir, env: gpuEnv(machine) });

describe('mlactions train', () => {
  it('runs the command with GPU telemetry and prints the summary; the command’s own log goes to stderr', () => {
    const run = train(trainArgs(6));
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^## Training\n\n✅ The command succeeded/);
    expect(run.stdout).toContain('| 0 | NVIDIA H100 80GB HBM3 | 81559 MiB | 9.0 |');
    expect(run.stdout).toContain('```mermaid\nxychart-beta\n  title "GPU utilization"');
    expect(run.stdout).toMatch(/\| accuracy \| 0\.9\d+ \|/);
    expect(run.stdout).not.toContain('epoch 6/6');
    expect(run.stderr).toContain('GPUs: 0: NVIDIA H100 80GB HBM3');
    expect(run.stderr).toMatch(/epoch 6\/6 loss/);
  });

  it('prints one JSON document with --format json: GPUs, metrics, model files, params', async () => {
    const run = train(trainArgs(4, '--format', 'json', '--output-dir', 'out'));
    expect(run.status, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({
      exitCode: 0,
      succeeded: true,
      gpu: { count: 1, driverVersion: '580.159.04', cudaVersion: '13.0' },
      metricsFile: join(dir, 'metrics.json'),
      modelFiles: ['model/model.json'],
      paramsFile: join(dir, 'out', 'params.json'),
      gpuSummaryFile: join(dir, 'out', 'gpu.json'),
    });
    expect(result.gpu.samples).toBeGreaterThan(0);
    expect(JSON.parse(await readFile(join(dir, 'out', 'gpu.json'), 'utf8'))).toEqual(result.gpu);
  });

  it('with --require-gpu fails before the command runs when there is no GPU', () => {
    const run = train(['train', '--command', 'touch ran', '--require-gpu'], 'none');
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^mlactions: No GPU found: nvidia-smi found no GPU/m);
    expect(existsSync(join(dir, 'ran'))).toBe(false);
  });

  it('on timeout sends SIGTERM, lets the command checkpoint, exits with its code; run again, it resumes', async () => {
    const run = train(trainArgs(1000, '--timeout-minutes', '0.01'));
    expect(run.status).toBe(143);
    expect(run.stdout).toMatch(/Timed out after 0\.6 s: it left within the 5 s grace period after SIGTERM/);
    expect(run.stderr).toContain(
      'mlactions: The command timed out after 0.01 minute(s). Run it again to resume from its checkpoint.',
    );
    const checkpoint = JSON.parse(
      await readFile(join(dir, '.mlactions/checkpoints/checkpoint.json'), 'utf8'),
    );
    expect(run.stderr).toContain(`SIGTERM: checkpoint written at epoch ${checkpoint.epoch}`);
    const rerun = train(trainArgs(checkpoint.epoch + 1));
    expect(rerun.status, rerun.stderr).toBe(0);
    expect(rerun.stderr).toContain(`resumed from checkpoint at epoch ${checkpoint.epoch}`);
  });

  it('stops the command as on a timeout when interrupted (Ctrl-C)', async () => {
    const child = spawn(process.execPath, [BIN, ...trainArgs(1000)], { cwd: dir, env: gpuEnv('h100') });
    let stderr = '';
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    await new Promise<void>((resolve) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (/epoch 2\/1000/.test(stderr)) resolve();
      });
    });
    child.kill('SIGINT');
    // 130, as every verb exits on SIGINT, once the command has left within its grace period.
    expect(await exited).toBe(130);
    expect(stderr).toMatch(/SIGTERM: checkpoint written at epoch \d+/);
    expect(stderr).toContain('mlactions: Interrupted; the command was stopped.');
  });

  it('names a bad flag value in one line', () => {
    const run = train(['train', '--command', 'true', '--timeout-minutes', 'soon']);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(
      /^error: option '--timeout-minutes <n>' argument 'soon' is invalid\. "soon" is not a number\./,
    );
    const negative = train(['train', '--command', 'true', '--grace-seconds', '-5']);
    expect(negative.stderr).toBe('mlactions: `grace-seconds` must be a number of 0 or more, got -5\n');
    const absolute = train(['train', '--command', 'true', '--checkpoint-dir', '/tmp/ckpt']);
    expect(absolute.stderr).toMatch(/^mlactions: `checkpoint-dir` must be relative to the workspace/);
  });
});
