/**
 * One step of mulberry32, the project's one seeded generator: the next state and a 32-bit output.
 * Pure, so a sketch can keep its state in its JSON; the same seed gives the same numbers on every
 * machine and Node version (Math.random cannot be seeded). Not for cryptography.
 */
export function mulberry32(state: number): [next: number, bits: number] {
  const a = (state + 0x6d2b79f5) | 0;
  let t = Math.imul(a ^ (a >>> 15), 1 | a);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return [a, (t ^ (t >>> 14)) >>> 0];
}

/** Uniform numbers in [0, 1) from a seed (any integer; only its low 32 bits count), by mulberry32. */
export function seededRandom(seed: number): () => number {
  let state = seed | 0;
  return () => {
    const [next, bits] = mulberry32(state);
    state = next;
    return bits / 2 ** 32;
  };
}
