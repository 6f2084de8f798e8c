/**
 * What a training run cost, from its telemetry: GPU-hours, energy (power integrated over time), the
 * peak GPU memory and the wall time, written as `cost.*` metrics that the report compares base
 * against head (the `cost` token makes lower better).
 */

/** One power reading: seconds since the run began, and the draw in watts (null when unreadable). */
export interface PowerSample {
  t: number;
  watts: number | null;
}

/**
 * Energy by the trapezoidal rule over samples taken at any intervals: each pair of consecutive
 * readable samples adds the mean of their draws times the time between them. An unreadable sample
 * is bridged by its neighbours; time before the first and after the last readable sample adds nothing.
 */
export class PowerIntegral {
  #joules = 0;
  #last: { t: number; watts: number } | undefined;

  add(sample: PowerSample): void {
    if (sample.watts === null || !Number.isFinite(sample.watts) || !Number.isFinite(sample.t)) return;
    const last = this.#last;
    if (last !== undefined && sample.t > last.t)
      this.#joules += ((last.watts + sample.watts) / 2) * (sample.t - last.t);
    if (last === undefined || sample.t >= last.t) this.#last = { t: sample.t, watts: sample.watts };
  }

  get joules(): number {
    return this.#joules;
  }
}

/** The energy in joules of samples taken in order. */
export function integratePower(samples: readonly PowerSample[]): number {
  const integral = new PowerIntegral();
  for (const sample of samples) integral.add(sample);
  return integral.joules;
}

/** What the run used, as train measures it. */
export interface RunUse {
  wallSeconds: number;
  /** GPUs the command could use. */
  gpus: number;
  /** Energy drawn by those GPUs, summed (undefined without telemetry). */
  energyJoules?: number;
  /** The most memory any one GPU had in use (undefined without telemetry). */
  peakMemoryMiB?: number;
}

const JOULES_PER_KWH = 3_600_000;
const round = (value: number, digits: number) => Number(value.toPrecision(digits));

/**
 * The run's cost as a metrics document: `{"cost": {"wall_time_seconds", "gpu_hours", "energy_kwh",
 * "peak_gpu_memory_mib"}}`, the last two only when telemetry measured them.
 */
export function runCostMetrics(use: RunUse): { cost: Record<string, number> } {
  return {
    cost: {
      wall_time_seconds: round(use.wallSeconds, 6),
      gpu_hours: round((use.gpus * use.wallSeconds) / 3600, 6),
      ...(use.energyJoules !== undefined ? { energy_kwh: round(use.energyJoules / JOULES_PER_KWH, 6) } : {}),
      ...(use.peakMemoryMiB !== undefined ? { peak_gpu_memory_mib: use.peakMemoryMiB } : {}),
    },
  };
}
