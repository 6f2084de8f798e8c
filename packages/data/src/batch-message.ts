/**
 * A text batch as a message to another thread and back. A movable batch's memory is transferred (its
 * ArrayBuffers change owner, nothing is copied); any other batch is copied, so its reader keeps its own.
 */
import type { TextBatch } from './batch.ts';

/** The parts of a text batch that cross threads. */
export interface BatchParts {
  names: readonly string[];
  rows: number;
  bytes: Uint8Array<ArrayBuffer>;
  lines: Int32Array<ArrayBuffer>;
  starts: Int32Array<ArrayBuffer>;
  ends: Int32Array<ArrayBuffer>;
  escaped: Uint8Array<ArrayBuffer>;
  numbers: Float64Array<ArrayBuffer>;
}

/** The batch's parts and the buffers to transfer with them: its own when movable, else fresh copies. */
export function batchMessage(batch: TextBatch): { parts: BatchParts; transfer: ArrayBuffer[] } {
  const fields = batch.rows * batch.names.length;
  if (!batch.movable) {
    const parts: BatchParts = {
      names: batch.names,
      rows: batch.rows,
      bytes: new Uint8Array(batch.bytes),
      lines: batch.lines.slice(0, batch.rows),
      starts: batch.starts.slice(0, fields),
      ends: batch.ends.slice(0, fields),
      escaped: batch.escaped.slice(0, fields),
      numbers: batch.numbers.slice(0, fields),
    };
    return { parts, transfer: transferList(parts) };
  }
  const parts: BatchParts = {
    names: batch.names,
    rows: batch.rows,
    bytes: new Uint8Array(batch.bytes.buffer as ArrayBuffer, batch.bytes.byteOffset, batch.bytes.length),
    lines: new Int32Array(batch.lines.buffer as ArrayBuffer),
    starts: batch.starts as Int32Array<ArrayBuffer>,
    ends: batch.ends as Int32Array<ArrayBuffer>,
    escaped: batch.escaped as Uint8Array<ArrayBuffer>,
    numbers: batch.numbers as Float64Array<ArrayBuffer>,
  };
  return { parts, transfer: transferList(parts) };
}

/** The ArrayBuffers of a batch's parts, to move them on to the next thread. */
export function transferList(parts: BatchParts): ArrayBuffer[] {
  const { bytes, lines, starts, ends, escaped, numbers } = parts;
  return [bytes.buffer, lines.buffer, starts.buffer, ends.buffer, escaped.buffer, numbers.buffer];
}

/** A text batch over parts that came from another thread. */
export function batchFromParts(parts: BatchParts): TextBatch {
  const { names, rows, bytes, lines, starts, ends, escaped, numbers } = parts;
  return {
    kind: 'text',
    names,
    rows,
    bytes: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length),
    lines: lines.subarray(0, rows),
    starts,
    ends,
    escaped,
    numbers,
  };
}
