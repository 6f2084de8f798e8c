import type { Readable } from 'node:stream';
import type { HashedFile } from './backend.ts';
import type { LocalFile } from './local-files.ts';
import type { ByteCounter } from './progress.ts';

/**
 * A flat key space of immutable-by-convention objects: what the folder and S3 backends share.
 * Keys are `/`-separated and built only from validated parts (see object-backend.ts).
 */
export interface ObjectStore {
  readonly uri: string;
  /** The object's size, or undefined when it does not exist. */
  size(key: string): Promise<number | undefined>;
  /** The object's size and last-modified time, or undefined when it does not exist. */
  stat(key: string): Promise<ObjectStat | undefined>;
  /** The object's bytes, or undefined when it does not exist. */
  read(key: string): Promise<Readable | undefined>;
  /**
   * Whether the object holds exactly the file, told by a checksum the server keeps with it, without
   * reading the object; undefined where there is none to go by. A store that keeps no checksums (a
   * folder) has no such method: its objects are read back instead.
   */
  matchesStoredChecksum?(key: string, file: HashedFile): Promise<boolean | undefined>;
  /** Writes a local file as an object: afterwards the object is whole, or (on failure) unchanged. */
  upload(key: string, file: LocalFile, onBytes: ByteCounter): Promise<void>;
  /** Creates a small object only if the key is free; false when it exists. */
  createExclusive(key: string, body: string): Promise<boolean>;
  /** Removes an object (absent is fine). */
  remove(key: string): Promise<void>;
  /** Keys under a prefix ending in `/`, sorted. */
  list(prefix: string): Promise<string[]>;
  /** Keys under a prefix ending in `/` with their sizes and last-modified times (ms since the epoch). */
  listStats(prefix: string): Promise<ObjectStat[]>;
}

export interface ObjectStat {
  key: string;
  size: number;
  /** Last written, by the storage's clock (a file's mtime, S3's LastModified), ms since the epoch. */
  modified: number;
}

/** Reads a small object as UTF-8 text. */
export async function readText(store: ObjectStore, key: string): Promise<string | undefined> {
  const stream = await store.read(key);
  if (!stream) return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}
