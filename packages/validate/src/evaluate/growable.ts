type NumberArray = Float32Array | Float64Array | Int32Array;

/**
 * A typed array that grows in fixed chunks (no doubling and copying while it fills), joined once at
 * the end: per-row results of a stream whose length is unknown until it ends.
 */
export class GrowableArray<T extends NumberArray> {
  private readonly make: (length: number) => T;
  private readonly chunkLength: number;
  private readonly full: T[] = [];
  private current: T;
  private used = 0;

  constructor(make: (length: number) => T, chunkLength = 1 << 16) {
    this.make = make;
    this.chunkLength = chunkLength;
    this.current = make(chunkLength);
  }

  get length(): number {
    return this.full.length * this.chunkLength + this.used;
  }

  push(value: number): void {
    if (this.used === this.chunkLength) this.nextChunk();
    this.current[this.used++] = value;
  }

  pushAll(values: NumberArray): void {
    let offset = 0;
    while (offset < values.length) {
      if (this.used === this.chunkLength) this.nextChunk();
      const count = Math.min(this.chunkLength - this.used, values.length - offset);
      this.current.set(values.subarray(offset, offset + count), this.used);
      this.used += count;
      offset += count;
    }
  }

  private nextChunk(): void {
    this.full.push(this.current);
    this.current = this.make(this.chunkLength);
    this.used = 0;
  }

  /** All values in one array (the chunks are released). */
  toArray(): T {
    const out = this.make(this.length);
    let offset = 0;
    for (const chunk of this.full) {
      out.set(chunk, offset);
      offset += chunk.length;
    }
    out.set(this.current.subarray(0, this.used), offset);
    this.full.length = 0;
    this.current = this.make(0);
    this.used = 0;
    return out;
  }
}
