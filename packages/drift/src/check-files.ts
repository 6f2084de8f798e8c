/**
 * The drift check on files, as the fronts run it: the reference is data (files, folders, glob
 * patterns) or stored profiles (merged when there are several), the current data is files; the
 * reference profile can be saved for the next run.
 */
import { resolve } from 'node:path';
import { UserError } from '@mlactions/core';
import type { ReadOptions } from '@mlactions/data';
import { type DataSource, isUri, type RemoteSources, resolveSources } from '@mlactions/data';
import type { DriftOptions } from './compare.ts';
import { checkDrift, type DriftCheckResult } from './drift.ts';
import type { DatasetProfile } from './profile.ts';
import {
  displayPath,
  isProfileFile,
  mergeProfileFiles,
  withDisplaySources,
  writeProfileFile,
} from './profile-files.ts';
import type { ColumnOptions } from './profiler.ts';
import {
  fetchStoreReference,
  type StoreReference,
  type StoreReferenceRequest,
  type VersionFetcher,
} from './store-reference.ts';

export interface DriftFilesRequest {
  /** The reference: data files, folders or glob patterns, or stored profiles (JSON), relative to `cwd`. */
  reference: readonly string[];
  /** Instead of `reference`: the profile published with a model version in an artifact store. */
  referenceStore?: StoreReferenceRequest & { store: VersionFetcher };
  /** The current data: files, folders or glob patterns. */
  current: readonly string[];
  cwd: string;
  /** Reads `s3://` URIs among the reference and current data. */
  remote?: RemoteSources;
  /** Column types and inclusion, for a reference read from data. */
  columns?: Readonly<Record<string, ColumnOptions>>;
  read?: ReadOptions;
  drift?: DriftOptions;
  /** Write the reference's profile to this file (relative to `cwd`). */
  saveReferenceProfile?: string;
}

export interface DriftFilesResult extends DriftCheckResult {
  /** The model version whose profile was the reference, when it came from a store. */
  storeReference?: StoreReference;
  /** True when the reference came from stored profiles rather than data. */
  referenceFromProfile: boolean;
  /** The absolute path the reference profile was written to, when asked. */
  savedReferenceProfile?: string;
}

/** Stored profiles are local files (or come from a store); remote data is data. */
const isStoredProfile = (source: DataSource) => !isUri(source.name) && isProfileFile(source.name);

/** The reference as data sources or, when every file is a stored profile, their merged profile. */
async function loadReference(
  request: DriftFilesRequest,
  paths: readonly string[],
): Promise<{ sources: DataSource[] } | { profile: DatasetProfile }> {
  if (paths.length === 0) throw new UserError('Give the reference data or a stored profile');
  const sources = await resolveSources(paths, request.cwd, request.remote);
  const kinds = await Promise.all(sources.map(isStoredProfile));
  if (!kinds.includes(true)) return { sources };
  if (kinds.includes(false)) {
    const [profile, data] = [true, false].map((kind) =>
      displayPath(sources[kinds.indexOf(kind)]!.name, request.cwd),
    );
    throw new UserError(
      `The reference mixes stored profiles (${profile}) and data (${data}); give either data or profiles`,
    );
  }
  if (request.columns && Object.keys(request.columns).length > 0) {
    throw new UserError(
      'Column types and inclusion apply when the reference is read from data; a stored profile keeps the ones it was made with. Profile the reference again with them.',
    );
  }
  const names = sources.map((source) => displayPath(source.name, request.cwd));
  return { profile: await mergeProfileFiles(names, request.cwd) };
}

/**
 * A stored profile read as current data would pass as JSON Lines (one row of its fields) and give a
 * report of nonsense; only the reference may be a profile.
 */
async function refuseProfiles(current: readonly DataSource[], cwd: string): Promise<void> {
  const kinds = await Promise.all(current.map(isStoredProfile));
  const profile = kinds.indexOf(true);
  if (profile < 0) return;
  throw new UserError(
    `${displayPath(current[profile]!.name, cwd)} is a stored drift profile; the current data must be the data itself (only the reference may be a profile)`,
  );
}

/** Runs the drift check on files (see the module notes). */
export async function checkDriftFiles(request: DriftFilesRequest): Promise<DriftFilesResult> {
  if (request.current.length === 0) throw new UserError('Give the current data to check');
  let storeReference: StoreReference | undefined;
  if (request.referenceStore) {
    if (request.reference.length > 0) {
      throw new UserError('Give the reference as files or as a model version in a store, not both');
    }
    const { store, ...wanted } = request.referenceStore;
    storeReference = await fetchStoreReference(store, wanted);
  }
  const reference = await loadReference(request, storeReference ? [storeReference.path] : request.reference);
  const current = await resolveSources(request.current, request.cwd, request.remote);
  await refuseProfiles(current, request.cwd);
  const result = await checkDrift({
    reference: 'profile' in reference ? reference.profile : reference.sources,
    current,
    profile: {
      ...(request.columns ? { columns: request.columns } : {}),
      ...(request.read ? { read: request.read } : {}),
    },
    ...(request.drift ? { drift: request.drift } : {}),
  });
  const referenceProfile = withDisplaySources(result.reference, request.cwd);
  const currentProfile = withDisplaySources(result.current, request.cwd);
  const report = {
    ...result.report,
    reference: { ...result.report.reference, sources: referenceProfile.sources },
    current: { ...result.report.current, sources: currentProfile.sources },
  };
  let savedReferenceProfile: string | undefined;
  if (request.saveReferenceProfile) {
    savedReferenceProfile = resolve(request.cwd, request.saveReferenceProfile);
    await writeProfileFile(savedReferenceProfile, referenceProfile);
  }
  return {
    report,
    reference: referenceProfile,
    current: currentProfile,
    referenceFromProfile: 'profile' in reference,
    ...(storeReference ? { storeReference } : {}),
    ...(savedReferenceProfile ? { savedReferenceProfile } : {}),
  };
}
