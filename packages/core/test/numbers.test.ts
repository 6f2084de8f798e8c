import { describe, expect, it } from 'vitest';
import { parseNumber } from '../src/metrics/numbers.ts';

describe('parseNumber', () => {
  it('reads decimals and exponents', () => {
    expect(parseNumber('0.5')).toBe(0.5);
    expect(parseNumber(' -12 ')).toBe(-12);
    expect(parseNumber('1e-3')).toBe(0.001);
    expect(parseNumber('+.25')).toBe(0.25);
    expect(parseNumber('3.')).toBe(3);
  });

  it("reads Python's, numpy's and pandas' spellings of NaN and infinity", () => {
    for (const text of ['NaN', 'nan', '-nan', 'NAN']) expect(parseNumber(text)).toBeNaN();
    for (const text of ['inf', 'Infinity', '+inf', 'INF'])
      expect(parseNumber(text)).toBe(Number.POSITIVE_INFINITY);
    for (const text of ['-inf', '-Infinity']) expect(parseNumber(text)).toBe(Number.NEGATIVE_INFINITY);
  });

  it('leaves everything else as text', () => {
    for (const text of ['', ' ', 'abc', '0x10', '1_000', '1,5', 'infinite', 'nano', '1e', '--1']) {
      expect(parseNumber(text)).toBeUndefined();
    }
  });
});
