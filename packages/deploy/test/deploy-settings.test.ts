import { describe, expect, it } from 'vitest';
import { deployRequestFrom } from '../src/deploy-settings.ts';

const context = { sha: 'abc123', cwd: '/work/repo', workDir: '/tmp/deploy' };

describe('deployRequestFrom', () => {
  it('defaults the environment, reads the version as a version, an alias or the commit, and keeps set targets only', () => {
    const inputs = deployRequestFrom(
      { name: 'iris', alias: 'production', copyTo: '', requiredContexts: ['ci'] },
      context,
    );
    expect(inputs).toEqual({
      name: 'iris',
      source: { kind: 'commit', sha: 'abc123' },
      environment: 'production',
      sha: 'abc123',
      alias: 'production',
      requiredContexts: ['ci'],
      workDir: '/tmp/deploy',
      cwd: '/work/repo',
    });
    expect(deployRequestFrom({ name: 'iris', command: 'x', version: '1.2.0' }, context).source).toEqual({
      kind: 'version',
      version: '1.2.0',
    });
    expect(deployRequestFrom({ name: 'iris', command: 'x', version: 'staging' }, context).source).toEqual({
      kind: 'alias',
      alias: 'staging',
    });
  });

  it('reaches an S3-compatible server by path-style requests', () => {
    const inputs = deployRequestFrom(
      { name: 'iris', copyTo: 's3://b/p', endpoint: 'http://localhost:9000' },
      context,
    );
    expect(inputs.s3).toEqual({ endpoint: 'http://localhost:9000', forcePathStyle: true });
  });

  it('refuses a deploy with no model or nothing to roll out, naming what to give', () => {
    expect(() => deployRequestFrom({ alias: 'production' }, context)).toThrow(/^`name` is required/);
    expect(() => deployRequestFrom({ name: 'iris', smokeTest: 'true' }, context)).toThrow(
      'Nothing to roll out: give `alias` (a store alias to move), `copy-to` (a folder or S3 prefix) or `command`.',
    );
  });
});
