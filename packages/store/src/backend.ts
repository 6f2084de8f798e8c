import type { Readable } from 'node:stream';
import type { AliasEntry } from './alias.ts';
import type { LifecycleEntry } from './lifecycle.ts';
import type { LocalFile } from './local-files.ts';
import type { FileEntry, Manifest } from './manifest.ts';
import type { ByteCounter } from './progress.ts';

/** A local file ready to publish: resolved and hashed. */
export interface HashedFile extends LocalFile {
  sha256: string;
}

/** What a backend did with a version's files. */
export interface TransferTotals {
  uploadedBytes: number;
  skippedBytes: number;
  uploadedFiles: number;
  skippedFiles: number;
}

export interface PublishOutcome extends TransferTotals {
  /** False when the version already existed at the moment of committing (another publisher won). */
  committed: boolean;
  /** The manifest as stored (a backend may add where each file lives). */
  manifest: Manifest;
}

/**
 * Where versions and aliases live. The store (store.ts) holds all the rules: validation, versions,
 * hashing, verification, compare-and-swap; a backend only moves bytes and creates records without
 * overwriting them. Every method takes names and versions already validated.
 */
export interface Backend {
  /** The store's URI, for messages. */
  readonly uri: string;
  /** Versions of a model whose manifest exists (unordered). */
  listVersions(name: string): Promise<string[]>;
  readManifest(name: string, version: string): Promise<Manifest | undefined>;
  /**
   * Stores the files (skipping those the store already holds), then the manifest, which it creates
   * only if the version does not exist: an interrupted call leaves no version, and of two concurrent
   * calls for one version exactly one commits.
   */
  publish(
    manifest: Manifest,
    files: HashedFile[],
    track: (file: HashedFile) => ByteCounter,
  ): Promise<PublishOutcome>;
  /** The stored bytes of one file of a version (unverified: the store checks them). */
  openFile(manifest: Manifest, file: FileEntry): Promise<Readable>;
  /** Aliases of a model that have at least one entry. */
  listAliases(name: string): Promise<string[]>;
  /** An alias's entries, oldest first. */
  readAliasHistory(name: string, alias: string): Promise<AliasEntry[]>;
  /** Creates entry `entry.seq` of the alias; false if that entry exists already. */
  appendAliasEntry(name: string, entry: AliasEntry): Promise<boolean>;
  /** The model's lifecycle log (deprecations, deletions), oldest first. */
  readLifecycle(name: string): Promise<LifecycleEntry[]>;
  /** Creates entry `entry.seq` of the model's lifecycle log; false if that entry exists already. */
  appendLifecycleEntry(name: string, entry: LifecycleEntry): Promise<boolean>;
  /**
   * Removes a version, its manifest first (so it is gone at once, whole), then whatever only it holds
   * where storage is per version (a release). Content shared between versions is left for
   * collectGarbage. Resolves to the bytes freed now.
   */
  deleteVersion(name: string, version: string): Promise<number>;
  /**
   * Removes (or with `dryRun` only lists) stored content that no manifest references and that nothing
   * wrote or reused at or after `cutoff` (ms since the epoch), so a publish in progress keeps its files.
   */
  collectGarbage(cutoff: number, dryRun: boolean): Promise<Garbage[]>;
}

/** Stored content that no version references: a blob, or an unfinished release. */
export interface Garbage {
  /** What it is, for people: `blob <sha256>`, `release <tag>`. */
  what: string;
  bytes: number;
}
