import { compareMetrics, type Metric } from '@mlactions/core';
import { describe, expect, it } from 'vitest';
import { cutToLength, renderReport } from '../src/report.ts';
import { expectWellFormedTables, HOSTILE, set } from './helpers.ts';

describe('renderReport', () => {
  it('renders a small report whole, changed metrics first and the rest collapsed', () => {
    const report = compareMetrics(
      set({ accuracy: 0.9, val_loss: 0.3, epochs: 10 }),
      set({ accuracy: 0.92, val_loss: 0.35, epochs: 10 }),
    );
    const { comment, full, shortened } = renderReport(report);
    expect(comment).toBe(full);
    expect(shortened).toBe(false);
    expect(full).toMatch(/^### Metrics report\n\n\*\*1 regressed\*\* · 1 improved · 1 unchanged\n/);
    expect(full.indexOf('val\\_loss')).toBeLessThan(full.indexOf('accuracy'));
    expect(full).toContain('| 🔴 | val\\_loss | 0.3 | 0.35 | +0.05 (+16.7%) |');
    expect(full).toContain('<details><summary>1 unchanged metric</summary>');
    expect(full.indexOf('<details>')).toBeLessThan(full.indexOf('| ⚪ | epochs |'));
    expectWellFormedTables(full);
  });

  it('keeps hostile names inert everywhere, the title included', () => {
    const report = compareMetrics(set({ [HOSTILE]: 1 }), set({ [HOSTILE]: 2 }));
    const { full } = renderReport(report, { title: `${HOSTILE} [x](y)` });
    expect(full).not.toContain('<img');
    expect(full).not.toMatch(/@everyone/);
    expect(full).toContain('### &lt;img src=x onerror=alert(1)&gt; @\u200Deveryone &#124; x \\[x\\](y)');
    expectWellFormedTables(full);
  });

  it('says when there is no baseline and shows the values', () => {
    const { full } = renderReport(compareMetrics(undefined, set({ accuracy: 0.9, loss: 0.2 })));
    expect(full).toContain('No baseline metrics to compare with (a first run): 2 metrics as measured.');
    expect(full).toContain('| Metric | Value |\n| - | - |\n| accuracy | 0.9 |\n| loss | 0.2 |');
  });

  it('says when there are no metrics', () => {
    expect(renderReport(compareMetrics(set({}), set({}))).full).toContain('No metrics were found.');
  });

  it('draws histories and explains several values', () => {
    const history = (values: number[]) => values.map((value, i) => ({ step: i + 1, value }));
    const curve = (values: number[]): Metric => ({
      file: 'metrics.json',
      name: 'loss',
      value: { kind: 'number', value: values.at(-1)! },
      history: history(values),
    });
    const f1 = (values: number[]): Metric => ({
      file: 'metrics.json',
      name: 'f1',
      value: { kind: 'samples', values },
    });
    const report = compareMetrics(
      set({}, [curve([1, 0.5]), f1([0.8, 0.81, 0.79])]),
      set({}, [curve([1, 0.4]), f1([0.9, 0.91, 0.92])]),
    );
    const { full } = renderReport(report);
    expect(full).toContain('```mermaid\nxychart-beta\n  title "loss"');
    expect(full).toContain('mean ± 95% confidence interval');
    expect(full).toContain('| 🟢 | f1 | 0.8 ± 0.025 (n=3) | 0.91 ± 0.025 (n=3) |');
  });

  it('keeps a 5,000-metric report under the limit, saying what it left out', () => {
    const base: Record<string, number> = {};
    const head: Record<string, number> = {};
    for (let i = 0; i < 5000; i++) {
      base[`layer_${i}.${HOSTILE}.accuracy`] = 0.5;
      head[`layer_${i}.${HOSTILE}.accuracy`] = i % 2 === 0 ? 0.6 : 0.5;
    }
    const { comment, full, shortened } = renderReport(compareMetrics(set(base), set(head)), {
      fullReportUrl: 'https://github.com/o/r/actions/runs/1',
    });
    expect(full.length).toBeGreaterThan(65_536);
    expect(shortened).toBe(true);
    expect(comment.length).toBeLessThanOrEqual(60_000);
    expect(comment).toMatch(
      /leaves out the 2,500 unchanged metrics, [\d,]+ rows of the table\. See \[the full report in the job summary\]\(https:\/\/github\.com\/o\/r\/actions\/runs\/1\)\./,
    );
    expect(comment).not.toContain('<img');
    expectWellFormedTables(comment);
    const kept = comment.split('\n').filter((line) => line.startsWith('| 🟢 |')).length;
    expect(kept).toBeGreaterThan(100);
    expect(comment).toContain(`${(2500 - kept).toLocaleString('en-US')} rows of the table`);
  });

  it('drops charts first, then the unchanged metrics', () => {
    const history = Array.from({ length: 100 }, (_, i) => ({ step: i, value: i / 100 }));
    const changed: Metric = {
      file: 'metrics.json',
      name: 'accuracy',
      value: { kind: 'number', value: 1 },
      history,
    };
    const unchanged: Record<string, number> = {};
    for (let i = 0; i < 20; i++) unchanged[`m${i}`] = i;
    const base = set(unchanged, [{ ...changed, value: { kind: 'number', value: 0.5 } }]);
    const report = compareMetrics(base, set(unchanged, [changed]));
    const full = renderReport(report).full;
    const withoutChart = renderReport(report, { maxChars: full.length - 1 });
    expect(withoutChart.comment).not.toContain('mermaid');
    expect(withoutChart.comment).toContain('<details>');
    expect(withoutChart.comment).toContain('leaves out 1 chart. See the full report in the job summary.');
    const tight = renderReport(report, { maxChars: withoutChart.comment.length - 1 });
    expect(tight.comment).not.toContain('<details>');
    expect(tight.comment).toContain('| 🟢 | accuracy |');
    expect(tight.comment).toContain('leaves out the 20 unchanged metrics, 1 chart.');
  });

  it('holds to an absurdly small limit', () => {
    const { comment } = renderReport(compareMetrics(set({ a: 1 }), set({ a: 2 })), { maxChars: 50 });
    expect(comment.length).toBeLessThanOrEqual(50);
  });

  it('links only a plain https URL', () => {
    const base: Record<string, number> = {};
    for (let i = 0; i < 3000; i++) base[`metric_${i}`] = i;
    const report = compareMetrics(set(base), set({}));
    const { comment } = renderReport(report, { fullReportUrl: 'javascript:alert(1)' });
    expect(comment).toContain('See the full report in the job summary.');
  });
});

describe('cutToLength', () => {
  it('never splits a surrogate pair', () => {
    expect(cutToLength('ab🟢', 3)).toBe('ab');
    expect(cutToLength('ab🟢', 4)).toBe('ab🟢');
  });
});
