import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globalSetup: ['test/global-setup.ts'],
    include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    // End-to-end tests start real processes and servers; give them room on a shared 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Most of a test's time is spent waiting on the processes it starts, so two files run at once even
    // on two cores (vitest's own default would be one there).
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // Test files share their worker's module cache: the AWS SDK, Octokit and GitHub's OpenAPI
    // description are loaded once per worker instead of once per file (which took more time than the
    // tests themselves). Files restore what they change in process.env and the working folder.
    isolate: false,
    // On CI a dot per test keeps the log short; failures are printed in full either way.
    reporters: process.env.CI ? ['dot'] : ['default'],
    // GitHub's workflow parser imports its schema as JSON without an import attribute, which Node
    // refuses; inlined, Vite loads it.
    server: { deps: { inline: ['@actions/workflow-parser'] } },
  },
});
