import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import pkg from '../package.json' with { type: 'json' };
import { run } from '../src/program.ts';

const bin = fileURLToPath(new URL('../dist/mlactions.js', import.meta.url));

async function cli(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

describe('mlactions', () => {
  it('prints its version', async () => {
    const { code, stdout } = await cli('--version');
    expect(code).toBe(0);
    expect(stdout.trim()).toBe(pkg.version);
  });

  it('lists its verbs in --help', async () => {
    const { code, stdout } = await cli('--help');
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: mlactions');
    expect(stdout).toMatch(/^\s+demo\b/m);
  });

  it('fails clearly on an unknown verb', async () => {
    const { code, stderr } = await cli('frobnicate');
    expect(code).not.toBe(0);
    expect(stderr).toContain("unknown command 'frobnicate'");
  });

  it('runs as the bundled command with the same answers', () => {
    expect(execFileSync(process.execPath, [bin, '--version'], { encoding: 'utf8' }).trim()).toBe(pkg.version);
    const bad = spawnSync(process.execPath, [bin, 'frobnicate'], { encoding: 'utf8' });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain("unknown command 'frobnicate'");
  });

  it('names a path it cannot read or write in one line, without a stack trace', () => {
    const missing = spawnSync(
      process.execPath,
      [
        bin,
        'report',
        '--head',
        fileURLToPath(new URL('../package.json', import.meta.url)),
        '--rules',
        'no-such-rules.yml',
      ],
      {
        encoding: 'utf8',
      },
    );
    expect(missing.status).toBe(1);
    expect(missing.stderr).toBe(
      'mlactions: no-such-rules.yml: no such file or folder (open). Check the path.\n',
    );
    const underFile = spawnSync(process.execPath, [bin, 'init', '--dir', `${bin}/repo`], {
      encoding: 'utf8',
    });
    expect(underFile.status).toBe(1);
    expect(underFile.stderr).toMatch(
      /^mlactions: .*mlactions\.js.*: a part of the path is a file, not a folder \(\w+\)\. Check the path\.\n$/,
    );
  });
});
