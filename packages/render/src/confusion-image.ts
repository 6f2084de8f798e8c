/**
 * A confusion matrix as a PNG picture: one square per cell, its blue as deep as the cell's share of
 * its row (the true class), its count written in it. Rows are true classes and columns predicted
 * ones, in the order given; the picture has no words, so its caption names the classes.
 */
import { encodePng } from './png.ts';

/** Digits 0–9, 3 pixels wide and 5 high, row by row (1: ink). */
const DIGITS = [
  '111101101101111',
  '010110010010111',
  '111001111100111',
  '111001111001111',
  '101101111001001',
  '111100111001111',
  '111100111101111',
  '111001001001001',
  '111101111101111',
  '111101111001111',
];

const CELL = 72;
const GAP = 2;
const MARGIN = 8;
/** Each pixel of a digit is drawn as a square this wide, or narrower for a long count. */
const SCALE = 4;

type Rgb = readonly [number, number, number];
const WHITE: Rgb = [255, 255, 255];
const BLUE: Rgb = [9, 105, 218];
const INK: Rgb = [31, 35, 40];
const GRID: Rgb = [209, 217, 224];

const mix = (from: Rgb, to: Rgb, share: number): Rgb =>
  [0, 1, 2].map((i) => Math.round(from[i]! + (to[i]! - from[i]!) * share)) as unknown as Rgb;

/** The confusion matrix (rows: true class, columns: predicted; whole counts) as PNG bytes. */
export function confusionMatrixPng(matrix: readonly (readonly number[])[]): Buffer {
  const n = matrix.length;
  if (n === 0 || matrix.some((row) => row.length !== n))
    throw new RangeError('A confusion matrix is square, with a row and a column per class.');
  const side = MARGIN * 2 + n * CELL + (n - 1) * GAP;
  const rgba = new Uint8Array(side * side * 4);
  const paint = (x0: number, y0: number, w: number, h: number, colour: Rgb) => {
    for (let y = y0; y < y0 + h; y++)
      for (let x = x0; x < x0 + w; x++) rgba.set([...colour, 255], (y * side + x) * 4);
  };
  paint(0, 0, side, side, WHITE);
  paint(MARGIN - GAP, MARGIN - GAP, side - 2 * (MARGIN - GAP), side - 2 * (MARGIN - GAP), GRID);
  matrix.forEach((row, r) => {
    const total = row.reduce((sum, count) => sum + count, 0);
    row.forEach((count, c) => {
      const share = total > 0 ? count / total : 0;
      const x = MARGIN + c * (CELL + GAP);
      const y = MARGIN + r * (CELL + GAP);
      paint(x, y, CELL, CELL, mix(WHITE, BLUE, share));
      const text = String(Number.isFinite(count) ? Math.max(0, Math.round(count)) : 0);
      const scale = Math.min(SCALE, Math.floor((CELL - 8) / (text.length * 4 - 1)));
      if (scale < 1) return; // too long to write in the square
      const left = x + Math.floor((CELL - (text.length * 4 - 1) * scale) / 2);
      const top = y + Math.floor((CELL - 5 * scale) / 2);
      const ink = share > 0.5 ? WHITE : INK;
      [...text].forEach((digit, i) => {
        const glyph = DIGITS[Number(digit)]!;
        for (let p = 0; p < 15; p++)
          if (glyph[p] === '1')
            paint(left + (i * 4 + (p % 3)) * scale, top + Math.floor(p / 3) * scale, scale, scale, ink);
      });
    });
  });
  return encodePng({ width: side, height: side, rgba });
}
