import { UserError } from '@mlactions/core';
import { type ClassificationRows, MAX_CLASSES } from '../metrics/classification.ts';
import type { RegressionRows } from '../metrics/regression.ts';
import { type ClassSource, LabelCodes, resolveClasses } from './classes.ts';
import { GrowableArray } from './growable.ts';
import {
  classifierKind,
  firstNonProbabilityRow,
  type OutputKind,
  type OutputKindOption,
  toProbabilities,
} from './outputs.ts';
import type { RowBatch } from './table.ts';

/** One batch's model output, flattened: rows × width values. */
export interface BatchOutput {
  readonly name: string;
  readonly values: Float32Array | Float64Array;
  readonly width: number;
}

/** Maps a row of the batch (0-based) to its data row number (1-based), for messages. */
export type RowNumber = (row: number) => number;

/** Gathers per-row results batch by batch. */
export interface Collector<Rows> {
  add(batch: RowBatch, output: BatchOutput, rowNumber: RowNumber): void;
  /** The outputs' kind once known (set by the first batch). */
  readonly kind: OutputKind | undefined;
  finish(): Rows;
}

function firstNaN(values: ArrayLike<number>): number {
  for (let i = 0; i < values.length; i++) if (Number.isNaN(values[i])) return i;
  return -1;
}

function nanError(output: BatchOutput, rowNumber: RowNumber, index: number): UserError {
  return new UserError(
    `the model's output ${JSON.stringify(output.name)} is NaN for data row ${rowNumber(Math.floor(index / output.width))}; check that row's features (missing cells are fed as NaN)`,
  );
}

export interface ClassificationCollectorOptions {
  readonly outputKind: OutputKindOption;
  readonly declaredClasses?: { readonly classes: readonly string[]; readonly source: ClassSource };
}

/** Collects a classifier's probabilities and the labels' codes; classes are resolved at the end. */
export class ClassificationCollector implements Collector<ClassificationRows> {
  kind: OutputKind | undefined;
  private width: number | undefined;
  private readonly options: ClassificationCollectorOptions;
  private readonly labels = new LabelCodes();
  /** The table's code of a label text → its LabelCodes code (-1: not seen yet). */
  private byTableCode = new Int32Array(0);
  private readonly truthCodes = new GrowableArray(Uint16Array);
  private readonly probabilities = new GrowableArray(Float32Array);

  constructor(options: ClassificationCollectorOptions) {
    this.options = options;
  }

  add(batch: RowBatch, output: BatchOutput, rowNumber: RowNumber): void {
    const { values, width } = output;
    if (this.width === undefined) this.width = width;
    else if (this.width !== width) {
      throw new UserError(
        `the model's output ${JSON.stringify(output.name)} changed from ${this.width} to ${width} columns between batches`,
      );
    }
    const nan = firstNaN(values);
    if (nan >= 0) throw nanError(output, rowNumber, nan);
    if (this.kind === undefined) {
      this.kind = classifierKind(this.options.outputKind, values, batch.rows, width);
    } else if (
      this.options.outputKind === 'auto' &&
      (this.kind === 'probabilities' || this.kind === 'probability')
    ) {
      const bad = firstNonProbabilityRow(values, batch.rows, width);
      if (bad >= 0) {
        throw new UserError(
          `the model's output ${JSON.stringify(output.name)} looked like probabilities in the first batch, but not for data row ${rowNumber(bad)}; say which it is with outputKind "probabilities" or "logits"`,
        );
      }
    }
    this.probabilities.pushAll(toProbabilities(values, batch.rows, width, this.kind));
    const labels = batch.labels as Int32Array;
    const texts = batch.labelTexts!;
    if (this.byTableCode.length < texts.length) {
      const grown = new Int32Array(Math.max(texts.length, 2 * this.byTableCode.length)).fill(-1);
      grown.set(this.byTableCode);
      this.byTableCode = grown;
    }
    const byTableCode = this.byTableCode;
    for (let r = 0; r < batch.rows; r++) {
      const text = labels[r]!;
      let code = byTableCode[text]!;
      if (code < 0) {
        code = this.labels.code(texts[text]!, rowNumber(r));
        byTableCode[text] = code;
      }
      this.truthCodes.push(code);
    }
    if (this.labels.keys.length > MAX_CLASSES) {
      throw new UserError(
        `the label column has more than ${MAX_CLASSES} distinct values; is it a regression target? (set task to regression)`,
      );
    }
  }

  finish(): ClassificationRows {
    const classCount = Math.max(this.width ?? 2, 2);
    const { classes, codeToClass } = resolveClasses(this.labels, classCount, this.options.declaredClasses);
    const truth = this.truthCodes.toArray();
    for (let r = 0; r < truth.length; r++) truth[r] = codeToClass[truth[r]!]!;
    return { task: 'classification', classes, truth, probabilities: this.probabilities.toArray() };
  }
}

/** Collects a regressor's predictions and the numeric labels. */
export class RegressionCollector implements Collector<RegressionRows> {
  kind: OutputKind | undefined;
  private readonly truth = new GrowableArray(Float64Array);
  private readonly predicted = new GrowableArray(Float64Array);

  add(batch: RowBatch, output: BatchOutput, rowNumber: RowNumber): void {
    if (output.width !== 1) {
      throw new UserError(
        `the model's output ${JSON.stringify(output.name)} has ${output.width} columns; a regressor's has one (for a classifier, set task to classification)`,
      );
    }
    const nan = firstNaN(output.values);
    if (nan >= 0) throw nanError(output, rowNumber, nan);
    this.kind = 'value';
    this.predicted.pushAll(output.values);
    this.truth.pushAll(batch.labels as Float64Array);
  }

  finish(): RegressionRows {
    return { task: 'regression', truth: this.truth.toArray(), predicted: this.predicted.toArray() };
  }
}

/** Codes each row's slice value; a missing value (null) is a group of its own. */
export class SliceCodes {
  readonly values: (string | null)[] = [];
  private readonly codes = new Map<string | null, number>();
  private readonly rows = new GrowableArray(Int32Array);

  add(values: readonly (string | null)[], rows: number): void {
    for (let r = 0; r < rows; r++) {
      const value = values[r]!;
      let code = this.codes.get(value);
      if (code === undefined) {
        code = this.values.length;
        this.values.push(value);
        this.codes.set(value, code);
      }
      this.rows.push(code);
    }
  }

  finish(): Int32Array {
    return this.rows.toArray();
  }
}
