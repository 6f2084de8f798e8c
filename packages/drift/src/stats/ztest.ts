/**
 * The pooled two-proportion z-test for a boolean column: z = (p_cur - p_ref) / sqrt(p̂(1-p̂)(1/n_ref +
 * 1/n_cur)) with p̂ the pooled share of true values; the p-value is two-sided, 2·(1 - Φ(|z|)).
 * When both samples are all true or all false the difference is exactly zero: z = 0, p = 1.
 */
import { normalSf } from '@mlactions/core';

export interface ZTestResult {
  statistic: number;
  pValue: number;
}

export function twoProportionZTest(
  referenceTrue: number,
  referenceCount: number,
  currentTrue: number,
  currentCount: number,
): ZTestResult {
  const pooled = (referenceTrue + currentTrue) / (referenceCount + currentCount);
  const variance = pooled * (1 - pooled) * (1 / referenceCount + 1 / currentCount);
  if (!(variance > 0)) return { statistic: 0, pValue: 1 };
  const z = (currentTrue / currentCount - referenceTrue / referenceCount) / Math.sqrt(variance);
  return { statistic: z, pValue: Math.min(1, 2 * normalSf(Math.abs(z))) };
}
