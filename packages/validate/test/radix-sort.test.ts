import { seededRandom } from '@mlactions/core';
import { describe, expect, it } from 'vitest';
import { radixSort } from '../src/metrics/radix-sort.ts';

/** Pairs [payload, key] sorted by key, ties in their first order (a stable sort). */
function stableSorted(pairs: [number, number][]): [number, number][] {
  return pairs
    .map((pair, i) => ({ pair, i }))
    .sort((a, b) => a.pair[1] - b.pair[1] || a.i - b.i)
    .map(({ pair }) => pair);
}

function sortedPairs(pairs: [number, number][]): [number, number][] {
  const words = Uint32Array.from(pairs.flat());
  const sorted = radixSort(words, pairs.length, 2);
  return Array.from({ length: pairs.length }, (_, i) => [sorted[2 * i]!, sorted[2 * i + 1]!]);
}

describe('radix sort of words and word pairs', () => {
  const random = seededRandom(11);
  const word = () => Math.floor(random() * 2 ** 32);

  it('orders by the key word over its whole range, ties in their first order', () => {
    for (const keys of [
      () => word(),
      // Many ties, and keys that differ only in one digit of the three.
      () => [0, 1, 2047, 2048, 2 ** 22, 2 ** 32 - 1][Math.floor(random() * 6)]!,
      () => 0x3f000000 + Math.floor(random() * 4) * 2048,
    ]) {
      const pairs = Array.from({ length: 5000 }, (_, i): [number, number] => [i, keys()]);
      expect(sortedPairs(pairs)).toEqual(stableSorted(pairs));
    }
  });

  it('sorts keys alone as it sorts them in pairs', () => {
    const keys = Array.from({ length: 5000 }, () => (random() < 0.3 ? 2 ** 22 : word()));
    const alone = radixSort(Uint32Array.from(keys), keys.length, 1);
    const paired = sortedPairs(keys.map((key, i): [number, number] => [i, key]));
    expect(Array.from(alone)).toEqual(paired.map(([, key]) => key));
  });

  it('leaves sorted, equal-keyed, single and empty input as it is', () => {
    const sorted = Array.from({ length: 100 }, (_, i): [number, number] => [word(), i * 40_000]);
    expect(sortedPairs(sorted)).toEqual(sorted);
    const equal = Array.from({ length: 100 }, (_, i): [number, number] => [i, 12345]);
    expect(sortedPairs(equal)).toEqual(equal);
    expect(sortedPairs([[7, 9]])).toEqual([[7, 9]]);
    expect(sortedPairs([])).toEqual([]);
  });
});
