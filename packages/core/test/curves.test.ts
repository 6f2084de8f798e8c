import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_CURVE_POINTS, readCurves } from '../src/curves/read.ts';
import { thinCurve } from '../src/curves/thin.ts';

describe('thinCurve (largest triangle three buckets)', () => {
  it('keeps the ends and a spike that every-n-th sampling would miss', () => {
    const points = Array.from({ length: 1000 }, (_, i) => ({ x: i, y: i === 503 ? 100 : 0 }));
    const thin = thinCurve(points, 50);
    expect(thin).toHaveLength(50);
    expect(thin[0]).toEqual({ x: 0, y: 0 });
    expect(thin.at(-1)).toEqual({ x: 999, y: 0 });
    expect(thin).toContainEqual({ x: 503, y: 100 });
    const everyTwentieth = points.filter((_, i) => i % 20 === 0);
    expect(everyTwentieth.some((p) => p.y === 100)).toBe(false);
  });

  it('keeps x in order and leaves short curves alone', () => {
    const points = Array.from({ length: 300 }, (_, i) => ({ x: i / 299, y: Math.sin(i / 10) }));
    const thin = thinCurve(points, 40);
    expect(thin.map((p) => p.x)).toEqual([...thin.map((p) => p.x)].sort((a, b) => a - b));
    expect(thinCurve(points.slice(0, 10), 40)).toEqual(points.slice(0, 10));
  });
});

describe('readCurves', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'curves-'));
    await mkdir(join(dir, 'eval'));
  });

  it('reads CSV with DVC defaults: x is step (or the index), y the last column', async () => {
    await writeFile(join(dir, 'loss.csv'), 'step,loss\n0,1\n1,0.5\n2,0.25\n');
    await writeFile(join(dir, 'acc.tsv'), 'acc\n0.5\n0.7\n');
    expect(await readCurves(join(dir, 'loss.csv'), 'loss.csv')).toEqual([
      {
        title: 'loss.csv',
        xLabel: 'step',
        yLabel: 'loss',
        points: [
          { x: 0, y: 1 },
          { x: 1, y: 0.5 },
          { x: 2, y: 0.25 },
        ],
      },
    ]);
    const [acc] = await readCurves(join(dir, 'acc.tsv'), 'acc.tsv');
    expect(acc).toMatchObject({
      xLabel: 'index',
      yLabel: 'acc',
      points: [
        { x: 0, y: 0.5 },
        { x: 1, y: 0.7 },
      ],
    });
  });

  it('takes the x of ROC, precision-recall and calibration curves, and never a threshold for y', async () => {
    await writeFile(join(dir, 'roc.csv'), 'fpr,tpr,threshold\n0,0,1\n0.5,0.8,0.5\n1,1,0\n');
    const [roc] = await readCurves(join(dir, 'roc.csv'), 'roc.csv');
    expect(roc).toMatchObject({
      xLabel: 'fpr',
      yLabel: 'tpr',
      points: [
        { x: 0, y: 0 },
        { x: 0.5, y: 0.8 },
        { x: 1, y: 1 },
      ],
    });
  });

  it('reads DVC JSON plots ({"roc": [...]}) and thins long curves', async () => {
    const rows = Array.from({ length: 2000 }, (_, i) => ({
      fpr: i / 1999,
      tpr: Math.sqrt(i / 1999),
      threshold: 1 - i / 1999,
    }));
    await writeFile(join(dir, 'eval', 'roc.json'), JSON.stringify({ roc: rows }));
    await writeFile(
      join(dir, 'dvc.yaml'),
      'plots:\n  - eval/roc.json:\n      x: fpr\n      y: tpr\n      title: ROC\n  - named:\n      x: fpr\n      y:\n        eval/roc.json: threshold\n',
    );
    const curves = await readCurves(join(dir, 'dvc.yaml'), 'dvc.yaml');
    expect(curves.map((c) => [c.title, c.xLabel, c.yLabel])).toEqual([
      ['ROC', 'fpr', 'tpr'],
      ['named threshold', 'fpr', 'threshold'],
    ]);
    expect(curves[0]!.points).toHaveLength(MAX_CURVE_POINTS);
    expect(curves[0]!.points.at(-1)).toEqual({ x: 1, y: 1 });
  });

  it('names the file and the fix for what it cannot plot', async () => {
    await writeFile(join(dir, 'words.csv'), 'name\nx\ny\n');
    await expect(readCurves(join(dir, 'words.csv'), 'words.csv')).rejects.toThrow(
      /words\.csv: the field "name" holds no numbers/,
    );
    await writeFile(join(dir, 'eval', 'p.json'), JSON.stringify({ roc: [{ fpr: 0, tpr: 0 }] }));
    await writeFile(join(dir, 'eval', 'dvc.yaml'), 'plots:\n  - p.json:\n      x: recall\n');
    await expect(readCurves(join(dir, 'eval', 'dvc.yaml'))).rejects.toThrow(
      /no field "recall" for the x axis/,
    );
    await expect(readCurves(join(dir, 'absent.csv'))).rejects.toThrow(/no such plot file/);
  });
});
