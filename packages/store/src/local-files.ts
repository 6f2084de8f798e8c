import type { Stats } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { basename, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { UserError } from '@mlactions/core';
import { validateFilePath } from './names.ts';

/**
 * A file to publish: a path on disk (a file is stored under its base name, a directory's files under
 * `<directory name>/<relative path>`), or an explicit `{ source, path }` naming where it goes.
 */
export type FileInput = string | { source: string; path: string };

/** A local file resolved for publishing. */
export interface LocalFile {
  /** Absolute path on disk. */
  source: string;
  /** Path inside the version. */
  path: string;
  size: number;
  /** Modification time when resolved, to notice a file that changes while it is published. */
  mtimeMs: number;
}

async function statOrThrow(path: string, what: string) {
  try {
    return await stat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new UserError(`${what} ${path} does not exist.`);
    }
    throw error;
  }
}

/**
 * A file to publish must be a regular file: a device (/dev/zero) would be read forever and a FIFO
 * would block, so they are refused from their stat, before anything opens them.
 */
function assertRegular(path: string, info: Stats): void {
  if (info.isFile()) return;
  const what = info.isFIFO()
    ? 'a FIFO (named pipe)'
    : info.isCharacterDevice() || info.isBlockDevice()
      ? 'a device'
      : info.isSocket()
        ? 'a socket'
        : 'not a regular file';
  throw new UserError(`${path} is ${what}, not a regular file; publish only regular files.`);
}

/** Whether `path` lies strictly inside the folder `root` (both resolved, symlinks and all). */
function isInside(root: string, path: string): boolean {
  const rest = relative(root, path);
  return rest !== '' && rest !== '..' && !rest.startsWith(`..${sep}`) && !isAbsolute(rest);
}

/**
 * The regular files under `dir`, as paths relative to it with `/` separators, sorted. A symlink is
 * followed only to a file inside `dir`: one that leads out of it (to `.git/config`, `/etc/...`) is
 * refused, so a published folder carries nothing from outside itself; so is anything that is not a
 * regular file.
 */
export async function listDirectory(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const root = await realpath(dir);
  const files: string[] = [];
  for (const entry of entries) {
    const full = join(entry.parentPath, entry.name);
    if (entry.isDirectory()) continue;
    if (entry.isSymbolicLink()) {
      const target = await realpath(full).catch(() => undefined);
      if (target === undefined || !isInside(root, target)) {
        throw new UserError(
          `${full} is a symlink to ${target ?? 'nothing'}, outside ${dir}; replace it with the file itself or remove it.`,
        );
      }
      // A link to a folder inside is skipped: that folder's files are listed under their own path.
      const info = await stat(full);
      if (info.isDirectory()) continue;
      assertRegular(full, info);
    } else if (!entry.isFile()) {
      assertRegular(full, await stat(full));
    }
    files.push(
      full
        .slice(dir.length + 1)
        .split('\\')
        .join('/'),
    );
  }
  return files.sort();
}

/**
 * Resolves publish inputs against `cwd` into files with their sizes, expanding directories and
 * refusing missing files, unsafe stored paths and two inputs that would land on one path.
 */
export async function resolveLocalFiles(inputs: FileInput[], cwd: string): Promise<LocalFile[]> {
  if (inputs.length === 0) throw new UserError('Nothing to publish: give at least one file.');
  const files: LocalFile[] = [];
  const add = (source: string, path: string, info: { size: number; mtimeMs: number }) => {
    files.push({ source, path: validateFilePath(path), size: info.size, mtimeMs: info.mtimeMs });
  };
  for (const input of inputs) {
    const source = resolve(cwd, typeof input === 'string' ? input : input.source);
    const info = await statOrThrow(source, 'File');
    const base = typeof input === 'string' ? basename(source) : input.path;
    if (info.isDirectory()) {
      const inside = await listDirectory(source);
      if (inside.length === 0) throw new UserError(`Directory ${source} has no files to publish.`);
      for (const relative of inside) {
        const file = join(source, relative);
        add(file, `${base}/${relative}`, await statOrThrow(file, 'File'));
      }
    } else {
      assertRegular(source, info);
      add(source, base, info);
    }
  }
  const byPath = new Map<string, string>();
  for (const file of files) {
    const other = byPath.get(file.path);
    if (other !== undefined) {
      throw new UserError(
        `Two files would be stored as ${file.path}: ${other} and ${file.source}. Give one of them another path.`,
      );
    }
    byPath.set(file.path, file.source);
  }
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * Throws when a file's size or modification time differs from when it was resolved: its digest (and
 * so the content address it was stored under) would no longer describe the bytes sent.
 */
export async function assertUnchanged(file: LocalFile): Promise<void> {
  const info = await stat(file.source);
  if (info.size !== file.size || info.mtimeMs !== file.mtimeMs) {
    throw new UserError(
      `${file.source} changed while it was being published; publish again once it is final.`,
    );
  }
}
