import type { ModelPort } from '../model/model.ts';

/**
 * What a classifier's output holds. `probabilities`: rows that sum to 1; `logits`: anything else over
 * two or more columns (softmax applied); `probability`: one column in [0, 1], the positive class's;
 * `logit`: one column outside [0, 1] (sigmoid applied). A regressor's output is a `value`. A
 * predictions file may hold a `label` per row instead (a class, or a set of labels), or a ranking's
 * `score`.
 */
export type OutputKind = 'probabilities' | 'logits' | 'probability' | 'logit' | 'value' | 'label' | 'score';

/** How to read a classifier's output: detect it, or say which it is. */
export type OutputKindOption = 'auto' | 'probabilities' | 'logits';

/** How far a row's sum may stray from 1 and still be probabilities (float32 softmax is within 1e-6). */
const SUM_TOLERANCE = 1e-3;

/** The class columns an output port declares: its second dimension, 1 for a vector, undefined if symbolic. */
export function declaredWidth(port: ModelPort): number | undefined {
  if (port.dims.length === 1) return 1;
  const width = port.dims.length === 2 ? port.dims[1] : undefined;
  return typeof width === 'number' ? width : undefined;
}

/** The first row (0-based) that is not a probability distribution, or -1 when every row is one. */
export function firstNonProbabilityRow(values: ArrayLike<number>, rows: number, width: number): number {
  for (let r = 0; r < rows; r++) {
    const base = r * width;
    if (width === 1) {
      const p = values[base]!;
      if (!(p >= 0 && p <= 1)) return r;
      continue;
    }
    let sum = 0;
    for (let c = 0; c < width; c++) {
      const p = values[base + c]!;
      if (!(p >= 0)) return r;
      sum += p;
    }
    if (Math.abs(sum - 1) > SUM_TOLERANCE) return r;
  }
  return -1;
}

/** The kind a classifier's output is, from the option or, for `auto`, from one batch of it. */
export function classifierKind(
  option: OutputKindOption,
  values: ArrayLike<number>,
  rows: number,
  width: number,
): OutputKind {
  const probabilities =
    option === 'auto' ? firstNonProbabilityRow(values, rows, width) < 0 : option === 'probabilities';
  if (width === 1) return probabilities ? 'probability' : 'logit';
  return probabilities ? 'probabilities' : 'logits';
}

/**
 * Class probabilities, rows × max(width, 2), from a classifier's output: a single column becomes
 * [1 - p, p]; logits go through a (max-shifted) softmax or the sigmoid. Computed in float64.
 */
export function toProbabilities(
  values: ArrayLike<number>,
  rows: number,
  width: number,
  kind: OutputKind,
): Float32Array {
  const classes = Math.max(width, 2);
  const out = new Float32Array(rows * classes);
  for (let r = 0; r < rows; r++) {
    if (width === 1) {
      const v = values[r]!;
      const p = kind === 'logit' ? 1 / (1 + Math.exp(-v)) : v;
      out[2 * r] = 1 - p;
      out[2 * r + 1] = p;
      continue;
    }
    const base = r * width;
    if (kind === 'probabilities') {
      for (let c = 0; c < width; c++) out[base + c] = values[base + c]!;
      continue;
    }
    let max = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < width; c++) max = Math.max(max, values[base + c]!);
    let sum = 0;
    for (let c = 0; c < width; c++) sum += Math.exp(values[base + c]! - max);
    for (let c = 0; c < width; c++) out[base + c] = Math.exp(values[base + c]! - max) / sum;
  }
  return out;
}
