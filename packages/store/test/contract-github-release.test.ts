import { createClient } from '@mlactions/github';
import { expect } from 'vitest';
import { startGitHubDouble } from '../../../test/harness/github-double/index.ts';
import { openStore } from '../src/open-store.ts';

import { storeContract } from './contract.ts';
import { acceptArbitration, replaceAsset } from './release-helpers.ts';

storeContract('GitHub release', async () => {
  const double = await startGitHubDouble({ owner: 'octo-org', repo: 'models' });
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
    async close() {
      expect(acceptArbitration(double)).toEqual([]);
      await double.close();
    },
  };
});
