import { createClient } from '@mlactions/github';
import { expect } from 'vitest';
import { startGitHubDouble } from '../../../test/harness/github-double/index.ts';
import { openStore } from '../src/open-store.ts';

import { storeContract } from './contract.ts';
import { acceptArbitration, leaveRelease, replaceAsset } from './release-helpers.ts';

storeContract('GitHub release', async () => {
  // The double's clock runs ahead by `shift`, so that what it stamped before a shift looks older.
  let shift = 0;
  const clock = () => Date.now() + shift;
  const double = await startGitHubDouble({ owner: 'octo-org', repo: 'models', now: () => new Date(clock()) });
  // Unpaced: GitHub's pacing (a write a second) would make this suite take minutes against the double.
  const client = createClient({ token: 'test-token', baseUrl: double.url, pacing: 'none' });
  return {
    // Small parts, so that the contract's 300 kB file is stored as three assets and joined on fetch.
    open: (options) =>
      openStore('github-release://octo-org/models', { ...options, github: { client, partSize: 128_000 } }),
    async tamper(_store, manifest, path, bytes) {
      const file = manifest.files.find((f) => f.path === path)!;
      await replaceAsset(client, `${manifest.name}@v${manifest.version}`, file.assets![0]!, bytes);
    },
    deduplicates: false,
    clock,
    async age() {
      shift += 2 * 60 * 60 * 1000;
    },
    async leaveUnfinished(name, version, bytes) {
      await leaveRelease(client, `${name}@v${version}`, 'model.bin', bytes);
      return `release ${name}@v${version}`;
    },
    async close() {
      expect(acceptArbitration(double)).toEqual([]);
      await double.close();
    },
  };
});
