// The package graph: which workspace package imports which, read from each package's sources and
// checked against its package.json. `node scripts/package-graph.mjs` rewrites the drawing in
// docs/architecture.md; `--check` only reports what is out of step (a test runs the check).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DOC = 'docs/architecture.md';
const BEGIN = '<!-- package-graph:begin (scripts/package-graph.mjs writes this block) -->';
const END = '<!-- package-graph:end -->';
const IMPORT = /(?:\bfrom\s+|\bimport\s*\(\s*)['"](@mlactions\/[a-z0-9-]+)(?:\/[^'"]*)?['"]/g;

/** Every .ts file under a folder. */
function sources(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** The workspace packages (packages/*, actions/*) with the @mlactions packages they import and declare. */
export function packageGraph(root = ROOT) {
  const units = [];
  for (const group of ['packages', 'actions']) {
    for (const entry of readdirSync(join(root, group), { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const dir = join(root, group, entry.name);
      let manifest;
      try {
        manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      } catch {
        continue;
      }
      const imported = new Set();
      for (const file of sources(join(dir, 'src'))) {
        for (const match of readFileSync(file, 'utf8').matchAll(IMPORT)) imported.add(match[1]);
      }
      imported.delete(manifest.name);
      const ours = (deps) =>
        Object.keys(deps ?? {})
          .filter((name) => name.startsWith('@mlactions/'))
          .sort();
      units.push({
        path: relative(root, dir),
        name: manifest.name,
        imported: [...imported].sort(),
        // The CLI, published as one bundle, lists the packages it bundles as devDependencies.
        declared: ours(manifest.dependencies),
        bundled: ours(manifest.devDependencies),
      });
    }
  }
  return units.sort((a, b) => a.path.localeCompare(b.path));
}

/** A mermaid flowchart of the graph: an arrow from each package to each it imports. */
export function mermaidOf(units) {
  const id = (path) => path.replace(/[^a-z0-9]/gi, '_');
  const byName = new Map(units.map((unit) => [unit.name, unit]));
  const lines = ['```mermaid', 'flowchart TD'];
  for (const [group, title] of [
    ['actions', 'actions: thin fronts'],
    ['packages', 'packages'],
  ]) {
    lines.push(`  subgraph ${group}["${title}"]`);
    for (const unit of units.filter((u) => u.path.startsWith(`${group}/`)))
      lines.push(`    ${id(unit.path)}["${unit.path}"]`);
    lines.push('  end');
  }
  for (const unit of units) {
    for (const name of unit.imported) {
      const target = byName.get(name);
      if (target) lines.push(`  ${id(unit.path)} --> ${id(target.path)}`);
    }
  }
  lines.push('```');
  return lines.join('\n');
}

/** What is out of step: an import a package.json does not declare, a declaration never imported, a stale drawing. */
export function checkPackageGraph({ root = ROOT, write = false } = {}) {
  const units = packageGraph(root);
  const problems = [];
  for (const unit of units) {
    for (const name of unit.imported.filter((n) => !unit.declared.includes(n) && !unit.bundled.includes(n)))
      problems.push(`${unit.path} imports ${name} but its package.json does not list it`);
    for (const name of unit.declared.filter((n) => !unit.imported.includes(n)))
      problems.push(`${unit.path} lists ${name} in dependencies but its sources never import it`);
  }
  const docPath = join(root, DOC);
  const doc = readFileSync(docPath, 'utf8');
  const start = doc.indexOf(BEGIN);
  const end = doc.indexOf(END);
  if (start < 0 || end < start) {
    problems.push(`${DOC} has no package-graph block (${BEGIN} … ${END})`);
    return problems;
  }
  const updated = `${doc.slice(0, start + BEGIN.length)}\n${mermaidOf(units)}\n${doc.slice(end)}`;
  if (updated !== doc) {
    if (write) writeFileSync(docPath, updated);
    else problems.push(`${DOC}'s package graph is out of date: run \`pnpm docs:graph\``);
  }
  return problems;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const problems = checkPackageGraph({ write: !process.argv.includes('--check') });
  for (const problem of problems) console.error(problem);
  process.exitCode = problems.length > 0 ? 1 : 0;
}
