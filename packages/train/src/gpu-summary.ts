import type { GpuDiscovery } from './gpu-discovery.ts';
import type { StatSummary } from './running-stat.ts';
import type { Quantity, TelemetryRecord } from './telemetry.ts';

/** One GPU in the `gpu-summary` output. */
export interface GpuSummaryEntry {
  index: number;
  name: string;
  uuid: string;
  memoryTotalMiB: number | null;
  computeCapability: string;
  pciBusId: string;
  /** Mean and maximum of each quantity while the command ran (absent without telemetry). */
  telemetry?: Record<Quantity, Omit<StatSummary, 'count'>>;
}

/** The `gpu-summary` output (JSON): what the job ran on and how hard it worked the GPUs. */
export interface GpuSummary {
  count: number;
  installed: number;
  driverVersion: string | null;
  cudaVersion: string | null;
  gpus: GpuSummaryEntry[];
  /** Telemetry ticks recorded, and how often. */
  samples: number;
  intervalSeconds: number | null;
  /** Why no GPU is listed, or why telemetry stopped. */
  reason?: string;
  note?: string;
}

const rounded = (value: number | null) => (value === null ? null : Math.round(value * 100) / 100);

/** The summary of discovery and telemetry that the `gpu-summary` output and gpu.json carry. */
export function gpuSummary(discovery: GpuDiscovery, telemetry: TelemetryRecord | undefined): GpuSummary {
  const reason = discovery.reason ?? telemetry?.error;
  return {
    count: discovery.gpus.length,
    installed: discovery.installed,
    driverVersion: discovery.driverVersion ?? null,
    cudaVersion: discovery.cudaVersion ?? null,
    gpus: discovery.gpus.map((gpu) => {
      const recorded = telemetry?.gpus.find((t) => t.uuid === gpu.uuid);
      return {
        index: gpu.index,
        name: gpu.name,
        uuid: gpu.uuid,
        memoryTotalMiB: gpu.memoryTotalMiB,
        computeCapability: gpu.computeCapability,
        pciBusId: gpu.pciBusId,
        ...(recorded
          ? {
              telemetry: Object.fromEntries(
                Object.entries(recorded.stats).map(([key, s]) => [
                  key,
                  { mean: rounded(s.mean), max: rounded(s.max) },
                ]),
              ) as GpuSummaryEntry['telemetry'],
            }
          : {}),
      };
    }),
    samples: telemetry?.ticks ?? 0,
    intervalSeconds: telemetry ? telemetry.intervalMs / 1000 : null,
    ...(reason ? { reason } : {}),
    ...(discovery.note ? { note: discovery.note } : {}),
  };
}
