import { describe, expect, it } from 'vitest';
import { trainRequestFrom } from '../src/train-request.ts';

const place = {
  workspace: '/work/repo',
  tempDir: '/tmp/runner',
  outputBase: '/tmp/runner',
  runId: '42',
  runAttempt: '1',
};

describe('trainRequestFrom', () => {
  it('gives every setting left out its default, and the runner cache on', () => {
    expect(trainRequestFrom({ command: 'python train.py', shell: '', modelFiles: [] }, place)).toEqual({
      command: 'python train.py',
      shell: 'bash',
      workingDirectory: '/work/repo',
      workspace: '/work/repo',
      env: {},
      requireGpu: false,
      timeoutMs: 0,
      graceMs: 30_000,
      modelFiles: [],
      params: undefined,
      cache: {
        enabled: true,
        key: 'train',
        dataPaths: [],
        fingerprintPaths: [],
        checkpointDir: '.mlactions/checkpoints',
        resume: 'rerun',
        save: 'failure',
        saveIntervalMs: 0,
      },
      telemetryIntervalMs: 5000,
      outputDir: '/tmp/runner/mlactions-train-train',
      tempDir: '/tmp/runner',
      runId: '42',
      runAttempt: '1',
    });
  });

  it('reads durations in their units, paths from the workspace, and the output folder from the cache key', () => {
    const request = trainRequestFrom(
      {
        command: 'make train',
        workingDirectory: 'ml',
        env: 'SEED=7\n# a comment\nURL=a=b',
        requireGpu: true,
        timeoutMinutes: 90,
        graceSeconds: 0,
        params: 'lr: 0.1',
        cache: false,
        cacheKey: 'resnet, cifar',
        resume: 'latest',
        saveCheckpoint: 'always',
        checkpointIntervalMinutes: 10,
        telemetryIntervalSeconds: 0,
      },
      place,
    );
    expect(request).toMatchObject({
      workingDirectory: '/work/repo/ml',
      env: { SEED: '7', URL: 'a=b' },
      requireGpu: true,
      timeoutMs: 90 * 60_000,
      graceMs: 0,
      params: { lr: 0.1 },
      cache: {
        enabled: false,
        key: 'resnet, cifar',
        resume: 'latest',
        save: 'always',
        saveIntervalMs: 600_000,
      },
      telemetryIntervalMs: 0,
      outputDir: '/tmp/runner/mlactions-train-resnet_cifar',
    });
    expect(trainRequestFrom({ command: 'x', outputDir: 'out' }, place).outputDir).toBe('/work/repo/out');
  });

  it('refuses each mistake in one message naming the setting', () => {
    expect(() => trainRequestFrom({}, place)).toThrow('`command` is required: the training command to run');
    expect(() => trainRequestFrom({ command: 'x', timeoutMinutes: -1 }, place)).toThrow(
      '`timeout-minutes` must be a number of 0 or more, got -1',
    );
    expect(() => trainRequestFrom({ command: 'x', resume: 'always' }, place)).toThrow(
      '`resume` must be rerun, latest or never, got "always"',
    );
    expect(() => trainRequestFrom({ command: 'x', checkpointDir: '/ckpt' }, place)).toThrow(
      /^`checkpoint-dir` must be relative to the workspace/,
    );
    expect(() => trainRequestFrom({ command: 'x', env: 'OK=1\n2X=3' }, place)).toThrow(
      '`env`, line 2: "2X=3" is not NAME=value',
    );
  });
});
