import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, type Dirent } from 'node:fs';
import { link, mkdir, open, readdir, rename, stat, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { LocalFile } from './local-files.ts';
import type { ObjectStore } from './object-store.ts';
import type { ByteCounter } from './progress.ts';
import { countingStream } from './streams.ts';

const isMissing = (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOENT';

/**
 * Objects as files under a directory. Every write goes to a temporary file beside its target (names
 * starting with `.`, which listings skip), is flushed to disk, then appears whole: by rename for
 * blobs, by link for exclusive creates — link(2) fails with EEXIST when the target exists, which
 * makes "create if absent" atomic even between processes.
 */
export class FolderStore implements ObjectStore {
  constructor(
    private readonly root: string,
    readonly uri: string,
  ) {}

  private path(key: string): string {
    return join(this.root, ...key.split('/'));
  }

  private temporary(target: string): string {
    return join(dirname(target), `.tmp-${randomUUID()}`);
  }

  async size(key: string): Promise<number | undefined> {
    try {
      return (await stat(this.path(key))).size;
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async read(key: string) {
    try {
      const handle = await open(this.path(key), 'r');
      return handle.createReadStream({ highWaterMark: 1 << 20 });
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async upload(key: string, file: LocalFile, onBytes: ByteCounter): Promise<void> {
    const target = this.path(key);
    await mkdir(dirname(target), { recursive: true });
    const temp = this.temporary(target);
    try {
      const handle = await open(temp, 'wx');
      await pipeline(
        createReadStream(file.source, { highWaterMark: 1 << 20 }),
        countingStream(onBytes),
        createWriteStream('', { fd: handle, flush: true }),
      );
      await rename(temp, target);
    } catch (error) {
      await unlink(temp).catch(() => {});
      throw error;
    }
  }

  async createExclusive(key: string, body: string): Promise<boolean> {
    const target = this.path(key);
    await mkdir(dirname(target), { recursive: true });
    const temp = this.temporary(target);
    const handle = await open(temp, 'wx');
    try {
      await handle.writeFile(body);
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await link(temp, target);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw error;
    } finally {
      await unlink(temp);
    }
  }

  async remove(key: string): Promise<void> {
    await unlink(this.path(key)).catch((error) => {
      if (!isMissing(error)) throw error;
    });
  }

  async list(prefix: string): Promise<string[]> {
    const dir = this.path(prefix.slice(0, -1));
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { recursive: true, withFileTypes: true });
    } catch (error) {
      if (isMissing(error)) return [];
      throw error;
    }
    return entries
      .filter((entry) => entry.isFile() && !entry.name.startsWith('.'))
      .map(
        (entry) =>
          `${prefix}${join(entry.parentPath, entry.name)
            .slice(dir.length + 1)
            .split('\\')
            .join('/')}`,
      )
      .sort();
  }
}
