import { describe, expect, it } from 'vitest';
import { formatDelta, formatNumber, formatPercent, formatPValue, formatSummary } from '../src/format.ts';

describe('formatNumber', () => {
  it('writes five significant digits without trailing zeros', () => {
    expect(formatNumber(0.912346)).toBe('0.91235');
    expect(formatNumber(0.9)).toBe('0.9');
    expect(formatNumber(0.9 - 0.8)).toBe('0.1');
    expect(formatNumber(1234.5678)).toBe('1234.6');
    expect(formatNumber(42)).toBe('42');
    expect(formatNumber(-3.5)).toBe('-3.5');
    expect(formatNumber(0)).toBe('0');
  });

  it('switches to scientific notation for very small and very large magnitudes', () => {
    expect(formatNumber(0.0000123)).toBe('1.23e-5');
    expect(formatNumber(2e12)).toBe('2e+12');
    expect(formatNumber(123456789012.5)).toBe('1.2346e+11');
  });

  it('spells out NaN and infinities', () => {
    expect(formatNumber(Number.NaN)).toBe('NaN');
    expect(formatNumber(Number.POSITIVE_INFINITY)).toBe('∞');
    expect(formatNumber(Number.NEGATIVE_INFINITY)).toBe('-∞');
  });
});

describe('formatDelta and formatPercent', () => {
  it('always sign a change', () => {
    expect(formatDelta(0.0123)).toBe('+0.0123');
    expect(formatDelta(-2)).toBe('-2');
    expect(formatDelta(0)).toBe('0');
    expect(formatPercent(0.125)).toBe('+12.5%');
    expect(formatPercent(-0.0001234)).toBe('-0.0123%');
  });
});

describe('formatPValue', () => {
  it('gives two significant digits, or a bound', () => {
    expect(formatPValue(0.0341)).toBe('0.034');
    expect(formatPValue(0.5)).toBe('0.5');
    expect(formatPValue(0.0004)).toBe('<0.001');
  });
});

describe('formatSummary', () => {
  it('writes mean ± half-width (n)', () => {
    const summary = {
      n: 5,
      mean: 0.91,
      sd: 0.01,
      standardError: 0.0045,
      confidence: 0.95,
      low: 0.8976,
      high: 0.9224,
    };
    expect(formatSummary(summary)).toBe('0.91 ± 0.012 (n=5)');
    expect(formatSummary({ ...summary, n: 1, low: null, high: null })).toBe('0.91 (n=1)');
  });
});
