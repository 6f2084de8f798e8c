import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { UserError } from '@mlactions/core';
import type { FileEntry } from './manifest.ts';
import { validateFilePath } from './names.ts';
import type { ByteCounter } from './progress.ts';
import { digestingStream } from './streams.ts';

/** A file fetched and verified, waiting beside its target under a temporary name. */
export interface StagedDownload {
  entry: FileEntry;
  temp: string;
  target: string;
}

/**
 * Streams one stored file to a temporary file beside its target under `out`, digesting it on the
 * way, and refuses it (removing the temporary file) when its size or sha256 differs from the
 * manifest's, naming the file. Nothing is visible at the target until commitDownloads.
 */
export async function downloadVerified(
  entry: FileEntry,
  source: Readable,
  out: string,
  onBytes: ByteCounter,
  label: string,
): Promise<StagedDownload> {
  const target = join(out, ...validateFilePath(entry.path).split('/'));
  await mkdir(dirname(target), { recursive: true });
  const temp = join(dirname(target), `.${basename(target)}.${randomUUID()}.partial`);
  const digest = digestingStream(onBytes);
  try {
    const handle = await open(temp, 'wx');
    await pipeline(
      source,
      digest,
      createWriteStream('', { fd: handle, flush: true, highWaterMark: 1 << 20 }),
    );
    const got = digest.digest();
    if (got.size !== entry.size || got.sha256 !== entry.sha256) {
      const what =
        got.size < entry.size
          ? `is truncated (${got.size} of ${entry.size} bytes)`
          : got.size > entry.size
            ? `is longer than recorded (${got.size} instead of ${entry.size} bytes)`
            : `is corrupt (sha256 ${got.sha256}, expected ${entry.sha256})`;
      throw new UserError(`${entry.path} of ${label} ${what} in the store; nothing was written.`);
    }
    return { entry, temp, target };
  } catch (error) {
    await unlink(temp).catch(() => {});
    if (error instanceof UserError) throw error;
    throw new UserError(
      `${entry.path} of ${label} could not be fetched (${(error as Error).message}); nothing was written.`,
    );
  }
}

/** Moves verified downloads into place; each rename is atomic. */
export async function commitDownloads(staged: StagedDownload[]): Promise<void> {
  for (const file of staged) await rename(file.temp, file.target);
}

/** Removes the temporary files of downloads that will not be committed. */
export async function discardDownloads(staged: StagedDownload[]): Promise<void> {
  await Promise.all(staged.map((file) => unlink(file.temp).catch(() => {})));
}
