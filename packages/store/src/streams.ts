import { createHash } from 'node:crypto';
import { Transform } from 'node:stream';
import type { ByteCounter } from './progress.ts';

/** A pass-through stream that reports each chunk's length. */
export function countingStream(onBytes: ByteCounter): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      onBytes(chunk.length);
      callback(null, chunk);
    },
  });
}

/** A pass-through stream that digests what flows through it; read `digest()` after it ends. */
export function digestingStream(
  onBytes: ByteCounter,
): Transform & { digest(): { sha256: string; size: number } } {
  const hash = createHash('sha256');
  let size = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      size += chunk.length;
      onBytes(chunk.length);
      callback(null, chunk);
    },
  });
  return Object.assign(stream, { digest: () => ({ sha256: hash.digest('hex'), size }) });
}
