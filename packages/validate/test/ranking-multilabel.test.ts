import { describe, expect, it } from 'vitest';
import { hammingLoss, multilabelF1Macro, multilabelF1Micro } from '../src/metrics/multilabel.ts';
import {
  mapAtK,
  meanReciprocalRank,
  ndcgAtK,
  queryAveragePrecision,
  queryNdcg,
  queryReciprocalRank,
} from '../src/metrics/ranking.ts';

// Small cases worked by hand; the scikit-learn fixtures are in predictions.test.ts.
const matrix = (rows: number[][]) => ({ cells: Uint8Array.from(rows.flat()), labels: rows[0]!.length });

describe('multilabel metrics', () => {
  const truth = matrix([
    [1, 0, 1],
    [0, 1, 0],
  ]);
  const predicted = matrix([
    [1, 1, 0],
    [0, 1, 0],
  ]);

  it('micro F1 pools the counts of every label', () => {
    // tp 2 (row 0 label 0, row 1 label 1), fp 1, fn 1: 4 / 6.
    expect(multilabelF1Micro(truth, predicted)).toBeCloseTo(4 / 6, 12);
  });

  it('macro F1 averages each label’s F1, a label never present nor predicted counting 0', () => {
    // label 0: 1; label 1: tp 1 fp 1 → 2/3; label 2: tp 0 fn 1 → 0.
    expect(multilabelF1Macro(truth, predicted)).toBeCloseTo((1 + 2 / 3 + 0) / 3, 12);
    expect(multilabelF1Macro(matrix([[0, 1]]), matrix([[0, 1]]))).toBe(0.5);
  });

  it('Hamming loss is the share of wrong cells', () => {
    expect(hammingLoss(truth, predicted)).toBeCloseTo(2 / 6, 12);
    expect(hammingLoss(truth, truth)).toBe(0);
  });
});

describe('ranking metrics', () => {
  const query = { relevance: [3, 0, 1, 0], scores: [0.9, 0.8, 0.1, 0.5] };

  it('NDCG@k: linear gains over the ideal order, log2 discounts', () => {
    const dcg = 3 + 0 / Math.log2(3) + 0 / Math.log2(4) + 1 / Math.log2(5);
    const ideal = 3 + 1 / Math.log2(3);
    expect(queryNdcg(query, 4)).toBeCloseTo(dcg / ideal, 12);
    expect(queryNdcg(query, 1)).toBe(1);
  });

  it('NDCG averages the gains of tied scores over the ranks they span', () => {
    const tied = { relevance: [1, 0], scores: [0.5, 0.5] };
    const dcg = 0.5 * (1 + 1 / Math.log2(3));
    expect(queryNdcg(tied, 2)).toBeCloseTo(dcg, 12);
    expect(queryNdcg(tied, 1)).toBeCloseTo(0.5, 12);
  });

  it('AP@k: precision at each relevant rank within k, over min(k, relevant)', () => {
    // Relevant at ranks 1 and 4: (1/1 + 2/4) / 2.
    expect(queryAveragePrecision(query, 10)).toBeCloseTo(0.75, 12);
    // Within 3 only rank 1: 1 / min(3, 2).
    expect(queryAveragePrecision(query, 3)).toBeCloseTo(0.5, 12);
  });

  it('ties count as ranked above in AP and MRR', () => {
    const tied = { relevance: [0, 1], scores: [0.5, 0.5] };
    expect(queryReciprocalRank(tied)).toBe(0.5);
    expect(queryAveragePrecision(tied, 10)).toBe(0.5);
  });

  it('a query with no relevant document scores 0, and counts in the mean', () => {
    const none = { relevance: [0, 0], scores: [1, 2] };
    expect([queryNdcg(none, 5), queryAveragePrecision(none, 5), queryReciprocalRank(none)]).toEqual([
      0, 0, 0,
    ]);
    expect(meanReciprocalRank([query, none])).toBe(0.5);
    expect(mapAtK([query, none], 10)).toBeCloseTo(0.375, 12);
    expect(ndcgAtK([query, none], 1)).toBe(0.5);
  });
});
