import { seededRandom } from '@mlactions/core';
import { describe, expect, it } from 'vitest';
import { groupedAuc, orderedBits, rocAucOfAll, sortByScore } from '../src/metrics/auc.ts';
import {
  argmaxRows,
  ClassificationScorer,
  groupedConfusion,
  labelMetrics,
  rowLogLoss,
} from '../src/metrics/classification.ts';
import { regressionMetrics } from '../src/metrics/regression.ts';

/** The area by definition: pairs (positive, negative) ranked right, ties half. */
function pairwiseAuc(scores: number[], positive: boolean[], weights?: number[]): number {
  let right = 0;
  let pairs = 0;
  scores.forEach((p, i) => {
    if (!positive[i]) return;
    scores.forEach((n, j) => {
      if (positive[j]) return;
      const w = (weights?.[i] ?? 1) * (weights?.[j] ?? 1);
      pairs += w;
      right += w * (p > n ? 1 : p === n ? 0.5 : 0);
    });
  });
  return right / pairs;
}

describe('ROC area', () => {
  const random = seededRandom(3);
  const rows = 300;
  // Scores on a coarse grid so that ties are common.
  const scores = Array.from({ length: rows }, () => Math.round(random() * 20) / 20);
  const positive = scores.map((s) => random() < s);
  const order = sortByScore(Float32Array.from(scores), 1, 0, rows, (row) => positive[row]!);

  it('equals the pairwise definition with ties counted half (scikit-learn: 0.8889 on a known case)', () => {
    expect(groupedAuc(order)[0]).toBeCloseTo(pairwiseAuc(scores, positive), 12);
    const labels = [0, 1, 0, 1, 1, 0];
    const known = sortByScore(
      Float32Array.of(0.1, 0.4, 0.4, 0.8, 0.4, 0.2),
      1,
      0,
      6,
      (row) => labels[row] === 1,
    );
    expect(groupedAuc(known)[0]).toBeCloseTo(0.888888888888889, 12);
  });

  it('weights are multiplicities, and groups are the areas of their rows alone', () => {
    const weights = scores.map(() => Math.floor(random() * 3));
    expect(groupedAuc(order, weights)[0]).toBeCloseTo(pairwiseAuc(scores, positive, weights), 12);
    const of = Int32Array.from(scores, (_, r) => (r % 7 === 0 ? -1 : r % 3));
    const areas = groupedAuc(order, undefined, { of, count: 3 });
    for (let g = 0; g < 3; g++) {
      const rowsOf = scores.map((_, r) => r).filter((r) => of[r] === g);
      expect(areas[g]).toBeCloseTo(
        pairwiseAuc(
          rowsOf.map((r) => scores[r]!),
          rowsOf.map((r) => positive[r]!),
        ),
        12,
      );
    }
  });

  it('over all rows, unweighted, sorting positives and negatives apart gives the same area exactly', () => {
    const next = seededRandom(5);
    for (const grid of [20, 1000, 0]) {
      const n = 4000;
      const values = Float32Array.from({ length: n * 2 }, () => {
        const x = next();
        return grid === 0 ? x - 0.5 : Math.round(x * grid) / grid;
      });
      const isPositive = (row: number) => values[2 * row]! + next() * 0.5 > 0.6;
      const labels = Array.from({ length: n }, (_, row) => isPositive(row));
      const positive = (row: number) => labels[row]!;
      const expected = groupedAuc(sortByScore(values, 2, 0, n, positive))[0];
      expect(rocAucOfAll(values, 2, 0, n, positive)).toBe(expected);
    }
    expect(rocAucOfAll(Float32Array.from(scores), 1, 0, rows, () => true)).toBeNull();
    expect(rocAucOfAll(Float32Array.from(scores), 1, 0, rows, () => false)).toBeNull();
  });

  it('is undefined (null) without a positive or a negative', () => {
    expect(groupedAuc(sortByScore(Float32Array.from(scores), 1, 0, rows, () => true))).toEqual([null]);
  });

  it('orders float32 bits as numbers, -0 like +0', () => {
    const values = [-Infinity, -3.5, -1e-30, -0, 0, 1e-30, 0.25, 7, Infinity];
    const keys = Array.from(new Uint32Array(Float32Array.from(values).buffer), orderedBits);
    for (let i = 1; i < keys.length; i++) expect(keys[i]! > keys[i - 1]! || i === 4).toBe(true);
    expect(keys[3]).toBe(keys[4]);
  });
});

describe('label metrics', () => {
  // scikit-learn 1.2.1: truth [0,0,1,1,2,2,2], predicted [0,1,1,1,0,2,3] (class 3 only predicted).
  const truth = Uint16Array.of(0, 0, 1, 1, 2, 2, 2);
  const predicted = Uint16Array.of(0, 1, 1, 1, 0, 2, 3);

  it('match scikit-learn, averaging over classes in the truth or the predictions', () => {
    const [counts] = groupedConfusion(truth, predicted, 5, undefined);
    expect(labelMetrics(counts!, 5)).toEqual({
      accuracy: expect.closeTo(0.5714285714285714, 12),
      f1_macro: expect.closeTo(0.45, 12),
      f1_weighted: expect.closeTo(0.5857142857142856, 12),
      precision_macro: expect.closeTo(0.5416666666666666, 12),
      recall_macro: expect.closeTo(0.4583333333333333, 12),
    });
  });

  it('confusion rows are true classes, columns predicted; groups split the rows', () => {
    const of = Int32Array.of(0, 0, 1, 1, 1, -1, 0);
    const [a, b] = groupedConfusion(truth, predicted, 4, [1, 2, 1, 1, 1, 1, 1], { of, count: 2 });
    expect(Array.from(a!)).toEqual([1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0]);
    expect(Array.from(b!)).toEqual([0, 0, 0, 0, 0, 2, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0]);
  });
});

describe('log loss and predictions', () => {
  it('clips and renormalises each row as scikit-learn does (18.1657 on a known case)', () => {
    const probabilities = Float32Array.of(0, 1, 0.3, 0.9);
    const truth = Uint16Array.of(0, 1);
    const mean = (rowLogLoss(probabilities, truth, 2, 0) + rowLogLoss(probabilities, truth, 2, 1)) / 2;
    expect(mean).toBeCloseTo(18.165667730784467, 6);
  });

  it('predicts the first most probable class on ties', () => {
    expect(Array.from(argmaxRows(Float32Array.of(0.5, 0.5, 0.2, 0.8, 0.4, 0.4), 2))).toEqual([0, 1, 0]);
    expect(Array.from(argmaxRows(Float32Array.of(0.3, 0.4, 0.4, 0.1, 0.1, 0.1), 3))).toEqual([1, 0]);
  });

  it('the scorer’s single metrics agree with its full report, weighted or not', () => {
    const random = seededRandom(9);
    const rows = 200;
    const probabilities = new Float32Array(rows * 3);
    const truth = new Uint16Array(rows);
    for (let r = 0; r < rows; r++) {
      const a = random();
      const b = random() * (1 - a);
      probabilities.set([a, b, 1 - a - b], r * 3);
      truth[r] = Math.floor(random() * 3);
    }
    const scorer = new ClassificationScorer({
      task: 'classification',
      classes: ['a', 'b', 'c'],
      truth,
      probabilities,
    });
    const weights = Array.from({ length: rows }, () => Math.floor(random() * 3));
    for (const w of [undefined, weights]) {
      const all = scorer.metrics(w) as unknown as Record<string, number>;
      for (const name of scorer.names) expect(scorer.metric(name, w)).toBeCloseTo(all[name]!, 12);
    }
  });
});

describe('regression metrics', () => {
  it('match the definitions, weights as multiplicities', () => {
    const truth = Float64Array.of(1, 2, 3, 4);
    const predicted = Float64Array.of(1.5, 2, 2, 5);
    const [m] = regressionMetrics(truth, predicted);
    expect(m!.rmse).toBeCloseTo(Math.sqrt((0.25 + 0 + 1 + 1) / 4), 12);
    expect(m!.mae).toBeCloseTo(2.5 / 4, 12);
    expect(m!.r2).toBeCloseTo(1 - 2.25 / 5, 12);
    const [weighted] = regressionMetrics(truth, predicted, [2, 0, 1, 1]);
    const [expanded] = regressionMetrics(Float64Array.of(1, 1, 3, 4), Float64Array.of(1.5, 1.5, 2, 5));
    expect(weighted).toEqual(expanded);
  });

  it('R² of a constant truth is 1 for a perfect fit and 0 otherwise, as r2_score', () => {
    expect(regressionMetrics(Float64Array.of(2, 2), Float64Array.of(2, 2))[0]!.r2).toBe(1);
    expect(regressionMetrics(Float64Array.of(2, 2), Float64Array.of(2, 3))[0]!.r2).toBe(0);
  });
});
