// Ages what a folder holds, for the garbage-collection contract: files' times are what gc reads.
import { readdir, utimes } from 'node:fs/promises';
import { join } from 'node:path';

/** Sets every file under `dir` (recursively) to look two hours old. */
export async function ageFiles(dir: string): Promise<void> {
  const then = new Date(Date.now() - 2 * 60 * 60 * 1000);
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) await utimes(join(entry.parentPath, entry.name), then, then);
  }
}
