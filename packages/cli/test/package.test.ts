// The CLI as users get it from npm: `npm pack` in its folder, the tarball installed into an empty
// project, `npx mlactions demo` run there. Offline: onnxruntime-node, the one dependency, comes from
// this workspace's installed copy through a file: override, so no registry is asked for anything.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, realpathSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CLI_DIR = fileURLToPath(new URL('..', import.meta.url));

let work: string;
let env: NodeJS.ProcessEnv;

/** Runs npm or npx, failing the test with its output on a non-zero exit or a hang. */
function npm(command: 'npm' | 'npx', args: string[], cwd: string) {
  const run = spawnSync(command, args, {
    cwd,
    env,
    encoding: 'utf8',
    timeout: 120_000,
    killSignal: 'SIGKILL',
  });
  if (run.error || run.status !== 0)
    throw new Error(
      `${command} ${args.join(' ')}: ${run.error?.message ?? `exit ${run.status}`}\n${run.stdout}\n${run.stderr}`,
    );
  return run;
}

let packed: { filename: string; files: { path: string }[] };
let project: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'mlactions-package-'));
  // An empty npm cache of the test's own: whatever this machine's cache holds cannot help.
  env = {
    ...process.env,
    npm_config_cache: join(work, 'npm-cache'),
    npm_config_update_notifier: 'false',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    ONNXRUNTIME_NODE_INSTALL: 'skip',
  };
  // The bundle is built by the test run's global set-up; the package's prepack would build it again.
  const pack = npm('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], CLI_DIR);
  [packed] = JSON.parse(pack.stdout);
  project = join(work, 'project');
  await mkdir(project);
  const onnxruntime = dirname(
    realpathSync(createRequire(join(CLI_DIR, 'package.json')).resolve('onnxruntime-node/package.json')),
  );
  await writeFile(
    join(project, 'package.json'),
    JSON.stringify({ private: true, overrides: { 'onnxruntime-node': `file:${onnxruntime}` } }),
  );
  npm('npm', ['install', join(work, packed.filename), '--offline', '--ignore-scripts'], project);
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('the mlactions npm package', () => {
  it('holds the launcher, the bundle and the assets it reads, and no sources or workspace packages', () => {
    const paths = packed.files.map((file) => file.path).sort();
    // The workflow templates init writes, as the repository has them.
    expect(paths.filter((path) => path.startsWith('dist/templates/'))).toEqual(
      readdirSync(join(CLI_DIR, '../../templates'), { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile())
        .map((entry) =>
          relative(join(CLI_DIR, '../..'), join(entry.parentPath, entry.name)).replace(/^/, 'dist/'),
        )
        .sort(),
    );
    expect(paths.filter((path) => !path.startsWith('dist/templates/'))).toEqual([
      'README.md',
      'bin/mlactions.js',
      'dist/LICENSE',
      'dist/mermaid.min.js',
      'dist/mlactions.js',
      'dist/package.json',
      'package.json',
    ]);
    const manifest = JSON.parse(readFileSync(join(CLI_DIR, 'package.json'), 'utf8'));
    expect(manifest).toMatchObject({ name: 'mlactions', bin: { mlactions: './bin/mlactions.js' } });
    expect(manifest.private).toBeUndefined();
    // The release publishes it under the version it tags: the repository's.
    const root = JSON.parse(readFileSync(join(CLI_DIR, '..', '..', 'package.json'), 'utf8'));
    expect(manifest.version).toBe(root.version);
    expect(Object.keys(manifest.dependencies)).toEqual(['onnxruntime-node']);
  });

  it('installs into an empty project with onnxruntime-node as its only dependency', async () => {
    expect((await readdir(join(project, 'node_modules'))).filter((name) => !name.startsWith('.'))).toEqual([
      'mlactions',
      'onnxruntime-node',
    ]);
  });

  it('runs `npx mlactions demo` there, offline, with the charts in report.html', async () => {
    const demo = npm('npx', ['--offline', 'mlactions', 'demo', '--dir', 'demo'], project);
    expect(demo.stdout).toContain('1.1.0 passed: 3 of 3 rules hold');
    expect(demo.stdout).toContain('production: 1.0.0 → 1.1.0');
    const html = await readFile(join(project, 'demo', 'report.html'), 'utf8');
    expect(html).toContain('<pre class="mermaid">xychart-beta');
    // mermaid's browser bundle is inlined whole: the page draws its charts with no network.
    const mermaid = await readFile(join(project, 'node_modules/mlactions/dist/mermaid.min.js'), 'utf8');
    expect(html).toContain(mermaid.slice(0, 2000));
  });

  it('runs `npx mlactions init` there, writing the workflows from the templates it carries', async () => {
    const init = npm(
      'npx',
      ['--offline', 'mlactions', 'init', '--train-command', 'python train.py'],
      project,
    );
    expect(init.stdout).toContain('.github/workflows/train.yml');
    const train = await readFile(join(project, '.github/workflows/train.yml'), 'utf8');
    expect(train).toContain('command: "python train.py"');
  });
});
