import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDiscovery } from '../src/nvidia-smi.ts';
import { visibleGpus } from '../src/visible-devices.ts';

const eight = parseDiscovery(
  readFileSync(
    join(import.meta.dirname, '../../../test/fixtures/nvidia-smi/h100x8/query_noheader_nounits.txt'),
    'utf8',
  ),
);
const indices = (value: string | undefined) => visibleGpus(eight, value).gpus.map((g) => g.index);

describe('CUDA_VISIBLE_DEVICES', () => {
  it('leaves every GPU when unset and none when empty', () => {
    expect(indices(undefined)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(indices('')).toEqual([]);
  });

  it('takes indices and UUIDs (a unique prefix will do) in its own order', () => {
    expect(indices('3,1')).toEqual([3, 1]);
    expect(indices(' 7 , GPU-c0c0915a-7008-4ecb-b3ec-4de7bc38cca2')).toEqual([7, 2]);
    expect(indices('gpu-C0C0915A-7008-4ecb-b3ec-4de7bc38cca4')).toEqual([4]);
  });

  it('stops at the first entry that names no GPU, as CUDA does', () => {
    expect(indices('0,1,9,2')).toEqual([0, 1]);
    expect(indices('-1')).toEqual([]);
    expect(indices('2,NoDevFiles')).toEqual([2]);
    // Every UUID starts so: the prefix is not unique.
    expect(indices('GPU-c0c0915a')).toEqual([]);
  });

  it('maps an old-style MIG instance to its GPU and keeps whole GPUs for new-style ones, with a note', () => {
    expect(indices('MIG-GPU-c0c0915a-7008-4ecb-b3ec-4de7bc38cca5/1/0')).toEqual([5]);
    const mig = visibleGpus(eight, 'MIG-8d2bc4a4-a2b4-5d8b-9c3a-1a2b3c4d5e6f');
    expect(mig.gpus).toHaveLength(8);
    expect(mig.note).toMatch(/MIG/);
  });
});
