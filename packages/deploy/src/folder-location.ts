import { randomUUID } from 'node:crypto';
import { copyFile, mkdir, readdir, rename, rmdir, unlink } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import type { ServingLocation } from './serving-location.ts';

const isMissing = (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOENT';

/**
 * A folder a serving system reads. Each file is copied to a temporary name beside its target and
 * renamed into place, so a reader never sees half a file.
 */
export class FolderLocation implements ServingLocation {
  constructor(
    private readonly dir: string,
    readonly uri: string,
  ) {}

  private path(path: string): string {
    return join(this.dir, ...path.split('/'));
  }

  async list(): Promise<string[]> {
    try {
      const entries = await readdir(this.dir, { recursive: true, withFileTypes: true });
      return entries
        .filter((entry) => !entry.isDirectory())
        .map((entry) => relative(this.dir, join(entry.parentPath, entry.name)).split(sep).join('/'))
        .sort();
    } catch (error) {
      if (isMissing(error)) return [];
      throw error;
    }
  }

  async download(path: string, file: string): Promise<void> {
    await copyFile(this.path(path), file);
  }

  async upload(file: string, path: string): Promise<void> {
    const target = this.path(path);
    await mkdir(dirname(target), { recursive: true });
    const temp = join(dirname(target), `.mlactions-${randomUUID()}`);
    try {
      await copyFile(file, temp);
      await rename(temp, target);
    } catch (error) {
      await unlink(temp).catch(() => {});
      throw error;
    }
  }

  /** Removes a file, and the folders it leaves empty (never the location's own folder). */
  async remove(path: string): Promise<void> {
    await unlink(this.path(path)).catch((error) => {
      if (!isMissing(error)) throw error;
    });
    const segments = path.split('/').slice(0, -1);
    while (segments.length > 0) {
      try {
        await rmdir(this.path(segments.join('/')));
      } catch {
        return; // not empty (or gone): the folders above are not empty either
      }
      segments.pop();
    }
  }
}
