import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { discoverGpus } from '../src/gpu-discovery.ts';
import { parseDiscovery } from '../src/nvidia-smi.ts';
import { liveMemberOf } from '../src/process-group.ts';
import { integratePower } from '../src/run-cost.ts';
import { supervise } from '../src/supervise.ts';
import { startTelemetry } from '../src/telemetry.ts';

const FAKE_BIN = join(import.meta.dirname, '../../../test/fixtures/nvidia-smi/bin');
const fakeEnv = (machine: string, extra: Record<string, string> = {}) => ({
  PATH: `${FAKE_BIN}:${process.env.PATH}`,
  FAKE_NVIDIA_SMI: machine,
  ...extra,
});

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'train-proc-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('supervise', () => {
  it('returns the exit code', async () => {
    const result = await supervise({
      argv: ['sh', '-c', 'exit 7'],
      cwd: dir,
      env: process.env,
      graceMs: 1000,
    });
    expect(result).toMatchObject({ exitCode: 7, signal: null, killed: false });
    expect(result.stoppedBy).toBeUndefined();
  });

  it('waits for the whole group after SIGTERM, not only the shell that died at once', async () => {
    // sh has no trap and dies on SIGTERM; its child traps it and needs a moment to write its checkpoint.
    // The stop comes once the child says its trap is set.
    const child = `trap 'sleep 0.3; echo saved > ${dir}/checkpoint; exit 0' TERM; echo > ${dir}/ready; while :; do sleep 0.05; done`;
    const cancel = new AbortController();
    const running = supervise({
      argv: ['sh', '-c', `sh -c "${child}" & wait`],
      cwd: dir,
      env: process.env,
      graceMs: 60_000,
      signal: cancel.signal,
    });
    while (!existsSync(join(dir, 'ready'))) await new Promise((resolve) => setTimeout(resolve, 20));
    cancel.abort();
    const result = await running;
    expect(result).toMatchObject({ stoppedBy: 'cancelled', killed: false, signal: 'SIGTERM', exitCode: 143 });
    expect(existsSync(join(dir, 'checkpoint'))).toBe(true);
  });

  it('stops the command on its timeout', async () => {
    // `sleep` ends on SIGTERM whenever it comes, so the outcome does not hang on the machine's pace.
    const result = await supervise({
      argv: ['sleep', '60'],
      cwd: dir,
      env: process.env,
      timeoutMs: 300,
      graceMs: 60_000,
    });
    expect(result).toMatchObject({ stoppedBy: 'timeout', killed: false, exitCode: 143 });
  });

  it('stops the command when the signal is aborted', async () => {
    const cancel = new AbortController();
    cancel.abort();
    const result = await supervise({
      argv: ['sleep', '30'],
      cwd: dir,
      env: process.env,
      graceMs: 1000,
      signal: cancel.signal,
    });
    expect(result).toMatchObject({ stoppedBy: 'cancelled', exitCode: 143, killed: false });
  });

  it('names a shell that is not installed', async () => {
    await expect(
      supervise({ argv: ['no-such-shell-here', 'x'], cwd: dir, env: process.env, graceMs: 1000 }),
    ).rejects.toThrow(/no-such-shell-here was not found/);
  });
});

describe('discoverGpus', () => {
  it('finds the GPU, its driver and CUDA version', async () => {
    const found = await discoverGpus({ env: fakeEnv('h100') });
    expect(found).toMatchObject({ installed: 1, driverVersion: '580.159.04', cudaVersion: '13.0' });
    expect(found.gpus.map((g) => g.name)).toEqual(['NVIDIA H100 80GB HBM3']);
    expect(found.reason).toBeUndefined();
  });

  it('says why there is no GPU', async () => {
    expect((await discoverGpus({ env: fakeEnv('none') })).reason).toBe('nvidia-smi found no GPU');
    expect((await discoverGpus({ env: fakeEnv('broken') })).reason).toMatch(
      /^nvidia-smi failed \(exit 9\): NVIDIA-SMI has failed/,
    );
    expect((await discoverGpus({ env: fakeEnv('h100'), nvidiaSmi: 'nvidia-smi-missing' })).reason).toMatch(
      /nvidia-smi-missing is not on PATH/,
    );
  });
});

describe('startTelemetry', () => {
  it('samples every GPU each tick into the history file and the running statistics', async () => {
    const env = fakeEnv('h100x8');
    const gpus = parseDiscovery(
      await readFile(join(FAKE_BIN, '../h100x8/query_noheader_nounits.txt'), 'utf8'),
    ).filter((g) => g.index === 1 || g.index === 4);
    const csvPath = join(dir, 'gpu.csv');
    const sampler = startTelemetry({ env, gpus, intervalMs: 20, csvPath, chartPoints: 3 });
    // Sampled until the history holds four ticks, however long the machine takes to get there.
    const lines = async () => (await readFile(csvPath, 'utf8').catch(() => '')).split('\n').length;
    while ((await lines()) < 6) await new Promise((resolve) => setTimeout(resolve, 20));
    const record = await sampler.stop();
    expect(record.error).toBeUndefined();
    expect(record.ticks).toBeGreaterThan(3);
    const rows = (await readFile(csvPath, 'utf8')).trim().split('\n');
    expect(rows[0]).toBe(
      'step,wall_time,gpu1.utilization_pct,gpu1.memory_used_mib,gpu1.power_w,gpu1.temperature_c,gpu4.utilization_pct,gpu4.memory_used_mib,gpu4.power_w,gpu4.temperature_c',
    );
    expect(rows).toHaveLength(record.ticks + 1);
    // The fake's made-up load: utilization of GPU i at tick k is (17k + 7i) mod 101.
    const utilization = rows.slice(1).map((r) => Number(r.split(',')[2]));
    expect(utilization.slice(0, 3)).toEqual([7, 24, 41]);
    expect(record.gpus[0]!.stats.utilizationPct.max).toBe(Math.max(...utilization));
    expect(record.series.utilizationPct.length).toBeLessThanOrEqual(6);
    // Energy: GPU 1's power integrated over the ticks' times, as the history file records them.
    const power = rows.slice(1).map((r) => ({ t: Number(r.split(',')[1]), watts: Number(r.split(',')[4]) }));
    expect(record.gpus[0]!.energyJoules).toBeGreaterThan(0);
    expect(record.gpus[0]!.energyJoules).toBeCloseTo(integratePower(power), 0);
  });

  it('records why sampling stopped when nvidia-smi fails', async () => {
    const gpus = parseDiscovery(await readFile(join(FAKE_BIN, '../h100/query_noheader_nounits.txt'), 'utf8'));
    const sampler = startTelemetry({
      env: fakeEnv('broken'),
      gpus,
      intervalMs: 20,
      csvPath: join(dir, 'gpu.csv'),
    });
    await sampler.ended;
    const record = await sampler.stop();
    expect(record.ticks).toBe(0);
    expect(record.error).toMatch(/nvidia-smi stopped sampling \(exit 9\)/);
  });
});

describe('process groups', () => {
  it('count running members and not zombies', () => {
    const line = (state: string, pgrp: number) => `123 (python3 (train) x) ${state} 1 ${pgrp} ${pgrp} 0 -1`;
    expect(liveMemberOf(line('S', 77), 77)).toBe(true);
    expect(liveMemberOf(line('R', 77), 78)).toBe(false);
    expect(liveMemberOf(line('Z', 77), 77)).toBe(false);
  });
});
