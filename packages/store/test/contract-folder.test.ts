import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../src/open-store.ts';

import { storeContract } from './contract.ts';

storeContract('folder', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mlactions-folder-store-'));
  return {
    open: (options) => openStore(`file://${dir}`, options),
    async tamper(_store, manifest, path, bytes) {
      const file = manifest.files.find((f) => f.path === path)!;
      await writeFile(join(dir, 'blobs/sha256', file.sha256), bytes);
    },
    deduplicates: true,
    close: () => rm(dir, { recursive: true, force: true }),
  };
});
