/**
 * Multilabel metrics as scikit-learn defines them (f1_score with average="micro" / "macro" and
 * zero_division=0, hamming_loss), over label-indicator matrices: rows × labels, row-major, 1 where the
 * row has (or is predicted to have) the label.
 */

/** Rows × labels 0/1 cells, row-major, and the label count. */
export interface LabelMatrix {
  readonly cells: Uint8Array;
  readonly labels: number;
}

interface Counts {
  readonly tp: Float64Array;
  readonly fp: Float64Array;
  readonly fn: Float64Array;
}

function perLabelCounts(truth: LabelMatrix, predicted: LabelMatrix): Counts {
  const k = truth.labels;
  const tp = new Float64Array(k);
  const fp = new Float64Array(k);
  const fn = new Float64Array(k);
  for (let i = 0; i < truth.cells.length; i++) {
    const t = truth.cells[i]!;
    const p = predicted.cells[i]!;
    const label = i % k;
    if (t && p) tp[label]!++;
    else if (p) fp[label]!++;
    else if (t) fn[label]!++;
  }
  return { tp, fp, fn };
}

/** F1 from counts: 2tp / (2tp + fp + fn), 0 when the label is never present nor predicted (zero_division=0). */
function f1(tp: number, fp: number, fn: number): number {
  const denominator = 2 * tp + fp + fn;
  return denominator === 0 ? 0 : (2 * tp) / denominator;
}

/** Micro F1: true and false positives and negatives summed over every label, then one F1. */
export function multilabelF1Micro(truth: LabelMatrix, predicted: LabelMatrix): number {
  const { tp, fp, fn } = perLabelCounts(truth, predicted);
  const sum = (values: Float64Array) => values.reduce((a, b) => a + b, 0);
  return f1(sum(tp), sum(fp), sum(fn));
}

/** Macro F1: each label's F1, unweighted mean over the labels. */
export function multilabelF1Macro(truth: LabelMatrix, predicted: LabelMatrix): number {
  const { tp, fp, fn } = perLabelCounts(truth, predicted);
  if (truth.labels === 0) return 0;
  let total = 0;
  for (let label = 0; label < truth.labels; label++) total += f1(tp[label]!, fp[label]!, fn[label]!);
  return total / truth.labels;
}

/** Hamming loss: the share of (row, label) cells predicted wrongly. */
export function hammingLoss(truth: LabelMatrix, predicted: LabelMatrix): number {
  if (truth.cells.length === 0) return 0;
  let wrong = 0;
  for (let i = 0; i < truth.cells.length; i++) if (truth.cells[i] !== predicted.cells[i]) wrong++;
  return wrong / truth.cells.length;
}
