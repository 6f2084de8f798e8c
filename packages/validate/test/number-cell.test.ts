import { describe, expect, it } from 'vitest';
import { parseDecimalBytes, parseNumberText } from '../src/table/number-cell.ts';

const encoder = new TextEncoder();
const parse = (text: string) => {
  const bytes = encoder.encode(`#${text}#`);
  return parseDecimalBytes(bytes, 1, bytes.length - 1);
};

describe('parseDecimalBytes', () => {
  it('agrees with Number on every spelling of a decimal, bit for bit', () => {
    let seed = 12345;
    const random = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    const texts = [
      '0',
      '-0',
      '+3',
      '.5',
      '5.',
      '007.250',
      '1e22',
      '1e23',
      '123456789012345',
      '1234567890123456789',
    ];
    for (let i = 0; i < 4000; i++) {
      const value = (random() - 0.5) * 10 ** Math.floor(random() * 40 - 20);
      texts.push(
        String(value),
        value.toFixed(6),
        value.toExponential(4),
        value.toPrecision(17),
        value.toPrecision(8),
      );
    }
    for (const text of texts) expect(Object.is(parse(text), Number(text)), text).toBe(true);
  });

  it('returns NaN for anything that is not a plain decimal', () => {
    for (const text of ['', '-', '.', 'e5', '1e', '1e+', '1.2.3', '12a', 'NaN', 'inf', ' 1', '1,5']) {
      expect(parse(text), text).toBeNaN();
    }
  });
});

describe('parseNumberText', () => {
  it('reads missing markers as NaN, infinities, and trimmed decimals', () => {
    for (const text of ['', 'NaN', 'nan', 'NA', 'null', 'None', ' ']) expect(parseNumberText(text)).toBeNaN();
    expect(parseNumberText('-inf')).toBe(Number.NEGATIVE_INFINITY);
    expect(parseNumberText('Infinity')).toBe(Number.POSITIVE_INFINITY);
    expect(parseNumberText(' 2.5 ')).toBe(2.5);
  });

  it('refuses text that is not a number, even what Number would take', () => {
    for (const text of ['abc', '0x10', '1_000', '1,5', 'true'])
      expect(parseNumberText(text), text).toBeUndefined();
  });
});
