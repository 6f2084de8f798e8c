/** Mean and maximum of a stream of readings, in constant memory. */
export interface StatSummary {
  /** How many readings were numbers. */
  count: number;
  mean: number | null;
  max: number | null;
}

/** Accumulates readings one at a time; nulls and non-finite values (what a GPU could not report) are skipped. */
export class RunningStat {
  private count = 0;
  private sum = 0;
  private max = Number.NEGATIVE_INFINITY;

  add(value: number | null): void {
    if (value === null || !Number.isFinite(value)) return;
    this.count++;
    this.sum += value;
    if (value > this.max) this.max = value;
  }

  summary(): StatSummary {
    return this.count === 0
      ? { count: 0, mean: null, max: null }
      : { count: this.count, mean: this.sum / this.count, max: this.max };
  }
}
