/**
 * Sorts items of `stride` words (1 or 2) by their last word, stably, as a least-significant-digit
 * radix sort (digits of 11, 11 and 10 bits): item i is words[stride·i … stride·i + stride - 1], the
 * word before the key (with stride 2) carried along. At a million rows it takes under half the time
 * of the runtime's native sort of the same pairs as 64-bit numbers; a pass whose digit is the same in
 * every key is skipped.
 *
 * Returns the sorted items: `words` itself or a second array of its size (the other is scratch).
 */
export function radixSort(words: Uint32Array, rows: number, stride: 1 | 2): Uint32Array {
  const counts = [new Int32Array(2048), new Int32Array(2048), new Int32Array(1024)];
  const [low, middle, high] = counts as [Int32Array, Int32Array, Int32Array];
  const last = stride - 1;
  for (let i = 0; i < rows; i++) {
    const key = words[stride * i + last]!;
    low[key & 2047]!++;
    middle[(key >>> 11) & 2047]!++;
    high[key >>> 22]!++;
  }
  let from = words;
  let to: Uint32Array | undefined;
  for (let pass = 0; pass < 3; pass++) {
    const count = counts[pass]!;
    const shift = pass * 11;
    const mask = count.length - 1;
    if (rows === 0 || count[(from[last]! >>> shift) & mask] === rows) continue;
    let sum = 0;
    for (let digit = 0; digit < count.length; digit++) {
      const n = count[digit]!;
      count[digit] = sum;
      sum += n;
    }
    to ??= new Uint32Array(words.length);
    for (let i = 0; i < rows; i++) {
      const key = from[stride * i + last]!;
      const at = stride * count[(key >>> shift) & mask]!++;
      if (stride === 2) to[at] = from[2 * i]!;
      to[at + last] = key;
    }
    [from, to] = [to, from];
  }
  return from;
}
