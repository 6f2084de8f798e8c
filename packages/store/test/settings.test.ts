import { describe, expect, it } from 'vitest';
import { fetchRequestFrom } from '../src/fetch-settings.ts';
import { promoteRequestFrom } from '../src/promote-settings.ts';
import { publishRequestFrom } from '../src/publish-settings.ts';

const context = { cwd: '/work/repo' };

describe('publishRequestFrom', () => {
  it('keeps the settings given and drops the empty ones, as the runner passes unset inputs', () => {
    expect(
      publishRequestFrom(
        {
          name: 'iris',
          version: '',
          bump: 'minor',
          files: ['model.onnx', 'out/*.bin'],
          metricsFile: '',
          data: [],
        },
        context,
      ),
    ).toEqual({ name: 'iris', bump: 'minor', files: ['model.onnx', 'out/*.bin'], cwd: '/work/repo' });
    expect(
      publishRequestFrom(
        {
          name: 'iris',
          version: '1.2.0',
          files: ['model.onnx'],
          metricsFile: 'metrics.json',
          paramsFile: 'params.yaml',
          data: ['data/train.csv'],
          alias: 'candidate',
        },
        context,
      ),
    ).toEqual({
      name: 'iris',
      version: '1.2.0',
      files: ['model.onnx'],
      metricsFile: 'metrics.json',
      paramsFile: 'params.yaml',
      data: ['data/train.csv'],
      alias: 'candidate',
      cwd: '/work/repo',
    });
  });

  it('refuses a publish with no name, no files or an unknown bump, naming the setting', () => {
    expect(() => publishRequestFrom({ files: ['m.onnx'] }, context)).toThrow(
      "`name` is required: the model's name in the store",
    );
    expect(() => publishRequestFrom({ name: 'iris', version: '1.0.0', files: [] }, context)).toThrow(
      '`files` is required: the files, folders or glob patterns to publish, one per line',
    );
    expect(() => publishRequestFrom({ name: 'iris', bump: 'minr', files: ['m.onnx'] }, context)).toThrow(
      '`bump` must be major, minor or patch, got "minr"',
    );
  });
});

describe('fetchRequestFrom', () => {
  it('resolves the folder from cwd (model by default) and defaults if-missing to error', () => {
    expect(fetchRequestFrom({ name: 'iris', alias: 'production', version: '' }, context)).toEqual({
      name: 'iris',
      alias: 'production',
      version: undefined,
      out: '/work/repo/model',
      ifMissing: 'error',
    });
    expect(
      fetchRequestFrom({ name: 'iris', version: '1.0.0', path: 'out', ifMissing: 'skip' }, context),
    ).toMatchObject({ version: '1.0.0', out: '/work/repo/out', ifMissing: 'skip' });
    expect(fetchRequestFrom({ name: 'iris', version: '1.0.0', path: '/abs' }, context).out).toBe('/abs');
  });

  it('refuses no name and an unknown if-missing', () => {
    expect(() => fetchRequestFrom({ alias: 'production' }, context)).toThrow(/^`name` is required/);
    expect(() =>
      fetchRequestFrom({ name: 'iris', alias: 'production', ifMissing: 'ignore' }, context),
    ).toThrow('`if-missing` must be error or skip, got "ignore"');
  });
});

describe('promoteRequestFrom', () => {
  it('reads --expect none as "only if unset" and any other text as the version the alias must hold', () => {
    const provenance = { runUrl: 'https://github.com/o/r/actions/runs/1' };
    expect(
      promoteRequestFrom(
        { name: 'iris', version: '1.1.0', alias: 'production', expect: 'none' },
        { provenance },
      ),
    ).toEqual({ name: 'iris', version: '1.1.0', alias: 'production', expectedVersion: null, provenance });
    expect(
      promoteRequestFrom({ name: 'iris', version: '1.1.0', alias: 'production', expect: '1.0.0' }, {}),
    ).toEqual({ name: 'iris', version: '1.1.0', alias: 'production', expectedVersion: '1.0.0' });
    expect(
      promoteRequestFrom({ name: 'iris', version: '1.1.0', alias: 'production' }, {}),
    ).not.toHaveProperty('expectedVersion');
  });

  it('names each missing setting', () => {
    expect(() => promoteRequestFrom({ name: 'iris', alias: 'production' }, {})).toThrow(
      '`version` is required: the version the alias should point to',
    );
    expect(() => promoteRequestFrom({ name: 'iris', version: '1.0.0' }, {})).toThrow(/^`alias` is required/);
  });
});
