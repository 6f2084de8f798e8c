/**
 * Pearson's chi-square test of homogeneity on the 2×k table whose rows are the reference's and the
 * current data's counts per category, as scipy's `chi2_contingency(table, correction=False)`
 * computes it. Categories with no count in either row are dropped (they carry no information and
 * would make an expected count zero).
 */
import { chiSquareSf } from '@mlactions/core';

export interface ChiSquareResult {
  statistic: number;
  pValue: number;
  dof: number;
}

export function chiSquareHomogeneity(
  reference: readonly number[],
  current: readonly number[],
): ChiSquareResult {
  if (reference.length !== current.length) throw new Error('chiSquareHomogeneity: rows differ in length');
  const columns: [number, number][] = [];
  for (let i = 0; i < reference.length; i++) {
    if (reference[i]! + current[i]! > 0) columns.push([reference[i]!, current[i]!]);
  }
  const dof = columns.length - 1;
  if (dof <= 0) return { statistic: 0, pValue: 1, dof: 0 };
  const rowTotals = [0, 0];
  for (const [r, c] of columns) {
    rowTotals[0]! += r;
    rowTotals[1]! += c;
  }
  const total = rowTotals[0]! + rowTotals[1]!;
  if (rowTotals[0] === 0 || rowTotals[1] === 0) throw new Error('chiSquareHomogeneity: a row has no counts');
  let statistic = 0;
  for (const column of columns) {
    const columnTotal = column[0] + column[1];
    for (let row = 0; row < 2; row++) {
      const expected = (rowTotals[row]! * columnTotal) / total;
      statistic += (column[row]! - expected) ** 2 / expected;
    }
  }
  return { statistic, pValue: chiSquareSf(statistic, dof), dof };
}
