import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../src/open-store.ts';

import { ageFiles } from './aging.ts';
import { sha256, storeContract } from './contract.ts';

storeContract('folder', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mlactions-folder-store-'));
  return {
    open: (options) => openStore(`file://${dir}`, options),
    async tamper(_store, manifest, path, bytes) {
      const file = manifest.files.find((f) => f.path === path)!;
      await writeFile(join(dir, 'blobs/sha256', file.sha256), bytes);
    },
    deduplicates: true,
    clock: Date.now,
    age: () => ageFiles(dir),
    async leaveUnfinished(_name, _version, bytes) {
      await mkdir(join(dir, 'blobs/sha256'), { recursive: true });
      await writeFile(join(dir, 'blobs/sha256', sha256(bytes)), bytes);
      return `blob ${sha256(bytes)}`;
    },
    close: () => rm(dir, { recursive: true, force: true }),
  };
});
