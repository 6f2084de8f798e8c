import { createHash, randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { UserError } from '@mlactions/core';
import { type AliasEntry, parseAliasEntry } from './alias.ts';
import type { Backend, Garbage, HashedFile, PublishOutcome } from './backend.ts';
import { type LifecycleEntry, parseLifecycleEntry } from './lifecycle.ts';
import { assertUnchanged } from './local-files.ts';
import { inLogOrder, serializeLogEntry } from './log-entry.ts';
import { type FileEntry, type Manifest, parseManifest, serializeManifest } from './manifest.ts';
import { type ObjectStore, readText } from './object-store.ts';
import type { ByteCounter } from './progress.ts';

/*
 * Layout inside a folder or an S3 prefix:
 *
 *   blobs/sha256/<hex>                             file contents, addressed by their sha256
 *   models/<name>/versions/<version>.json          a version's manifest (its existence is the version)
 *   models/<name>/aliases/<alias>/<seq>.json       alias entries, seq zero-padded to 10 digits
 *   models/<name>/lifecycle/<seq>.json             deprecations and deletions, seq zero-padded likewise
 *   uses/<sha256>/<id>                             a publish reusing a stored blob marks it (see collectGarbage)
 */

export const blobKey = (sha256: string) => `blobs/sha256/${sha256}`;
const versionsPrefix = (name: string) => `models/${name}/versions/`;
export const manifestKey = (name: string, version: string) => `${versionsPrefix(name)}${version}.json`;
const aliasesPrefix = (name: string) => `models/${name}/aliases/`;
const aliasPrefix = (name: string, alias: string) => `${aliasesPrefix(name)}${alias}/`;
const aliasKey = (name: string, alias: string, seq: number) =>
  `${aliasPrefix(name, alias)}${String(seq).padStart(10, '0')}.json`;
const lifecyclePrefix = (name: string) => `models/${name}/lifecycle/`;
const lifecycleKey = (name: string, seq: number) =>
  `${lifecyclePrefix(name)}${String(seq).padStart(10, '0')}.json`;
const BLOBS = 'blobs/sha256/';
const USES = 'uses/';
const MANIFEST_KEY = /^models\/[^/]+\/versions\/[^/]+\.json$/;

/** Versions, aliases and content-addressed blobs on any ObjectStore (a folder, an S3 prefix). */
export class ObjectBackend implements Backend {
  /** `signal`: an interrupted publish stops before its version is committed. */
  constructor(
    private readonly objects: ObjectStore,
    private readonly signal?: AbortSignal,
  ) {}

  get uri() {
    return this.objects.uri;
  }

  async listVersions(name: string): Promise<string[]> {
    const prefix = versionsPrefix(name);
    return (await this.objects.list(prefix))
      .map((key) => key.slice(prefix.length))
      .filter((rest) => rest.endsWith('.json') && !rest.includes('/'))
      .map((rest) => rest.slice(0, -'.json'.length));
  }

  async readManifest(name: string, version: string): Promise<Manifest | undefined> {
    const key = manifestKey(name, version);
    const text = await readText(this.objects, key);
    return text === undefined ? undefined : parseManifest(text, `${this.uri} ${key}`);
  }

  async publish(
    manifest: Manifest,
    files: HashedFile[],
    track: (file: HashedFile) => ByteCounter,
  ): Promise<PublishOutcome> {
    const totals = { uploadedBytes: 0, skippedBytes: 0, uploadedFiles: 0, skippedFiles: 0 };
    for (const file of files) {
      const key = blobKey(file.sha256);
      // Marked before it is checked: a garbage collection running now keeps a blob marked since it looked.
      if ((await this.objects.size(key)) !== undefined) await this.markUse(file.sha256);
      // A blob whose bytes hash to its name is the same content: nothing to send. Any other is a
      // damaged blob, which this upload replaces.
      if (await this.holdsIntact(key, file)) {
        totals.skippedBytes += file.size;
        totals.skippedFiles += 1;
        continue;
      }
      await this.objects.upload(key, file, track(file));
      try {
        await assertUnchanged(file);
      } catch (error) {
        await this.objects.remove(key);
        throw error;
      }
      totals.uploadedBytes += file.size;
      totals.uploadedFiles += 1;
    }
    // A publish that was interrupted is never visible: its version is the last thing written.
    this.signal?.throwIfAborted();
    const committed = await this.objects.createExclusive(
      manifestKey(manifest.name, manifest.version),
      serializeManifest(manifest),
    );
    return { ...totals, committed, manifest };
  }

  /**
   * Whether the blob under `key` holds exactly the file: by the checksum the store keeps with it where
   * it keeps one (nothing is read), else by its size and its sha256, read back in full.
   */
  private async holdsIntact(key: string, file: HashedFile): Promise<boolean> {
    const byChecksum = await this.objects.matchesStoredChecksum?.(key, file);
    if (byChecksum !== undefined) return byChecksum;
    if ((await this.objects.size(key)) !== file.size) return false;
    const stream = await this.objects.read(key);
    if (!stream) return false;
    const hash = createHash('sha256');
    for await (const chunk of stream) {
      this.signal?.throwIfAborted();
      hash.update(chunk);
    }
    return hash.digest('hex') === file.sha256;
  }

  async openFile(manifest: Manifest, file: FileEntry): Promise<Readable> {
    const stream = await this.objects.read(blobKey(file.sha256));
    if (!stream) {
      throw new UserError(
        `${file.path} of ${manifest.name} ${manifest.version} is missing from ${this.uri} (blob ${file.sha256}).`,
      );
    }
    return stream;
  }

  async listAliases(name: string): Promise<string[]> {
    const prefix = aliasesPrefix(name);
    const aliases = new Set<string>();
    for (const key of await this.objects.list(prefix)) {
      const [alias, entry] = key.slice(prefix.length).split('/');
      if (alias && entry?.endsWith('.json')) aliases.add(alias);
    }
    return [...aliases].sort();
  }

  /** The log entries under `prefix`, read with `parse`, in the order they were numbered. */
  private async readLog<T extends { seq: number }>(
    prefix: string,
    parse: (text: string, where: string) => T,
  ): Promise<T[]> {
    const keys = (await this.objects.list(prefix)).filter((key) => key.endsWith('.json'));
    return inLogOrder(
      keys.map(async (key) => {
        const text = await readText(this.objects, key);
        return text === undefined ? undefined : parse(text, `${this.uri} ${key}`);
      }),
    );
  }

  readAliasHistory(name: string, alias: string): Promise<AliasEntry[]> {
    return this.readLog(aliasPrefix(name, alias), parseAliasEntry);
  }

  appendAliasEntry(name: string, entry: AliasEntry): Promise<boolean> {
    return this.objects.createExclusive(aliasKey(name, entry.alias, entry.seq), serializeLogEntry(entry));
  }

  /** Records that a publish reuses a stored blob, so that garbage collection leaves it for an hour. */
  private async markUse(sha256: string): Promise<void> {
    await this.objects.createExclusive(`${USES}${sha256}/${randomUUID()}`, '');
  }

  readLifecycle(name: string): Promise<LifecycleEntry[]> {
    return this.readLog(lifecyclePrefix(name), parseLifecycleEntry);
  }

  appendLifecycleEntry(name: string, entry: LifecycleEntry): Promise<boolean> {
    return this.objects.createExclusive(lifecycleKey(name, entry.seq), serializeLogEntry(entry));
  }

  /** The manifest goes; its blobs may be shared with other versions, so collectGarbage decides on them. */
  async deleteVersion(name: string, version: string): Promise<number> {
    await this.objects.remove(manifestKey(name, version));
    return 0;
  }

  /**
   * Blobs are listed first, then every manifest is read: a blob no manifest names is garbage when
   * neither it nor a mark of a publish reusing it (uses/<sha256>/…) is newer than `cutoff`. Both are
   * looked at again just before the blob is removed, so a publish that began reusing it since is seen.
   * A publish writes its blobs before its manifest, so its new blobs are young until it commits.
   */
  async collectGarbage(cutoff: number, dryRun: boolean): Promise<Garbage[]> {
    const blobs = await this.objects.listStats(BLOBS);
    const referenced = new Set<string>();
    for (const key of await this.objects.list('models/')) {
      if (!MANIFEST_KEY.test(key)) continue;
      const text = await readText(this.objects, key);
      if (text === undefined) continue;
      for (const file of parseManifest(text, `${this.uri} ${key}`).files) referenced.add(file.sha256);
    }
    const removed: Garbage[] = [];
    for (const blob of blobs) {
      const sha256 = blob.key.slice(BLOBS.length);
      if (referenced.has(sha256) || blob.modified >= cutoff) continue;
      const marks = await this.objects.listStats(`${USES}${sha256}/`);
      const now = await this.objects.stat(blob.key);
      if (!now || now.modified >= cutoff || marks.some((mark) => mark.modified >= cutoff)) continue;
      if (!dryRun) {
        await this.objects.remove(blob.key);
        for (const mark of marks) await this.objects.remove(mark.key);
      }
      removed.push({ what: `blob ${sha256}`, bytes: now.size });
    }
    // Marks older than the cutoff have done their work (their blobs are referenced, or gone).
    if (!dryRun) {
      for (const mark of await this.objects.listStats(USES)) {
        if (mark.modified < cutoff) await this.objects.remove(mark.key);
      }
    }
    return removed;
  }
}
