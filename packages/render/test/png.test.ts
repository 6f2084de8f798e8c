import { inflateSync } from 'node:zlib';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { confusionMatrixPng } from '../src/confusion-image.ts';
import { encodePng } from '../src/png.ts';

/** CRC-32 as the PNG specification's annex D computes it (a table, not zlib's). */
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** The file's chunks, each CRC checked against the specification's. */
function chunks(png: Buffer): { type: string; data: Buffer }[] {
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const found: { type: string; data: Buffer }[] = [];
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    const data = png.subarray(at + 8, at + 8 + length);
    expect(png.readUInt32BE(at + 8 + length), `${type}'s CRC`).toBe(
      crc(png.subarray(at + 4, at + 8 + length)),
    );
    found.push({ type, data });
    at += 12 + length;
  }
  return found;
}

/** Decoded by hand: the header's fields and the pixels, every row's filter byte 0. */
function decode(png: Buffer) {
  const parts = chunks(png);
  expect(parts.map((part) => part.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
  const header = parts[0]!.data;
  const [width, height] = [header.readUInt32BE(0), header.readUInt32BE(4)];
  expect([...header.subarray(8)]).toEqual([8, 6, 0, 0, 0]);
  const rows = inflateSync(parts[1]!.data);
  expect(rows.length).toBe((width * 4 + 1) * height);
  const rgba = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    expect(rows[y * (width * 4 + 1)]).toBe(0);
    rows.copy(rgba, y * width * 4, y * (width * 4 + 1) + 1, (y + 1) * (width * 4 + 1));
  }
  return { width, height, rgba };
}

describe('encodePng', () => {
  it('writes pixels that decode back the same, with valid chunk CRCs', () => {
    const width = 3;
    const height = 2;
    const rgba = new Uint8Array(width * height * 4).map((_, i) => (i * 37) % 256);
    const png = encodePng({ width, height, rgba });
    const decoded = decode(png);
    expect(decoded).toMatchObject({ width, height });
    expect([...decoded.rgba]).toEqual([...rgba]);
    // A second decoder, pngjs, reads the same pixels.
    const read = PNG.sync.read(png);
    expect([read.width, read.height]).toEqual([width, height]);
    expect([...read.data]).toEqual([...rgba]);
  });

  it('refuses a size the pixels do not fill', () => {
    expect(() => encodePng({ width: 2, height: 2, rgba: new Uint8Array(15) })).toThrow(
      /take 16 bytes, not 15/,
    );
    expect(() => encodePng({ width: 0, height: 1, rgba: new Uint8Array(0) })).toThrow(/positive whole/);
  });
});

describe('confusionMatrixPng', () => {
  const matrix = [
    [90, 10, 0],
    [5, 40, 5],
    [0, 20, 1000],
  ];
  const pixel = (image: { width: number; rgba: Uint8Array }, x: number, y: number) => [
    ...image.rgba.subarray((y * image.width + x) * 4, (y * image.width + x) * 4 + 4),
  ];

  it('draws one square per cell, as blue as its share of the row, with its count in it', () => {
    const image = decode(confusionMatrixPng(matrix));
    // 8 + 3 × 72 + 2 × 2 + 8
    expect([image.width, image.height]).toEqual([236, 236]);
    expect(pixel(image, 0, 0)).toEqual([255, 255, 255, 255]);
    // A cell's corner (no digit there): 0% white, 100% GitHub's blue, shares between.
    const corner = (row: number, column: number) => pixel(image, 8 + column * 74 + 1, 8 + row * 74 + 1);
    expect(corner(0, 2)).toEqual([255, 255, 255, 255]);
    expect(corner(0, 0)).toEqual([34, 120, 222, 255]); // 90%
    expect(corner(1, 1)).toEqual([58, 135, 225, 255]); // 80%
    expect(corner(2, 2)[0]).toBeLessThan(corner(2, 1)[0]!);
    // Each count is written: a cell holds ink of the other colour, a 0 cell dark ink.
    const inked = (row: number, column: number) => {
      const colours = new Set<string>();
      for (let y = 0; y < 72; y++)
        for (let x = 0; x < 72; x++) colours.add(pixel(image, 8 + column * 74 + x, 8 + row * 74 + y).join());
      return colours;
    };
    expect(inked(0, 2)).toEqual(new Set(['255,255,255,255', '31,35,40,255']));
    expect(inked(0, 0)).toContain('255,255,255,255');
    expect(inked(2, 2).size).toBe(2); // four digits still fit
  });

  it('refuses a matrix that is not square', () => {
    expect(() => confusionMatrixPng([[1, 2]])).toThrow(/square/);
    expect(() => confusionMatrixPng([])).toThrow(/square/);
  });
});
