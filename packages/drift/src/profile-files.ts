/**
 * Profiles as files: telling a stored profile from data, reading and merging stored profiles, and
 * writing one whole or not at all. Sources are recorded relative to the working folder, so a stored
 * profile does not carry the paths of the machine that made it.
 */
import { mkdir, open, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { UserError } from '@mlactions/core';
import { isUri, type RemoteSources, resolveSources } from '@mlactions/data';
import { mergeProfiles, parseProfile } from './merge.ts';
import { type DatasetProfile, PROFILE_FORMAT } from './profile.ts';
import { type ProfileOptions, profileSources } from './profiler.ts';

/** How far into a file its `"format"` field is looked for. */
const SNIFF_BYTES = 4096;

const FORMAT_FIELD = new RegExp(`"format"\\s*:\\s*"${PROFILE_FORMAT}"`);

/** True when the file is a stored profile (its first bytes hold the profile's `"format"` field). */
export async function isProfileFile(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SNIFF_BYTES, 0);
    return FORMAT_FIELD.test(buffer.subarray(0, bytesRead).toString('utf8'));
  } finally {
    await handle.close();
  }
}

/** Reads a stored profile, with a clear error for a missing file or one that is not a profile. */
export async function readProfileFile(path: string, cwd = process.cwd()): Promise<DatasetProfile> {
  const text = await readFile(resolve(cwd, path), 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') throw new UserError(`No such file: ${path}`);
    throw error;
  });
  return parseProfile(text, path);
}

/** Reads stored profiles and merges them into one (the reduce step over shards). */
export async function mergeProfileFiles(
  paths: readonly string[],
  cwd = process.cwd(),
): Promise<DatasetProfile> {
  if (paths.length === 0) throw new UserError('Give at least one profile to merge');
  const profiles = await Promise.all(paths.map((path) => readProfileFile(path, cwd)));
  return profiles.slice(1).reduce(mergeProfiles, profiles[0]!);
}

/** A path as shown in reports and stored profiles: relative to `cwd` when inside it; a URI as it is. */
export function displayPath(path: string, cwd: string): string {
  if (isUri(path)) return path;
  const inside = relative(cwd, path);
  return inside !== '' && !inside.startsWith('..') && !isAbsolute(inside) ? inside : path;
}

/** The profile with its sources shown relative to `cwd`. */
export function withDisplaySources(profile: DatasetProfile, cwd: string): DatasetProfile {
  return { ...profile, sources: profile.sources.map((source) => displayPath(source, cwd)) };
}

/** Profiles data files, folders, glob patterns (relative to `cwd`) and `s3://` URIs as one dataset. */
export async function profileFiles(
  data: readonly string[],
  options: Omit<ProfileOptions, 'reference'> & { cwd?: string; remote?: RemoteSources } = {},
): Promise<DatasetProfile> {
  const { cwd = process.cwd(), remote, ...profile } = options;
  if (data.length === 0) throw new UserError('Give at least one data file to profile');
  return withDisplaySources(await profileSources(await resolveSources(data, cwd, remote), profile), cwd);
}

/** Writes a profile as JSON, whole or not at all (a temporary file renamed into place). */
export async function writeProfileFile(path: string, profile: DatasetProfile): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    await writeFile(temporary, `${JSON.stringify(profile)}\n`);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
