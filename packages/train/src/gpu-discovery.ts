import { execFile } from 'node:child_process';
import { DISCOVERY_FIELDS, type GpuInfo, parseCudaVersion, parseDiscovery, queryArgs } from './nvidia-smi.ts';
import { visibleGpus } from './visible-devices.ts';

/** What GPU discovery found: the GPUs the job may use, or why there are none. */
export interface GpuDiscovery {
  /** The GPUs CUDA_VISIBLE_DEVICES leaves visible. */
  gpus: GpuInfo[];
  /** How many GPUs the machine has, visible or not. */
  installed: number;
  driverVersion?: string;
  cudaVersion?: string;
  /** Set when no GPU is visible: what nvidia-smi said, or that it is missing. */
  reason?: string;
  /** A caveat on the selection (MIG instances). */
  note?: string;
}

export interface DiscoveryOptions {
  /** The nvidia-smi command (default `nvidia-smi`, looked up on the PATH of `env`). */
  nvidiaSmi?: string;
  /** The environment: PATH to find nvidia-smi, CUDA_VISIBLE_DEVICES to select GPUs. */
  env: NodeJS.ProcessEnv;
  /** nvidia-smi can hang on a wedged driver; give up after this long (default 30 s). */
  timeoutMs?: number;
}

interface ExecResult {
  code: number | string | null;
  stdout: string;
  stderr: string;
}

function run(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<ExecResult> {
  return new Promise((resolve) => {
    execFile(command, args, { env, timeout: timeoutMs, encoding: 'utf8' }, (error, stdout, stderr) => {
      const code = error ? ((error as NodeJS.ErrnoException).code ?? (error.killed ? 'timeout' : null)) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

const firstLine = (text: string) =>
  text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .find((l) => l !== '') ?? '';

/** Why an nvidia-smi call that did not succeed found no GPU, in words. */
function failureReason(command: string, result: ExecResult): string {
  if (result.code === 'ENOENT')
    return `${command} is not on PATH: this runner has no NVIDIA driver installed`;
  if (result.code === 'timeout') return `${command} did not answer in time: the driver may be wedged`;
  const said = firstLine(result.stderr) || firstLine(result.stdout);
  if (/no devices were found/i.test(said)) return `${command} found no GPU`;
  return `${command} failed (exit ${result.code}): ${said || 'no output'}`;
}

/**
 * Finds the machine's GPUs with one `nvidia-smi --query-gpu=… --format=csv,noheader,nounits` call and
 * reads the CUDA version from the plain `nvidia-smi` header, then keeps those CUDA_VISIBLE_DEVICES
 * leaves visible. Never throws for a missing or failing nvidia-smi: the result says why.
 */
export async function discoverGpus(options: DiscoveryOptions): Promise<GpuDiscovery> {
  const command = options.nvidiaSmi ?? 'nvidia-smi';
  const timeoutMs = options.timeoutMs ?? 30_000;
  const [query, plain] = await Promise.all([
    run(command, queryArgs(DISCOVERY_FIELDS), options.env, timeoutMs),
    run(command, [], options.env, timeoutMs),
  ]);
  if (query.code !== 0) return { gpus: [], installed: 0, reason: failureReason(command, query) };
  let all: GpuInfo[];
  try {
    all = parseDiscovery(query.stdout);
  } catch (error) {
    return { gpus: [], installed: 0, reason: (error as Error).message };
  }
  if (all.length === 0) return { gpus: [], installed: 0, reason: `${command} found no GPU` };
  const cudaVersion = plain.code === 0 ? parseCudaVersion(plain.stdout) : undefined;
  const visible = visibleGpus(all, options.env.CUDA_VISIBLE_DEVICES);
  return {
    gpus: visible.gpus,
    installed: all.length,
    driverVersion: all[0]!.driverVersion,
    ...(cudaVersion ? { cudaVersion } : {}),
    ...(visible.gpus.length === 0
      ? {
          reason: `CUDA_VISIBLE_DEVICES="${options.env.CUDA_VISIBLE_DEVICES}" leaves none of ${all.length} GPU(s) visible`,
        }
      : {}),
    ...(visible.note ? { note: visible.note } : {}),
  };
}
