#!/usr/bin/env node
// The installed command: loads the bundled CLI, which `pnpm install` (prepare) and `pnpm build` make.
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/mlactions.js', import.meta.url);
if (!existsSync(bundle)) {
  process.stderr.write('mlactions: the CLI is not built yet. Run `pnpm build` in the repository root.\n');
  process.exit(1);
}
await import(bundle.href);
