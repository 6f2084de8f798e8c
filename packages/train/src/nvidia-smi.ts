// Parsers for what nvidia-smi prints. `--format=csv,noheader,nounits` gives one line per GPU with the
// fields in the order asked, separated by ", ", unquoted; fields a GPU cannot report read `[N/A]` or
// `[Not Supported]`. The CUDA version is not a query field (asking for `cuda_version` exits 2): it is
// in the plain `nvidia-smi` header and in `nvidia-smi -q -x`.

/** The fields GPU discovery asks for, in this order. */
export const DISCOVERY_FIELDS = [
  'index',
  'name',
  'uuid',
  'driver_version',
  'memory.total',
  'memory.used',
  'memory.free',
  'utilization.gpu',
  'utilization.memory',
  'temperature.gpu',
  'power.draw',
  'power.limit',
  'clocks.sm',
  'clocks.mem',
  'pstate',
  'compute_cap',
  'pci.bus_id',
] as const;

/** The fields each telemetry sample asks for, in this order. */
export const TELEMETRY_FIELDS = [
  'index',
  'uuid',
  'utilization.gpu',
  'memory.used',
  'power.draw',
  'temperature.gpu',
] as const;

/** One GPU as discovery sees it; a number nvidia-smi could not report is null. */
export interface GpuInfo {
  index: number;
  name: string;
  uuid: string;
  driverVersion: string;
  memoryTotalMiB: number | null;
  memoryUsedMiB: number | null;
  memoryFreeMiB: number | null;
  utilizationPct: number | null;
  memoryUtilizationPct: number | null;
  temperatureC: number | null;
  powerDrawW: number | null;
  powerLimitW: number | null;
  smClockMHz: number | null;
  memoryClockMHz: number | null;
  pstate: string;
  computeCapability: string;
  pciBusId: string;
}

/** One GPU's reading at one moment. */
export interface GpuReading {
  index: number;
  uuid: string;
  utilizationPct: number | null;
  memoryUsedMiB: number | null;
  powerW: number | null;
  temperatureC: number | null;
}

/** The arguments for a one-off CSV query of `fields`. */
export function queryArgs(fields: readonly string[]): string[] {
  return [`--query-gpu=${fields.join(',')}`, '--format=csv,noheader,nounits'];
}

/** A numeric field, or null for `[N/A]`, `[Not Supported]`, `[Unknown Error]` and the like. */
export function parseField(text: string): number | null {
  const value = text.trim();
  if (value === '' || !/^[-+]?\d*\.?\d+(?:[eE][-+]?\d+)?$/.test(value)) return null;
  return Number(value);
}

/**
 * Splits one CSV line into `count` fields. Only a GPU's name is free text, and nvidia-smi does not
 * quote it, so when a line has more pieces than fields the extra ones belong to the name column.
 */
export function splitCsvLine(line: string, count: number, nameColumn: number): string[] | undefined {
  const pieces = line.split(', ');
  const extra = pieces.length - count;
  if (extra < 0) return undefined;
  if (extra === 0 || nameColumn < 0) return extra === 0 ? pieces.map((p) => p.trim()) : undefined;
  const name = pieces.slice(nameColumn, nameColumn + extra + 1).join(', ');
  return [...pieces.slice(0, nameColumn), name, ...pieces.slice(nameColumn + extra + 1)].map((p) => p.trim());
}

const lines = (text: string) =>
  text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');

/** The GPUs in the output of `nvidia-smi` with queryArgs(DISCOVERY_FIELDS). */
export function parseDiscovery(text: string): GpuInfo[] {
  const gpus: GpuInfo[] = [];
  for (const line of lines(text)) {
    const f = splitCsvLine(line, DISCOVERY_FIELDS.length, 1);
    const index = f ? parseField(f[0]!) : null;
    if (!f || index === null)
      throw new Error(`nvidia-smi printed a line that is not a GPU record: "${line}"`);
    gpus.push({
      index,
      name: f[1]!,
      uuid: f[2]!,
      driverVersion: f[3]!,
      memoryTotalMiB: parseField(f[4]!),
      memoryUsedMiB: parseField(f[5]!),
      memoryFreeMiB: parseField(f[6]!),
      utilizationPct: parseField(f[7]!),
      memoryUtilizationPct: parseField(f[8]!),
      temperatureC: parseField(f[9]!),
      powerDrawW: parseField(f[10]!),
      powerLimitW: parseField(f[11]!),
      smClockMHz: parseField(f[12]!),
      memoryClockMHz: parseField(f[13]!),
      pstate: f[14]!,
      computeCapability: f[15]!,
      pciBusId: f[16]!,
    });
  }
  return gpus;
}

/** One line of telemetry (queryArgs(TELEMETRY_FIELDS)), or undefined when it is not one. */
export function parseReading(line: string): GpuReading | undefined {
  const f = splitCsvLine(line.trim(), TELEMETRY_FIELDS.length, -1);
  const index = f ? parseField(f[0]!) : null;
  if (!f || index === null) return undefined;
  return {
    index,
    uuid: f[1]!,
    utilizationPct: parseField(f[2]!),
    memoryUsedMiB: parseField(f[3]!),
    powerW: parseField(f[4]!),
    temperatureC: parseField(f[5]!),
  };
}

/**
 * The CUDA version the driver supports, from the plain `nvidia-smi` header
 * (`| NVIDIA-SMI 580.159.04   Driver Version: 580.159.04   CUDA Version: 13.0 |`) or from
 * `nvidia-smi -q -x` (`<cuda_version>13.0</cuda_version>`); undefined when neither is there.
 */
export function parseCudaVersion(text: string): string | undefined {
  const found = /CUDA Version:\s*([0-9][0-9.]*)/.exec(text) ?? /<cuda_version>\s*([^<\s]+)\s*</.exec(text);
  const version = found?.[1];
  return version && /^[0-9]/.test(version) ? version : undefined;
}
