import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { UserError } from '@mlactions/core';

/** Read size: large enough that per-chunk costs vanish, small enough to keep memory flat. */
export const CHUNK_BYTES = 1 << 20;

/** True when the file starts with gzip's magic bytes, whatever its name says. */
export async function isGzipped(path: string): Promise<boolean> {
  const handle = await openOrExplain(path);
  try {
    const head = new Uint8Array(2);
    const { bytesRead } = await handle.read(head, 0, 2, 0);
    return bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

/** The file's bytes (gunzipped when gzipped) in chunks of about `chunkBytes`. */
export async function* readChunks(path: string, chunkBytes = CHUNK_BYTES): AsyncGenerator<Uint8Array> {
  const gzipped = await isGzipped(path);
  const file = createReadStream(path, { highWaterMark: chunkBytes });
  const stream = gzipped ? file.pipe(createGunzip({ chunkSize: Math.max(chunkBytes, 64) })) : file;
  if (gzipped) file.on('error', (error) => stream.destroy(error));
  try {
    for await (const chunk of stream) yield chunk as Uint8Array;
  } catch (error) {
    if (
      (error as { code?: string }).code === 'Z_DATA_ERROR' ||
      (error as { code?: string }).code === 'Z_BUF_ERROR'
    ) {
      throw new UserError(`data file ${path} is not valid gzip (${(error as Error).message}); recompress it`);
    }
    throw error;
  } finally {
    stream.destroy();
    file.destroy();
  }
}

/** Opens a file for reading, turning "no such file" into a message that names it. */
export async function openOrExplain(path: string) {
  try {
    return await open(path, 'r');
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ENOENT') throw new UserError(`data file ${path} does not exist`);
    if (code === 'EISDIR') throw new UserError(`data file ${path} is a directory; pass a file`);
    if (code === 'EACCES') throw new UserError(`data file ${path} is not readable (permission denied)`);
    throw error;
  }
}
