import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCurves } from '@mlactions/core';
import { describe, expect, it } from 'vitest';
import { classifierCurves, writeCurveFiles } from '../src/evaluate/curves.ts';

/** Two classes: the second column is the positive class's probability. */
const binary = (truth: number[], scores: number[]) => ({
  task: 'classification' as const,
  classes: ['no', 'yes'],
  truth: Uint16Array.from(truth),
  probabilities: Float32Array.from(scores.flatMap((s) => [1 - s, s])),
});

describe('classifierCurves', () => {
  // sklearn.metrics.roc_curve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]):
  //   fpr [0, 0, 0.5, 0.5, 1], tpr [0, 0.5, 0.5, 1, 1]
  // precision_recall_curve: precision [0.5, 0.667, 0.5, 1, 1], recall [1, 1, 0.5, 0.5, 0]
  it('gives the ROC and precision-recall points scikit-learn gives', () => {
    const curves = classifierCurves(binary([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]));
    expect(curves.roc.map((p) => [p.x, p.y])).toEqual([
      [0, 0],
      [0, 0.5],
      [0.5, 0.5],
      [0.5, 1],
      [1, 1],
    ]);
    expect(curves.precisionRecall.map((p) => [p.x, Number(p.y.toFixed(3))])).toEqual([
      [0, 1],
      [0.5, 1],
      [0.5, 0.5],
      [1, 0.667],
      [1, 0.5],
    ]);
  });

  // calibration_curve bins by np.searchsorted(np.linspace(0, 1, 11)[1:-1], p): a score on an edge
  // (0.5) joins the bin below it, with 0.45, rather than starting the next.
  it('bins calibration as calibration_curve does, edges included', () => {
    const curves = classifierCurves(binary([1, 0, 1, 1], [0.45, 0.5, 0.9, 0.95]));
    expect(curves.calibration.map((p) => [Number(p.x.toFixed(4)), p.y])).toEqual([
      [0.475, 0.5],
      [0.9, 1],
      [0.95, 1],
    ]);
  });

  it('writes point files that the report reads with the right axes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'curves-'));
    const paths = await writeCurveFiles(classifierCurves(binary([0, 1, 1], [0.2, 0.7, 0.6])), dir);
    expect(paths.map((p) => p.slice(dir.length + 1))).toEqual([
      'roc.csv',
      'precision_recall.csv',
      'calibration.csv',
    ]);
    expect(await readFile(paths[0]!, 'utf8')).toMatch(/^fpr,tpr\n0,0\n/);
    const axes = await Promise.all(paths.map(async (p) => (await readCurves(p))[0]!));
    expect(axes.map((c) => [c.xLabel, c.yLabel])).toEqual([
      ['fpr', 'tpr'],
      ['recall', 'precision'],
      ['prob_pred', 'prob_true'],
    ]);
  });
});
