import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { Downsampler, type SeriesPoint } from './downsample.ts';
import { type GpuInfo, type GpuReading, parseReading, queryArgs, TELEMETRY_FIELDS } from './nvidia-smi.ts';
import { killGroup } from './process-group.ts';
import { PowerIntegral } from './run-cost.ts';
import { RunningStat, type StatSummary } from './running-stat.ts';

/** The quantities recorded per GPU, in the order of the history file's columns. */
export const QUANTITIES = [
  { key: 'utilizationPct', column: 'utilization_pct' },
  { key: 'memoryUsedMiB', column: 'memory_used_mib' },
  { key: 'powerW', column: 'power_w' },
  { key: 'temperatureC', column: 'temperature_c' },
] as const;

export type Quantity = (typeof QUANTITIES)[number]['key'];

/** One GPU's telemetry over the run. */
export interface GpuTelemetry {
  index: number;
  uuid: string;
  name: string;
  stats: Record<Quantity, StatSummary>;
  /** Power drawn over the run, integrated over the ticks' times. */
  energyJoules: number;
}

/** What the sampler recorded. */
export interface TelemetryRecord {
  intervalMs: number;
  /** How many ticks (one reading of every GPU) were recorded. */
  ticks: number;
  gpus: GpuTelemetry[];
  /** Downsampled series for charts: seconds since the start, one value per GPU (in `gpus` order). */
  series: Record<Quantity, SeriesPoint[]>;
  /** The history file: a `step` (tick), `wall_time` and a column per GPU and quantity. */
  csvPath: string;
  /** Set when nvidia-smi stopped or failed while the command ran. */
  error?: string;
}

export interface TelemetryOptions {
  nvidiaSmi?: string;
  env: NodeJS.ProcessEnv;
  /** The GPUs to record (matched by UUID; other GPUs' lines are ignored). */
  gpus: readonly GpuInfo[];
  intervalMs: number;
  csvPath: string;
  /** Points kept per chart line (the chart shows between this and twice as many). */
  chartPoints?: number;
  /** Milliseconds since an epoch (Date.now by default). */
  now?: () => number;
}

export interface TelemetrySampler {
  /** Stops nvidia-smi, writes the last tick and closes the history file. */
  stop(): Promise<TelemetryRecord>;
  /** Settles once nvidia-smi has exited, on its own (a failure, recorded as the error) or by stop(). */
  readonly ended: Promise<void>;
}

/** The history file's header: `step,wall_time,gpu<i>.<quantity>,…`. */
export function csvHeader(gpus: readonly GpuInfo[]): string {
  const columns = gpus.flatMap((gpu) => QUANTITIES.map((q) => `gpu${gpu.index}.${q.column}`));
  return ['step', 'wall_time', ...columns].join(',');
}

const cell = (value: number | null) => (value === null ? '' : String(value));

/**
 * Samples GPU telemetry while a command runs, with one long-lived `nvidia-smi --query-gpu=…
 * -lms <interval>` (its loop mode) rather than a process per tick. Each tick's readings go straight
 * to the CSV history file; memory holds running means and maxima and a bounded, downsampled series.
 */
export function startTelemetry(options: TelemetryOptions): TelemetrySampler {
  const now = options.now ?? Date.now;
  const started = now();
  const order = new Map(options.gpus.map((gpu, i) => [gpu.uuid, i]));
  const stats = options.gpus.map(
    () =>
      Object.fromEntries(QUANTITIES.map((q) => [q.key, new RunningStat()])) as Record<Quantity, RunningStat>,
  );
  const energy = options.gpus.map(() => new PowerIntegral());
  const samplers = Object.fromEntries(
    QUANTITIES.map((q) => [q.key, new Downsampler(options.chartPoints ?? 60)]),
  ) as Record<Quantity, Downsampler>;
  const csv = createWriteStream(options.csvPath);
  csv.write(`${csvHeader(options.gpus)}\n`);

  let ticks = 0;
  let tick: { at: number; readings: (GpuReading | undefined)[] } | undefined;
  const flush = () => {
    if (!tick) return;
    const { at, readings } = tick;
    tick = undefined;
    const row = [String(ticks), (at / 1000).toFixed(3)];
    readings.forEach((reading, i) => {
      for (const q of QUANTITIES) {
        const value = reading?.[q.key] ?? null;
        stats[i]![q.key].add(value);
        row.push(cell(value));
      }
      energy[i]!.add({ t: (at - started) / 1000, watts: reading?.powerW ?? null });
    });
    for (const q of QUANTITIES) {
      samplers[q.key].push({ t: (at - started) / 1000, values: readings.map((r) => r?.[q.key] ?? null) });
    }
    csv.write(`${row.join(',')}\n`);
    ticks++;
  };
  const take = (reading: GpuReading) => {
    const i = order.get(reading.uuid);
    if (i === undefined) return;
    // A GPU read twice means a new tick began before the last one was whole.
    if (tick?.readings[i]) flush();
    tick ??= { at: now(), readings: new Array(options.gpus.length).fill(undefined) };
    tick.readings[i] = reading;
    if (tick.readings.every((r) => r !== undefined)) flush();
  };

  const child = spawn(
    options.nvidiaSmi ?? 'nvidia-smi',
    [...queryArgs(TELEMETRY_FIELDS), '-lms', String(Math.max(1, Math.round(options.intervalMs)))],
    { env: options.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  let stopping = false;
  let error: string | undefined;
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    if (stderr.length < 2000) stderr += chunk;
  });
  const lines = createInterface({ input: child.stdout });
  lines.on('line', (line) => {
    const reading = parseReading(line);
    if (reading) take(reading);
  });
  const closed = new Promise<void>((resolve) => {
    child.on('error', (e) => {
      error = `nvidia-smi could not be started for telemetry: ${e.message}`;
      resolve();
    });
    child.on('close', (code, signal) => {
      if (!stopping && !error)
        error = `nvidia-smi stopped sampling (${signal ?? `exit ${code}`}): ${stderr.trim().split('\n')[0] || 'no output'}`;
      resolve();
    });
  });

  return {
    ended: closed,
    async stop() {
      stopping = true;
      if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
        killGroup(child.pid, 'SIGTERM');
        const escalate = setTimeout(() => killGroup(child.pid!, 'SIGKILL'), 2000);
        await closed;
        clearTimeout(escalate);
      } else {
        await closed;
      }
      flush();
      await new Promise<void>((resolve, reject) =>
        csv.end((e?: Error | null) => (e ? reject(e) : resolve())),
      );
      return {
        intervalMs: options.intervalMs,
        ticks,
        gpus: options.gpus.map((gpu, i) => ({
          index: gpu.index,
          uuid: gpu.uuid,
          name: gpu.name,
          stats: Object.fromEntries(QUANTITIES.map((q) => [q.key, stats[i]![q.key].summary()])) as Record<
            Quantity,
            StatSummary
          >,
          energyJoules: energy[i]!.joules,
        })),
        series: Object.fromEntries(QUANTITIES.map((q) => [q.key, samplers[q.key].points()])) as Record<
          Quantity,
          SeriesPoint[]
        >,
        csvPath: options.csvPath,
        ...(error ? { error } : {}),
      };
    },
  };
}
