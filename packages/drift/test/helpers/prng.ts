/**
 * Seeded pseudo-random data for tests. mulberry32 uses only 32-bit integer arithmetic, and the
 * generators below only add, subtract and multiply by powers of two, so
 * scripts/reference/drift/prng.py reproduces every value bit for bit: fixtures store a generator's
 * parameters and scipy's results, not the data.
 */

import { seededRandom } from '@mlactions/core';

/** mulberry32 (core's seeded generator): uniform numbers in [0, 1) that are exact multiples of 2^-32. */
export const mulberry32 = seededRandom;

/** A data generator as the fixtures describe it. */
export type GeneratorSpec =
  /** Irwin–Hall(4) - 2, roughly normal with standard deviation 1/√3, then scaled and shifted. */
  | { kind: 'normal4'; n: number; seed: number; loc: number; scale: number }
  /** Integers 0 … k-1, uniform (many ties). */
  | { kind: 'int'; n: number; seed: number; k: number };

export function generate(spec: GeneratorSpec): Float64Array {
  const next = mulberry32(spec.seed);
  const out = new Float64Array(spec.n);
  for (let i = 0; i < spec.n; i++) {
    if (spec.kind === 'int') out[i] = Math.floor(next() * spec.k);
    else out[i] = (next() + next() + next() + next() - 2) * spec.scale + spec.loc;
  }
  return out;
}

/** Roughly standard normal values (Irwin–Hall(12) - 6) for tests that need no fixture. */
export function normals(n: number, seed: number, mean = 0, sd = 1): Float64Array {
  const next = mulberry32(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = -6;
    for (let k = 0; k < 12; k++) s += next();
    out[i] = mean + sd * s;
  }
  return out;
}
