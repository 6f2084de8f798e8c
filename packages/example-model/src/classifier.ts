/**
 * A softmax-regression classifier over a table's columns: numeric columns are standardised, categorical
 * columns (numeric codes) one-hot encoded, and a linear layer with a softmax gives the class
 * probabilities. The same steps run here (for training) and in the ONNX graph (for serving).
 */
import { softmaxInPlace } from './softmax.ts';

/** How the input's columns become the linear layer's inputs. */
export interface FeaturePlan {
  /** Numeric columns by input index, standardised as (x - mean) * scale. */
  numeric: readonly { column: number; mean: number; scale: number }[];
  /** Categorical columns by input index, one-hot over these codes (an unknown code is all zeros). */
  categorical: readonly { column: number; categories: readonly number[] }[];
}

export interface SoftmaxClassifier {
  /** The input's columns, in order: the model takes a `[batch, columns.length]` float tensor. */
  columns: readonly string[];
  classes: readonly string[];
  plan: FeaturePlan;
  /** Row-major `[width, classes]`, width being the plan's numeric columns plus all one-hot codes. */
  weights: Float64Array;
  bias: Float64Array;
}

/** Rows of a table as one row-major array of `rows × columns` numbers. */
export interface Rows {
  values: Float64Array;
  rows: number;
}

/** The number of linear-layer inputs a plan produces. */
export function planWidth(plan: FeaturePlan): number {
  return plan.numeric.length + plan.categorical.reduce((sum, c) => sum + c.categories.length, 0);
}

/**
 * A plan fitted on the training rows: each numeric column's mean and population standard deviation
 * (a constant column gets scale 1, so it becomes 0 rather than NaN).
 */
export function fitPlan(
  rows: Rows,
  columnCount: number,
  numeric: readonly number[],
  categorical: readonly { column: number; categories: readonly number[] }[],
): FeaturePlan {
  return {
    numeric: numeric.map((column) => {
      let sum = 0;
      for (let r = 0; r < rows.rows; r++) sum += rows.values[r * columnCount + column]!;
      const mean = sum / rows.rows;
      let squares = 0;
      for (let r = 0; r < rows.rows; r++) squares += (rows.values[r * columnCount + column]! - mean) ** 2;
      const std = Math.sqrt(squares / rows.rows);
      return { column, mean, scale: std > 0 ? 1 / std : 1 };
    }),
    categorical,
  };
}

/** Writes one input row's linear-layer inputs into `out` (length planWidth). */
export function encodeRow(plan: FeaturePlan, row: Float64Array, out: Float64Array): void {
  let k = 0;
  for (const { column, mean, scale } of plan.numeric) out[k++] = (row[column]! - mean) * scale;
  for (const { column, categories } of plan.categorical) {
    for (const code of categories) out[k++] = row[column] === code ? 1 : 0;
  }
}

/** Every row's linear-layer inputs, row-major `rows × planWidth`. */
export function encodeRows(plan: FeaturePlan, rows: Rows, columnCount: number): Float64Array {
  const width = planWidth(plan);
  const out = new Float64Array(rows.rows * width);
  for (let r = 0; r < rows.rows; r++) {
    encodeRow(
      plan,
      rows.values.subarray(r * columnCount, (r + 1) * columnCount),
      out.subarray(r * width, (r + 1) * width),
    );
  }
  return out;
}

/**
 * Class probabilities (row-major `rows × classes`) of already encoded rows: softmax(x · W + b).
 */
export function probabilitiesOfEncoded(
  weights: Float64Array,
  bias: Float64Array,
  encoded: Float64Array,
  rows: number,
): Float64Array {
  const classes = bias.length;
  const width = weights.length / classes;
  const out = new Float64Array(rows * classes);
  for (let r = 0; r < rows; r++) {
    const base = r * classes;
    for (let c = 0; c < classes; c++) out[base + c] = bias[c]!;
    for (let j = 0; j < width; j++) {
      const x = encoded[r * width + j]!;
      if (x === 0) continue;
      for (let c = 0; c < classes; c++) out[base + c] = out[base + c]! + x * weights[j * classes + c]!;
    }
    softmaxInPlace(out, base, classes);
  }
  return out;
}

/** The classifier's probabilities for input rows (row-major `rows × classes`). */
export function predictProbabilities(model: SoftmaxClassifier, rows: Rows): Float64Array {
  const encoded = encodeRows(model.plan, rows, model.columns.length);
  return probabilitiesOfEncoded(model.weights, model.bias, encoded, rows.rows);
}
