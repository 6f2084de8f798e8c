// End-to-end tests run the bundles, never the sources: build them once before any test file runs.
// @ts-expect-error the build script is plain JavaScript
import { build } from '../scripts/build.mjs';

export default async function setup(): Promise<void> {
  await build({ quiet: true });
}
