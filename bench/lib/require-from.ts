// Peers of a benchmark are dependencies of the package under test (bench/ is no workspace package).
import { createRequire } from 'node:module';
import { join } from 'node:path';

/**
 * `require` resolving from a workspace package (e.g. `packages/drift`), for peers installed there. The
 * root is MLACTIONS_ROOT, which bench/lib/runner.mjs sets for its tasks.
 */
export function requireFrom(pkg: string): NodeRequire {
  return createRequire(join(process.env.MLACTIONS_ROOT ?? process.cwd(), pkg, 'package.json'));
}
