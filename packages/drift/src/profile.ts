/**
 * Dataset profiles: what the drift check keeps of a dataset, per column, in a JSON document that
 * merges (profiles of shards merge into the profile of the whole) and that can be stored so that a
 * large reference is read once.
 *
 * Per column:
 * - counts: rows with a value (`count`), missing values (`missing`), values that do not read as the
 *   column's type (`invalid`, with a few examples); count + missing + invalid = rows.
 * - numeric: min, max, mean and the sum of squared deviations (exact); the values themselves, sorted,
 *   while there are at most `exactLimit` (10,000) of them, and past that a KLL sketch whose
 *   rank-error bound is stated (`rankError`); and bins (see `NumericBins`).
 * - categorical: exact counts per value for the first `maxCategories` (1,000) distinct values; values
 *   first seen after that are counted together in `other`.
 * - boolean: counts of true and false.
 */
import type { ColumnType } from '@mlactions/data';
import { DEFAULT_KLL_K, type KllJson } from './kll.ts';

export const PROFILE_FORMAT = 'mlactions-drift-profile';
export const PROFILE_VERSION = 1;

/** Invalid values kept as examples per column. */
export const MAX_INVALID_EXAMPLES = 5;

export interface ProfileSettings {
  /** Numeric values kept exactly up to this count; a sketch past it. */
  exactLimit: number;
  /** Distinct categories counted exactly per column; later ones go to `other`. */
  maxCategories: number;
  /** KLL sketch size parameter k. */
  sketchK: number;
  /** Number of numeric bins (quantile bins of the reference). */
  bins: number;
  /** Rows read before column types are inferred. */
  inferenceRows: number;
}

export const DEFAULT_SETTINGS: Readonly<ProfileSettings> = {
  exactLimit: 10_000,
  maxCategories: 1_000,
  sketchK: DEFAULT_KLL_K,
  bins: 10,
  inferenceRows: 10_000,
};

/**
 * Numeric bins: `cuts` are interior edges; bin 0 holds values below cuts[0], bin i values in
 * [cuts[i-1], cuts[i]), the last bin values at or above the last cut. A reference's cuts are its
 * deciles (for the default 10 bins; duplicates dropped), and data profiled against that reference is
 * counted into the same bins. Counts are exact when `exact`; otherwise they come from the sketch and
 * each bin's share is within ±2·rankError.
 */
export interface NumericBins {
  cuts: number[];
  counts: number[];
  /** 'own': cuts from this data's quantiles; 'reference': cuts given by a reference profile. */
  origin: 'own' | 'reference';
  exact: boolean;
}

interface ColumnBase {
  name: string;
  /** The column's type: inferred, set by the user, or taken from the reference profile. */
  type: ColumnType;
  typeSource: 'inferred' | 'override' | 'reference';
  /** Which inference rule (or override) decided the type. */
  typeReason: string;
  /** Whether drift tests look at this column (ids and timestamps are left out unless asked for). */
  included: boolean;
  count: number;
  missing: number;
  invalid: number;
  /** Up to five values that did not read as the column's type. */
  invalidExamples: string[];
}

export interface NumericColumnProfile extends ColumnBase {
  kind: 'numeric';
  min: number | null;
  max: number | null;
  mean: number | null;
  /** Σ (x - mean)²: the population variance is m2 / count. */
  m2: number;
  /** All values, sorted, while count <= exactLimit; otherwise null and `sketch` stands in. */
  values: number[] | null;
  sketch: KllJson | null;
  /** Rank-error bound of the sketch (a fraction of count, 99% per query); 0 when values are exact. */
  rankError: number;
  bins: NumericBins;
}

export interface CategoricalColumnProfile extends ColumnBase {
  kind: 'categorical';
  /** [value, count], most frequent first. */
  categories: [string, number][];
  /** Count of values outside the kept categories. */
  other: number;
}

export interface BooleanColumnProfile extends ColumnBase {
  kind: 'boolean';
  trueCount: number;
  falseCount: number;
}

/** A column profiled for its counts only (an id or timestamp left out of the tests). */
export interface CountsColumnProfile extends ColumnBase {
  kind: 'counts';
}

export type ColumnProfile =
  | NumericColumnProfile
  | CategoricalColumnProfile
  | BooleanColumnProfile
  | CountsColumnProfile;

export interface DatasetProfile {
  format: typeof PROFILE_FORMAT;
  version: typeof PROFILE_VERSION;
  rows: number;
  /** Names of the sources read, in order. */
  sources: string[];
  settings: ProfileSettings;
  columns: ColumnProfile[];
  /** Reference columns this data lacks (when profiled against a reference). */
  absentColumns: string[];
  /** Columns in this data that the reference lacks, or that appeared after the types were fixed; not profiled. */
  extraColumns: string[];
}
