import { mkdir } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { UserError } from '@mlactions/core';
import { parseStoreUri, type S3Options, validateFilePath } from '@mlactions/store';
import { FolderLocation } from './folder-location.ts';
import { S3Location } from './s3-location.ts';

/**
 * Where a serving system reads the model's files from: a folder or an S3 prefix. Paths are relative
 * and `/`-separated, checked like the paths inside a version.
 */
export interface ServingLocation {
  readonly uri: string;
  /** Every file under the location, sorted. */
  list(): Promise<string[]>;
  /** Copies the location's file at `path` to the local file `file`. */
  download(path: string, file: string): Promise<void>;
  /** Writes the local file `file` at `path`: afterwards the file there is whole or unchanged. */
  upload(file: string, path: string): Promise<void>;
  remove(path: string): Promise<void>;
}

/** The version's manifest, written into the location last, so a reader that watches it sees whole versions. */
export const LOCATION_MANIFEST = 'mlactions-manifest.json';

/**
 * Opens the serving location `copy-to` names: `s3://<bucket>/<prefix>` or a folder (`file://<dir>` or
 * a path, relative to `cwd`). The location comes to hold exactly a version's files, so a folder that
 * holds the working directory, or a whole bucket, is refused.
 */
export function openServingLocation(uri: string, options: { cwd: string; s3?: S3Options }): ServingLocation {
  if (!/^[a-z][a-z0-9-]*:\/\//.test(uri)) return folder(resolve(options.cwd, uri), uri, options.cwd);
  const location = parseStoreUri(uri, options.cwd);
  switch (location.kind) {
    case 'file':
      return folder(location.dir, uri, options.cwd);
    case 's3':
      if (location.prefix === '') {
        throw new UserError(
          `The serving location ${uri} is a whole bucket; name a prefix (s3://<bucket>/<prefix>), since everything under it is replaced.`,
        );
      }
      return new S3Location({ ...location, uri, s3: options.s3 });
    case 'github-release':
      throw new UserError(`The serving location ${uri} must be a folder or s3://<bucket>/<prefix>.`);
  }
}

function folder(dir: string, uri: string, cwd: string): ServingLocation {
  const fromDir = relative(dir, cwd);
  const outside = fromDir === '..' || fromDir.startsWith(`..${sep}`) || isAbsolute(fromDir);
  if (!outside) {
    throw new UserError(
      `The serving location ${uri} holds the working directory; name a folder of its own, since everything in it is replaced.`,
    );
  }
  return new FolderLocation(dir, uri);
}

/** A file to place in a location: its path there and the local file that holds its content. */
export interface PlacedFile {
  path: string;
  file: string;
}

/** Copies every file of the location into the local folder `dir`, to restore later. */
export async function snapshot(location: ServingLocation, dir: string): Promise<PlacedFile[]> {
  const placed: PlacedFile[] = [];
  for (const path of await location.list()) {
    try {
      validateFilePath(path);
    } catch {
      throw new UserError(
        `The serving location ${location.uri} holds ${JSON.stringify(path)}, which cannot be kept to restore; remove it.`,
      );
    }
    const file = join(dir, ...path.split('/'));
    await mkdir(dirname(file), { recursive: true });
    await location.download(path, file);
    placed.push({ path, file });
  }
  return placed;
}

/**
 * Makes the location hold exactly `files`: every file is written (LOCATION_MANIFEST last), then what
 * else was there is removed.
 */
export async function mirror(location: ServingLocation, files: PlacedFile[]): Promise<void> {
  const before = await location.list();
  const last = (f: PlacedFile) => (f.path === LOCATION_MANIFEST ? 1 : 0);
  for (const { path, file } of [...files].sort((a, b) => last(a) - last(b)))
    await location.upload(file, path);
  const keep = new Set(files.map((f) => f.path));
  for (const path of before) if (!keep.has(path)) await location.remove(path);
}
