import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DISCOVERY_FIELDS,
  parseCudaVersion,
  parseDiscovery,
  parseField,
  parseReading,
  queryArgs,
  splitCsvLine,
  TELEMETRY_FIELDS,
} from '../src/nvidia-smi.ts';

const fixture = (machine: string, file: string) =>
  readFileSync(join(import.meta.dirname, '../../../test/fixtures/nvidia-smi', machine, file), 'utf8');

describe('nvidia-smi output', () => {
  it('asks for the captured fields, in the captured order', () => {
    // The fixtures' README names the query they were captured with.
    const readme = fixture('h100', 'README.md');
    expect(readme).toContain(`--query-gpu=${DISCOVERY_FIELDS.join(',')}`);
    expect(queryArgs(TELEMETRY_FIELDS)).toEqual([
      '--query-gpu=index,uuid,utilization.gpu,memory.used,power.draw,temperature.gpu',
      '--format=csv,noheader,nounits',
    ]);
  });

  it('reads the real H100 record', () => {
    expect(parseDiscovery(fixture('h100', 'query_noheader_nounits.txt'))).toEqual([
      {
        index: 0,
        name: 'NVIDIA H100 80GB HBM3',
        uuid: 'GPU-c0c0915a-7008-4ecb-b3ec-4de7bc38cc15',
        driverVersion: '580.159.04',
        memoryTotalMiB: 81559,
        memoryUsedMiB: 0,
        memoryFreeMiB: 81079,
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
      },
    ]);
  });

  it('reads eight GPUs, one per line', () => {
    const gpus = parseDiscovery(fixture('h100x8', 'query_noheader_nounits.txt'));
    expect(gpus.map((g) => g.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(new Set(gpus.map((g) => g.uuid)).size).toBe(8);
  });

  it('reads what a GPU cannot report as null and a name with a comma whole', () => {
    const line =
      '0, Tesla T4, rev A, GPU-1, 535.1, 15360, [N/A], 15000, [Not Supported], 0, 40, [Unknown Error], 70.00, 300, 5000, P8, 7.5, 00000000:00:04.0';
    const [gpu] = parseDiscovery(line);
    expect(gpu).toMatchObject({
      name: 'Tesla T4, rev A',
      uuid: 'GPU-1',
      memoryUsedMiB: null,
      utilizationPct: null,
      powerDrawW: null,
    });
    expect(parseField(' 12.5 ')).toBe(12.5);
    expect(parseField('[N/A]')).toBeNull();
    expect(splitCsvLine('a, b', 3, 1)).toBeUndefined();
  });

  it('refuses a line that is not a GPU record', () => {
    expect(() => parseDiscovery('No devices were found')).toThrow(
      /not a GPU record: "No devices were found"/,
    );
  });

  it('reads a telemetry line, and nothing from a line that is not one', () => {
    expect(parseReading('3, GPU-abc, 97, 40960, 650.12, 71')).toEqual({
      index: 3,
      uuid: 'GPU-abc',
      utilizationPct: 97,
      memoryUsedMiB: 40960,
      powerW: 650.12,
      temperatureC: 71,
    });
    expect(parseReading('0, GPU-abc, [N/A], 1, [N/A], 30')).toMatchObject({
      utilizationPct: null,
      powerW: null,
    });
    expect(parseReading('')).toBeUndefined();
    expect(parseReading('Failed to initialize NVML: Driver/library version mismatch')).toBeUndefined();
  });

  it('finds the CUDA version in the plain header and in the XML report, not in a query', () => {
    expect(parseCudaVersion(fixture('h100', 'plain.txt'))).toBe('13.0');
    expect(parseCudaVersion(fixture('h100', 'q.xml'))).toBe('13.0');
    expect(parseCudaVersion(fixture('h100', 'query_bad_field.txt'))).toBeUndefined();
    expect(
      parseCudaVersion('| NVIDIA-SMI 470.1   Driver Version: 470.1   CUDA Version: N/A |'),
    ).toBeUndefined();
  });
});
