import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { explainingErrors, UserError } from '@mlactions/core';
import semver from 'semver';
import { type AliasEntry, parseAliasEntry } from './alias.ts';
import type { Backend, Garbage, HashedFile, PublishOutcome } from './backend.ts';
import { hashFile } from './hash.ts';
import { type LifecycleEntry, parseLifecycleEntry } from './lifecycle.ts';
import { assertUnchanged } from './local-files.ts';
import { inLogOrder, serializeLogEntry } from './log-entry.ts';
import { type FileEntry, type Manifest, parseManifest, serializeManifest } from './manifest.ts';
import type { ByteCounter } from './progress.ts';
import { countingStream } from './streams.ts';

/**
 * The one method of an Octokit this backend uses (Octokit's `request`, typed structurally so any
 * Octokit — @actions/github's getOctokit, the octokit package — fits). Errors carry an HTTP `status`.
 */
export interface ReleaseClient {
  request(route: string, parameters?: Record<string, unknown>): Promise<{ status: number; data: unknown }>;
}

/** GitHub refuses release assets of 2 GiB or more; parts stay a little below. */
export const DEFAULT_ASSET_PART_SIZE = 2 * 1024 ** 3 - 16 * 1024 ** 2;
/** GitHub's limit on assets per release. */
export const MAX_RELEASE_ASSETS = 1000;
/** The asset holding a version's manifest; its upload commits the version. */
export const MANIFEST_ASSET = 'mlactions.manifest.json';

/** A version's release tag, in GTO's form. */
export const versionTag = (name: string, version: string) => `${name}@v${version}`;
/** The release whose assets are a model's alias entries. */
export const aliasesTag = (name: string) => `${name}@aliases`;
/** The release whose assets are a model's lifecycle log (deprecations, deletions). */
export const lifecycleTag = (name: string) => `${name}@lifecycle`;
const lifecycleAsset = (seq: number) => `lifecycle.${String(seq).padStart(10, '0')}.json`;
const LIFECYCLE_ASSET = /^lifecycle\.\d{10}\.json$/;
/** A version's release tag: `<name>@v<version>`. */
const VERSION_TAG = /^([A-Za-z0-9][A-Za-z0-9._-]*)@v(.+)$/;
const aliasAsset = (alias: string, seq: number) => `${alias}.${String(seq).padStart(10, '0')}.json`;
const ALIAS_ASSET = /^(.+)\.(\d{10})\.json$/;

interface Release {
  id: number;
  tag_name: string;
  upload_url: string;
  draft?: boolean;
  created_at?: string;
  assets?: Asset[];
}

interface Asset {
  id: number;
  name: string;
  size: number;
  state?: string;
  digest?: string | null;
  created_at?: string;
  updated_at?: string;
}

const statusOf = (error: unknown) => (error as { status?: number }).status;

/**
 * Release asset names for a version's files, in file order: the path with every character GitHub
 * would rename replaced by `_` (`/` becomes `__`), made unique, with `.partNNN` suffixes for files
 * larger than `partSize`. Deterministic, so a retried publish finds the assets of the first attempt.
 */
export function assetNames(files: { path: string; size: number }[], partSize: number): string[][] {
  const taken = new Set([MANIFEST_ASSET]);
  return files.map((file) => {
    let base = file.path.replaceAll('/', '__').replace(/[^A-Za-z0-9._-]/g, '_');
    if (base.startsWith('.')) base = `_${base}`;
    if (base.endsWith('.')) base = `${base}_`;
    let unique = base;
    for (let n = 2; taken.has(unique); n += 1) unique = `${n}-${base}`;
    taken.add(unique);
    const parts = Math.max(1, Math.ceil(file.size / partSize));
    if (parts === 1) return [unique];
    const width = Math.max(3, String(parts).length);
    return Array.from({ length: parts }, (_, i) => `${unique}.part${String(i + 1).padStart(width, '0')}`);
  });
}

export interface ReleaseBackendSettings {
  client: ReleaseClient;
  owner: string;
  repo: string;
  uri: string;
  partSize?: number;
  /** Stops an upload when aborted (an interrupted publish); no manifest is uploaded after it fires. */
  signal?: AbortSignal | undefined;
}

/**
 * Versions as GitHub releases: one release per version, tagged `<name>@v<version>` (GTO's form),
 * holding each file as an asset (files of 2 GiB or more as parts, joined on fetch) and the manifest
 * as the asset `mlactions.manifest.json`. Each release is self-contained, so any version can be
 * downloaded from the releases page alone; the flip side is that unchanged files are uploaded again
 * for each version (the folder and S3 stores deduplicate).
 *
 * Atomicity and concurrency. The manifest asset is uploaded last; a release without it is not a
 * version (listing and fetch ignore it). GitHub refuses a second asset of one name in a release, so
 * the manifest upload is the commit point: of two publishers of one version exactly one uploads it,
 * the other is told the version exists. Creating the release (which creates the tag) is refused for a
 * tag that already has one; a publisher that meets an existing release without a manifest (an
 * interrupted attempt, or a concurrent one) continues in it: assets already there are kept when their
 * size and GitHub's sha256 digest match (size alone where GitHub gives no digest), and a mismatch
 * stops the publish rather than mixing two publishes' files.
 *
 * Aliases live in one release per model, tagged `<name>@aliases`: each move is an asset
 * `<alias>.<seq>.json`, created only if absent (the same arbiter), so a release holds up to 1,000 moves.
 */
export class ReleaseBackend implements Backend {
  readonly uri: string;
  private readonly client: ReleaseClient;
  private readonly owner: string;
  private readonly repo: string;
  private readonly partSize: number;
  private readonly signal: AbortSignal | undefined;
  /** Assets of published versions never change, so their listings are kept. */
  private readonly versionAssets = new Map<string, Promise<Map<string, Asset>>>();

  constructor(settings: ReleaseBackendSettings) {
    this.client = settings.client;
    this.owner = settings.owner;
    this.repo = settings.repo;
    this.uri = settings.uri;
    this.partSize = settings.partSize ?? DEFAULT_ASSET_PART_SIZE;
    this.signal = settings.signal;
  }

  /** Runs one API call, turning errors a user can fix into UserErrors naming what was being done. */
  private call<T>(what: string, run: () => Promise<T>): Promise<T> {
    return explainingErrors(run, (error) => {
      const status = statusOf(error);
      if (status === 401)
        return new UserError(
          `GitHub refused the token while ${what} in ${this.uri}; check that it is valid.`,
        );
      if (status === 403)
        return new UserError(
          `GitHub denied ${what} in ${this.uri}: the token needs "contents: write" on ${this.owner}/${this.repo}.`,
        );
      return error;
    });
  }

  private repoParams() {
    return { owner: this.owner, repo: this.repo };
  }

  private async releaseByTag(tag: string): Promise<Release | undefined> {
    return this.call(`reading release ${tag}`, async () => {
      try {
        const response = await this.client.request('GET /repos/{owner}/{repo}/releases/tags/{tag}', {
          ...this.repoParams(),
          tag,
        });
        return response.data as Release;
      } catch (error) {
        if (statusOf(error) === 404) return undefined;
        throw error;
      }
    });
  }

  /** The release for a tag, created when missing (a concurrent creation is joined). */
  private async ensureRelease(tag: string, fields: Record<string, unknown>): Promise<Release> {
    const existing = await this.releaseByTag(tag);
    if (existing) return existing;
    return this.call(`creating release ${tag}`, async () => {
      try {
        const response = await this.client.request('POST /repos/{owner}/{repo}/releases', {
          ...this.repoParams(),
          tag_name: tag,
          ...fields,
        });
        return response.data as Release;
      } catch (error) {
        if (statusOf(error) !== 422) throw error;
        const created = await this.releaseByTag(tag);
        if (!created) throw error;
        return created;
      }
    });
  }

  private async listAssets(release: Release): Promise<Asset[]> {
    return this.call(`listing the assets of ${release.tag_name}`, async () => {
      const assets: Asset[] = [];
      for (let page = 1; ; page += 1) {
        const response = await this.client.request('GET /repos/{owner}/{repo}/releases/{release_id}/assets', {
          ...this.repoParams(),
          release_id: release.id,
          per_page: 100,
          page,
        });
        const batch = response.data as Asset[];
        assets.push(...batch);
        if (batch.length < 100) return assets;
      }
    });
  }

  private async listReleases(): Promise<Release[]> {
    return this.call('listing releases', async () => {
      const releases: Release[] = [];
      for (let page = 1; ; page += 1) {
        const response = await this.client.request('GET /repos/{owner}/{repo}/releases', {
          ...this.repoParams(),
          per_page: 100,
          page,
        });
        const batch = response.data as Release[];
        releases.push(...batch);
        if (batch.length < 100) return releases;
      }
    });
  }

  /** Uploads an asset; false when the release has an asset of that name already. */
  private async upload(
    release: Release,
    name: string,
    body: Readable | Buffer,
    size: number,
    contentType: string,
  ): Promise<boolean> {
    return this.call(`uploading ${name} to ${release.tag_name}`, async () => {
      try {
        await this.client.request(`POST ${release.upload_url}`, {
          name,
          data: body,
          // A stream's length must be given (GitHub requires it); a buffer's is set by fetch itself.
          headers: {
            'content-type': contentType,
            ...(body instanceof Readable ? { 'content-length': String(size) } : {}),
          },
          // A streamed body cannot be sent twice: a failed upload fails the publish, which a retry resumes.
          request: { retries: 0, ...(this.signal ? { signal: this.signal } : {}) },
        });
        return true;
      } catch (error) {
        // GitHub answers 422 for a taken name, but also for other refusals: tell them apart.
        if (
          statusOf(error) === 422 &&
          (await this.listAssets(release)).some((asset) => asset.name === name)
        ) {
          return false;
        }
        throw error;
      }
    });
  }

  private async download(assetId: number, what: string): Promise<Readable> {
    return this.call(`downloading ${what}`, async () => {
      const response = await this.client.request('GET /repos/{owner}/{repo}/releases/assets/{asset_id}', {
        ...this.repoParams(),
        asset_id: assetId,
        headers: { accept: 'application/octet-stream' },
        request: { parseSuccessResponseBody: false },
      });
      return Readable.fromWeb(response.data as WebReadableStream);
    });
  }

  private async downloadText(assetId: number, what: string): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of await this.download(assetId, what)) chunks.push(Buffer.from(chunk));
    return Buffer.concat(chunks).toString('utf8');
  }

  async listVersions(name: string): Promise<string[]> {
    const prefix = `${name}@v`;
    return (await this.listReleases())
      .filter((release) => !release.draft && release.tag_name.startsWith(prefix))
      .filter((release) => release.assets?.some((asset) => asset.name === MANIFEST_ASSET))
      .map((release) => release.tag_name.slice(prefix.length))
      .filter((version) => semver.valid(version) === version);
  }

  private async manifestOf(release: Release, assets: Asset[]): Promise<Manifest | undefined> {
    const asset = assets.find((a) => a.name === MANIFEST_ASSET);
    if (!asset) return undefined;
    const where = `${this.uri} ${release.tag_name} ${MANIFEST_ASSET}`;
    return parseManifest(await this.downloadText(asset.id, where), where);
  }

  async readManifest(name: string, version: string): Promise<Manifest | undefined> {
    const release = await this.releaseByTag(versionTag(name, version));
    return release ? this.manifestOf(release, await this.listAssets(release)) : undefined;
  }

  async publish(
    manifest: Manifest,
    files: HashedFile[],
    track: (file: HashedFile) => ByteCounter,
  ): Promise<PublishOutcome> {
    const tag = versionTag(manifest.name, manifest.version);
    const names = assetNames(files, this.partSize);
    const needed = names.reduce((sum, parts) => sum + parts.length, 1);
    if (needed > MAX_RELEASE_ASSETS) {
      throw new UserError(
        `${manifest.name} ${manifest.version} needs ${needed} release assets (files, parts of files over ` +
          `${this.partSize} bytes, the manifest); a GitHub release holds at most ${MAX_RELEASE_ASSETS}. ` +
          'Publish an archive of the files instead, or use an S3 or folder store.',
      );
    }
    const release = await this.ensureRelease(tag, {
      name: `${manifest.name} ${manifest.version}`,
      body:
        `Model ${manifest.name}, version ${manifest.version}, published by mlactions. ` +
        `The asset ${MANIFEST_ASSET} lists every file with its size and sha256; a release without it is incomplete.`,
      ...(manifest.gitSha ? { target_commitish: manifest.gitSha } : {}),
      // A model version must not take the repository's "Latest release" badge from its software.
      make_latest: 'false',
    });
    const existing = new Map((await this.listAssets(release)).map((asset) => [asset.name, asset]));
    if (existing.has(MANIFEST_ASSET)) {
      return {
        committed: false,
        manifest,
        uploadedBytes: 0,
        skippedBytes: 0,
        uploadedFiles: 0,
        skippedFiles: 0,
      };
    }
    const foreign = [...existing.keys()].filter((name) => !names.flat().includes(name)).length;
    if (needed + foreign > MAX_RELEASE_ASSETS) {
      throw new UserError(
        `Release ${tag} in ${this.uri} already holds ${foreign} other assets; with this version's ${needed} it ` +
          `would pass GitHub's limit of ${MAX_RELEASE_ASSETS}. Remove the other assets or publish fewer files.`,
      );
    }
    const totals = { uploadedBytes: 0, skippedBytes: 0, uploadedFiles: 0, skippedFiles: 0 };
    const stored: FileEntry[] = [];
    for (const [index, file] of files.entries()) {
      const parts = names[index]!;
      const counter = track(file);
      let uploaded = 0;
      let sentAny = false;
      for (const [part, assetName] of parts.entries()) {
        const start = part * this.partSize;
        const end = Math.min(file.size, start + this.partSize);
        const kept = existing.get(assetName);
        if (kept) {
          if (!(await this.sameContent(kept, file, start, end))) throw this.mixedPublish(manifest, assetName);
          continue;
        }
        const body =
          end > start
            ? createReadStream(file.source, { start, end: end - 1, highWaterMark: 1 << 20 }).pipe(
                countingStream(counter),
              )
            : Buffer.alloc(0);
        const sent = await this.upload(release, assetName, body, end - start, 'application/octet-stream');
        if (!sent) {
          // Another publisher uploaded this asset since the listing; keep it only if it is the same.
          const now = (await this.listAssets(release)).find((asset) => asset.name === assetName);
          if (!now || !(await this.sameContent(now, file, start, end)))
            throw this.mixedPublish(manifest, assetName);
          continue;
        }
        uploaded += end - start;
        sentAny = true;
      }
      await assertUnchanged(file);
      totals.uploadedBytes += uploaded;
      totals.skippedBytes += file.size - uploaded;
      if (sentAny) totals.uploadedFiles += 1;
      else totals.skippedFiles += 1;
      stored.push({ path: file.path, size: file.size, sha256: file.sha256, assets: parts });
    }
    const final: Manifest = { ...manifest, files: stored };
    this.signal?.throwIfAborted();
    const text = Buffer.from(serializeManifest(final));
    const committed = await this.upload(release, MANIFEST_ASSET, text, text.length, 'application/json');
    return { ...totals, committed, manifest: final };
  }

  /**
   * Whether an asset already in the release holds bytes [start, end) of the file: finished, of the
   * same size and, where GitHub reports a sha256 digest, of the same digest.
   */
  private async sameContent(asset: Asset, file: HashedFile, start: number, end: number): Promise<boolean> {
    if ((asset.state !== undefined && asset.state !== 'uploaded') || asset.size !== end - start) return false;
    if (!asset.digest?.startsWith('sha256:')) return true;
    const sha256 =
      start === 0 && end === file.size
        ? file.sha256
        : (await hashFile(file.source, () => {}, { range: { start, end } })).sha256;
    return asset.digest === `sha256:${sha256}`;
  }

  /** The refusal when a release holds another publish's asset: the two are never mixed. */
  private mixedPublish(manifest: Manifest, assetName: string): UserError {
    const tag = versionTag(manifest.name, manifest.version);
    return new UserError(
      `${manifest.name} ${manifest.version} is being published by another run, or an earlier attempt was ` +
        `interrupted, with other files: release ${tag} in ${this.uri} holds an asset ${assetName} that differs ` +
        `or is unfinished. If no other publish is running, delete the release ${tag} and publish again.`,
    );
  }

  private assetsOfVersion(manifest: Manifest): Promise<Map<string, Asset>> {
    const tag = versionTag(manifest.name, manifest.version);
    let assets = this.versionAssets.get(tag);
    if (!assets) {
      assets = (async () => {
        const release = await this.releaseByTag(tag);
        if (!release) throw new UserError(`The release ${tag} is missing from ${this.uri}.`);
        return new Map((await this.listAssets(release)).map((asset) => [asset.name, asset]));
      })();
      this.versionAssets.set(tag, assets);
      assets.catch(() => this.versionAssets.delete(tag));
    }
    return assets;
  }

  async openFile(manifest: Manifest, file: FileEntry): Promise<Readable> {
    const assets = await this.assetsOfVersion(manifest);
    const ids = (file.assets ?? []).map((name) => {
      const asset = assets.get(name);
      if (!asset) {
        throw new UserError(
          `${file.path} of ${manifest.name} ${manifest.version} is missing from ${this.uri} (asset ${name}).`,
        );
      }
      return asset.id;
    });
    if (ids.length === 0)
      throw new UserError(
        `The manifest of ${manifest.name} ${manifest.version} names no asset for ${file.path}.`,
      );
    const download = (id: number) =>
      this.download(id, `${file.path} of ${manifest.name} ${manifest.version}`);
    if (ids.length === 1) return download(ids[0]!);
    return Readable.from(
      (async function* () {
        for (const id of ids) yield* await download(id);
      })(),
    );
  }

  private async aliasAssets(name: string): Promise<{ release: Release; assets: Asset[] } | undefined> {
    const release = await this.releaseByTag(aliasesTag(name));
    return release ? { release, assets: await this.listAssets(release) } : undefined;
  }

  async listAliases(name: string): Promise<string[]> {
    const found = await this.aliasAssets(name);
    const aliases = new Set<string>();
    for (const asset of found?.assets ?? []) {
      const match = ALIAS_ASSET.exec(asset.name);
      if (match) aliases.add(match[1]!);
    }
    return [...aliases].sort();
  }

  async readAliasHistory(name: string, alias: string): Promise<AliasEntry[]> {
    const found = await this.aliasAssets(name);
    const mine = (found?.assets ?? []).filter((asset) => ALIAS_ASSET.exec(asset.name)?.[1] === alias);
    return this.readLog(aliasesTag(name), mine, parseAliasEntry);
  }

  /** The log entries kept as `assets` of release `tag`, read with `parse`, in the order they were numbered. */
  private readLog<T extends { seq: number }>(
    tag: string,
    assets: readonly Asset[],
    parse: (text: string, where: string) => T,
  ): Promise<T[]> {
    return inLogOrder(
      assets.map(async (asset) => {
        const where = `${this.uri} ${tag} ${asset.name}`;
        return parse(await this.downloadText(asset.id, where), where);
      }),
    );
  }

  async appendAliasEntry(name: string, entry: AliasEntry): Promise<boolean> {
    const release = await this.ensureRelease(aliasesTag(name), {
      name: `${name} aliases`,
      body: `Alias history of model ${name}, kept by mlactions: one asset per move.`,
      make_latest: 'false',
    });
    const count = (await this.listAssets(release)).length;
    if (count >= MAX_RELEASE_ASSETS) {
      throw new UserError(
        `The alias history of ${name} in ${this.uri} (release ${aliasesTag(name)}) is full at ` +
          `${MAX_RELEASE_ASSETS} moves; delete its oldest assets to make room.`,
      );
    }
    const text = Buffer.from(serializeLogEntry(entry));
    return this.upload(release, aliasAsset(entry.alias, entry.seq), text, text.length, 'application/json');
  }

  async readLifecycle(name: string): Promise<LifecycleEntry[]> {
    const release = await this.releaseByTag(lifecycleTag(name));
    const mine = release ? (await this.listAssets(release)).filter((a) => LIFECYCLE_ASSET.test(a.name)) : [];
    return this.readLog(lifecycleTag(name), mine, parseLifecycleEntry);
  }

  async appendLifecycleEntry(name: string, entry: LifecycleEntry): Promise<boolean> {
    const release = await this.ensureRelease(lifecycleTag(name), {
      name: `${name} lifecycle`,
      body: `Deprecations and deletions of model ${name}'s versions, kept by mlactions: one asset per change.`,
      make_latest: 'false',
    });
    const text = Buffer.from(serializeLogEntry(entry));
    return this.upload(release, lifecycleAsset(entry.seq), text, text.length, 'application/json');
  }

  private async deleteRelease(release: Release): Promise<void> {
    await this.call(`deleting release ${release.tag_name}`, () =>
      this.client.request('DELETE /repos/{owner}/{repo}/releases/{release_id}', {
        ...this.repoParams(),
        release_id: release.id,
      }),
    );
  }

  /**
   * The manifest asset goes first (the version is gone at once), then the release with its assets.
   * The git tag stays: GitHub keeps a release's tag when the release is deleted.
   */
  async deleteVersion(name: string, version: string): Promise<number> {
    const tag = versionTag(name, version);
    const release = await this.releaseByTag(tag);
    if (!release) return 0;
    const assets = await this.listAssets(release);
    const manifest = assets.find((a) => a.name === MANIFEST_ASSET);
    if (manifest) {
      await this.call(`deleting ${MANIFEST_ASSET} of ${tag}`, () =>
        this.client.request('DELETE /repos/{owner}/{repo}/releases/assets/{asset_id}', {
          ...this.repoParams(),
          asset_id: manifest.id,
        }),
      );
    }
    await this.deleteRelease(release);
    this.versionAssets.delete(tag);
    return assets.reduce((sum, asset) => sum + asset.size, 0);
  }

  /**
   * A release's files are only its own, so what no manifest references is a version's release
   * without a manifest: an interrupted publish, or one in progress. It is garbage when neither it nor
   * any of its assets changed at or after `cutoff`; its assets are read again just before it is
   * removed, so a publish that carried it on meanwhile keeps it.
   */
  async collectGarbage(cutoff: number, dryRun: boolean): Promise<Garbage[]> {
    const removed: Garbage[] = [];
    const newest = (release: Release, assets: Asset[]) =>
      Math.max(
        Date.parse(release.created_at ?? '') || Number.POSITIVE_INFINITY,
        ...assets.map((a) => Date.parse(a.updated_at ?? a.created_at ?? '') || Number.POSITIVE_INFINITY),
      );
    for (const release of await this.listReleases()) {
      const tag = VERSION_TAG.exec(release.tag_name);
      if (release.draft || !tag || semver.valid(tag[2]) !== tag[2]) continue;
      if (release.assets?.some((a) => a.name === MANIFEST_ASSET)) continue;
      if (newest(release, release.assets ?? []) >= cutoff) continue;
      const assets = await this.listAssets(release);
      if (assets.some((a) => a.name === MANIFEST_ASSET) || newest(release, assets) >= cutoff) continue;
      if (!dryRun) await this.deleteRelease(release);
      removed.push({
        what: `release ${release.tag_name}`,
        bytes: assets.reduce((sum, a) => sum + a.size, 0),
      });
    }
    return removed;
  }
}
