import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globalSetup: ['test/global-setup.ts'],
    include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    // End-to-end tests start real processes and servers; give them room on a shared 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // On CI a dot per test keeps the log short; failures are printed in full either way.
    reporters: process.env.CI ? ['dot'] : ['default'],
    // GitHub's workflow parser imports its schema as JSON without an import attribute, which Node
    // refuses; inlined, Vite loads it.
    server: { deps: { inline: ['@actions/workflow-parser'] } },
  },
});
