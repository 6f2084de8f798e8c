import type { GpuInfo } from './nvidia-smi.ts';

/** The GPUs a job may use, and a note when CUDA_VISIBLE_DEVICES could not be followed exactly. */
export interface VisibleGpus {
  gpus: GpuInfo[];
  note?: string;
}

/**
 * The GPUs that CUDA_VISIBLE_DEVICES leaves visible, as CUDA reads it: unset means all; empty means
 * none; otherwise a comma-separated list of indices or UUIDs (`GPU-…`, a unique prefix is enough),
 * read up to the first entry that names no GPU. Indices are nvidia-smi's, which are CUDA's when
 * CUDA_DEVICE_ORDER=PCI_BUS_ID. MIG instances (`MIG-…`) cannot be told apart here: the whole GPUs
 * stay in view, with a note.
 */
export function visibleGpus(all: readonly GpuInfo[], cudaVisibleDevices: string | undefined): VisibleGpus {
  if (cudaVisibleDevices === undefined) return { gpus: [...all] };
  const chosen: GpuInfo[] = [];
  for (const raw of cudaVisibleDevices.split(',')) {
    const entry = raw.trim();
    if (entry === '') break;
    if (/^MIG-/i.test(entry)) {
      // The old form names its parent GPU (MIG-GPU-<uuid>/<gi>/<ci>); the new one only the instance.
      const parent = /^MIG-(GPU-[^/]+)\//i.exec(entry)?.[1];
      const gpu = parent ? all.find((g) => g.uuid.toLowerCase() === parent.toLowerCase()) : undefined;
      if (!gpu)
        return {
          gpus: [...all],
          note: `CUDA_VISIBLE_DEVICES names MIG instances: telemetry covers whole GPUs`,
        };
      if (!chosen.includes(gpu)) chosen.push(gpu);
      continue;
    }
    const gpu = /^\d+$/.test(entry)
      ? all.find((g) => g.index === Number(entry))
      : uniquePrefixMatch(all, entry);
    if (!gpu) break;
    if (!chosen.includes(gpu)) chosen.push(gpu);
  }
  return { gpus: chosen };
}

function uniquePrefixMatch(all: readonly GpuInfo[], entry: string): GpuInfo | undefined {
  const wanted = entry.toLowerCase();
  const found = all.filter((g) => g.uuid.toLowerCase().startsWith(wanted));
  return found.length === 1 ? found[0] : undefined;
}
