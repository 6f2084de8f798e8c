import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { lstat, mkdir, open, rename, rm, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { UserError } from '@mlactions/core';
import type { FileEntry } from './manifest.ts';
import { validateFilePath } from './names.ts';
import type { ByteCounter } from './progress.ts';
import { digestingStream } from './streams.ts';

/**
 * A version being fetched: its files are written into a staging folder beside the target folder
 * (`.<out>.fetch-<id>`, on the same disk, so moving them in is a rename) and appear in the target
 * only once every one of them is verified.
 */
export interface Staging {
  /** The target folder. */
  out: string;
  /** The staging folder beside it. */
  dir: string;
}

/** A file fetched and verified into the staging folder. */
export interface StagedDownload {
  entry: FileEntry;
  staged: string;
  target: string;
}

/** Creates the staging folder beside `out` (and `out`'s parent when it is missing). */
export async function createStaging(out: string): Promise<Staging> {
  await mkdir(dirname(out), { recursive: true });
  const dir = join(dirname(out), `.${basename(out)}.fetch-${randomUUID()}`);
  await mkdir(dir);
  return { out, dir };
}

/** Removes the staging folder and whatever it still holds. */
export async function removeStaging(staging: Staging): Promise<void> {
  await rm(staging.dir, { recursive: true, force: true });
}

const inVersion = (root: string, entry: FileEntry) => join(root, ...validateFilePath(entry.path).split('/'));

/**
 * Streams one stored file into the staging folder, digesting it on the way, and refuses it when its
 * size or sha256 differs from the manifest's, naming the file. `signal` stops it (an interrupt).
 */
export async function downloadVerified(
  entry: FileEntry,
  source: Readable,
  staging: Staging,
  onBytes: ByteCounter,
  label: string,
  signal?: AbortSignal,
): Promise<StagedDownload> {
  const staged = inVersion(staging.dir, entry);
  await mkdir(dirname(staged), { recursive: true });
  const digest = digestingStream(onBytes);
  try {
    const handle = await open(staged, 'wx');
    await pipeline(
      source,
      digest,
      createWriteStream('', { fd: handle, flush: true, highWaterMark: 1 << 20 }),
      ...(signal ? [{ signal }] : []),
    );
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new UserError(
      `${entry.path} of ${label} could not be fetched (${(error as Error).message}); nothing was written.`,
    );
  }
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
  return { entry, staged, target: inVersion(staging.out, entry) };
}

async function lstatOrUndefined(path: string) {
  try {
    return await lstat(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
}

/**
 * Refuses, before anything moves, a file whose place in the target is blocked: a folder where the
 * file goes, a file where one of its folders goes, or a symlink among its folders (writing through
 * it would put the file outside the target). The message names the path in the way.
 */
async function assertPlaceFree(file: StagedDownload, out: string): Promise<void> {
  const parts = validateFilePath(file.entry.path).split('/');
  let folder = out;
  for (const part of parts.slice(0, -1)) {
    folder = join(folder, part);
    const info = await lstatOrUndefined(folder);
    if (info === undefined) return;
    if (info.isSymbolicLink()) {
      throw new UserError(
        `${folder} is a symlink; fetch does not write ${file.entry.path} through it. ` +
          'Remove the link or fetch into another folder; nothing was written.',
      );
    }
    if (!info.isDirectory()) {
      throw new UserError(
        `${folder} is a file where ${file.entry.path} needs a folder; move it or fetch into another ` +
          'folder; nothing was written.',
      );
    }
  }
  if ((await lstatOrUndefined(file.target))?.isDirectory()) {
    throw new UserError(
      `${file.target} is a folder where the file ${file.entry.path} goes; move it or fetch into ` +
        'another folder; nothing was written.',
    );
  }
}

/**
 * Moves verified downloads into the target: the place of every file is checked first, files they
 * replace are set aside in the staging folder, and if a move still fails the files moved so far are
 * put back, so the target is either the whole version or as it was.
 */
export async function commitDownloads(staged: StagedDownload[], staging: Staging): Promise<void> {
  await mkdir(staging.out, { recursive: true });
  for (const file of staged) await assertPlaceFree(file, staging.out);
  const previous = join(staging.dir, '.previous');
  const moved: { file: StagedDownload; setAside?: string }[] = [];
  try {
    for (const file of staged) {
      await mkdir(dirname(file.target), { recursive: true });
      let setAside: string | undefined;
      if (await lstatOrUndefined(file.target)) {
        setAside = inVersion(previous, file.entry);
        await mkdir(dirname(setAside), { recursive: true });
        await rename(file.target, setAside);
      }
      moved.push({ file, ...(setAside ? { setAside } : {}) });
      await rename(file.staged, file.target);
    }
  } catch (error) {
    for (const { file, setAside } of moved.reverse()) {
      if (setAside) await rename(setAside, file.target).catch(() => {});
      else await unlink(file.target).catch(() => {});
    }
    throw error;
  }
}
