// End-to-end tests run the bundles, never the sources: build them once before any test file runs.
// Every process the tests start inherits a marker; whatever still carries it when the run ends was
// left behind by a test, is killed (it would hold the run's output open) and fails the run.
import { randomUUID } from 'node:crypto';
// @ts-expect-error the build script is plain JavaScript
import { build } from '../scripts/build.mjs';
import { endTracked } from './harness/orphans.ts';

const MARKER = 'MLACTIONS_TEST_RUN';

export default async function setup(): Promise<() => Promise<void>> {
  process.env[MARKER] = randomUUID();
  await build({ quiet: true });
  return async () => {
    const left = await endTracked(MARKER, process.env[MARKER]!);
    if (left.length > 0)
      throw new Error(`the tests left ${left.length} process(es) running, killed now: ${left.join('; ')}`);
  };
}
