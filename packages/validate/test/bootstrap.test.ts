import { join } from 'node:path';
import { defaultDirection, isUserError, seededRandom } from '@mlactions/core';
import { describe, expect, it } from 'vitest';
import { validate } from '../src/index.ts';
import { bootstrapVerdict, pairedBootstrap } from '../src/metrics/bootstrap.ts';
import { type ClassificationRows, ClassificationScorer } from '../src/metrics/classification.ts';
import type { RegressionRows } from '../src/metrics/regression.ts';

/** A binary classifier's rows whose probability of the true class is `skill` on average. */
function classifier(truth: Uint16Array, skill: number, seed: number): ClassificationRows {
  const random = seededRandom(seed);
  const probabilities = new Float32Array(truth.length * 2);
  truth.forEach((t, r) => {
    const right = Math.min(Math.max(skill + (random() - 0.5) * 0.6, 0.01), 0.99);
    const p1 = t === 1 ? right : 1 - right;
    probabilities[2 * r] = 1 - p1;
    probabilities[2 * r + 1] = p1;
  });
  return { task: 'classification', classes: ['0', '1'], truth, probabilities };
}

const random = seededRandom(1);
const truth = Uint16Array.from({ length: 2000 }, () => (random() < 0.5 ? 1 : 0));

function messageOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (isUserError(error)) return error.message;
    throw error;
  }
  throw new Error('expected a UserError');
}

describe('paired bootstrap', () => {
  it('finds no difference between a model and itself', () => {
    const rows = classifier(truth, 0.7, 2);
    const result = pairedBootstrap(rows, rows, { metric: 'accuracy', resamples: 200 });
    expect(result).toMatchObject({ delta: 0, low: 0, high: 0, worse: false, better: false, resamples: 200 });
  });

  it('says its verdict in a word', () => {
    expect(bootstrapVerdict({ worse: true, better: false })).toBe('worse');
    expect(bootstrapVerdict({ worse: false, better: true })).toBe('better');
    expect(bootstrapVerdict({ worse: false, better: false })).toBe('within noise');
  });

  it('calls a real regression worse, on every metric direction', () => {
    const baseline = classifier(truth, 0.75, 2);
    const candidate = classifier(truth, 0.6, 3);
    for (const metric of ['accuracy', 'f1_macro', 'log_loss', 'roc_auc']) {
      const result = pairedBootstrap(candidate, baseline, { metric, resamples: 300 });
      expect(result.worse, metric).toBe(true);
      expect(result.higherIsBetter).toBe(metric !== 'log_loss');
      expect(result.low <= result.delta && result.delta <= result.high, metric).toBe(true);
    }
    expect(pairedBootstrap(baseline, candidate, { metric: 'accuracy', resamples: 300 }).better).toBe(true);
  });

  it('does not call noise worse: two draws of the same skill', () => {
    const baseline = classifier(truth, 0.7, 2);
    const candidate = classifier(truth, 0.7, 4);
    const result = pairedBootstrap(candidate, baseline, { metric: 'accuracy', resamples: 300 });
    expect(result.worse).toBe(false);
    expect(result.low).toBeLessThan(0);
    expect(result.high).toBeGreaterThan(0);
  });

  it('is reproducible from its seed, and a margin tolerates small losses', () => {
    const baseline = classifier(truth, 0.75, 2);
    const candidate = classifier(truth, 0.7, 5);
    const a = pairedBootstrap(candidate, baseline, { metric: 'accuracy', resamples: 200, seed: 7 });
    const b = pairedBootstrap(candidate, baseline, { metric: 'accuracy', resamples: 200, seed: 7 });
    const c = pairedBootstrap(candidate, baseline, { metric: 'accuracy', resamples: 200, seed: 8 });
    expect(b).toEqual(a);
    expect(c.low).not.toBe(a.low);
    expect(a.worse).toBe(true);
    const tolerant = pairedBootstrap(candidate, baseline, {
      metric: 'accuracy',
      resamples: 200,
      seed: 7,
      margin: 0.2,
    });
    expect(tolerant.worse).toBe(false);
  });

  it('compares regressions, where a smaller error is better', () => {
    const truthValues = Float64Array.from({ length: 500 }, (_, i) => i / 10);
    const noisy = (scale: number, seed: number): RegressionRows => {
      const r = seededRandom(seed);
      return {
        task: 'regression',
        truth: truthValues,
        predicted: truthValues.map((y) => y + (r() - 0.5) * scale),
      };
    };
    const result = pairedBootstrap(noisy(4, 1), noisy(1, 2), { metric: 'rmse', resamples: 200 });
    expect(result).toMatchObject({ higherIsBetter: false, worse: true });
    expect(result.low).toBeGreaterThan(0);
  });

  it('reads which way is better by the report’s rule, so the gate and the report agree on every metric', () => {
    const classified = classifier(truth, 0.7, 2);
    const regressed: RegressionRows = {
      task: 'regression',
      truth: Float64Array.of(1, 2, 3, 4),
      predicted: Float64Array.of(1.1, 2, 2.9, 4.2),
    };
    for (const [rows, names] of [
      [classified, new ClassificationScorer(classified, { keepOrders: true }).names],
      [regressed, ['rmse', 'mae', 'r2']],
    ] as const) {
      for (const metric of names) {
        const { higherIsBetter } = pairedBootstrap(rows, rows, { metric, resamples: 20 });
        expect(defaultDirection(metric), metric).toBe(higherIsBetter ? 'higher' : 'lower');
      }
    }
  });

  it('refuses evaluations of different rows and metrics it cannot resample', () => {
    const rows = classifier(truth, 0.7, 2);
    const shorter = classifier(truth.subarray(0, 100), 0.7, 2);
    expect(messageOf(() => pairedBootstrap(rows, shorter, { metric: 'accuracy' }))).toContain(
      '2000 rows against 100',
    );
    const relabeled = { ...rows, truth: truth.map((t, r) => (r === 5 ? 1 - t : t)) };
    expect(messageOf(() => pairedBootstrap(rows, relabeled, { metric: 'accuracy' }))).toContain(
      'the labels differ first at scored row 6',
    );
    expect(messageOf(() => pairedBootstrap(rows, rows, { metric: 'rmse' }))).toBe(
      'the bootstrap cannot compare "rmse"; it compares accuracy, f1_macro, f1_weighted, precision_macro, recall_macro, log_loss, roc_auc',
    );
    expect(messageOf(() => pairedBootstrap(rows, rows, { metric: 'accuracy', confidence: 1 }))).toContain(
      'confidence',
    );
  });

  it('works on the evaluator’s per-row outputs of two models over the same data', async () => {
    const fixtures = join(import.meta.dirname, 'fixtures');
    const data = join(fixtures, 'sklearn.csv');
    const tensor = await validate({ model: join(fixtures, 'sklearn_tensor.onnx'), data, label: 'grade' });
    const zipmap = await validate({ model: join(fixtures, 'sklearn_zipmap.onnx'), data, label: 'grade' });
    const result = pairedBootstrap(zipmap.rows, tensor.rows, { metric: 'f1_macro', resamples: 100 });
    expect(result).toMatchObject({ delta: 0, worse: false });
  });
});
