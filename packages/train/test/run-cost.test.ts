import { describe, expect, it } from 'vitest';
import { integratePower, PowerIntegral, runCostMetrics } from '../src/run-cost.ts';

describe('integratePower', () => {
  it('integrates by the trapezoidal rule over irregular intervals', () => {
    // 0–1 s: mean 150 W; 1–4 s: 200 W; 4–4.5 s: mean 150 W.
    const samples = [
      { t: 0, watts: 100 },
      { t: 1, watts: 200 },
      { t: 4, watts: 200 },
      { t: 4.5, watts: 100 },
    ];
    expect(integratePower(samples)).toBeCloseTo(150 + 600 + 75, 9);
  });

  it('bridges unreadable samples with their neighbours and ignores time outside the readings', () => {
    const samples = [
      { t: 0, watts: null },
      { t: 2, watts: 100 },
      { t: 3, watts: null },
      { t: 6, watts: 300 },
      { t: 9, watts: null },
    ];
    expect(integratePower(samples)).toBeCloseTo(((100 + 300) / 2) * 4, 9);
    expect(integratePower([{ t: 0, watts: 250 }])).toBe(0);
    expect(integratePower([])).toBe(0);
  });

  it('adds nothing for a sample that does not move time forward', () => {
    const integral = new PowerIntegral();
    for (const sample of [
      { t: 0, watts: 100 },
      { t: 1, watts: 100 },
      { t: 1, watts: 5000 },
      { t: 0.5, watts: 5000 },
    ])
      integral.add(sample);
    expect(integral.joules).toBeCloseTo(100, 9);
  });
});

describe('runCostMetrics', () => {
  it('gives GPU-hours, kWh, peak memory and wall time as cost metrics', () => {
    expect(
      runCostMetrics({ wallSeconds: 5400, gpus: 8, energyJoules: 3_600_000 * 2.5, peakMemoryMiB: 70_000 }),
    ).toEqual({
      cost: { wall_time_seconds: 5400, gpu_hours: 12, energy_kwh: 2.5, peak_gpu_memory_mib: 70_000 },
    });
  });

  it('leaves out what telemetry did not measure', () => {
    expect(runCostMetrics({ wallSeconds: 36, gpus: 0 })).toEqual({
      cost: { wall_time_seconds: 36, gpu_hours: 0 },
    });
  });
});
