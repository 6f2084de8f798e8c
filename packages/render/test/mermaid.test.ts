import { describe, expect, it } from 'vitest';
import {
  mermaidText,
  plainNumber,
  renderHistoryChart,
  renderVersionChart,
  resampleHistory,
} from '../src/mermaid.ts';

/** Mermaid's xychart grammar for a number in data: no exponent, no grouping. */
const MERMAID_NUMBER = /^[+-]?(?:\d+(?:\.\d+)?|\.\d+)$/;

const history = (...values: number[]) => values.map((value, i) => ({ step: i + 1, value }));

describe('mermaidText', () => {
  it('cannot end a quoted label, a statement or the fence', () => {
    const text = mermaidText('a"b %%c; d\ne `f` #g <h> &i');
    expect(text).toBe('a b c d e f g h i');
    expect(mermaidText('val_loss (top-1) 0.5/x:y+z=w,v')).toBe('val_loss (top-1) 0.5/x:y+z=w,v');
  });

  it('cuts long names', () => {
    expect(mermaidText('x'.repeat(100))).toBe(`${'x'.repeat(59)}…`);
  });
});

describe('plainNumber', () => {
  it('writes numbers as the chart grammar reads them', () => {
    for (const value of [1e-7, 0.5, -3, 123456789, 1e21, -0.000123456789]) {
      expect(plainNumber(value)).toMatch(MERMAID_NUMBER);
    }
    expect(plainNumber(1e-7)).toBe('0.0000001');
    expect(plainNumber(1234567.89)).toBe('1234570');
  });
});

describe('resampleHistory', () => {
  it('interpolates between points and holds the ends', () => {
    const points = [
      { step: 2, value: 10 },
      { step: 4, value: 20 },
    ];
    expect(resampleHistory(points, [0, 2, 3, 4, 6])).toEqual([10, 10, 15, 20, 20]);
  });
});

describe('renderHistoryChart', () => {
  it('draws base and head as two lines over the same steps', () => {
    expect(
      renderHistoryChart({ title: 'val_loss', base: history(1, 0.5, 0.45), head: history(1.2, 0.6, 0.4) }),
    ).toBe(
      [
        '```mermaid',
        'xychart-beta',
        '  title "val_loss"',
        '  x-axis "step" 1 --> 3',
        '  y-axis "val_loss"',
        '  line "base" [1, 0.5, 0.45]',
        '  line "head" [1.2, 0.6, 0.4]',
        '```',
        '',
        '<sub>first line: base (steps 1–3) · second line: head (steps 1–3)</sub>',
      ].join('\n'),
    );
  });

  it('draws sides over different steps as a chart each, never padding the shorter one', () => {
    const chart = renderHistoryChart({
      title: 'val_loss',
      base: history(1, 0.5),
      head: history(1.2, 0.6, 0.4),
    })!;
    expect(chart.match(/^```mermaid$/gm)).toHaveLength(2);
    expect(chart).toContain('  x-axis "step" 1 --> 2\n  y-axis "val_loss"\n  line "base" [1, 0.5]\n```');
    expect(chart).toContain(
      '  x-axis "step" 1 --> 3\n  y-axis "val_loss"\n  line "head" [1.2, 0.6, 0.4]\n```',
    );
    expect(chart).toContain('line: base (steps 1–2)');
    expect(chart).toContain('line: head (steps 1–3)');
  });

  it('skips NaN points and gives nothing when no side has two points', () => {
    expect(
      renderHistoryChart({ title: 'x', base: history(1), head: history(Number.NaN, 2) }),
    ).toBeUndefined();
    expect(renderHistoryChart({ title: 'x' })).toBeUndefined();
    expect(renderHistoryChart({ title: 'x', head: history(1, Number.NaN, 3) })).toContain(
      'line "head" [1, 3]',
    );
  });

  it('resamples long histories to at most maxPoints, with data mermaid can read', () => {
    const long = Array.from({ length: 5000 }, (_, i) => ({ step: i, value: Math.exp(-i / 1000) * 1e-6 }));
    const chart = renderHistoryChart({ title: 'loss', head: long, maxPoints: 50 })!;
    const data = /line "head" \[(.*)\]/.exec(chart)![1]!.split(', ');
    expect(data).toHaveLength(50);
    for (const value of data) expect(value).toMatch(MERMAID_NUMBER);
    expect(chart).toContain('x-axis "step" 0 --> 4999');
  });

  it('makes a hostile title safe', () => {
    const chart = renderHistoryChart({ title: '"]\n```\n<img src=x> %%', head: history(1, 2) })!;
    expect(chart.split('\n').filter((line) => line.startsWith('```'))).toEqual(['```mermaid', '```']);
    expect(chart).toContain('title "img src=x"');
  });
});

describe('renderVersionChart', () => {
  it('draws one category per version with a finite value, and nothing for fewer than two', () => {
    const chart = renderVersionChart({
      title: 'f1',
      points: [
        { label: '1.0.0', value: 0.5 },
        { label: '1.1.0', value: Number.NaN },
        { label: 'this change', value: 1e-7 },
      ],
    })!;
    expect(chart.split('\n')).toEqual([
      '```mermaid',
      'xychart-beta',
      '  title "f1"',
      '  x-axis ["1.0.0", "this change"]',
      '  y-axis "f1"',
      '  line [0.5, 0.0000001]',
      '```',
    ]);
    expect(renderVersionChart({ title: 'f1', points: [{ label: '1.0.0', value: 1 }] })).toBeUndefined();
  });

  it('makes hostile titles and labels safe', () => {
    const chart = renderVersionChart({
      title: '"]\n```\n<img src=x>',
      points: [
        { label: '"]; x-axis', value: 1 },
        { label: '', value: 2 },
      ],
    })!;
    expect(chart.split('\n').filter((line) => line.startsWith('```'))).toEqual(['```mermaid', '```']);
    expect(chart).toContain('x-axis ["x-axis", "?"]');
  });
});
