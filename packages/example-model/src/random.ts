import { seededRandom } from '@mlactions/core';

/**
 * A seeded pseudo-random source: the same seed gives the same numbers on every machine, which makes
 * the demo's data, training order and results reproducible. Its uniforms are core's seeded
 * generator (mulberry32, period 2^32): plenty for a few thousand rows, not for cryptography.
 */
export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Standard normal (Box–Muller). */
  normal(): number;
  /** An index drawn with the given (non-negative, not all zero) weights. */
  choice(weights: readonly number[]): number;
  /** Shuffles the array in place (Fisher–Yates) and returns it. */
  shuffle<T>(items: T[]): T[];
}

/** A source seeded with `seed` (any integer; only its low 32 bits count). */
export function createRandom(seed: number): Random {
  const next = seededRandom(seed);
  return {
    next,
    normal() {
      // 1 - next() is in (0, 1], so the logarithm is finite.
      const radius = Math.sqrt(-2 * Math.log(1 - next()));
      return radius * Math.cos(2 * Math.PI * next());
    },
    choice(weights) {
      const total = weights.reduce((sum, weight) => sum + weight, 0);
      let target = next() * total;
      for (let i = 0; i < weights.length; i++) {
        target -= weights[i]!;
        if (target < 0) return i;
      }
      return weights.length - 1;
    },
    shuffle(items) {
      for (let i = items.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [items[i], items[j]] = [items[j]!, items[i]!];
      }
      return items;
    },
  };
}
