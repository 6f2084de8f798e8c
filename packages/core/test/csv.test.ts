import { describe, expect, it } from 'vitest';
import { parseCsvMetrics } from '../src/metrics/csv.ts';

describe('parseCsvMetrics', () => {
  it('reads a row per epoch: the last row is the value, the column the history', () => {
    const text = 'epoch,loss,accuracy,optimizer\n1,0.9,0.5,adam\n2,0.6,NaN,adam\n3,0.4,,sgd\n';
    expect(parseCsvMetrics(text, 'log.csv', ',')).toEqual([
      {
        file: 'log.csv',
        name: 'loss',
        value: { kind: 'number', value: 0.4 },
        history: [
          { step: 1, value: 0.9 },
          { step: 2, value: 0.6 },
          { step: 3, value: 0.4 },
        ],
      },
      {
        file: 'log.csv',
        name: 'accuracy',
        value: { kind: 'number', value: Number.NaN },
        history: [
          { step: 1, value: 0.5 },
          { step: 2, value: Number.NaN },
        ],
      },
      { file: 'log.csv', name: 'optimizer', value: { kind: 'text', text: 'sgd' } },
    ]);
  });

  it("reads DVCLive's TSV histories, with a BOM and quoted names", () => {
    const text = '\ufefftimestamp\tstep\t"val loss"\n1700000000\t0\t2.5\n1700000060\t1\tinf\n';
    const [metric, ...rest] = parseCsvMetrics(text, 'loss.tsv', '\t');
    expect(rest).toEqual([]);
    expect(metric).toEqual({
      file: 'loss.tsv',
      name: 'val loss',
      value: { kind: 'number', value: Number.POSITIVE_INFINITY },
      history: [
        { step: 0, value: 2.5 },
        { step: 1, value: Number.POSITIVE_INFINITY },
      ],
    });
  });

  it('names the file and line of a malformed row', () => {
    expect(() => parseCsvMetrics('a,b\n1,2\n3\n', 'log.csv', ',')).toThrow(
      /^log\.csv:3: this is not valid CSV/,
    );
  });

  it('refuses duplicate and empty column names', () => {
    expect(() => parseCsvMetrics('a,b,a\n1,2,3\n', 'log.csv', ',')).toThrow(
      /log\.csv:1: the column "a" appears twice/,
    );
    expect(() => parseCsvMetrics('a,,c\n1,2,3\n', 'log.csv', ',')).toThrow(
      /log\.csv:1: column 2 has no name/,
    );
  });

  it('reads an empty file as no metrics', () => {
    expect(parseCsvMetrics('', 'log.csv', ',')).toEqual([]);
  });
});
