import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, type Dirent } from 'node:fs';
import { link, mkdir, open, readdir, rename, stat, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { UserError } from '@mlactions/core';
import type { LocalFile } from './local-files.ts';
import type { ObjectStat, ObjectStore } from './object-store.ts';
import type { ByteCounter } from './progress.ts';
import { countingStream } from './streams.ts';

const isMissing = (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOENT';

/** A temporary file older than this was left by a run that was killed, and is removed. */
export const STALE_TEMPORARY_MS = 60 * 60 * 1000;
const TEMPORARY_PREFIX = '.tmp-';

export interface FolderStoreOptions {
  /** Stops a write when aborted (an interrupted publish), removing its temporary file. */
  signal?: AbortSignal | undefined;
  /** Milliseconds since the epoch, to tell a killed run's temporary files from a running one's. */
  now?: () => number;
}

/**
 * A full disk (or quota) is the user's to fix: one line naming where the write went and what to do,
 * instead of the system's message, which names no path.
 */
function explainWriteError(error: unknown, target: string): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  if (code !== 'ENOSPC' && code !== 'EDQUOT') return error;
  return new UserError(
    `No space left to write ${target} (${code}); free space on that disk (or raise the quota) ` +
      'or use a store elsewhere, then publish again. Nothing was published.',
  );
}

/**
 * Objects as files under a directory. Every write goes to a temporary file beside its target (names
 * starting with `.`, which listings skip), is flushed to disk, then appears whole: by rename for
 * blobs, by link for exclusive creates — link(2) fails with EEXIST when the target exists, which
 * makes "create if absent" atomic even between processes.
 */
export class FolderStore implements ObjectStore {
  private readonly swept = new Set<string>();

  constructor(
    private readonly root: string,
    readonly uri: string,
    private readonly options: FolderStoreOptions = {},
  ) {}

  private path(key: string): string {
    return join(this.root, ...key.split('/'));
  }

  private temporary(target: string): string {
    return join(dirname(target), `${TEMPORARY_PREFIX}${randomUUID()}`);
  }

  /**
   * Removes the temporary files in a folder that are older than STALE_TEMPORARY_MS: a killed run
   * (SIGKILL, a lost machine) cannot remove its own. Younger ones may be a running publish's.
   */
  private async sweep(dir: string): Promise<void> {
    if (this.swept.has(dir)) return;
    this.swept.add(dir);
    const now = (this.options.now ?? Date.now)();
    let names: string[];
    try {
      names = await readdir(dir);
    } catch (error) {
      if (isMissing(error)) return;
      throw error;
    }
    for (const name of names.filter((n) => n.startsWith(TEMPORARY_PREFIX))) {
      const path = join(dir, name);
      const info = await stat(path).catch(() => undefined);
      if (info?.isFile() && now - info.mtimeMs > STALE_TEMPORARY_MS) await unlink(path).catch(() => {});
    }
  }

  async size(key: string): Promise<number | undefined> {
    return (await this.stat(key))?.size;
  }

  async stat(key: string): Promise<ObjectStat | undefined> {
    try {
      const info = await stat(this.path(key));
      return { key, size: info.size, modified: info.mtimeMs };
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
    await this.sweep(dirname(target));
    const temp = this.temporary(target);
    try {
      const handle = await open(temp, 'wx');
      await pipeline(
        createReadStream(file.source, { highWaterMark: 1 << 20 }),
        countingStream(onBytes),
        createWriteStream('', { fd: handle, flush: true }),
        ...(this.options.signal ? [{ signal: this.options.signal }] : []),
      );
      await rename(temp, target);
    } catch (error) {
      await unlink(temp).catch(() => {});
      throw explainWriteError(error, target);
    }
  }

  async createExclusive(key: string, body: string): Promise<boolean> {
    const target = this.path(key);
    await mkdir(dirname(target), { recursive: true });
    const temp = this.temporary(target);
    try {
      const handle = await open(temp, 'wx');
      try {
        await handle.writeFile(body);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await link(temp, target);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw explainWriteError(error, target);
    } finally {
      await unlink(temp).catch(() => {});
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

  async listStats(prefix: string): Promise<ObjectStat[]> {
    const stats = await Promise.all((await this.list(prefix)).map((key) => this.stat(key)));
    return stats.filter((info) => info !== undefined);
  }
}
