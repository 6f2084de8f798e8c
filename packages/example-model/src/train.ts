/**
 * Trains a SoftmaxClassifier by mini-batch gradient descent on the mean cross-entropy plus an L2
 * penalty on the weights. Seeded: the same data and options give the same model and history.
 */
import {
  encodeRows,
  fitPlan,
  planWidth,
  probabilitiesOfEncoded,
  type Rows,
  type SoftmaxClassifier,
} from './classifier.ts';
import { createRandom } from './random.ts';
import { lossAndAccuracy } from './softmax.ts';

/** Rows with their true class (an index into the classes). */
export interface LabelledRows extends Rows {
  labels: Uint16Array;
}

export interface TrainOptions {
  /** The input's columns, in order. */
  columns: readonly string[];
  /** The columns the model uses; the others are in its input but ignored. */
  features: readonly string[];
  /** Features that are categorical, with their numeric codes (one-hot encoded). */
  categories?: Readonly<Record<string, readonly number[]>>;
  classes: readonly string[];
  epochs: number;
  learningRate: number;
  batchSize: number;
  /** L2 penalty on the weights (not the bias). */
  l2: number;
  /** Seeds the order of rows in each epoch. */
  seed: number;
}

/** One epoch's metrics, named as a metrics history file names them. */
export interface EpochMetrics {
  epoch: number;
  loss: number;
  accuracy: number;
  val_loss: number;
  val_accuracy: number;
}

export interface TrainResult {
  model: SoftmaxClassifier;
  history: EpochMetrics[];
}

function columnIndex(columns: readonly string[], name: string): number {
  const index = columns.indexOf(name);
  if (index < 0) throw new Error(`feature ${name} is not one of the columns ${columns.join(', ')}`);
  return index;
}

/**
 * Adds the gradient of the mean cross-entropy over the batch rows `order[start .. end)` to `gradW`
 * and `gradB` (which the caller zeroes). For softmax regression it is (p - onehot(y)) ⊗ x per row.
 */
function accumulateGradient(
  encoded: Float64Array,
  labels: Uint16Array,
  probabilities: Float64Array,
  order: readonly number[],
  start: number,
  end: number,
  width: number,
  classes: number,
  gradW: Float64Array,
  gradB: Float64Array,
): void {
  const n = end - start;
  for (let i = start; i < end; i++) {
    const r = order[i]!;
    for (let c = 0; c < classes; c++) {
      const error = (probabilities[(i - start) * classes + c]! - (labels[r] === c ? 1 : 0)) / n;
      gradB[c] = gradB[c]! + error;
      for (let j = 0; j < width; j++) {
        gradW[j * classes + c] = gradW[j * classes + c]! + error * encoded[r * width + j]!;
      }
    }
  }
}

/** Trains on `train`, recording loss and accuracy on it and on `validation` after every epoch. */
export function trainSoftmax(
  train: LabelledRows,
  validation: LabelledRows,
  options: TrainOptions,
): TrainResult {
  const columnCount = options.columns.length;
  const categories = options.categories ?? {};
  const numeric = options.features
    .filter((f) => !(f in categories))
    .map((f) => columnIndex(options.columns, f));
  const categorical = options.features
    .filter((f) => f in categories)
    .map((f) => ({ column: columnIndex(options.columns, f), categories: [...categories[f]!] }));
  const plan = fitPlan(train, columnCount, numeric, categorical);
  const width = planWidth(plan);
  const classes = options.classes.length;
  const encodedTrain = encodeRows(plan, train, columnCount);
  const encodedValidation = encodeRows(plan, validation, columnCount);
  const weights = new Float64Array(width * classes);
  const bias = new Float64Array(classes);
  const gradW = new Float64Array(width * classes);
  const gradB = new Float64Array(classes);
  const random = createRandom(options.seed);
  const order = Array.from({ length: train.rows }, (_, i) => i);
  const batch = new Float64Array(options.batchSize * width);
  const history: EpochMetrics[] = [];
  for (let epoch = 1; epoch <= options.epochs; epoch++) {
    random.shuffle(order);
    for (let start = 0; start < train.rows; start += options.batchSize) {
      const end = Math.min(start + options.batchSize, train.rows);
      for (let i = start; i < end; i++) {
        batch.set(encodedTrain.subarray(order[i]! * width, (order[i]! + 1) * width), (i - start) * width);
      }
      const probabilities = probabilitiesOfEncoded(weights, bias, batch, end - start);
      gradW.fill(0);
      gradB.fill(0);
      accumulateGradient(
        encodedTrain,
        train.labels,
        probabilities,
        order,
        start,
        end,
        width,
        classes,
        gradW,
        gradB,
      );
      for (let k = 0; k < weights.length; k++) {
        weights[k] = weights[k]! - options.learningRate * (gradW[k]! + options.l2 * weights[k]!);
      }
      for (let c = 0; c < classes; c++) bias[c] = bias[c]! - options.learningRate * gradB[c]!;
    }
    const onTrain = lossAndAccuracy(
      probabilitiesOfEncoded(weights, bias, encodedTrain, train.rows),
      train.labels,
      classes,
    );
    const onValidation = lossAndAccuracy(
      probabilitiesOfEncoded(weights, bias, encodedValidation, validation.rows),
      validation.labels,
      classes,
    );
    history.push({
      epoch,
      loss: onTrain.loss,
      accuracy: onTrain.accuracy,
      val_loss: onValidation.loss,
      val_accuracy: onValidation.accuracy,
    });
  }
  return {
    model: { columns: [...options.columns], classes: [...options.classes], plan, weights, bias },
    history,
  };
}
