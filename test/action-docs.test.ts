import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error the script is plain JavaScript
import { updateActionDocs } from '../scripts/action-docs.mjs';

describe('action READMEs', () => {
  it('are current with their action.yml (regenerate with `pnpm docs:actions`)', async () => {
    expect(await updateActionDocs({ check: true })).toEqual([]);
  });

  it('a README whose action.yml gained an input is reported stale, naming it', async () => {
    const root = mkdtempSync(join(tmpdir(), 'docs-root-'));
    cpSync('actions/report', join(root, 'actions/report'), {
      recursive: true,
      filter: (p) => !p.includes('dist'),
    });
    const yml = join(root, 'actions/report/action.yml');
    writeFileSync(
      yml,
      readFileSync(yml, 'utf8').replace('inputs:\n', 'inputs:\n  planted:\n    description: new\n'),
    );
    const cwd = process.cwd();
    // action-docs resolves the action.yml against the working folder, as the script documents.
    process.chdir(root);
    try {
      expect(await updateActionDocs({ root, check: true })).toEqual([
        'actions/report/README.md is out of date with its action.yml: run `pnpm docs:actions`',
      ]);
    } finally {
      process.chdir(cwd);
    }
  });
});
