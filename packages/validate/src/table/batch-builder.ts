import type { ReadPlan, RowBatch } from './types.ts';

/** Collects one batch's rows; shared by the readers. */
export class BatchBuilder {
  readonly features: Float32Array | Float64Array;
  readonly numberLabels: Float64Array | undefined;
  readonly textLabels: (string | null)[] | undefined;
  readonly slices: (string | null)[] | undefined;
  readonly capacity: number;
  readonly width: number;
  readonly firstRow: number;
  rows = 0;

  constructor(plan: ReadPlan, width: number, firstRow: number) {
    this.width = width;
    this.firstRow = firstRow;
    this.capacity = plan.batchSize;
    this.features =
      plan.featureType === 'float64'
        ? new Float64Array(plan.batchSize * width)
        : new Float32Array(plan.batchSize * width);
    this.numberLabels = plan.labelKind === 'number' ? new Float64Array(plan.batchSize) : undefined;
    this.textLabels = plan.labelKind === 'string' ? [] : undefined;
    this.slices = plan.slice !== undefined ? [] : undefined;
  }

  /** Ends the current row (its features already written at rows × width). */
  commit(label: number | string | null, slice: string | null): void {
    if (this.numberLabels) this.numberLabels[this.rows] = label === null ? Number.NaN : (label as number);
    else this.textLabels!.push(label as string | null);
    this.slices?.push(slice);
    this.rows++;
  }

  finish(): RowBatch {
    const rows = this.rows;
    return {
      rows,
      firstRow: this.firstRow,
      features: rows === this.capacity ? this.features : this.features.subarray(0, rows * this.width),
      labels: this.numberLabels ? this.numberLabels.subarray(0, rows) : this.textLabels!,
      ...(this.slices ? { slices: this.slices } : {}),
    };
  }
}
