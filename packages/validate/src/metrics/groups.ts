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
