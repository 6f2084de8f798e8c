import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';

/** Read size for hashing: large enough that per-call overhead vanishes, small enough for memory. */
const CHUNK = 1 << 20;

export interface FileDigest {
  sha256: string;
  size: number;
}

export interface HashOptions {
  /** Only the byte range `[start, end)`. */
  range?: { start: number; end: number };
  /** Stops between two chunks when aborted (an interrupted publish). */
  signal?: AbortSignal | undefined;
}

/**
 * sha256 and size of a file (or of a byte range), read in 1 MiB chunks into one reused buffer:
 * memory stays flat whatever the file's size. `onBytes` hears each chunk's length.
 */
export async function hashFile(
  path: string,
  onBytes: (bytes: number) => void = () => {},
  { range = { start: 0, end: Number.POSITIVE_INFINITY }, signal }: HashOptions = {},
): Promise<FileDigest> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(CHUNK);
    const hash = createHash('sha256');
    let position = range.start;
    let size = 0;
    while (position < range.end) {
      signal?.throwIfAborted();
      const want = Math.min(CHUNK, range.end - position);
      const { bytesRead } = await handle.read(buffer, 0, want, position);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
      position += bytesRead;
      size += bytesRead;
      onBytes(bytesRead);
    }
    return { sha256: hash.digest('hex'), size };
  } finally {
    await handle.close();
  }
}
