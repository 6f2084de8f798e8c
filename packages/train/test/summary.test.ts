import { describe, expect, it } from 'vitest';
import type { GpuDiscovery } from '../src/gpu-discovery.ts';
import { gpuSummary } from '../src/gpu-summary.ts';
import type { GpuInfo } from '../src/nvidia-smi.ts';
import {
  costSection,
  gpuSection,
  metricsSection,
  outcomeLine,
  telemetryChart,
  telemetrySection,
} from '../src/summary-markdown.ts';
import type { TelemetryRecord } from '../src/telemetry.ts';

const gpu = (index: number, name = 'NVIDIA H100 80GB HBM3'): GpuInfo => ({
  index,
  name,
  uuid: `GPU-${index}`,
  driverVersion: '580.159.04',
  memoryTotalMiB: 81559,
  memoryUsedMiB: 0,
  memoryFreeMiB: 81559,
  utilizationPct: 0,
  memoryUtilizationPct: 0,
  temperatureC: 35,
  powerDrawW: 88.8,
  powerLimitW: 700,
  smClockMHz: 345,
  memoryClockMHz: 2619,
  pstate: 'P0',
  computeCapability: '9.0',
  pciBusId: '00000000:00:06.0',
});

const stat = (mean: number | null, max: number | null) => ({ count: mean === null ? 0 : 3, mean, max });
const record: TelemetryRecord = {
  intervalMs: 500,
  ticks: 3,
  csvPath: '/tmp/gpu.csv',
  gpus: [0, 1].map((i) => ({
    index: i,
    uuid: `GPU-${i}`,
    name: 'x',
    stats: {
      utilizationPct: stat(50 + i, 90),
      memoryUsedMiB: stat(1024, 2048),
      powerW: stat(null, null),
      temperatureC: stat(40.123, 45),
    },
    energyJoules: 3600 * (i + 1),
  })),
  series: {
    utilizationPct: [
      { t: 0.5, values: [10, null] },
      { t: 1, values: [90, 20] },
      { t: 1.5, values: [50, 40] },
    ],
    memoryUsedMiB: [{ t: 0.5, values: [1, 2] }],
    powerW: [],
    temperatureC: [],
  },
};

describe('the job summary', () => {
  it('charts a quantity with a line per GPU, filling gaps from neighbouring ticks', () => {
    expect(telemetryChart(record, 'utilizationPct', 'GPU utilization', 'percent', [0, 100])).toBe(
      [
        '```mermaid',
        'xychart-beta',
        '  title "GPU utilization"',
        '  x-axis "seconds" 0.5 --> 1.5',
        '  y-axis "percent" 0 --> 100',
        '  line "GPU 0" [10, 90, 50]',
        '  line "GPU 1" [20, 20, 40]',
        '```',
      ].join('\n'),
    );
    expect(telemetryChart(record, 'memoryUsedMiB', 'm', 'MiB')).toBeUndefined();
  });

  it('keeps chart text inside its quotes', () => {
    const chart = telemetryChart(record, 'utilizationPct', 'GPU "util" %% ; ```', 'a"b') ?? '';
    expect(chart).toContain('title "GPU util"');
    expect(chart).toContain('y-axis "a b"');
    expect(chart.match(/```/g)).toHaveLength(2);
  });

  it('says what the run cost, in units', () => {
    const section = costSection({
      wall_time_seconds: 5400,
      gpu_hours: 12,
      energy_kwh: 2.5,
      peak_gpu_memory_mib: 70000,
    });
    expect(section).toContain('| GPU-hours | 12 |');
    expect(section).toContain('| GPU energy (kWh) | 2.5 |');
    expect(section).toContain('| Peak GPU memory (MiB) | 70000 |');
    expect(section).toContain('| Wall time (s) | 5400 |');
  });

  it('tabulates means and maxima, with a dash where a GPU reported nothing', () => {
    const section = telemetrySection(record);
    expect(section).toContain('3 sample(s), one every 0.5 s');
    expect(section).toContain('| 0 | 50 / 90 | 1024 / 2048 | — | 40.1 / 45 |');
  });

  it('escapes what nvidia-smi and the metrics file say', () => {
    const discovery: GpuDiscovery = {
      gpus: [gpu(0, '<img src=x> @everyone | H100')],
      installed: 1,
      driverVersion: '580',
    };
    const section = gpuSection(discovery);
    expect(section).not.toContain('<img');
    expect(section).not.toMatch(/@everyone/);
    expect(
      section
        .split('\n')
        .find((l) => l.startsWith('| 0 '))!
        .split(' | '),
    ).toHaveLength(4);
    expect(gpuSection({ gpus: [], installed: 0, reason: 'nvidia-smi failed: <b>no</b>' })).toContain(
      '&lt;b&gt;',
    );
    const metrics = metricsSection('m.json', [
      { file: 'm.json', name: 'acc|uracy', value: { kind: 'number', value: 0.91234567 } },
      { file: 'm.json', name: 'seeds', value: { kind: 'samples', values: [1, 2] } },
    ]);
    expect(metrics).toContain('| acc&#124;uracy | 0.91235 |');
    expect(metrics).toContain('| seeds | 1, 2 |');
  });

  it('says how the command ended', () => {
    const base = { signal: null, killed: false, durationMs: 1500 };
    expect(outcomeLine({ ...base, exitCode: 0 }, 0, 30_000)).toBe('✅ The command succeeded in 1.5 s.');
    expect(outcomeLine({ ...base, exitCode: 2 }, 0, 30_000)).toMatch(/^❌ .* exit code 2 after 1.5 s/);
    expect(outcomeLine({ ...base, exitCode: 137, killed: true, stoppedBy: 'timeout' }, 60_000, 30_000)).toBe(
      '⏱️ Timed out after 60 s: still running 30 s after SIGTERM, so it was killed (SIGKILL).',
    );
  });

  it('summarizes GPUs and telemetry as JSON', () => {
    const summary = gpuSummary(
      { gpus: [gpu(0), gpu(1)], installed: 2, driverVersion: '580', cudaVersion: '13.0' },
      record,
    );
    expect(summary).toMatchObject({ count: 2, cudaVersion: '13.0', samples: 3, intervalSeconds: 0.5 });
    expect(summary.gpus[0]!.telemetry).toEqual({
      utilizationPct: { mean: 50, max: 90 },
      memoryUsedMiB: { mean: 1024, max: 2048 },
      powerW: { mean: null, max: null },
      temperatureC: { mean: 40.12, max: 45 },
    });
    expect(gpuSummary({ gpus: [], installed: 0, reason: 'none' }, undefined)).toMatchObject({
      count: 0,
      reason: 'none',
      intervalSeconds: null,
    });
  });
});
