import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import pkg from '../package.json' with { type: 'json' };
import { run } from '../src/program.ts';
import { BIN, runCli } from './bundled-cli.ts';

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
    expect(stderr).toMatch(
      /^mlactions: unknown verb 'frobnicate'\. The verbs are .*report, validate, .*demo; see mlactions --help\.\n$/,
    );
  });

  it('refuses an unknown verb even when it is given --version, instead of printing the version', () => {
    const run = runCli(['retire', '--version', '1.0.0']);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^mlactions: unknown verb 'retire'\./);
  });

  it('runs as the bundled command with the same answers', () => {
    expect(runCli(['--version']).stdout.trim()).toBe(pkg.version);
    const bad = runCli(['frobnicate']);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain("unknown verb 'frobnicate'");
  });

  it('names a path it cannot read or write in one line, without a stack trace', () => {
    const missing = runCli([
      'report',
      '--head',
      fileURLToPath(new URL('../package.json', import.meta.url)),
      '--rules',
      'no-such-rules.yml',
    ]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toBe(
      'mlactions: no-such-rules.yml: no such file or folder (open). Check the path.\n',
    );
    const underFile = runCli(['init', '--dir', `${BIN}/repo`, '--train-command', 'python train.py']);
    expect(underFile.status).toBe(1);
    expect(underFile.stderr).toMatch(
      /^mlactions: .*mlactions\.js.*: a part of the path is a file, not a folder \(\w+\)\. Check the path\.\n$/,
    );
  });
});
