import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';

/** Read size for hashing: large enough that per-call overhead vanishes, small enough for memory. */
const CHUNK = 1 << 20;

export interface FileDigest {
  sha256: string;
  size: number;
  /** With HashOptions.partSize: the raw sha256 digest of each part, in order. */
  parts?: Buffer[];
}

export interface HashOptions {
  /** Only the byte range `[start, end)`. */
  range?: { start: number; end: number };
  /** Stops between two chunks when aborted (an interrupted publish). */
  signal?: AbortSignal | undefined;
  /** Also hashes each `partSize` bytes on their own (an S3 multipart upload's parts), in the same read. */
  partSize?: number;
}

/**
 * sha256 and size of a file (or of a byte range), read in 1 MiB chunks into one reused buffer:
 * memory stays flat whatever the file's size. `onBytes` hears each chunk's length.
 */
export async function hashFile(
  path: string,
  onBytes: (bytes: number) => void = () => {},
  { range = { start: 0, end: Number.POSITIVE_INFINITY }, signal, partSize }: HashOptions = {},
): Promise<FileDigest> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(CHUNK);
    const hash = createHash('sha256');
    const parts: Buffer[] = [];
    let part = partSize ? createHash('sha256') : undefined;
    let position = range.start;
    let size = 0;
    while (position < range.end) {
      signal?.throwIfAborted();
      // A read never crosses a part's end, so each part's hash takes exactly its bytes.
      const want = Math.min(CHUNK, range.end - position, partSize ? partSize - (size % partSize) : CHUNK);
      const { bytesRead } = await handle.read(buffer, 0, want, position);
      if (bytesRead === 0) break;
      const bytes = buffer.subarray(0, bytesRead);
      hash.update(bytes);
      position += bytesRead;
      size += bytesRead;
      if (part && partSize) {
        part.update(bytes);
        if (size % partSize === 0) {
          parts.push(part.digest());
          part = createHash('sha256');
        }
      }
      onBytes(bytesRead);
    }
    if (part && partSize && size % partSize !== 0) parts.push(part.digest());
    return { sha256: hash.digest('hex'), size, ...(partSize ? { parts } : {}) };
  } finally {
    await handle.close();
  }
}
