/**
 * Scoring a predictions file (any framework's output) with the metrics of the ONNX path: a
 * `prediction` column (a class, a number, a set of labels, or a ranking score) or per-class
 * probability columns, beside the label column.
 */
import { UserError } from '@mlactions/core';
import { parseNumberText } from '@mlactions/data';
import { classKey, LabelCodes, resolveClasses, sortClasses } from '../evaluate/classes.ts';
import { SliceCodes } from '../evaluate/collect.ts';
import { describeColumns } from '../evaluate/columns.ts';
import { firstNonProbabilityRow } from '../evaluate/outputs.ts';
import type {
  EvaluationRows,
  MultilabelReport,
  RankingReport,
  ScoredReport,
  ValidationReport,
} from '../evaluate/report.ts';
import { scoreRows } from '../evaluate/score.ts';
import type { ClassificationRows } from '../metrics/classification.ts';
import {
  hammingLoss,
  type LabelMatrix,
  multilabelF1Macro,
  multilabelF1Micro,
} from '../metrics/multilabel.ts';
import { mapAtK, meanReciprocalRank, ndcgAtK, type RankedQuery } from '../metrics/ranking.ts';
import { type ColumnsFile, type ReadColumnsOptions, readColumnsFile } from './columns-file.ts';
import { joinOnId, reorder } from './join.ts';

export type PredictionsTask = 'classification' | 'regression' | 'multilabel' | 'ranking';
export const PREDICTIONS_TASKS: readonly PredictionsTask[] = [
  'classification',
  'regression',
  'multilabel',
  'ranking',
];

export const DEFAULT_PREDICTION_COLUMN = 'prediction';
export const DEFAULT_PROBABILITY_PREFIX = 'proba_';
export const DEFAULT_RANKING_CUTOFFS: readonly number[] = [10];
/** How a multilabel cell separates its labels: `news|sport`; an empty cell is the empty set. */
export const LABEL_SEPARATOR = '|';

export interface PredictionsOptions extends ReadColumnsOptions {
  /** The predictions file (a folder or pattern is read as one table). */
  readonly predictions: string;
  /** The true class, value, label set or relevance. */
  readonly label: string;
  /**
   * By default: classification with probability columns; else regression when every prediction is a
   * number, classification when not. Multilabel and ranking are said.
   */
  readonly task?: PredictionsTask;
  /** The column of predicted classes, values, label sets or ranking scores (default `prediction`). */
  readonly prediction?: string;
  /** Per-class probability columns are named this prefix and the class (default `proba_`). */
  readonly probabilityPrefix?: string;
  readonly slice?: string;
  /** Ranking: the column that groups documents into queries. */
  readonly query?: string;
  /** Ranking: the cutoffs k of NDCG@k and MAP@k (default 10). */
  readonly k?: readonly number[];
}

/** A predictions file's report, and the rows a paired bootstrap compares (classification, regression). */
export interface ScoredPredictions {
  readonly report: ValidationReport;
  readonly rows?: EvaluationRows;
}

/** The settings every part reads, defaults applied. */
interface Plan {
  readonly options: PredictionsOptions;
  readonly task: PredictionsTask;
  readonly prediction: string;
  /** Probability columns and their classes, when the classifier's file has them. */
  readonly probabilities?: { readonly columns: readonly string[]; readonly classes: readonly string[] };
}

/** Scores a predictions file. */
export async function scorePredictions(options: PredictionsOptions): Promise<ScoredPredictions> {
  const file = await readPredictionsFile(options, options.predictions, []);
  const plan = planOf(options, file);
  return scoreFiles(plan, [file])[0]!;
}

/**
 * Scores a candidate's and a baseline's predictions over the same rows: the baseline's file is joined
 * on `id` (any row order), must hold the same ids, and is scored against the candidate's labels.
 */
export async function scoreJoinedPredictions(
  options: PredictionsOptions,
  baselinePath: string,
  id: string,
): Promise<{ candidate: ScoredPredictions; baseline: ScoredPredictions }> {
  const candidate = await readPredictionsFile(options, options.predictions, [id]);
  const plan = planOf(options, candidate);
  const raw = await readPredictionsFile(
    { ...options, slice: undefined, query: undefined },
    baselinePath,
    [id],
    plan.probabilities ? [] : [plan.prediction],
    false,
  );
  const baseline = reorder(raw, joinOnId(candidate, raw, id));
  checkSameLabels(candidate, baseline, options.label, id);
  // The candidate's labels, slices and queries are the rows' truth for both.
  const texts = new Map(baseline.texts);
  for (const name of [options.label, options.slice, options.query]) {
    if (name !== undefined) texts.set(name, candidate.texts.get(name)!);
  }
  const [first, second] = scoreFiles(plan, [candidate, { ...baseline, texts }]);
  return { candidate: first!, baseline: second! };
}

function readPredictionsFile(
  options: PredictionsOptions,
  path: string,
  extra: readonly string[],
  required: readonly string[] = [],
  labelRequired = true,
): Promise<ColumnsFile> {
  const prefix = options.probabilityPrefix ?? DEFAULT_PROBABILITY_PREFIX;
  const prediction = options.prediction ?? DEFAULT_PREDICTION_COLUMN;
  const needed = [
    ...(labelRequired ? [options.label] : []),
    ...extra,
    ...required,
    ...[options.slice, options.query].filter((name): name is string => name !== undefined),
  ];
  return readColumnsFile(path, needed, options, (columns) => [
    ...columns.filter((name) => name.startsWith(prefix) || name === prediction),
    ...(columns.includes(options.label) ? [options.label] : []),
  ]);
}

function planOf(options: PredictionsOptions, file: ColumnsFile): Plan {
  const prediction = options.prediction ?? DEFAULT_PREDICTION_COLUMN;
  const prefix = options.probabilityPrefix ?? DEFAULT_PROBABILITY_PREFIX;
  const probabilityColumns = file.columns.filter(
    (name) => name.startsWith(prefix) && name.length > prefix.length,
  );
  const hasPrediction = file.columns.includes(prediction);
  const task =
    options.task ??
    (probabilityColumns.length > 0
      ? 'classification'
      : hasPrediction &&
          file.texts.get(prediction)!.every((text) => text === null || parseNumberText(text) !== undefined)
        ? 'regression'
        : 'classification');
  if (task === 'ranking' && options.query === undefined)
    throw new UserError('ranking predictions are grouped by query: give the query column (`query`)');
  if (task !== 'ranking' && options.query !== undefined)
    throw new UserError(
      `a query column is for ranking predictions, not ${task}: set task to ranking or leave query out`,
    );
  if ((task === 'multilabel' || task === 'ranking') && options.slice !== undefined)
    throw new UserError(`slices are computed for classification and regression predictions, not ${task}`);
  if (task === 'classification' && probabilityColumns.length > 0) {
    if (probabilityColumns.length < 2)
      throw new UserError(
        `predictions file ${file.path} has one probability column (${JSON.stringify(probabilityColumns[0])}); give one per class, the positive class's and the negative's`,
      );
    return {
      options,
      task,
      prediction,
      probabilities: {
        columns: probabilityColumns,
        classes: probabilityColumns.map((name) => name.slice(prefix.length)),
      },
    };
  }
  if (!hasPrediction) {
    throw new UserError(
      `predictions file ${file.path} has no ${JSON.stringify(prediction)} column${task === 'classification' ? ` nor probability columns (${JSON.stringify(`${prefix}<class>`)})` : ''}; its columns are ${describeColumns(file.columns)}`,
    );
  }
  return { options, task, prediction };
}

function checkSameLabels(candidate: ColumnsFile, baseline: ColumnsFile, label: string, id: string): void {
  const theirs = baseline.texts.get(label);
  if (!theirs) return;
  const ours = candidate.texts.get(label)!;
  for (let row = 0; row < ours.length; row++) {
    if (ours[row] !== theirs[row]) {
      throw new UserError(
        `the candidate's and the baseline's label ${JSON.stringify(label)} differ for id ${JSON.stringify(candidate.texts.get(id)![row]!.slice(0, 60))} (${JSON.stringify(ours[row])} in ${candidate.path}, ${JSON.stringify(theirs[row])} in ${baseline.path}); both must be predictions on the same validation set`,
      );
    }
  }
}

/** Scores files over the same rows (a candidate and its joined baseline) with one plan and one class list. */
function scoreFiles(plan: Plan, files: readonly ColumnsFile[]): ScoredPredictions[] {
  switch (plan.task) {
    case 'multilabel':
      return files.map((file) => ({ report: multilabelReport(plan, file) }));
    case 'ranking':
      return files.map((file) => ({ report: rankingReport(plan, file) }));
    default: {
      const main = files[0]!;
      const labels = main.texts.get(plan.options.label)!;
      const kept: number[] = [];
      labels.forEach((label, row) => {
        if (label !== null) kept.push(row);
      });
      if (kept.length === 0)
        throw new UserError(
          `predictions file ${main.path} has no rows with a label in column ${JSON.stringify(plan.options.label)}`,
        );
      const allRows =
        plan.task === 'classification'
          ? classificationRows(plan, files, kept)
          : files.map((file) => regressionRows(plan, file, kept));
      const slices = sliceCodes(plan, main, kept);
      return allRows.map((rows) => ({
        rows,
        report: scoreRows(
          rows,
          {
            missingLabels: labels.length - kept.length,
            output: describeOutput(plan, rows),
          },
          slices?.(),
        ),
      }));
    }
  }
}

function describeOutput(plan: Plan, rows: EvaluationRows): ScoredReport['output'] {
  if (plan.probabilities)
    return {
      name: `${plan.options.probabilityPrefix ?? DEFAULT_PROBABILITY_PREFIX}*`,
      kind: 'probabilities',
    };
  return { name: plan.prediction, kind: rows.task === 'classification' ? 'label' : 'value' };
}

function sliceCodes(plan: Plan, file: ColumnsFile, kept: readonly number[]) {
  const column = plan.options.slice;
  if (column === undefined) return undefined;
  const values = file.texts.get(column)!;
  // Each report consumes its own codes.
  return () => {
    const codes = new SliceCodes();
    codes.add(
      kept.map((row) => values[row]!),
      kept.length,
    );
    return { column, codes };
  };
}

function cellError(file: ColumnsFile, row: number, column: string, problem: string): UserError {
  return new UserError(
    `predictions file ${file.path}, ${file.where(row)}, column ${JSON.stringify(column)}: ${problem}`,
  );
}

function numberAt(file: ColumnsFile, column: string, row: number, hint = ''): number {
  const text = file.texts.get(column)![row]!;
  if (text === null) throw cellError(file, row, column, 'the cell is empty; every scored row needs one');
  const value = parseNumberText(text);
  if (value === undefined || Number.isNaN(value))
    throw cellError(file, row, column, `${JSON.stringify(text.slice(0, 40))} is not a number${hint}`);
  return value;
}

function textAt(file: ColumnsFile, column: string, row: number): string {
  const text = file.texts.get(column)![row];
  if (text === null || text === undefined)
    throw cellError(file, row, column, 'the cell is empty; every scored row needs one');
  return text;
}

function regressionRows(plan: Plan, file: ColumnsFile, kept: readonly number[]): EvaluationRows {
  const hint = "; a regression's label and prediction are numbers (for classes, set task to classification)";
  return {
    task: 'regression',
    truth: Float64Array.from(kept, (row) => numberAt(file, plan.options.label, row, hint)),
    predicted: Float64Array.from(kept, (row) => numberAt(file, plan.prediction, row, hint)),
  };
}

/**
 * Classification rows of each file over one class list: the probability columns' classes, or else the
 * sorted classes of every label and prediction seen (as scikit-learn's unique labels).
 */
function classificationRows(
  plan: Plan,
  files: readonly ColumnsFile[],
  kept: readonly number[],
): ClassificationRows[] {
  const main = files[0]!;
  const codes = new LabelCodes();
  const truthCodes = kept.map((row) => codes.code(textAt(main, plan.options.label, row), row + 1));
  if (plan.probabilities) {
    const { columns, classes } = plan.probabilities;
    const { codeToClass } = resolveClasses(codes, classes.length, { classes, source: 'columns' });
    const truth = Uint16Array.from(truthCodes, (code) => codeToClass[code]!);
    return files.map((file) => ({
      task: 'classification',
      classes,
      truth,
      probabilities: probabilitiesOf(file, columns, kept),
    }));
  }
  const predictionCodes = files.map((file) =>
    kept.map((row) => codes.code(textAt(file, plan.prediction, row), row + 1)),
  );
  const classes = sortClasses(codes.keys);
  const index = new Map(classes.map((name, i) => [name, i]));
  const classOf = (code: number) => index.get(codes.keys[code]!)!;
  const truth = Uint16Array.from(truthCodes, classOf);
  return predictionCodes.map((predicted) => {
    const probabilities = new Float32Array(kept.length * classes.length);
    predicted.forEach((code, r) => {
      probabilities[r * classes.length + classOf(code)] = 1;
    });
    return { task: 'classification', classes, truth, probabilities, hard: true };
  });
}

function probabilitiesOf(
  file: ColumnsFile,
  columns: readonly string[],
  kept: readonly number[],
): Float32Array {
  for (const column of columns) {
    if (!file.texts.has(column))
      throw new UserError(
        `predictions file ${file.path} has no probability column ${JSON.stringify(column)}; both files need one per class`,
      );
  }
  const width = columns.length;
  const values = new Float32Array(kept.length * width);
  kept.forEach((row, r) => {
    columns.forEach((column, c) => {
      values[r * width + c] = numberAt(file, column, row);
    });
  });
  const bad = firstNonProbabilityRow(values, kept.length, width);
  if (bad >= 0) {
    throw new UserError(
      `predictions file ${file.path}, ${file.where(kept[bad]!)}: the probability columns do not sum to 1 (each row is one distribution over the classes)`,
    );
  }
  return values;
}

/** A cell's label set: labels separated by `|`, blanks dropped; an empty cell is the empty set. */
function labelSet(text: string | null): string[] {
  if (text === null) return [];
  return text
    .split(LABEL_SEPARATOR)
    .map((label) => label.trim())
    .filter((label) => label !== '');
}

function multilabelReport(plan: Plan, file: ColumnsFile): MultilabelReport {
  const truthSets = file.texts.get(plan.options.label)!.map(labelSet);
  const predictedSets = file.texts.get(plan.prediction)!.map(labelSet);
  const labels = sortClasses([...new Set([...truthSets.flat(), ...predictedSets.flat()].map(classKey))]);
  const index = new Map(labels.map((label, i) => [label, i]));
  const matrix = (sets: string[][]): LabelMatrix => {
    const cells = new Uint8Array(sets.length * labels.length);
    sets.forEach((set, row) => {
      for (const label of set) cells[row * labels.length + index.get(classKey(label))!] = 1;
    });
    return { cells, labels: labels.length };
  };
  const truth = matrix(truthSets);
  const predicted = matrix(predictedSets);
  return {
    task: 'multilabel',
    rows: file.rows,
    missingLabels: 0,
    output: { name: plan.prediction, kind: 'label' },
    labels,
    metrics: {
      f1_micro: multilabelF1Micro(truth, predicted),
      f1_macro: multilabelF1Macro(truth, predicted),
      hamming_loss: hammingLoss(truth, predicted),
    },
  };
}

function rankingReport(plan: Plan, file: ColumnsFile): RankingReport {
  const cutoffs = plan.options.k?.length ? plan.options.k : DEFAULT_RANKING_CUTOFFS;
  for (const k of cutoffs) {
    if (!Number.isInteger(k) || k < 1)
      throw new UserError(`a ranking cutoff k is a positive integer, not ${k}`);
  }
  const query = plan.options.query!;
  const labels = file.texts.get(plan.options.label)!;
  const groups = new Map<string, { relevance: number[]; scores: number[] }>();
  let missingLabels = 0;
  for (let row = 0; row < file.rows; row++) {
    if (labels[row] === null) {
      missingLabels++;
      continue;
    }
    const key = textAt(file, query, row);
    let group = groups.get(key);
    if (!group) {
      group = { relevance: [], scores: [] };
      groups.set(key, group);
    }
    const relevance = numberAt(
      file,
      plan.options.label,
      row,
      "; a ranking's label is a relevance grade (0 for not relevant)",
    );
    if (relevance < 0)
      throw cellError(
        file,
        row,
        plan.options.label,
        `relevance ${relevance} is negative; grades are 0 or more`,
      );
    group.relevance.push(relevance);
    group.scores.push(numberAt(file, plan.prediction, row));
  }
  const queries: RankedQuery[] = [...groups.values()];
  if (queries.length === 0)
    throw new UserError(
      `predictions file ${file.path} has no rows with a label in column ${JSON.stringify(plan.options.label)}`,
    );
  const metrics: Record<string, number> = {};
  for (const k of cutoffs) {
    metrics[`ndcg_at_${k}`] = ndcgAtK(queries, k);
    metrics[`map_at_${k}`] = mapAtK(queries, k);
  }
  metrics.mrr = meanReciprocalRank(queries);
  return {
    task: 'ranking',
    rows: file.rows - missingLabels,
    missingLabels,
    output: { name: plan.prediction, kind: 'score' },
    queries: queries.length,
    metrics,
  };
}
