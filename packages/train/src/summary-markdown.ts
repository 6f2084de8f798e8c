import type { Metric } from '@mlactions/core';
import { escapeMarkdown, formatNumber, mermaidText, plainNumber, resampleHistory } from '@mlactions/render';
import type { GpuDiscovery } from './gpu-discovery.ts';
import type { StatSummary } from './running-stat.ts';
import type { SupervisedResult } from './supervise.ts';
import type { Quantity, TelemetryRecord } from './telemetry.ts';

/** A markdown table from rows of cells that are already safe (escaped or our own). */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

const seconds = (ms: number) => `${formatNumber(ms / 1000, 3)} s`;

/** One sentence on how the command ended. */
export function outcomeLine(
  result: SupervisedResult,
  timeoutMs: number | undefined,
  graceMs: number,
): string {
  if (result.stoppedBy) {
    const why =
      result.stoppedBy === 'timeout'
        ? `⏱️ Timed out after ${seconds(timeoutMs ?? result.durationMs)}`
        : '🛑 Cancelled';
    const end = result.killed
      ? `still running ${seconds(graceMs)} after SIGTERM, so it was killed (SIGKILL)`
      : `it left within the ${seconds(graceMs)} grace period after SIGTERM (exit ${result.exitCode})`;
    return `${why}: ${end}.`;
  }
  return result.exitCode === 0
    ? `✅ The command succeeded in ${seconds(result.durationMs)}.`
    : `❌ The command failed with exit code ${result.exitCode} after ${seconds(result.durationMs)}.`;
}

/** The GPUs the job ran on, or why there were none. */
export function gpuSection(discovery: GpuDiscovery): string {
  if (discovery.gpus.length === 0)
    return `### GPUs\n\nNo GPU: ${escapeMarkdown(discovery.reason ?? 'none found', 300)}.`;
  const rows = discovery.gpus.map((gpu) => [
    String(gpu.index),
    escapeMarkdown(gpu.name, 80),
    gpu.memoryTotalMiB === null ? '—' : `${gpu.memoryTotalMiB} MiB`,
    escapeMarkdown(gpu.computeCapability, 20),
  ]);
  const versions = [
    discovery.driverVersion ? `driver ${escapeMarkdown(discovery.driverVersion, 40)}` : undefined,
    discovery.cudaVersion ? `CUDA ${escapeMarkdown(discovery.cudaVersion, 20)}` : undefined,
    discovery.installed > discovery.gpus.length
      ? `${discovery.gpus.length} of ${discovery.installed} GPUs visible (CUDA_VISIBLE_DEVICES)`
      : undefined,
    discovery.note ? escapeMarkdown(discovery.note, 200) : undefined,
  ].filter((s) => s !== undefined);
  return [
    '### GPUs',
    '',
    table(['GPU', 'Name', 'Memory', 'Compute capability'], rows),
    ...(versions.length > 0 ? ['', versions.join(' · ')] : []),
  ].join('\n');
}

const pair = (s: StatSummary) =>
  s.mean === null || s.max === null ? '—' : `${formatNumber(s.mean, 3)} / ${formatNumber(s.max, 3)}`;

const CHARTS: { quantity: Quantity; title: string; axis: string; range?: [number, number] }[] = [
  { quantity: 'utilizationPct', title: 'GPU utilization', axis: 'percent', range: [0, 100] },
  { quantity: 'memoryUsedMiB', title: 'GPU memory used', axis: 'MiB' },
];

/**
 * A mermaid xychart-beta of one quantity over the run, a line per GPU, on the downsampled ticks'
 * times. Undefined with fewer than two ticks.
 */
export function telemetryChart(
  record: TelemetryRecord,
  quantity: Quantity,
  title: string,
  axis: string,
  range?: [number, number],
): string | undefined {
  const points = record.series[quantity];
  if (points.length < 2) return undefined;
  const times = points.map((p) => p.t);
  const lines = record.gpus.flatMap((gpu, i) => {
    const history = points.flatMap((p) => {
      const value = p.values[i];
      return value === null || value === undefined ? [] : [{ step: p.t, value }];
    });
    if (history.length === 0) return [];
    const values = resampleHistory(history, times).map(plainNumber);
    return [`  line "${mermaidText(`GPU ${gpu.index}`)}" [${values.join(', ')}]`];
  });
  if (lines.length === 0) return undefined;
  return [
    '```mermaid',
    'xychart-beta',
    `  title "${mermaidText(title)}"`,
    `  x-axis "seconds" ${plainNumber(times[0]!)} --> ${plainNumber(times.at(-1)!)}`,
    `  y-axis "${mermaidText(axis)}"${range ? ` ${plainNumber(range[0])} --> ${plainNumber(range[1])}` : ''}`,
    ...lines,
    '```',
  ].join('\n');
}

/** Telemetry: mean and maximum per GPU and quantity, and charts over time. */
export function telemetrySection(record: TelemetryRecord): string {
  const head = `### GPU telemetry\n\n${record.ticks} sample(s), one every ${formatNumber(record.intervalMs / 1000, 3)} s (mean / max).`;
  const rows = record.gpus.map((gpu) => [
    String(gpu.index),
    pair(gpu.stats.utilizationPct),
    pair(gpu.stats.memoryUsedMiB),
    pair(gpu.stats.powerW),
    pair(gpu.stats.temperatureC),
  ]);
  const charts = CHARTS.map((c) => telemetryChart(record, c.quantity, c.title, c.axis, c.range)).filter(
    (c): c is string => c !== undefined,
  );
  return [
    head,
    ...(record.error ? ['', `⚠️ ${escapeMarkdown(record.error, 300)}`] : []),
    '',
    table(['GPU', 'Utilization %', 'Memory used MiB', 'Power W', 'Temperature °C'], rows),
    ...charts.flatMap((c) => ['', c]),
  ].join('\n');
}

/** Each `cost` metric's row: what it measures, and its value in its unit. */
const COST_ROWS: Record<string, string> = {
  wall_time_seconds: 'Wall time (s)',
  gpu_hours: 'GPU-hours',
  energy_kwh: 'GPU energy (kWh)',
  peak_gpu_memory_mib: 'Peak GPU memory (MiB)',
};

/** What the run cost, as cost.json records it (the report compares it with the baseline's). */
export function costSection(cost: Record<string, number>): string {
  const rows = Object.entries(COST_ROWS).flatMap(([key, label]) =>
    cost[key] === undefined ? [] : [[label, formatNumber(cost[key])]],
  );
  return `### What the run cost\n\n${table(['', 'Value'], rows)}\n\nIn cost.json as \`cost.*\` metrics: give it to \`report\` beside the model's metrics to compare it with the baseline's.`;
}

/** The training metrics' last values (at most `limit` rows; the file has the rest). */
export function metricsSection(file: string, metrics: readonly Metric[], limit = 30): string {
  const value = (m: Metric) => {
    const v = m.value;
    if (v.kind === 'number') return formatNumber(v.value);
    if (v.kind === 'samples') return v.values.map((x) => formatNumber(x)).join(', ');
    return escapeMarkdown(v.text, 80);
  };
  const rows = metrics.slice(0, limit).map((m) => [escapeMarkdown(m.name), value(m)]);
  const more = metrics.length > limit ? `\n\n…and ${metrics.length - limit} more in the file.` : '';
  return `### Metrics (${escapeMarkdown(file, 120)})\n\n${table(['Metric', 'Value'], rows)}${more}`;
}
