/** The numerics of softmax regression, on plain arrays. */

/**
 * Replaces `values[offset .. offset + count)` with their softmax. Subtracting the largest value
 * first keeps exp() from overflowing; the result is unchanged by it.
 */
export function softmaxInPlace(values: Float64Array, offset = 0, count = values.length - offset): void {
  let max = -Infinity;
  for (let i = offset; i < offset + count; i++) max = Math.max(max, values[i]!);
  let sum = 0;
  for (let i = offset; i < offset + count; i++) {
    const e = Math.exp(values[i]! - max);
    values[i] = e;
    sum += e;
  }
  for (let i = offset; i < offset + count; i++) values[i] = values[i]! / sum;
}

/** Probabilities are clipped to [1e-15, 1] before the logarithm, so a confident mistake costs ~34.5, not Infinity. */
const LOG_FLOOR = 1e-15;

/**
 * Mean cross-entropy (log loss, natural log) and accuracy of row-major probabilities against class
 * indices. The predicted class is the first most probable one, as numpy's argmax picks it.
 */
export function lossAndAccuracy(
  probabilities: Float64Array,
  labels: ArrayLike<number>,
  classes: number,
): { loss: number; accuracy: number } {
  const rows = labels.length;
  let loss = 0;
  let correct = 0;
  for (let r = 0; r < rows; r++) {
    const base = r * classes;
    const truth = labels[r]!;
    loss -= Math.log(Math.max(probabilities[base + truth]!, LOG_FLOOR));
    let best = 0;
    for (let c = 1; c < classes; c++) if (probabilities[base + c]! > probabilities[base + best]!) best = c;
    if (best === truth) correct++;
  }
  return { loss: loss / rows, accuracy: correct / rows };
}
