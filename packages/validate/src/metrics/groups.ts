/**
 * Rows in groups, for computing a metric for every slice in one pass: `of[row]` is the row's group
 * (or -1 for none) and `count` the number of groups. Without a grouping, all rows form group 0.
 */
export interface Grouping {
  readonly of: Int32Array;
  readonly count: number;
}

/** Row weights: bootstrap multiplicities (none: every row once). */
export type Weights = ArrayLike<number> | undefined;

/** The number of groups a computation returns. */
export function groupCount(grouping: Grouping | undefined): number {
  return grouping ? grouping.count : 1;
}

/** A row's weight: its multiplicity, 1 without weights. */
export function weightOf(weights: Weights, row: number): number {
  return weights ? weights[row]! : 1;
}

/**
 * The group a row counts in, or -1 when it counts in none: outside every group, or weighed 0 (left
 * out of a resample). Every per-group sum reads its rows through this.
 */
export function countedGroup(grouping: Grouping | undefined, weights: Weights, row: number): number {
  if (weightOf(weights, row) === 0) return -1;
  return grouping ? grouping.of[row]! : 0;
}

/** Visits every row that counts (see countedGroup) with its group and weight, in row order. */
export function forEachCounted(
  rows: number,
  weights: Weights,
  grouping: Grouping | undefined,
  visit: (row: number, group: number, weight: number) => void,
): void {
  for (let r = 0; r < rows; r++) {
    const group = countedGroup(grouping, weights, r);
    if (group >= 0) visit(r, group, weightOf(weights, r));
  }
}
