import { UserError } from '@mlactions/core';
import type { RecordedMetrics } from './metadata.ts';
import { isSha256, normalizeVersion, validateFilePath, validateName } from './names.ts';

/** One file of a version. */
export interface FileEntry {
  /** Path inside the version, `/` separated (`model.onnx`, `tokenizer/vocab.json`). */
  path: string;
  size: number;
  /** Lowercase hex sha256 of the whole file. */
  sha256: string;
  /**
   * github-release stores only: the release assets holding the file, in order (one asset, or the
   * parts of a file larger than the asset size limit, joined on fetch).
   */
  assets?: string[];
}

/** What identifies the data a version was trained or evaluated on. */
export interface DataFingerprint {
  /** The path as given at publish time. */
  path: string;
  /** Total bytes (all files of a directory). */
  size: number;
  /** Number of files (1 for a file). */
  files: number;
  /**
   * sha256 of the file; for a directory, sha256 of the `sha256sum`-style listing of its files
   * (`<hex>  <relative path>\n`, sorted by path), so `sha256sum` can reproduce it.
   */
  sha256: string;
}

/** Where and by whom a version or an alias move was made (GitHub Actions fills it from its environment). */
export interface Provenance {
  gitSha?: string;
  gitRef?: string;
  /** The workflow run's URL. */
  runUrl?: string;
  actor?: string;
}

/** The record of one version, stored last so that a version is visible only when it is whole. */
export interface Manifest extends Provenance {
  manifestVersion: 1;
  name: string;
  version: string;
  /** ISO 8601 time of publishing. */
  createdAt: string;
  files: FileEntry[];
  /** Metrics by file, then by dot-flattened name, as report and gate name them. */
  metrics?: RecordedMetrics;
  params?: Record<string, unknown>;
  data?: DataFingerprint[];
  /** The version this one derives from (by default the latest version when it was published). */
  parent?: string;
}

/** The manifest as stored: stable key order, two-space indentation, a final newline. */
export function serializeManifest(manifest: Manifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isSize = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

/**
 * Parses and checks a stored manifest. A store's content is not trusted: names, versions, paths and
 * digests are validated again, since fetch turns paths into files on disk.
 */
export function parseManifest(text: string, where: string): Manifest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UserError(`The manifest at ${where} is not valid JSON (${(error as Error).message}).`);
  }
  const fail = (why: string): never => {
    throw new UserError(`The manifest at ${where} is malformed: ${why}.`);
  };
  if (!isObject(value)) return fail('it is not a JSON object');
  if (value.manifestVersion !== 1)
    fail(`unsupported manifestVersion ${JSON.stringify(value.manifestVersion)}`);
  validateName(value.name);
  normalizeVersion(value.version);
  if (typeof value.createdAt !== 'string') fail('createdAt is missing');
  if (!Array.isArray(value.files)) return fail('files is not a list');
  const seen = new Set<string>();
  for (const file of value.files as unknown[]) {
    if (!isObject(file)) return fail('a files entry is not an object');
    validateFilePath(file.path);
    if (seen.has(file.path as string)) fail(`file ${JSON.stringify(file.path)} is listed twice`);
    seen.add(file.path as string);
    if (!isSize(file.size)) fail(`file ${JSON.stringify(file.path)} has no valid size`);
    if (!isSha256(file.sha256)) fail(`file ${JSON.stringify(file.path)} has no valid sha256`);
    if (
      file.assets !== undefined &&
      (!Array.isArray(file.assets) || !file.assets.every((a) => typeof a === 'string'))
    ) {
      fail(`file ${JSON.stringify(file.path)} has a malformed asset list`);
    }
  }
  for (const key of ['metrics', 'params'] as const) {
    if (value[key] !== undefined && !isObject(value[key])) fail(`${key} is not an object`);
  }
  if (value.data !== undefined && !Array.isArray(value.data)) fail('data is not a list');
  if (value.parent !== undefined) normalizeVersion(value.parent);
  for (const key of ['gitSha', 'gitRef', 'runUrl', 'actor'] as const) {
    if (value[key] !== undefined && typeof value[key] !== 'string') fail(`${key} is not a string`);
  }
  return value as unknown as Manifest;
}
