type NumberArray = Float32Array | Float64Array | Int32Array | Uint16Array;

interface NumberArrayType<T extends NumberArray> {
  new (buffer: ArrayBuffer, byteOffset: number, length: number): T;
  readonly BYTES_PER_ELEMENT: number;
}

/** WebAssembly.Memory as used here (the project's TypeScript libs do not declare WebAssembly's values). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
const { Memory } = (
  globalThis as unknown as {
    WebAssembly: { Memory: new (descriptor: { initial: number; maximum: number }) => WasmMemory };
  }
).WebAssembly;

const PAGE = 65536;
/** WebAssembly's 32-bit limit: 4 GiB per array. */
const MAX_PAGES = 65536;

/**
 * A typed array that grows in place, for per-row results of a stream whose length is unknown until it
 * ends. It lives in a WebAssembly.Memory, whose `grow` extends the same reserved address range instead
 * of copying into a new buffer; so the array is never held twice (a chunk list joined at the end, or
 * doubling, would briefly need twice its size: 160 MB more at ten million rows of two probabilities).
 */
export class GrowableArray<T extends NumberArray> {
  private readonly type: NumberArrayType<T>;
  private readonly memory = new Memory({ initial: 1, maximum: MAX_PAGES });
  private view: T;
  private used = 0;

  constructor(type: NumberArrayType<T>) {
    this.type = type;
    this.view = this.makeView();
  }

  private makeView(): T {
    const buffer = this.memory.buffer;
    return new this.type(buffer, 0, buffer.byteLength / this.type.BYTES_PER_ELEMENT);
  }

  get length(): number {
    return this.used;
  }

  /** Room for `count` more values, growing by at least an eighth so that grows stay few. */
  private reserve(count: number): void {
    if (this.used + count <= this.view.length) return;
    const pages = this.memory.buffer.byteLength / PAGE;
    const neededBytes = (this.used + count) * this.type.BYTES_PER_ELEMENT;
    const wanted = Math.max(Math.ceil(neededBytes / PAGE), Math.ceil(pages * 1.125));
    const target = Math.min(wanted, MAX_PAGES);
    if (target * PAGE < neededBytes) throw new RangeError('per-row results exceed 4 GiB');
    this.memory.grow(target - pages);
    this.view = this.makeView();
  }

  push(value: number): void {
    if (this.used === this.view.length) this.reserve(1);
    this.view[this.used++] = value;
  }

  pushAll(values: NumberArray): void {
    this.reserve(values.length);
    this.view.set(values, this.used);
    this.used += values.length;
  }

  /** The values as one array, without copying (push no more after this: growing would detach it). */
  toArray(): T {
    return new this.type(this.memory.buffer, 0, this.used);
  }
}
