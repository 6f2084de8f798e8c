import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error the script is plain JavaScript
import { checkPackageGraph } from '../scripts/package-graph.mjs';

/** A workspace of two packages: a imports b; each file by its path. */
function workspace(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'graph-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  mkdirSync(join(root, 'actions'), { recursive: true });
  return root;
}

const pkg = (name: string, dependencies: Record<string, string> = {}) =>
  JSON.stringify({ name, dependencies });
const DOC = [
  '# Architecture',
  '<!-- package-graph:begin (scripts/package-graph.mjs writes this block) -->',
  '<!-- package-graph:end -->',
  '',
].join('\n');

describe('the package graph in docs/architecture.md', () => {
  it('is the graph of the imports, and every package.json lists what its sources import (regenerate with `pnpm docs:graph`)', () => {
    expect(checkPackageGraph()).toEqual([]);
  });

  it('names an import a package.json does not list, a listing never imported, and a stale drawing', () => {
    const root = workspace({
      'packages/a/package.json': pkg('@mlactions/a', { '@mlactions/c': 'workspace:*' }),
      'packages/a/src/index.ts': "import { b } from '@mlactions/b/sub';\nexport const a = b;\n",
      'packages/b/package.json': pkg('@mlactions/b'),
      'packages/b/src/index.ts': 'export const b = 1;\n',
      'packages/c/package.json': pkg('@mlactions/c'),
      'packages/c/src/index.ts': 'export const c = 1;\n',
      'docs/architecture.md': DOC,
    });
    expect(checkPackageGraph({ root })).toEqual([
      'packages/a imports @mlactions/b but its package.json does not list it',
      'packages/a lists @mlactions/c in dependencies but its sources never import it',
      "docs/architecture.md's package graph is out of date: run `pnpm docs:graph`",
    ]);
    expect(checkPackageGraph({ root, write: true })).toHaveLength(2);
    expect(checkPackageGraph({ root })).toHaveLength(2);
  });
});
