import { describe, expect, it } from 'vitest';
import { lossAndAccuracy, softmaxInPlace } from '../src/softmax.ts';

describe('softmaxInPlace', () => {
  it('gives exp(x) / sum(exp(x))', () => {
    const values = Float64Array.of(1, 2, 3);
    softmaxInPlace(values);
    const sum = Math.exp(1) + Math.exp(2) + Math.exp(3);
    expect([...values]).toEqual(
      [Math.exp(1) / sum, Math.exp(2) / sum, Math.exp(3) / sum].map((v) => expect.closeTo(v, 15)),
    );
  });

  it('does not overflow on large logits', () => {
    const values = Float64Array.of(1000, 1000, 999);
    softmaxInPlace(values);
    expect(values.every(Number.isFinite)).toBe(true);
    expect(values[0]).toBeCloseTo(1 / (2 + Math.exp(-1)), 12);
  });

  it('touches only the given range', () => {
    const values = Float64Array.of(7, 0, 0, 7);
    softmaxInPlace(values, 1, 2);
    expect([...values]).toEqual([7, 0.5, 0.5, 7]);
  });
});

describe('lossAndAccuracy', () => {
  it('is ln(classes) for uniform probabilities', () => {
    const probabilities = new Float64Array(6).fill(1 / 3);
    const { loss } = lossAndAccuracy(probabilities, [0, 2], 3);
    expect(loss).toBeCloseTo(Math.log(3), 12);
  });

  it('counts the first most probable class as the prediction', () => {
    const probabilities = Float64Array.of(0.5, 0.5, 0.2, 0.8, 0.9, 0.1);
    const { loss, accuracy } = lossAndAccuracy(probabilities, [0, 1, 1], 2);
    expect(accuracy).toBeCloseTo(2 / 3, 12);
    expect(loss).toBeCloseTo(-(Math.log(0.5) + Math.log(0.8) + Math.log(0.1)) / 3, 12);
  });

  it('keeps a certain mistake finite', () => {
    const { loss } = lossAndAccuracy(Float64Array.of(1, 0), [1], 2);
    expect(loss).toBeCloseTo(-Math.log(1e-15), 9);
  });
});
