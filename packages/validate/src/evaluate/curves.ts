/**
 * A classifier's curves as point files the report draws: ROC (fpr, tpr), precision–recall (recall,
 * precision) and calibration (prob_pred, prob_true), as scikit-learn's roc_curve,
 * precision_recall_curve and calibration_curve (10 uniform bins) define them. Two classes are scored
 * by the second class's probability; more are micro-averaged (every class column one-vs-rest).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type CurvePoint, MAX_CURVE_POINTS, thinCurve } from '@mlactions/core';
import type { ClassificationRows } from '../metrics/classification.ts';

export interface ClassifierCurves {
  roc: CurvePoint[];
  precisionRecall: CurvePoint[];
  calibration: CurvePoint[];
}

/** Scores and whether each is a positive, one entry per row (two classes) or per row and class. */
function scored(rows: ClassificationRows): { scores: Float64Array; positive: Uint8Array } {
  const k = rows.classes.length;
  const n = rows.truth.length;
  if (k === 2) {
    const scores = new Float64Array(n);
    const positive = new Uint8Array(n);
    for (let r = 0; r < n; r++) {
      scores[r] = rows.probabilities[r * 2 + 1]!;
      positive[r] = rows.truth[r] === 1 ? 1 : 0;
    }
    return { scores, positive };
  }
  const scores = Float64Array.from(rows.probabilities);
  const positive = new Uint8Array(n * k);
  for (let r = 0; r < n; r++) positive[r * k + rows.truth[r]!] = 1;
  return { scores, positive };
}

/** ROC and precision–recall points at each distinct score, highest first (scikit-learn's thresholds). */
function sweep(
  scores: Float64Array,
  positive: Uint8Array,
): Pick<ClassifierCurves, 'roc' | 'precisionRecall'> {
  const order = Uint32Array.from(scores.keys()).sort((a, b) => scores[b]! - scores[a]!);
  const positives = positive.reduce((sum, p) => sum + p, 0);
  const negatives = scores.length - positives;
  const roc: CurvePoint[] = [{ x: 0, y: 0 }];
  // scikit-learn's last point: recall 0 at precision 1.
  const precisionRecall: CurvePoint[] = [{ x: 0, y: 1 }];
  let tp = 0;
  let fp = 0;
  for (let i = 0; i < order.length; i++) {
    const row = order[i]!;
    if (positive[row]) tp++;
    else fp++;
    const next = order[i + 1];
    if (next !== undefined && scores[next] === scores[row]) continue;
    roc.push({ x: negatives === 0 ? 0 : fp / negatives, y: positives === 0 ? 0 : tp / positives });
    if (positives > 0) precisionRecall.push({ x: tp / positives, y: tp / (tp + fp) });
  }
  return { roc, precisionRecall };
}

/**
 * Mean predicted probability against the fraction of positives in each non-empty tenth of [0, 1],
 * binned as calibration_curve does: edges i × 0.1 (numpy's linspace), a score on an edge in the bin below.
 */
function calibration(scores: Float64Array, positive: Uint8Array, bins = 10): CurvePoint[] {
  const sums = new Float64Array(bins);
  const hits = new Float64Array(bins);
  const counts = new Float64Array(bins);
  const edges = Array.from({ length: bins - 1 }, (_, i) => (i + 1) * (1 / bins));
  scores.forEach((score, i) => {
    const bin = edges.reduce((below, edge) => below + (edge < score ? 1 : 0), 0);
    sums[bin] = sums[bin]! + score;
    hits[bin] = hits[bin]! + positive[i]!;
    counts[bin] = counts[bin]! + 1;
  });
  return Array.from(counts.keys()).flatMap((bin) =>
    counts[bin]! > 0 ? [{ x: sums[bin]! / counts[bin]!, y: hits[bin]! / counts[bin]! }] : [],
  );
}

/** The classifier's ROC, precision–recall and calibration curves, each thinned to MAX_CURVE_POINTS. */
export function classifierCurves(rows: ClassificationRows): ClassifierCurves {
  const { scores, positive } = scored(rows);
  const { roc, precisionRecall } = sweep(scores, positive);
  return {
    roc: thinCurve(roc, MAX_CURVE_POINTS),
    precisionRecall: thinCurve(precisionRecall, MAX_CURVE_POINTS),
    calibration: calibration(scores, positive),
  };
}

/** The files writeCurveFiles writes, with the columns report reads as x and y. */
const FILES = [
  { key: 'roc', file: 'roc.csv', header: 'fpr,tpr' },
  { key: 'precisionRecall', file: 'precision_recall.csv', header: 'recall,precision' },
  { key: 'calibration', file: 'calibration.csv', header: 'prob_pred,prob_true' },
] as const;

/** Writes roc.csv, precision_recall.csv and calibration.csv into `folder`; returns their paths. */
export async function writeCurveFiles(curves: ClassifierCurves, folder: string): Promise<string[]> {
  await mkdir(folder, { recursive: true });
  return Promise.all(
    FILES.map(async ({ key, file, header }) => {
      const path = join(folder, file);
      const lines = curves[key].map((p) => `${p.x},${p.y}`);
      await writeFile(path, `${[header, ...lines].join('\n')}\n`);
      return path;
    }),
  );
}
