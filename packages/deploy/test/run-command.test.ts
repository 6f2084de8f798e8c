import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeEnd, runBash } from '../src/run-command.ts';

describe('runBash', () => {
  it('runs a script with -e and pipefail in the given folder, with the given environment', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'deploy-command-'));
    try {
      const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', GREETING: 'hello' };
      expect(await runBash('echo "$GREETING" > out.txt', env, dir)).toEqual({ exitCode: 0, signal: null });
      expect(await readFile(join(dir, 'out.txt'), 'utf8')).toBe('hello\n');
      expect((await runBash('false\necho "not reached" > after.txt', env, dir)).exitCode).toBe(1);
      await expect(readFile(join(dir, 'after.txt'))).rejects.toThrow();
      expect((await runBash('exit 7 | cat', env, dir)).exitCode).toBe(7);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('describes how a command ended', () => {
    expect(describeEnd({ exitCode: 3, signal: null })).toBe('exited with code 3');
    expect(describeEnd({ exitCode: null, signal: 'SIGTERM' })).toBe('was ended by SIGTERM');
  });
});
