import { describe, expect, it } from 'vitest';
import { checkpointKey, checkpointLookup, dataKey, keyPart } from '../src/cache-keys.ts';
import { shouldSaveCheckpoint } from '../src/checkpoint.ts';
import { parseEnvLines } from '../src/env-lines.ts';
import { parseParams } from '../src/params.ts';
import { argvFor, shellCommand } from '../src/shell.ts';

const keys = { name: 'resnet, cifar', fingerprint: 'a'.repeat(64), runId: '42', runAttempt: '2' };

describe('cache keys', () => {
  it('are free of commas and keep their structure', () => {
    expect(keyPart(' resnet, cifar/10 ')).toBe('resnet_cifar_10');
    expect(dataKey(keys)).toBe(`mlactions-train-resnet_cifar-${'a'.repeat(16)}-data`);
    expect(dataKey({ ...keys, fingerprint: '', name: '' })).toBe('mlactions-train-train-nodata-data');
    expect(checkpointKey(keys, 1700000000000)).toBe(
      `mlactions-train-resnet_cifar-${'a'.repeat(16)}-ckpt-42-2-1700000000000`,
    );
  });

  it('look up the same run, any run or nothing', () => {
    const base = `mlactions-train-resnet_cifar-${'a'.repeat(16)}-ckpt-`;
    expect(checkpointLookup(keys, 'rerun')).toEqual({
      key: `${base}42-2-lookup`,
      restoreKeys: [`${base}42-`],
    });
    expect(checkpointLookup(keys, 'latest')?.restoreKeys).toEqual([`${base}42-`, base]);
    expect(checkpointLookup(keys, 'never')).toBeUndefined();
    // A run's prefix never matches a run whose id merely starts with the same digits.
    expect(checkpointKey({ ...keys, runId: '421' }, 1).startsWith(`${base}42-`)).toBe(false);
  });

  it('save a checkpoint when the policy asks for it', () => {
    expect(shouldSaveCheckpoint('failure', false)).toBe(true);
    expect(shouldSaveCheckpoint('failure', true)).toBe(false);
    expect(shouldSaveCheckpoint('always', true)).toBe(true);
    expect(shouldSaveCheckpoint('never', false)).toBe(false);
  });
});

describe('the command', () => {
  it('runs through the shells GitHub knows, or a template', () => {
    expect(argvFor(shellCommand('bash'), '/t/s.sh')).toEqual([
      'bash',
      '--noprofile',
      '--norc',
      '-eo',
      'pipefail',
      '/t/s.sh',
    ]);
    expect(shellCommand('python')).toEqual({ extension: '.py', argv: ['python', '{0}'] });
    expect(argvFor(shellCommand('pwsh'), '/t/s.ps1')).toEqual(['pwsh', '-command', ". '/t/s.ps1'"]);
    expect(argvFor(shellCommand('bash -x {0}'), '/t/s')).toEqual(['bash', '-x', '/t/s']);
    expect(argvFor(shellCommand('python -u'), '/t/s')).toEqual(['python', '-u', '/t/s']);
    expect(() => shellCommand(' ')).toThrow(/input `shell` is empty/);
  });

  it('reads NAME=value lines and names a bad one', () => {
    expect(parseEnvLines('A=1\n\n# note\nB = x=y \nC=')).toEqual({ A: '1', B: ' x=y', C: '' });
    expect(() => parseEnvLines('A=1\n2X=3')).toThrow(/line 2: "2X=3" is not NAME=value/);
    expect(() => parseEnvLines('novalue')).toThrow(/line 1/);
  });

  it('reads params as a YAML or JSON mapping', () => {
    expect(parseParams('lr: 0.01\nlayers: [64, 64]\nname: small')).toEqual({
      lr: 0.01,
      layers: [64, 64],
      name: 'small',
    });
    expect(parseParams('{"lr": 1e-3}')).toEqual({ lr: 0.001 });
    expect(parseParams('  ')).toBeUndefined();
    expect(() => parseParams('- 1\n- 2')).toThrow(/must be a mapping/);
    expect(() => parseParams('lr: [1,')).toThrow(/not valid YAML or JSON/);
  });
});
