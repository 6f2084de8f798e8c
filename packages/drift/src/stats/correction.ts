/**
 * Multiple-testing corrections for the p-values of several columns, returned as adjusted p-values
 * (compared with the unchanged threshold), as statsmodels' `multipletests` defines them.
 */

export type Correction = 'none' | 'bonferroni' | 'benjamini-hochberg';

/** Bonferroni: min(1, p·m) for m tests. */
export function bonferroni(pValues: readonly number[]): number[] {
  return pValues.map((p) => Math.min(1, p * pValues.length));
}

/**
 * Benjamini–Hochberg step-up (false discovery rate): the i-th smallest p-value becomes
 * min over j >= i of p_(j)·m/j, capped at 1.
 */
export function benjaminiHochberg(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((_, i) => i).sort((a, b) => pValues[a]! - pValues[b]!);
  const adjusted = new Array<number>(m);
  let running = 1;
  for (let rank = m; rank >= 1; rank--) {
    const index = order[rank - 1]!;
    running = Math.min(running, (pValues[index]! * m) / rank);
    adjusted[index] = running;
  }
  return adjusted;
}

export function adjustPValues(pValues: readonly number[], correction: Correction): number[] {
  if (correction === 'bonferroni') return bonferroni(pValues);
  if (correction === 'benjamini-hochberg') return benjaminiHochberg(pValues);
  return [...pValues];
}
