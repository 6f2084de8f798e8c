import { UserError } from '@mlactions/core';
import semver from 'semver';
import { type AliasEntry, type AliasState, rollbackTarget } from './alias.ts';
import type { Backend, Garbage, HashedFile, TransferTotals } from './backend.ts';
import {
  commitDownloads,
  createStaging,
  downloadVerified,
  removeStaging,
  type StagedDownload,
} from './download.ts';
import { fingerprintData } from './fingerprint.ts';
import { hashFile } from './hash.ts';
import {
  aliasedVersions,
  deprecationNotice,
  type LifecycleEntry,
  lifecycleState,
  retentionPlan,
  validateReason,
} from './lifecycle.ts';
import { type FileInput, resolveLocalFiles } from './local-files.ts';
import type { FileEntry, Manifest, Provenance } from './manifest.ts';
import { readMetrics, readParams } from './metadata.ts';
import { normalizeVersion, validateAlias, validateName } from './names.ts';
import { createProgressThrottle, type ProgressCallback } from './progress.ts';
import { type Bump, latestVersion, nextVersion, sortVersions } from './versioning.ts';

export interface PublishOptions {
  name: string;
  /** The version to publish; give this or `bump`. A leading `v` is accepted. */
  version?: string;
  /** Publish the next major, minor or patch version after the latest one. */
  bump?: Bump;
  /** Files and directories to publish (see FileInput), relative to the store's cwd. */
  files: FileInput[];
  /** A metrics file or folder (JSON, YAML, CSV/TSV, JSONL, as report reads them) to record in the manifest. */
  metricsFile?: string;
  /** A JSON or YAML file of parameters to record in the manifest. */
  paramsFile?: string;
  /** Data files or directories to fingerprint into the manifest (read, never uploaded). */
  data?: string[];
  /** The version this one derives from; by default the highest existing version below it. */
  parent?: string;
  provenance?: Provenance;
  onProgress?: ProgressCallback;
}

export interface PublishResult extends TransferTotals {
  manifest: Manifest;
}

/** Which version to fetch: a version, or an alias resolved to its current version. */
export type VersionRef = { version: string; alias?: undefined } | { alias: string; version?: undefined };

export type FetchOptions = VersionRef & {
  name: string;
  /**
   * Directory to write the files into (created if needed); existing files are replaced. The version
   * is written into a staging folder beside it first and moved in once whole.
   */
  out: string;
  onProgress?: ProgressCallback;
};

export interface FetchResult {
  manifest: Manifest;
  /** The deprecation of the version fetched, when it is deprecated (the store's `warn` hears it too). */
  deprecated?: LifecycleEntry;
  /** Absolute paths of the files written, in manifest order. */
  written: string[];
  bytes: number;
}

export interface PromoteOptions {
  name: string;
  alias: string;
  version: string;
  /**
   * Compare-and-swap: the version the caller believes the alias points to now (null: unset). When it
   * points elsewhere the move is refused and nothing changes.
   */
  expectedVersion?: string | null;
  provenance?: Provenance;
  /** Move it even to a deprecated version (refused otherwise). */
  force?: boolean;
}

export interface RollbackOptions {
  name: string;
  alias: string;
  /** Refuse unless the alias still points to this version (see PromoteOptions.expectedVersion). */
  expectedVersion?: string;
  provenance?: Provenance;
}

export interface DeprecateOptions {
  name: string;
  version: string;
  /** Required to deprecate: fetch, deploy and promote show it. */
  reason?: string;
  /** Lift the deprecation instead. */
  undo?: boolean;
  provenance?: Provenance;
}

export interface DeleteOptions {
  name: string;
  version: string;
  /** Delete even a version an alias points to, or that a rollback of an alias would return to. */
  force?: boolean;
  provenance?: Provenance;
}

export interface RetainOptions {
  name: string;
  /** How many of the newest versions to keep; versions aliases need are kept besides. */
  keep: number;
  /** Only say what would be deleted. */
  dryRun?: boolean;
  provenance?: Provenance;
}

export interface RetainResult {
  /** Versions deleted (or, with dryRun, that would be), lowest first. */
  removed: string[];
  kept: string[];
  /** Versions kept only because aliases need them, with why. */
  needed: { version: string; why: string[] }[];
  /** Bytes freed now (on folder and S3 stores blobs are freed by gc, as versions share them). */
  bytes: number;
}

export interface GcResult {
  removed: Garbage[];
  bytes: number;
}

/** Content younger than this is never collected: it may belong to a publish still in progress. */
export const GC_MIN_AGE_MS = 60 * 60 * 1000;
/** Attempts at appending to the lifecycle log when other runs append at the same moment. */
const LIFECYCLE_ATTEMPTS = 5;

export interface StoreOptions {
  /** Directory that relative publish inputs are resolved against. */
  cwd: string;
  /** Milliseconds since the epoch: stamps manifests and alias entries, paces progress reports. */
  now: () => number;
  progressIntervalMs?: number;
  /** Interrupts hashing, uploads and downloads (see OpenStoreOptions.signal). */
  signal?: AbortSignal;
  /** Hears warnings, such as entries of the store that are not versions. */
  warn?: (message: string) => void;
}

/** Only the provenance fields, whatever else the caller's object carries. */
function pickProvenance(provenance: Provenance | undefined): Provenance {
  const picked: Provenance = {};
  for (const key of ['gitSha', 'gitRef', 'runUrl', 'actor'] as const) {
    const value = provenance?.[key];
    if (typeof value === 'string' && value !== '') picked[key] = value;
  }
  return picked;
}

/**
 * Versioned model artifacts on a backend: publish, fetch, list, show, aliases (promote, rollback).
 * All the rules live here; backends only store bytes and create records that are never overwritten.
 */
export class ArtifactStore {
  constructor(
    private readonly backend: Backend,
    private readonly options: StoreOptions,
  ) {}

  /** The store's URI. */
  get uri(): string {
    return this.backend.uri;
  }

  private time(): string {
    return new Date(this.options.now()).toISOString();
  }

  private throttle(onProgress: ProgressCallback | undefined) {
    return createProgressThrottle(onProgress, this.options.now, this.options.progressIntervalMs);
  }

  /** Versions of a model, lowest first by semantic-version precedence. */
  async listVersions(name: string): Promise<string[]> {
    return sortVersions(await this.versionsOf(validateName(name)));
  }

  /**
   * The versions a backend lists, without entries that are not versions (`1.0.0.bak`, `latest`
   * left in a versions folder by hand): those are skipped with one warning naming them.
   */
  private async versionsOf(name: string): Promise<string[]> {
    const listed = await this.backend.listVersions(name);
    const versions = listed.filter((entry) => semver.valid(entry) === entry);
    const strays = listed.filter((entry) => !versions.includes(entry));
    if (strays.length > 0) {
      this.options.warn?.(
        `${this.uri} holds entries among the versions of ${name} that are not versions, skipped: ` +
          `${strays.map((entry) => JSON.stringify(entry)).join(', ')}. Move them out of the store.`,
      );
    }
    return versions;
  }

  /** The manifest of one version; a UserError naming the versions there are when it does not exist. */
  async show(name: string, version: string): Promise<Manifest> {
    const model = validateName(name);
    const wanted = normalizeVersion(version);
    const manifest = await this.backend.readManifest(model, wanted);
    if (!manifest) {
      const versions = await this.listVersions(model);
      const there = versions.length > 0 ? `versions there: ${versions.join(', ')}` : 'it has no versions';
      throw new UserError(`${this.uri} has no version ${wanted} of ${model} (${there}).`);
    }
    if (manifest.name !== model || manifest.version !== wanted) {
      throw new UserError(
        `The manifest stored for ${model} ${wanted} in ${this.uri} describes ${manifest.name} ${manifest.version}.`,
      );
    }
    return manifest;
  }

  /** The version a reference names: the version itself (checked to exist) or an alias's current one. */
  async resolve(name: string, ref: VersionRef): Promise<string> {
    if ((ref.alias === undefined) === (ref.version === undefined)) {
      throw new UserError(
        `Name either a version or an alias of ${name}, not ${ref.alias === undefined ? 'neither' : 'both'}.`,
      );
    }
    if (ref.alias === undefined) return (await this.show(name, ref.version)).version;
    const alias = validateAlias(ref.alias);
    const head = (await this.aliasHistory(name, alias)).at(-1);
    if (!head)
      throw new UserError(`Alias ${alias} of ${name} is not set in ${this.uri}; promote a version first.`);
    return head.version;
  }

  /** The manifest a reference names (see resolve); a version's manifest is read once, not twice. */
  async manifestOf(name: string, ref: VersionRef): Promise<Manifest> {
    const given = ref.alias === undefined ? ref.version : undefined;
    return this.show(name, given ?? (await this.resolve(name, ref)));
  }

  async publish(options: PublishOptions): Promise<PublishResult> {
    const name = validateName(options.name);
    const existing = await this.versionsOf(name);
    const deleted = await this.deletedVersions(name);
    const version = this.chooseVersion(options, [...existing, ...deleted]);
    if (existing.includes(version)) {
      throw new UserError(
        `${name} ${version} already exists in ${this.uri}; versions are immutable, so publish a new version.`,
      );
    }
    if (deleted.includes(version)) {
      throw new UserError(
        `${name} ${version} was deleted from ${this.uri}; a version number is never reused, so publish a new version.`,
      );
    }
    const parent = this.chooseParent(options.parent, version, existing);
    const cwd = this.options.cwd;
    const local = await resolveLocalFiles(options.files, cwd);
    // Everything that can be refused is read before the first byte is hashed or sent.
    const metrics = options.metricsFile ? await readMetrics(options.metricsFile, cwd) : undefined;
    const params = options.paramsFile ? await readParams(options.paramsFile, cwd) : undefined;
    const data = [];
    for (const path of options.data ?? []) data.push(await fingerprintData(path, cwd));
    const progress = this.throttle(options.onProgress);
    const files: HashedFile[] = [];
    for (const file of local) {
      const digest = await hashFile(file.source, progress.track(file.path, 'hash', file.size), {
        signal: this.options.signal,
      });
      files.push({ ...file, sha256: digest.sha256 });
    }
    const manifest: Manifest = {
      manifestVersion: 1,
      name,
      version,
      createdAt: this.time(),
      files: files.map(({ path, size, sha256 }) => ({ path, size, sha256 })),
      ...(metrics ? { metrics } : {}),
      ...(params ? { params } : {}),
      ...(data.length > 0 ? { data } : {}),
      ...(parent ? { parent } : {}),
      ...pickProvenance(options.provenance),
    };
    const outcome = await this.backend.publish(manifest, files, (file) =>
      progress.track(file.path, 'upload', file.size),
    );
    if (!outcome.committed) {
      throw new UserError(
        `${name} ${version} was published to ${this.uri} by another run while this one uploaded; ` +
          'versions are immutable, so this publish changed nothing. Publish a new version.',
      );
    }
    const { committed: _, ...result } = outcome;
    return result;
  }

  private chooseVersion(options: PublishOptions, existing: string[]): string {
    if (options.version !== undefined && options.bump !== undefined) {
      throw new UserError('Give either a version or a bump (major, minor, patch), not both.');
    }
    if (options.version !== undefined) return normalizeVersion(options.version);
    if (options.bump === 'major' || options.bump === 'minor' || options.bump === 'patch') {
      return nextVersion(existing, options.bump);
    }
    if (options.bump !== undefined) {
      throw new UserError(`Invalid bump ${JSON.stringify(options.bump)}: use major, minor or patch.`);
    }
    throw new UserError('Give a version to publish (e.g. 1.2.0) or a bump (major, minor, patch).');
  }

  private chooseParent(given: string | undefined, version: string, existing: string[]): string | undefined {
    if (given === undefined) return latestVersion(existing.filter((v) => semver.lt(v, version)));
    const parent = normalizeVersion(given);
    if (!existing.includes(parent)) {
      throw new UserError(`The parent version ${parent} does not exist in ${this.uri}.`);
    }
    return parent;
  }

  /**
   * Downloads every file of a version into a staging folder beside `out`, verifying each one's size
   * and sha256 while it streams, then moves them into `out`. A corrupt or truncated file, a path
   * blocked in `out` or an interrupt fails the fetch naming the cause and leaves `out` as it was.
   */
  async fetch(options: FetchOptions): Promise<FetchResult> {
    const name = validateName(options.name);
    const manifest = await this.manifestOf(name, options);
    const version = manifest.version;
    const deprecated = await this.deprecation(name, version);
    if (deprecated) this.options.warn?.(deprecationNotice(name, deprecated));
    const progress = this.throttle(options.onProgress);
    const staging = await createStaging(options.out);
    const staged: StagedDownload[] = [];
    try {
      for (const entry of manifest.files) {
        const source = await this.backend.openFile(manifest, entry);
        const counter = progress.track(entry.path, 'download', entry.size);
        staged.push(
          await downloadVerified(entry, source, staging, counter, `${name} ${version}`, this.options.signal),
        );
      }
      this.options.signal?.throwIfAborted();
      await commitDownloads(staged, staging);
    } finally {
      await removeStaging(staging);
    }
    return {
      manifest,
      ...(deprecated ? { deprecated } : {}),
      written: staged.map((file) => file.target),
      bytes: manifest.files.reduce((sum: number, file: FileEntry) => sum + file.size, 0),
    };
  }

  /** Aliases of a model with their current versions, by alias name. */
  async listAliases(name: string): Promise<AliasState[]> {
    const model = validateName(name);
    const states: AliasState[] = [];
    for (const alias of await this.backend.listAliases(model)) {
      const entry = (await this.backend.readAliasHistory(model, alias)).at(-1);
      if (entry) states.push({ alias, version: entry.version, entry });
    }
    return states;
  }

  /** Every move of an alias, oldest first (empty when it was never set). */
  async aliasHistory(name: string, alias: string): Promise<AliasEntry[]> {
    return this.backend.readAliasHistory(validateName(name), validateAlias(alias));
  }

  /**
   * Points an alias at a version. The move is a compare-and-swap on the alias's history: if another
   * move lands between reading the alias and writing it, or the alias no longer points to
   * `expectedVersion`, it is refused with a UserError and the alias is left as the other move set it.
   */
  async promote(options: PromoteOptions): Promise<AliasEntry> {
    const expected =
      options.expectedVersion === undefined || options.expectedVersion === null
        ? options.expectedVersion
        : normalizeVersion(options.expectedVersion);
    const deprecated = await this.deprecation(options.name, options.version);
    if (deprecated && !options.force) {
      throw new UserError(
        `${deprecationNotice(options.name, deprecated)} Alias ${options.alias} was not moved; ` +
          'promote it with --force (the input `force`) if it must be, or undeprecate it first.',
      );
    }
    return this.move(options.name, options.alias, options.version, 'promote', expected, options.provenance);
  }

  /** The version a rollback of the alias would move it to (see rollbackTarget), if any. */
  async rollbackTarget(name: string, alias: string): Promise<string | undefined> {
    return rollbackTarget(await this.aliasHistory(name, alias));
  }

  /** Moves an alias back to the version before its current one in its history (see rollbackTarget). */
  async rollback(options: RollbackOptions): Promise<AliasEntry> {
    const history = await this.aliasHistory(options.name, options.alias);
    const target = rollbackTarget(history);
    if (target === undefined) {
      throw new UserError(
        `Alias ${options.alias} of ${options.name} has no earlier version to roll back to in ${this.uri}.`,
      );
    }
    const current = history.at(-1)!.version;
    if (options.expectedVersion !== undefined && normalizeVersion(options.expectedVersion) !== current) {
      throw new UserError(
        `Alias ${options.alias} of ${options.name} now points to ${current}, not ${options.expectedVersion}; ` +
          'it changed since it was read, so it was not rolled back.',
      );
    }
    return this.move(options.name, options.alias, target, 'rollback', current, options.provenance);
  }

  private async move(
    name: string,
    aliasName: string,
    versionText: string,
    action: AliasEntry['action'],
    expected: string | null | undefined,
    provenance: Provenance | undefined,
  ): Promise<AliasEntry> {
    const model = validateName(name);
    const alias = validateAlias(aliasName);
    const version = (await this.show(model, versionText)).version;
    const head = (await this.backend.readAliasHistory(model, alias)).at(-1);
    const current = head?.version ?? null;
    if (expected !== undefined && expected !== current) {
      throw new UserError(
        `Alias ${alias} of ${model} points to ${current ?? 'nothing'}, not ${expected ?? 'nothing'}; ` +
          'it changed since it was read, so it was not moved.',
      );
    }
    const entry: AliasEntry = {
      alias,
      seq: (head?.seq ?? 0) + 1,
      version,
      previous: current,
      time: this.time(),
      action,
      ...pickProvenance(provenance),
    };
    if (!(await this.backend.appendAliasEntry(model, entry))) {
      const now = (await this.backend.readAliasHistory(model, alias)).at(-1);
      throw new UserError(
        `Alias ${alias} of ${model} was moved by another run (to ${now?.version ?? 'an unknown version'}) ` +
          'while this one moved it; this move was not applied.',
      );
    }
    return entry;
  }

  /** The model's lifecycle log, oldest first. */
  async lifecycle(name: string): Promise<LifecycleEntry[]> {
    return this.backend.readLifecycle(validateName(name));
  }

  /** The deprecation of a version while it is deprecated; undefined otherwise. */
  async deprecation(name: string, version: string): Promise<LifecycleEntry | undefined> {
    const entry = lifecycleState(await this.lifecycle(name)).get(normalizeVersion(version));
    return entry?.action === 'deprecate' ? entry : undefined;
  }

  /** Versions of the model that were deleted; their numbers are never published again. */
  private async deletedVersions(name: string): Promise<string[]> {
    return [...lifecycleState(await this.backend.readLifecycle(name)).values()]
      .filter((entry) => entry.action === 'delete')
      .map((entry) => entry.version);
  }

  /**
   * Appends to the lifecycle log: entry n+1 is created only if absent, so when another run appended
   * at the same moment the log is read again and the change appended after theirs.
   */
  private async record(
    name: string,
    change: Pick<LifecycleEntry, 'version' | 'action' | 'reason'>,
    provenance: Provenance | undefined,
  ): Promise<LifecycleEntry> {
    for (let attempt = 1; attempt <= LIFECYCLE_ATTEMPTS; attempt += 1) {
      const last = (await this.backend.readLifecycle(name)).at(-1);
      const entry: LifecycleEntry = {
        seq: (last?.seq ?? 0) + 1,
        version: change.version,
        action: change.action,
        ...(change.reason !== undefined ? { reason: change.reason } : {}),
        time: this.time(),
        ...pickProvenance(provenance),
      };
      if (await this.backend.appendLifecycleEntry(name, entry)) return entry;
    }
    throw new UserError(
      `Other runs kept changing the lifecycle of ${name} in ${this.uri} through ${LIFECYCLE_ATTEMPTS} attempts; try again.`,
    );
  }

  /**
   * Marks a version deprecated with a reason (or, with `undo`, lifts that): fetch and deploy then warn,
   * and promote refuses it without `force`. Its files stay; nothing else changes.
   */
  async deprecate(options: DeprecateOptions): Promise<LifecycleEntry> {
    const name = validateName(options.name);
    const reason = options.undo ? undefined : validateReason(options.reason);
    const { version } = await this.show(name, options.version);
    const deprecated = await this.deprecation(name, version);
    if (options.undo && !deprecated) throw new UserError(`${name} ${version} is not deprecated.`);
    return this.record(
      name,
      { version, action: options.undo ? 'undeprecate' : 'deprecate', ...(reason ? { reason } : {}) },
      options.provenance,
    );
  }

  /** Versions that aliases of the model need (see aliasedVersions). */
  private async neededByAliases(name: string): Promise<Map<string, string[]>> {
    const histories = new Map<string, AliasEntry[]>();
    for (const alias of await this.backend.listAliases(name)) {
      histories.set(alias, await this.backend.readAliasHistory(name, alias));
    }
    return aliasedVersions(histories);
  }

  /**
   * Deletes a version: a tombstone in the lifecycle log first (so its number is never published
   * again, even if the deletion is interrupted; running it again finishes it), then the version.
   * Refused, unless `force`, for a version an alias points to or that a rollback would return to.
   * Resolves to the bytes freed now (folder and S3 stores free shared blobs through gc).
   */
  async deleteVersion(options: DeleteOptions): Promise<{ version: string; bytes: number }> {
    const name = validateName(options.name);
    const { version } = await this.show(name, options.version);
    const why = (await this.neededByAliases(name)).get(version);
    if (why && !options.force) {
      throw new UserError(
        `${name} ${version} was not deleted: ${why.join('; ')}. Move the alias first, or pass --force ` +
          '(the input `force`) to delete it anyway.',
      );
    }
    await this.record(name, { version, action: 'delete' }, options.provenance);
    return { version, bytes: await this.backend.deleteVersion(name, version) };
  }

  /**
   * Keeps the `keep` newest versions (by semantic-version precedence) and deletes the others, except
   * those an alias points to or would roll back to; `dryRun` only says which would go.
   */
  async retain(options: RetainOptions): Promise<RetainResult> {
    const name = validateName(options.name);
    const needed = await this.neededByAliases(name);
    const plan = retentionPlan(await this.listVersions(name), options.keep, needed);
    let bytes = 0;
    if (!options.dryRun) {
      for (const version of plan.remove) {
        await this.record(name, { version, action: 'delete' }, options.provenance);
        bytes += await this.backend.deleteVersion(name, version);
      }
    }
    const newest = new Set(sortVersions(plan.kept).slice(-options.keep));
    return {
      removed: plan.remove,
      kept: plan.kept,
      needed: plan.kept
        .filter((v) => !newest.has(v) && needed.has(v))
        .map((v) => ({ version: v, why: needed.get(v)! })),
      bytes,
    };
  }

  /**
   * Removes stored content that no version references (the blobs of deleted versions, unfinished
   * publishes) and that is at least GC_MIN_AGE_MS old, so a publish running beside it keeps its
   * files; `dryRun` only lists it.
   */
  async gc(options: { dryRun?: boolean } = {}): Promise<GcResult> {
    const removed = await this.backend.collectGarbage(
      this.options.now() - GC_MIN_AGE_MS,
      options.dryRun === true,
    );
    return { removed, bytes: removed.reduce((sum, g) => sum + g.bytes, 0) };
  }
}
