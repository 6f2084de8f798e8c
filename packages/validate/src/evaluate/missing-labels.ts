import { UserError } from '@mlactions/core';
import type { RowNumber } from './collect.ts';
import type { RowBatch } from './table.ts';

/** What to do with a row whose label is empty: leave it out (and count it), or stop with an error. */
export type MissingLabelPolicy = 'skip' | 'error';

export interface LabeledBatch {
  readonly batch: RowBatch;
  /** Rows left out for want of a label. */
  readonly dropped: number;
  readonly rowNumber: RowNumber;
}

/** A missing label: NaN, or code -1 (see RowBatch). */
function isMissing(labels: RowBatch['labels'], r: number): boolean {
  const label = labels[r]!;
  return labels instanceof Int32Array ? label < 0 : Number.isNaN(label);
}

/** The batch without its unlabeled rows (or the error the policy asks for), with their row numbers. */
export function dropMissingLabels(
  batch: RowBatch,
  policy: MissingLabelPolicy,
  where: { path: string; label: string },
): LabeledBatch {
  let first = 0;
  while (first < batch.rows && !isMissing(batch.labels, first)) first++;
  if (first === batch.rows) return { batch, dropped: 0, rowNumber: (r) => batch.firstRow + r };
  if (policy === 'error') {
    throw new UserError(
      `data file ${where.path}, row ${batch.firstRow + first}: the label column ${JSON.stringify(where.label)} is empty; fill it, drop the row, or skip such rows (missing labels: skip)`,
    );
  }
  const keep: number[] = [];
  for (let r = 0; r < batch.rows; r++) if (!isMissing(batch.labels, r)) keep.push(r);
  const width = batch.rows > 0 ? batch.features.length / batch.rows : 0;
  const features =
    batch.features instanceof Float64Array
      ? new Float64Array(keep.length * width)
      : new Float32Array(keep.length * width);
  keep.forEach((r, i) => {
    features.set(batch.features.subarray(r * width, (r + 1) * width), i * width);
  });
  const labels =
    batch.labels instanceof Float64Array
      ? Float64Array.from(keep, (r) => batch.labels[r]!)
      : Int32Array.from(keep, (r) => batch.labels[r]!);
  return {
    batch: {
      rows: keep.length,
      firstRow: batch.firstRow,
      features,
      labels,
      ...(batch.labelTexts ? { labelTexts: batch.labelTexts } : {}),
      ...(batch.slices ? { slices: keep.map((r) => batch.slices![r]!) } : {}),
    },
    dropped: batch.rows - keep.length,
    rowNumber: (i) => batch.firstRow + keep[i]!,
  };
}
