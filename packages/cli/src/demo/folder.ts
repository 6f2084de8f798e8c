import { lstat, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '@mlactions/core';

/** The file that marks a folder as the demo's own, so a later run may delete it. */
export const DEMO_MARKER = '.mlactions-demo';

/**
 * Makes `dir` an empty demo folder: a new or empty folder is used, a folder an earlier demo wrote
 * (it holds the marker) is deleted and made again, and anything else is refused so that no user
 * file is ever deleted.
 */
export async function prepareDemoFolder(dir: string): Promise<void> {
  const info = await lstat(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (info && !info.isDirectory()) {
    throw new UserError(
      `${dir} is not a folder; pass --dir <folder> with a new or empty folder for the demo.`,
    );
  }
  if (info) {
    const entries = await readdir(dir);
    if (entries.includes(DEMO_MARKER)) await rm(dir, { recursive: true, force: true });
    else if (entries.length > 0) {
      throw new UserError(
        `${dir} holds files that the demo did not write (it has no ${DEMO_MARKER} file), so the demo leaves it alone; ` +
          'pass --dir <folder> with a new or empty folder.',
      );
    }
  }
  await mkdir(dir, { recursive: true });
  await writeFile(
    join(dir, DEMO_MARKER),
    'Written by `mlactions demo`. The next run of the demo in this folder deletes the folder and starts again.\n',
  );
}
