/**
 * A reference profile published with a model version: the version is fetched from the artifact store
 * and its profile file found among the version's files.
 */
import { UserError } from '@mlactions/core';
import { isProfileFile } from './profile-files.ts';

/** What is needed of an artifact store (@mlactions/store's ArtifactStore has it). */
export interface VersionFetcher {
  fetch(options: { name: string; version?: string; alias?: string; out: string }): Promise<{
    manifest: { name: string; version: string; files: readonly { path: string }[] };
    /** Absolute paths of the files written, in the manifest's order. */
    written: readonly string[];
  }>;
}

export interface StoreReferenceRequest {
  name: string;
  version?: string;
  alias?: string;
  /** The profile's path inside the version; by default the one file in it that is a drift profile. */
  file?: string;
  /** Folder to fetch the version into. */
  out: string;
}

export interface StoreReference {
  /** Absolute path of the fetched profile. */
  path: string;
  name: string;
  version: string;
  /** The profile's path inside the version. */
  file: string;
}

/** Fetches a model version and returns its reference profile (see the module notes). */
export async function fetchStoreReference(
  store: VersionFetcher,
  request: StoreReferenceRequest,
): Promise<StoreReference> {
  const { name, version, alias, out } = request;
  const fetched = await store.fetch({
    name,
    out,
    ...(version !== undefined ? { version } : {}),
    ...(alias !== undefined ? { alias } : {}),
  });
  const files = fetched.manifest.files.map((file, i) => ({ file: file.path, path: fetched.written[i]! }));
  const where = `${fetched.manifest.name} ${fetched.manifest.version}`;
  let chosen: { file: string; path: string } | undefined;
  if (request.file !== undefined) {
    chosen = files.find((f) => f.file === request.file);
    if (!chosen) {
      throw new UserError(
        `${where} has no file ${JSON.stringify(request.file)}; its files are ${files.map((f) => JSON.stringify(f.file)).join(', ')}`,
      );
    }
    if (!(await isProfileFile(chosen.path))) {
      throw new UserError(
        `${where}: ${request.file} is not a drift profile; make one with \`mlactions profile\` and publish it with the model`,
      );
    }
  } else {
    const candidates = files.filter((f) => f.file.endsWith('.json'));
    const profiles = [];
    for (const candidate of candidates) if (await isProfileFile(candidate.path)) profiles.push(candidate);
    if (profiles.length === 0) {
      throw new UserError(
        `${where} holds no drift profile; publish one (made with \`mlactions profile\`) with the model`,
      );
    }
    if (profiles.length > 1) {
      throw new UserError(
        `${where} holds several drift profiles (${profiles.map((p) => p.file).join(', ')}); name the one to use`,
      );
    }
    chosen = profiles[0]!;
  }
  return {
    path: chosen.path,
    name: fetched.manifest.name,
    version: fetched.manifest.version,
    file: chosen.file,
  };
}
