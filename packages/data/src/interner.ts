/**
 * Looks up short byte strings (CSV category values) in a hash table of the strings seen so far,
 * without decoding them: a repeated category costs a hash and a byte comparison instead of a string
 * allocation and a Map lookup. Written for the profiling hot path (categorical columns).
 */

/** Longest key kept, in bytes; longer values take the string path. */
export const MAX_INTERNED_BYTES = 64;

export class ByteInterner {
  private slots = new Int32Array(256);
  private hashes = new Int32Array(64);
  private keyStarts = new Int32Array(64);
  private keyLengths = new Int32Array(64);
  private ids = new Int32Array(64);
  private pool = new Uint8Array(4096);
  private poolSize = 0;
  private count = 0;

  /** FNV-1a over bytes[start … end). */
  private static hash(bytes: Uint8Array, start: number, end: number): number {
    let h = 0x811c9dc5;
    for (let i = start; i < end; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
    return h;
  }

  /** The id stored for these bytes, or -1. */
  find(bytes: Uint8Array, start: number, end: number): number {
    const h = ByteInterner.hash(bytes, start, end);
    const mask = this.slots.length - 1;
    const length = end - start;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const entry = this.slots[slot]!;
      if (entry === 0) return -1;
      const e = entry - 1;
      if (this.hashes[e] === h && this.keyLengths[e] === length) {
        const at = this.keyStarts[e]!;
        let same = true;
        for (let i = 0; i < length; i++) {
          if (this.pool[at + i] !== bytes[start + i]) {
            same = false;
            break;
          }
        }
        if (same) return this.ids[e]!;
      }
    }
  }

  /** Stores bytes (not already present, at most MAX_INTERNED_BYTES long) under an id. */
  add(bytes: Uint8Array, start: number, end: number, id: number): void {
    const length = end - start;
    if ((this.count + 1) * 2 > this.slots.length) this.rehash();
    if (this.count === this.hashes.length) {
      this.hashes = grow(this.hashes);
      this.keyStarts = grow(this.keyStarts);
      this.keyLengths = grow(this.keyLengths);
      this.ids = grow(this.ids);
    }
    if (this.poolSize + length > this.pool.length) {
      const pool = new Uint8Array(Math.max(this.pool.length * 2, this.poolSize + length));
      pool.set(this.pool.subarray(0, this.poolSize));
      this.pool = pool;
    }
    const e = this.count++;
    const h = ByteInterner.hash(bytes, start, end);
    this.hashes[e] = h;
    this.keyStarts[e] = this.poolSize;
    this.keyLengths[e] = length;
    this.ids[e] = id;
    this.pool.set(bytes.subarray(start, end), this.poolSize);
    this.poolSize += length;
    this.place(e);
  }

  private place(e: number): void {
    const mask = this.slots.length - 1;
    let slot = this.hashes[e]! & mask;
    while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
    this.slots[slot] = e + 1;
  }

  private rehash(): void {
    this.slots = new Int32Array(this.slots.length * 2);
    for (let e = 0; e < this.count; e++) this.place(e);
  }
}

function grow(array: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const grown = new Int32Array(array.length * 2);
  grown.set(array);
  return grown;
}
