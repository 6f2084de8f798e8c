/**
 * Per-column accumulators: they take a column of a batch (CSV bytes or values), count missing and
 * invalid cells, and build the column's profile. Memory per column is bounded: at most `exactLimit`
 * numbers, a KLL sketch, `maxCategories` category counts.
 */

import type { ColumnType } from '@mlactions/data';
import {
  type Batch,
  ByteInterner,
  categoryOf,
  cellOf,
  fieldTextAt,
  hasOuterSpace,
  isMissingBytes,
  isMissingText,
  isMissingValue,
  MAX_INTERNED_BYTES,
  parseBooleanText,
  parseBooleanValue,
  parseTimestampValue,
  readNumbers,
  type TextBatch,
} from '@mlactions/data';
import { KllSketch, seedFrom } from './kll.ts';
import {
  type BooleanColumnProfile,
  type CategoricalColumnProfile,
  type ColumnProfile,
  type CountsColumnProfile,
  MAX_INVALID_EXAMPLES,
  type NumericBins,
  type NumericColumnProfile,
  type ProfileSettings,
} from './profile.ts';
import { quantile, sampleOf, type WeightedSample, weightBelow } from './sample.ts';

/** What to profile for one column and how. */
export interface ColumnPlan {
  name: string;
  type: ColumnType;
  typeSource: ColumnProfile['typeSource'];
  typeReason: string;
  included: boolean;
  /** Bin cuts of the reference (numeric columns profiled against a reference). */
  referenceCuts?: readonly number[];
  /** The reference's categories, always counted exactly here (categorical columns). */
  referenceCategories?: readonly string[];
}

export interface ColumnAccumulator {
  /** Adds column `column` of rows `from` … `to`-1 of a CSV batch. */
  addText(batch: TextBatch, column: number, from: number, to: number): void;
  /** Adds a column of values (JSONL, Parquet). */
  addValues(values: ArrayLike<unknown>): void;
  /** Adds rows in which the column does not exist. */
  addMissing(rows: number): void;
  finish(): ColumnProfile;
}

/** The profile kind a column's type and inclusion lead to. */
export function kindOf(type: ColumnType, included: boolean): ColumnProfile['kind'] {
  if (type === 'boolean') return 'boolean';
  if (type === 'numeric') return 'numeric';
  if (type === 'categorical') return 'categorical';
  if (!included) return 'counts';
  return type === 'timestamp' ? 'numeric' : 'categorical';
}

export function createAccumulator(plan: ColumnPlan, settings: ProfileSettings): ColumnAccumulator {
  switch (kindOf(plan.type, plan.included)) {
    case 'numeric':
      return new NumericAccumulator(plan, settings);
    case 'categorical':
      return new CategoricalAccumulator(plan, settings);
    case 'boolean':
      return new BooleanAccumulator(plan);
    default:
      return new CountsAccumulator(plan);
  }
}

/**
 * True when field k of a CSV batch is missing: absent from its row, or a missing-value token (the
 * byte test, and the text rule for a field with surrounding spaces).
 */
function isMissingField(batch: TextBatch, k: number): boolean {
  const { bytes } = batch;
  const start = batch.starts[k]!;
  const end = batch.ends[k]!;
  return (
    start < 0 ||
    isMissingBytes(bytes, start, end) ||
    (hasOuterSpace(bytes, start, end) && isMissingText(fieldTextAt(batch, k)))
  );
}

/** Counters every column has. */
abstract class BaseAccumulator {
  protected count = 0;
  protected missing = 0;
  protected invalid = 0;
  protected readonly invalidExamples: string[] = [];

  protected readonly plan: ColumnPlan;

  constructor(plan: ColumnPlan) {
    this.plan = plan;
  }

  addMissing(rows: number): void {
    this.missing += rows;
  }

  protected addInvalid(value: unknown): void {
    this.invalid++;
    if (this.invalidExamples.length < MAX_INVALID_EXAMPLES) {
      const text = categoryOf(value);
      if (!this.invalidExamples.includes(text)) this.invalidExamples.push(text.slice(0, 100));
    }
  }

  protected base() {
    const { name, type, typeSource, typeReason, included } = this.plan;
    return {
      name,
      type,
      typeSource,
      typeReason,
      included,
      count: this.count,
      missing: this.missing,
      invalid: this.invalid,
      invalidExamples: [...this.invalidExamples],
    };
  }
}

/** Bin index of v: the number of cuts at or below it. */
function binOf(cuts: Float64Array, v: number): number {
  let lo = 0;
  let hi = cuts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cuts[mid]! <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Interior cuts of `bins` quantile bins of a sample, duplicates removed. */
export function quantileCuts(sample: WeightedSample, bins: number): number[] {
  const cuts: number[] = [];
  for (let i = 1; i < bins; i++) {
    const q = quantile(sample, i / bins);
    if (cuts.length === 0 || q > cuts[cuts.length - 1]!) cuts.push(q);
  }
  return cuts;
}

/** Counts (weights) of a sample in the bins that `cuts` define. */
export function binCounts(sample: WeightedSample, cuts: readonly number[]): number[] {
  const counts: number[] = [];
  let previous = 0;
  for (const cut of cuts) {
    const below = weightBelow(sample, cut);
    counts.push(below - previous);
    previous = below;
  }
  counts.push(sample.total - previous);
  return counts;
}

/** Own bins of a column from its values or sketch (see NumericBins). */
export function ownBins(sample: WeightedSample, bins: number, exact: boolean): NumericBins {
  if (sample.total === 0) return { cuts: [], counts: [0], origin: 'own', exact: true };
  const cuts = quantileCuts(sample, bins);
  return { cuts, counts: binCounts(sample, cuts), origin: 'own', exact };
}

class NumericAccumulator extends BaseAccumulator implements ColumnAccumulator {
  private readonly settings: ProfileSettings;
  private readonly timestamps: boolean;
  private min = Number.POSITIVE_INFINITY;
  private max = Number.NEGATIVE_INFINITY;
  /** Sums of (x - shift) and (x - shift)², shift being the first value, for an accurate variance. */
  private shift = Number.NaN;
  private sum = 0;
  private sumSquares = 0;
  private exact: Float64Array;
  private sketch: KllSketch | undefined;
  private readonly cuts: Float64Array | undefined;
  private readonly counts: Float64Array | undefined;
  private scratch = new Float64Array(1024);

  constructor(plan: ColumnPlan, settings: ProfileSettings) {
    super(plan);
    this.settings = settings;
    this.timestamps = plan.type === 'timestamp';
    // The sums hold doubles from the start, so that every accumulator keeps one object layout (see
    // KllSketch's constructor).
    this.sum = 0.5;
    this.sumSquares = 0.5;
    this.sum = 0;
    this.sumSquares = 0;
    this.exact = new Float64Array(Math.min(settings.exactLimit, 1024));
    if (plan.referenceCuts) {
      this.cuts = Float64Array.from(plan.referenceCuts);
      this.counts = new Float64Array(this.cuts.length + 1);
    }
  }

  private room(rows: number): Float64Array {
    if (this.scratch.length < rows) this.scratch = new Float64Array(rows);
    return this.scratch;
  }

  /** Reads a timestamp cell: pushes its seconds, or counts it as missing or invalid. */
  private readTimestamp(value: unknown, out: Float64Array, at: number): number {
    if (isMissingValue(value)) {
      this.missing++;
      return at;
    }
    const x = parseTimestampValue(value);
    if (x === undefined) this.addInvalid(value);
    else if (Number.isFinite(x)) out[at++] = x;
    else this.missing++;
    return at;
  }

  addText(batch: TextBatch, column: number, from: number, to: number): void {
    this.addColumn(batch, column, from, to);
  }

  addValues(values: ArrayLike<unknown>): void {
    const batch: Batch = { kind: 'values', names: [this.plan.name], rows: values.length, columns: [values] };
    this.addColumn(batch, 0, 0, values.length);
  }

  /** Reads the column through the cell rules; NaN and ±Infinity count as missing, text as invalid. */
  private addColumn(batch: Batch, column: number, from: number, to: number): void {
    const rows = to - from;
    const out = this.room(rows);
    if (this.timestamps) {
      let n = 0;
      for (let r = from; r < to; r++) n = this.readTimestamp(cellOf(batch, r, column), out, n);
      this.addNumbers(out, n);
      return;
    }
    let invalid = 0;
    const notNumber = (_: number, cell: unknown) => {
      invalid++;
      this.addInvalid(cell);
    };
    readNumbers(batch, column, out, 0, 1, notNumber, from, to);
    let n = 0;
    for (let i = 0; i < rows; i++) {
      const x = out[i]!;
      if (Number.isFinite(x)) out[n++] = x;
    }
    this.missing += rows - n - invalid;
    this.addNumbers(out, n);
  }

  private addNumbers(values: Float64Array, n: number): void {
    if (n === 0) return;
    if (this.count === 0) this.shift = values[0]!;
    const shift = this.shift;
    let { min, max, sum, sumSquares } = this;
    for (let i = 0; i < n; i++) {
      const x = values[i]!;
      if (x < min) min = x;
      if (x > max) max = x;
      const d = x - shift;
      sum += d;
      sumSquares += d * d;
    }
    this.min = min;
    this.max = max;
    this.sum = sum;
    this.sumSquares = sumSquares;
    if (this.cuts) {
      const cuts = this.cuts;
      const counts = this.counts!;
      for (let i = 0; i < n; i++) counts[binOf(cuts, values[i]!)]!++;
    }
    const limit = this.settings.exactLimit;
    if (!this.sketch && this.count + n <= limit) {
      if (this.exact.length < this.count + n) {
        const grown = new Float64Array(Math.min(limit, Math.max(this.count + n, this.exact.length * 2)));
        grown.set(this.exact.subarray(0, this.count));
        this.exact = grown;
      }
      this.exact.set(values.subarray(0, n), this.count);
    } else {
      if (!this.sketch) {
        // Past the exact limit: the kept values seed the sketch, which takes over.
        this.sketch = new KllSketch(this.settings.sketchK, seedFrom(this.plan.name));
        this.sketch.updateMany(this.exact, this.count);
        this.exact = new Float64Array(0);
      }
      this.sketch.updateMany(values, n);
    }
    this.count += n;
  }

  finish(): NumericColumnProfile {
    const n = this.count;
    const sample = this.sketch ? this.sketch.sample() : sampleOf(this.exact.subarray(0, n));
    const mean = n > 0 ? this.shift + this.sum / n : null;
    const m2 = n > 0 ? Math.max(0, this.sumSquares - (this.sum * this.sum) / n) : 0;
    const bins: NumericBins = this.cuts
      ? { cuts: Array.from(this.cuts), counts: Array.from(this.counts!), origin: 'reference', exact: true }
      : ownBins(sample, this.settings.bins, !this.sketch);
    return {
      kind: 'numeric',
      ...this.base(),
      min: n > 0 ? this.min : null,
      max: n > 0 ? this.max : null,
      mean,
      m2,
      values: this.sketch ? null : Array.from(sample.values),
      sketch: this.sketch ? this.sketch.toJSON() : null,
      rankError: this.sketch ? this.sketch.rankError() : 0,
      bins,
    };
  }
}

class CategoricalAccumulator extends BaseAccumulator implements ColumnAccumulator {
  /** Kept categories: their text, id and count. */
  private readonly ids = new Map<string, number>();
  private readonly names: string[] = [];
  private counts = new Float64Array(64);
  private readonly interner = new ByteInterner();
  private other = 0;
  private readonly cap: number;

  constructor(plan: ColumnPlan, settings: ProfileSettings) {
    super(plan);
    for (const category of plan.referenceCategories ?? []) this.keep(category);
    this.cap = Math.max(settings.maxCategories, this.names.length);
  }

  /** Starts counting a new category; returns its id. */
  private keep(category: string): number {
    const id = this.names.length;
    this.names.push(category);
    this.ids.set(category, id);
    if (id === this.counts.length) {
      const counts = new Float64Array(id * 2);
      counts.set(this.counts);
      this.counts = counts;
    }
    const bytes = Buffer.from(category, 'utf8');
    if (bytes.length <= MAX_INTERNED_BYTES) this.interner.add(bytes, 0, bytes.length, id);
    return id;
  }

  private add(category: string): void {
    let id = this.ids.get(category);
    if (id === undefined && this.names.length < this.cap) id = this.keep(category);
    if (id === undefined) this.other++;
    else this.counts[id]!++;
    this.count++;
  }

  addText(batch: TextBatch, column: number, from: number, to: number): void {
    const { bytes, starts, ends, escaped } = batch;
    const width = batch.names.length;
    for (let r = from, k = from * width + column; r < to; r++, k += width) {
      if (isMissingField(batch, k)) {
        this.missing++;
        continue;
      }
      const start = starts[k]!;
      const end = ends[k]!;
      if (end - start <= MAX_INTERNED_BYTES && !escaped[k] && !hasOuterSpace(bytes, start, end)) {
        const id = this.interner.find(bytes, start, end);
        if (id >= 0) {
          this.counts[id]!++;
          this.count++;
          continue;
        }
      }
      this.add(fieldTextAt(batch, k));
    }
  }

  addValues(values: ArrayLike<unknown>): void {
    for (let i = 0; i < values.length; i++) {
      const value = values[i];
      if (isMissingValue(value)) this.missing++;
      else this.add(categoryOf(value));
    }
  }

  finish(): CategoricalColumnProfile {
    const categories: [string, number][] = [];
    this.names.forEach((name, id) => {
      if (this.counts[id]! > 0) categories.push([name, this.counts[id]!]);
    });
    categories.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    return { kind: 'categorical', ...this.base(), categories, other: this.other };
  }
}

class BooleanAccumulator extends BaseAccumulator implements ColumnAccumulator {
  private trueCount = 0;

  private read(value: unknown): void {
    if (isMissingValue(value)) {
      this.missing++;
      return;
    }
    const b = parseBooleanValue(value, true);
    if (b === undefined) this.addInvalid(value);
    else {
      this.count++;
      if (b) this.trueCount++;
    }
  }

  addText(batch: TextBatch, column: number, from: number, to: number): void {
    const { bytes, starts, ends } = batch;
    const width = batch.names.length;
    for (let r = from, k = from * width + column; r < to; r++, k += width) {
      const start = starts[k]!;
      const end = ends[k]!;
      if (start < 0 || start === end) {
        this.missing++;
        continue;
      }
      // Single-character fields (1/0, t/f, y/n) skip the string.
      if (end - start === 1) {
        const b = parseBooleanText(String.fromCharCode(bytes[start]!), true);
        if (b !== undefined) {
          this.count++;
          if (b) this.trueCount++;
          continue;
        }
      }
      const text = fieldTextAt(batch, k);
      if (isMissingText(text)) this.missing++;
      else {
        const b = parseBooleanText(text, true);
        if (b === undefined) this.addInvalid(text);
        else {
          this.count++;
          if (b) this.trueCount++;
        }
      }
    }
  }

  addValues(values: ArrayLike<unknown>): void {
    for (let i = 0; i < values.length; i++) this.read(values[i]);
  }

  finish(): BooleanColumnProfile {
    return {
      kind: 'boolean',
      ...this.base(),
      trueCount: this.trueCount,
      falseCount: this.count - this.trueCount,
    };
  }
}

class CountsAccumulator extends BaseAccumulator implements ColumnAccumulator {
  addText(batch: TextBatch, column: number, from: number, to: number): void {
    const width = batch.names.length;
    for (let r = from, k = from * width + column; r < to; r++, k += width) {
      if (isMissingField(batch, k)) this.missing++;
      else this.count++;
    }
  }

  addValues(values: ArrayLike<unknown>): void {
    for (let i = 0; i < values.length; i++) {
      if (isMissingValue(values[i])) this.missing++;
      else this.count++;
    }
  }

  finish(): CountsColumnProfile {
    return { kind: 'counts', ...this.base() };
  }
}

/**
 * Feeds a batch to the accumulators its columns map to (`layout[c]`: the accumulator of batch column
 * c, -1 for none); accumulators the batch lacks count its rows as missing. `accumulators` may hold
 * only some (a thread's share): the others are left to whoever holds them.
 */
export function feedAccumulators(
  accumulators: readonly (ColumnAccumulator | undefined)[],
  batch: Batch,
  layout: ArrayLike<number>,
): void {
  const fed = new Uint8Array(accumulators.length);
  const held: number[] = [];
  for (let c = 0; c < layout.length; c++) {
    const index = layout[c]!;
    if (index < 0 || !accumulators[index]) continue;
    fed[index] = 1;
    held.push(c);
  }
  if (batch.kind === 'text') {
    // A block of rows at a time, all columns over it: the block's tokens are read from memory once
    // and then from the cache, where whole-batch passes would read them once per column.
    for (let from = 0; from < batch.rows; from += ROW_BLOCK) {
      const to = Math.min(batch.rows, from + ROW_BLOCK);
      for (const c of held) accumulators[layout[c]!]!.addText(batch, c, from, to);
    }
  } else {
    for (const c of held) accumulators[layout[c]!]!.addValues(batch.columns[c]!);
  }
  for (let i = 0; i < fed.length; i++) if (!fed[i]) accumulators[i]?.addMissing(batch.rows);
}

/** Rows per block (see feedAccumulators): a block of a dozen columns' tokens is some 400 KB. */
const ROW_BLOCK = 2048;
