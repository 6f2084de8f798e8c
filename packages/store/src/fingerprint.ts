import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { UserError } from '@mlactions/core';
import { hashFile } from './hash.ts';
import { listDirectory } from './local-files.ts';
import type { DataFingerprint } from './manifest.ts';

/**
 * sha256 of a `sha256sum`-style listing (`<hex>  <path>\n` per file, in the order given), so that
 * `sha256sum $(find . -type f | LC_ALL=C sort) | sha256sum` over the same files reproduces a directory's print.
 */
export function listingDigest(entries: { path: string; sha256: string }[]): string {
  const hash = createHash('sha256');
  for (const entry of entries) hash.update(`${entry.sha256}  ${entry.path}\n`);
  return hash.digest('hex');
}

/** Fingerprints a data file or directory (see DataFingerprint), streaming every byte through sha256. */
export async function fingerprintData(
  path: string,
  cwd: string,
  onBytes?: (bytes: number) => void,
): Promise<DataFingerprint> {
  const full = resolve(cwd, path);
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(full);
  } catch {
    throw new UserError(`Data path ${full} does not exist.`);
  }
  if (!info.isDirectory()) {
    const digest = await hashFile(full, onBytes);
    return { path, size: digest.size, files: 1, sha256: digest.sha256 };
  }
  const entries: { path: string; sha256: string }[] = [];
  let size = 0;
  for (const relative of await listDirectory(full)) {
    const digest = await hashFile(join(full, relative), onBytes);
    entries.push({ path: `./${relative}`, sha256: digest.sha256 });
    size += digest.size;
  }
  return { path, size, files: entries.length, sha256: listingDigest(entries) };
}
