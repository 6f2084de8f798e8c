// Bundles every action's src/main.ts into actions/<verb>/dist/index.js (one file, no install step at
// job time) and the CLI into packages/cli/dist/mlactions.js. dist/ is never committed: the release
// workflow builds it onto the release tag (see README, "Releases and dist").
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

// @actions/* are ESM-only but some of their dependencies (tunnel) call require() at run time.
const requireShim =
  "import { createRequire as __mlaCreateRequire } from 'node:module'; const require = __mlaCreateRequire(import.meta.url);";

/** Entries: every action under actions/, harness fixture actions under test/fixtures/actions/, the CLI. */
export function entries() {
  const out = [];
  for (const base of ['actions', 'test/fixtures/actions']) {
    const dir = join(root, base);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).sort()) {
      const main = join(dir, name, 'src', 'main.ts');
      if (existsSync(main))
        out.push({
          name: `${base}/${name}`,
          entry: main,
          outdir: join(dir, name, 'dist'),
          outfile: 'index.js',
        });
    }
  }
  out.push({
    name: 'cli',
    entry: join(root, 'packages/cli/src/bin.ts'),
    outdir: join(root, 'packages/cli/dist'),
    outfile: 'mlactions.js',
    shebang: true,
  });
  return out;
}

/** Native modules stay outside the bundle; an action ships them beside it (see README). */
function externals(outdir) {
  const pkgFile = join(outdir, '..', 'package.json');
  if (!existsSync(pkgFile)) return [];
  return JSON.parse(readFileSync(pkgFile, 'utf8')).mlactions?.external ?? [];
}

/** The installed directory of a package as seen from `fromDir` (Node's lookup up the tree). */
function packageDir(name, fromDir) {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return realpathSync(candidate);
    if (dirname(dir) === dir) throw new Error(`build: ${name} is not installed (needed from ${fromDir})`);
  }
}

// Prebuilt binaries for other systems than the runners we support (linux x64 and arm64).
const foreignBinary = /[\\/]bin[\\/]napi-v\d+[\\/](?:darwin|win32|linux[\\/](?!x64|arm64))/;

/**
 * Copies each external module, and the packages it requires at run time, flat into
 * dist/node_modules/ so the bundle finds them with no install step, dropping foreign binaries.
 */
function shipExternals(actionDir, outdir, names) {
  const target = join(outdir, 'node_modules');
  rmSync(target, { recursive: true, force: true });
  const seen = new Set();
  const queue = names.map((name) => ({ name, from: actionDir }));
  while (queue.length > 0) {
    const { name, from } = queue.shift();
    if (seen.has(name)) continue;
    seen.add(name);
    const src = packageDir(name, from);
    cpSync(src, join(target, name), {
      recursive: true,
      dereference: true,
      filter: (path) => !foreignBinary.test(path) && !path.slice(src.length).includes('node_modules'),
    });
    const deps = JSON.parse(readFileSync(join(src, 'package.json'), 'utf8')).dependencies ?? {};
    for (const dep of Object.keys(deps)) queue.push({ name: dep, from: src });
  }
}

export async function build({ quiet = false } = {}) {
  for (const e of entries()) {
    mkdirSync(e.outdir, { recursive: true });
    const external = externals(e.outdir);
    await esbuild.build({
      entryPoints: [e.entry],
      outfile: join(e.outdir, e.outfile),
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      external,
      banner: { js: `${e.shebang ? '#!/usr/bin/env node\n' : ''}${requireShim}` },
      legalComments: 'none',
      logLevel: 'warning',
    });
    // The bundle is ESM whatever package.json sits above it once the action is checked out.
    writeFileSync(join(e.outdir, 'package.json'), '{ "type": "module" }\n');
    if (external.length > 0) shipExternals(join(e.outdir, '..'), e.outdir, external);
    if (!quiet) console.log(`built ${e.name}`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url))
  await build({ quiet: process.argv.includes('--quiet') });
