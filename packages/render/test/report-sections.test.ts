import { compareMetrics, diffParams, type ParamChange } from '@mlactions/core';
import { describe, expect, it } from 'vitest';
import { renderCurveChart } from '../src/mermaid.ts';
import { renderReport } from '../src/report.ts';
import { expectWellFormedTables, HOSTILE, set } from './helpers.ts';

const params = (base: Record<string, string>, head: Record<string, string>): ParamChange[] =>
  diffParams(new Map(Object.entries(base)), new Map(Object.entries(head)));

const roc = Array.from({ length: 50 }, (_, i) => ({ x: i / 49, y: Math.sqrt(i / 49) }));

describe('the report beside its metrics', () => {
  it('shows changed parameters in a table and folds the unchanged ones', () => {
    const report = compareMetrics(set({ accuracy: 0.9 }), set({ accuracy: 0.91 }));
    const { full } = renderReport(report, {
      params: params({ lr: '0.01', seed: '7', epochs: '10' }, { lr: '0.02', seed: '7', epochs: '10' }),
    });
    expect(full).toContain('**Parameters**: 1 changed parameter\n\n| Parameter | Base | Head |');
    expect(full).toContain('| lr | 0.01 | 0.02 |');
    expect(full).toContain('<details><summary>2 unchanged parameters</summary>');
    expect(full.indexOf('| lr |')).toBeLessThan(full.indexOf('| epochs |'));
  });

  it('escapes parameter names and values from untrusted files', () => {
    const report = compareMetrics(set({ a: 1 }), set({ a: 1 }));
    const { full } = renderReport(report, {
      params: params({ [HOSTILE]: 'x' }, { [HOSTILE]: '`</details> @everyone | y' }),
    });
    expect(full).not.toContain('<img');
    expect(full).not.toContain('</details> @');
    expect(full).not.toContain('@everyone');
    expectWellFormedTables(full);
  });

  it('shows cost metrics in their own table, base against head', () => {
    const report = compareMetrics(
      set({ accuracy: 0.9, 'cost.gpu_hours': 2, 'cost.energy_kwh': 0.5 }),
      set({ accuracy: 0.9, 'cost.gpu_hours': 3, 'cost.energy_kwh': 0.5 }),
    );
    const { full } = renderReport(report);
    expect(full).toContain('**What the run cost**');
    expect(full).toMatch(/\| 🔴 \| cost\.gpu\\_hours \| 2 \| 3 \| \+1 \(\+50(\.0)?%\) \|/);
    // Not counted twice: the main table and its summary line leave the cost out.
    expect(full.match(/cost\.gpu\\_hours/g)).toHaveLength(1);
  });

  it('draws a curve of both sides on one chart, with its axes named', () => {
    const chart = renderCurveChart({
      title: 'roc',
      xLabel: 'fpr',
      yLabel: 'tpr',
      base: roc,
      head: roc.map(({ x, y }) => ({ x, y: Math.min(1, y * 1.1) })),
    });
    expect(chart).toContain('x-axis "fpr" 0 --> 1');
    expect(chart).toContain('y-axis "tpr"');
    expect(chart?.match(/ {2}line "/g)).toHaveLength(2);
    expect(chart).toContain('first line: base (fpr 0–1) · second line: head (fpr 0–1)');
  });

  it('links only plain https images, with escaped names', () => {
    const report = compareMetrics(set({ a: 1 }), set({ a: 1 }));
    const { full } = renderReport(report, {
      images: [
        { name: 'confusion.png', url: 'https://github.com/o/r/blob/assets/pr-1/confusion.png?raw=true' },
        { name: HOSTILE, url: 'javascript:alert(1)' },
      ],
    });
    expect(full).toContain(
      '![confusion.png](https://github.com/o/r/blob/assets/pr-1/confusion.png?raw=true)',
    );
    expect(full).not.toContain('javascript:');
  });

  it('links a relative path of plain segments, and no path that climbs, hides or carries a scheme', () => {
    const report = compareMetrics(set({ a: 1 }), set({ a: 1 }));
    const refused = [
      '../x.png',
      'a/../x.png',
      '/etc/x.png',
      '.git/x.png',
      'a b.png',
      'data:image/png;base64,AA',
      'a\\b.png',
    ];
    const { full } = renderReport(report, {
      images: [
        { name: 'confusion.png', url: 'images/pr-1/confusion-matrix.png' },
        ...refused.map((url) => ({ name: 'x', url })),
      ],
    });
    expect(full).toContain('![confusion.png](images/pr-1/confusion-matrix.png)');
    expect(full.match(/!\[/g)).toHaveLength(1);
  });

  it('keeps a 5,000-metric report with every section under the limit, dropping in the documented order', () => {
    const base: Record<string, number> = { 'cost.gpu_hours': 1 };
    const head: Record<string, number> = { 'cost.gpu_hours': 1.5 };
    const baseParams: Record<string, string> = {};
    const headParams: Record<string, string> = {};
    for (let i = 0; i < 5000; i++) {
      base[`layer_${i}.${HOSTILE}.accuracy`] = 0.5;
      head[`layer_${i}.${HOSTILE}.accuracy`] = i % 2 === 0 ? 0.6 : 0.5;
      baseParams[`p${i}`] = String(i);
      headParams[`p${i}`] = i < 3 ? 'changed' : String(i);
    }
    const options = {
      params: params(baseParams, headParams),
      curves: [{ title: 'roc.csv', xLabel: 'fpr', yLabel: 'tpr', base: roc, head: roc }],
      images: [{ name: 'confusion.png', url: 'https://github.com/o/r/blob/assets/pr-1/c.png?raw=true' }],
      fullReportUrl: 'https://github.com/o/r/actions/runs/1',
    };
    const report = compareMetrics(set(base), set(head));
    const { comment, full, shortened } = renderReport(report, options);
    expect(full).toContain('xychart-beta');
    expect(shortened).toBe(true);
    expect(comment.length).toBeLessThanOrEqual(60_000);
    expect(comment).toContain('**What the run cost**');
    expect(comment).toContain('| p0 | 0 | changed |');
    expect(comment).toMatch(
      /leaves out the 2,500 unchanged metrics, the 4,997 unchanged parameters, 1 image, 1 curve, [\d,]+ rows of the table\./,
    );
    expectWellFormedTables(comment);

    // With room to spare, only what must go goes: the curve first, then the image.
    const withoutCurve = renderReport(compareMetrics(set({ a: 1 }), set({ a: 2 })), {
      ...options,
      params: params({ lr: '1', seed: '1' }, { lr: '2', seed: '1' }),
    });
    const limit = withoutCurve.full.length - 1;
    const shorter = renderReport(compareMetrics(set({ a: 1 }), set({ a: 2 })), {
      ...options,
      params: params({ lr: '1', seed: '1' }, { lr: '2', seed: '1' }),
      maxChars: limit,
    });
    expect(shorter.comment).not.toContain('xychart-beta');
    expect(shorter.comment).toContain('<details><summary>1 unchanged parameter');
    expect(shorter.comment).toContain('leaves out 1 curve.');
  });
});
