// Bundles every action's src/main.ts into actions/<verb>/dist/index.js (one file, no install step at
// job time) and the CLI into packages/cli/dist/mlactions.js. dist/ is never committed: the release
// workflow builds it onto the release tag (see CONTRIBUTING.md, "Releases and dist").
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
import { createRequire } from 'node:module';
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

/**
 * The `mlactions` field of the package.json above a bundle's folder: `external` (native modules,
 * kept outside the bundle and shipped beside it, see CONTRIBUTING.md) and `assets`.
 */
function buildSettings(outdir) {
  const pkgFile = join(outdir, '..', 'package.json');
  if (!existsSync(pkgFile)) return {};
  return JSON.parse(readFileSync(pkgFile, 'utf8')).mlactions ?? {};
}

/**
 * Copies the files a bundle reads at run time (`mlactions.assets`: name in dist → an installed
 * module's file, or a path (a file or a folder) from the package's folder) beside it, so a published
 * package carries them.
 */
function copyAssets(outdir, assets) {
  const from = createRequire(join(outdir, '..', 'package.json'));
  for (const [name, source] of Object.entries(assets)) {
    const path = source.startsWith('.') ? join(outdir, '..', source) : from.resolve(source);
    cpSync(path, join(outdir, name), { dereference: true, recursive: true });
  }
}

// Prebuilt binaries for other systems than the runners we support (linux x64 and arm64).
const foreignBinary = /[\\/]bin[\\/]napi-v\d+[\\/](?:darwin|win32|linux[\\/](?!x64|arm64))/;

/**
 * The packages a module loads at run time, by name, with their installed folders: those that an
 * esbuild bundle of it (native addons left out) draws files from. Packages a module lists only for
 * its install script (onnxruntime-node's adm-zip and global-agent) are not among them.
 */
async function runtimePackages(name, fromDir) {
  const { metafile } = await esbuild.build({
    stdin: { contents: `import ${JSON.stringify(name)};`, resolveDir: fromDir },
    absWorkingDir: root,
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'esm',
    external: ['*.node'],
    logLevel: 'silent',
  });
  const packages = new Map();
  for (const input of Object.keys(metafile.inputs)) {
    const match = /^(.*node_modules\/((?:@[^/]+\/)?[^/]+))\//.exec(input);
    if (!match) continue;
    const [, dir, pkg] = match;
    const folder = realpathSync(join(root, dir));
    if (packages.has(pkg) && packages.get(pkg) !== folder)
      throw new Error(`build: ${name} loads two copies of ${pkg} (${packages.get(pkg)}, ${folder})`);
    packages.set(pkg, folder);
  }
  if (!packages.has(name)) throw new Error(`build: ${name} is not installed (needed from ${fromDir})`);
  return packages;
}

/**
 * Copies each external module, and the packages it loads at run time, flat into dist/node_modules/
 * so the bundle finds them with no install step, dropping foreign binaries. A copy made from the
 * same installed folders (their paths carry the versions) is kept, so rebuilds stay quick.
 */
async function shipExternals(actionDir, outdir, names) {
  const target = join(outdir, 'node_modules');
  const stamp = join(target, '.shipped.json');
  const shipped = new Map();
  for (const name of names) {
    for (const [pkg, src] of await runtimePackages(name, actionDir)) {
      if (shipped.has(pkg) && shipped.get(pkg) !== src)
        throw new Error(`build: two externals need different copies of ${pkg}`);
      shipped.set(pkg, src);
    }
  }
  const record = `${JSON.stringify(Object.fromEntries(shipped), null, 2)}\n`;
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === record) return;
  rmSync(target, { recursive: true, force: true });
  for (const [pkg, src] of shipped) {
    cpSync(src, join(target, pkg), {
      recursive: true,
      dereference: true,
      filter: (path) => !foreignBinary.test(path) && !path.slice(src.length).includes('node_modules'),
    });
  }
  writeFileSync(stamp, record);
}

/**
 * Worker programs: a package that runs its own code in worker threads (the drift profiler) gets it as
 * source text, since a bundle has no separate file to start a worker from. Each is bundled from its
 * TypeScript entry into `<name>.generated.ts` beside it (not committed); the bundles above, the
 * tests' global set-up and the benches all run this first.
 */
export const workerPrograms = [
  { entry: 'packages/drift/src/profile-worker.ts', name: 'PROFILE_WORKER_SOURCE' },
];

/**
 * Our modules run no code on import that another module needs, so a worker program keeps only what
 * it uses (without this, the yaml parser behind core's index would ride along in every thread).
 */
const noSideEffects = {
  name: 'no-side-effects',
  setup(build) {
    build.onResolve({ filter: /.*/ }, async (args) => {
      if (args.pluginData?.inner || args.kind === 'entry-point') return undefined;
      const result = await build.resolve(args.path, {
        kind: args.kind,
        resolveDir: args.resolveDir,
        importer: args.importer,
        pluginData: { inner: true },
      });
      if (result.errors.length > 0 || result.external) return result;
      return /[\\/]packages[\\/][^\\/]+[\\/]src[\\/]/.test(result.path)
        ? { ...result, sideEffects: false }
        : result;
    });
  },
};

export async function buildWorkerPrograms() {
  for (const program of workerPrograms) {
    const { outputFiles } = await esbuild.build({
      entryPoints: [join(root, program.entry)],
      bundle: true,
      write: false,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      legalComments: 'none',
      logLevel: 'warning',
      plugins: [noSideEffects],
    });
    const text =
      `// Generated by scripts/build.mjs from ${program.entry.split('/').pop()}; not committed.\n` +
      `export const ${program.name} = ${JSON.stringify(outputFiles[0].text)};\n`;
    const target = join(root, program.entry.replace(/\.ts$/, '.generated.ts'));
    if (!existsSync(target) || readFileSync(target, 'utf8') !== text) writeFileSync(target, text);
  }
}

export async function build({ quiet = false } = {}) {
  await buildWorkerPrograms();
  for (const e of entries()) {
    mkdirSync(e.outdir, { recursive: true });
    const { external = [], assets = {} } = buildSettings(e.outdir);
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
      // The release's commit, which `mlactions init` pins our actions to; set by the release workflow.
      define: {
        'process.env.MLACTIONS_RELEASE_SHA': JSON.stringify(process.env.MLACTIONS_RELEASE_SHA ?? ''),
      },
      logLevel: 'warning',
    });
    // The bundle is ESM whatever package.json sits above it once the action is checked out.
    writeFileSync(join(e.outdir, 'package.json'), '{ "type": "module" }\n');
    if (external.length > 0) await shipExternals(join(e.outdir, '..'), e.outdir, external);
    copyAssets(e.outdir, assets);
    if (!quiet) console.log(`built ${e.name}`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  // esbuild has printed its own errors by the time it throws; every failure ends in one line, no stack.
  await build({ quiet: process.argv.includes('--quiet') }).catch((error) => {
    console.error(error.message);
    process.exitCode = 1;
  });
}
