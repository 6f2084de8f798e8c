import { describe, expect, it } from 'vitest';
import type { FeatureDrift } from '../src/compare.ts';
import { renderDistributionChart, uniqueLabels } from '../src/drift-chart.ts';
import { driftHeadline, formatShare, renderDriftReport, sortFeatures } from '../src/drift-report.ts';
import { feature, report, side } from './helpers/reports.ts';

/** The cells of a markdown table row, splitting only at pipes that are not escaped. */
const cells = (row: string) => row.split(/(?<!\\)\|/).slice(1, -1);

/** Mermaid's xychart grammar for a number in data: no exponent, no grouping. */
const MERMAID_NUMBER = /^[+-]?(?:\d+(?:\.\d+)?|\.\d+)$/;

const untested = (name: string, state: FeatureDrift['state'], reason: string): FeatureDrift =>
  feature({
    name,
    state,
    reason,
    stattest: null,
    statistic: null,
    pValue: null,
    threshold: null,
    chart: null,
  });

const drifted = (name: string) =>
  feature({ name, drifted: true, statistic: 0.6, pValue: 1e-9, reason: 'ks p-value 1.00e-9 < 0.05' });

describe('renderDriftReport', () => {
  it('puts drifted columns first, key features leading, untested ones last', () => {
    const r = report(
      [
        untested('id', 'excluded', 'id columns are not tested unless included'),
        feature({ name: 'a' }),
        drifted('b'),
        drifted('k'),
      ],
      { keyFeatures: ['k'] },
    );
    expect(sortFeatures(r).map((f) => f.name)).toEqual(['k', 'b', 'a', 'id']);
    const { full } = renderDriftReport(r);
    const rows = full.split('\n').filter((line) => /^\| (🔴|🟢|⚪) \|/.test(line));
    expect(
      rows.map((row) =>
        cells(row)
          .slice(0, 2)
          .map((c) => c.trim()),
      ),
    ).toEqual([
      ['🔴', 'k (key)'],
      ['🔴', 'b'],
      ['🟢', 'a'],
      ['⚪', 'id'],
    ]);
    expect(rows[0]).toBe(
      '| 🔴 | k (key) | numeric | ks | 0.6 | 0.05 | <0.001 | 0% → 0% | ks p-value 1.00e-9 &lt; 0.05 |',
    );
    expect(rows[3]).toContain(
      '| — | — | — | — | 0% → 0% | excluded: id columns are not tested unless included |',
    );
  });

  it('marks a column whose type changed as drifted, with its outcome', () => {
    const changed = {
      ...untested(
        'x',
        'type-changed',
        'numeric in the reference, but none of the 3 current values is a number',
      ),
      drifted: true,
    };
    const { full } = renderDriftReport(report([changed, feature({ name: 'a' })]));
    const row = full.split('\n').find((line) => line.includes('| x |'))!;
    expect(row).toMatch(/^\| 🔴 \| x \|/);
    expect(row).toContain(
      'type-changed: numeric in the reference, but none of the 3 current values is a number |',
    );
  });

  it('says whether the data drifted, and why', () => {
    expect(driftHeadline(report([drifted('a'), feature({ name: 'b' })]))).toBe(
      '**Drift detected**: 1 of 2 tested columns drifted (50%; the dataset drifts at 50%).',
    );
    expect(
      driftHeadline(
        report([drifted('a'), feature({ name: 'b' }), feature({ name: 'c' })], { keyFeatures: ['a'] }),
      ),
    ).toBe(
      '**Drift detected**: 1 of 3 tested columns drifted (33.3%; the dataset drifts at 50%); key feature drifted: a.',
    );
    expect(driftHeadline(report([feature({ name: 'a' })]))).toBe(
      'No drift: 0 of 1 tested column drifted (0%; the dataset drifts at 50%).',
    );
    expect(driftHeadline(report([untested('a', 'empty', 'no values in the current data')]))).toBe(
      'No drift found, but no column could be tested: see the table for why.',
    );
  });

  it('names the data and the columns found in only one dataset', () => {
    const r = report(
      [drifted('a'), untested('gone', 'absent', 'the column is missing from the current data')],
      {
        columnsOnlyInCurrent: ['new_one'],
      },
    );
    const { full } = renderDriftReport(r);
    expect(full).toContain(
      'Reference: 100 rows from data/train.csv · current: 100 rows from data/live-1.csv and 1 more file.',
    );
    expect(full).toContain('Only in the reference (missing from the current data): gone.');
    expect(full).toContain('Only in the current data (not checked): new\\_one.');
  });

  it('shows missing shares, adjusted p-values and sketch bounds', () => {
    const r = report(
      [
        feature({
          name: 'a',
          pValue: 0.004,
          adjustedPValue: 0.012,
          reference: { ...side, missing: 5, missingShare: 0.05 },
          current: { ...side, missing: 25, missingShare: 0.25 },
        }),
        feature({
          name: 'b',
          stattest: 'wasserstein',
          pValue: null,
          statistic: 0.2345,
          threshold: 0.1,
          drifted: true,
          approximation: {
            referenceRankError: 0.006,
            currentRankError: 0,
            statisticError: 0.0123,
            binShareError: null,
          },
        }),
      ],
      { correction: 'bonferroni' },
    );
    const { full } = renderDriftReport(r);
    expect(full).toContain('| 🟢 | a | numeric | ks | 0.1 | 0.05 | 0.004 (adjusted 0.012) | 5% → 25% |');
    expect(full).toContain('| 🔴 | b | numeric | wasserstein | 0.2345 ± 0.012 | 0.1 | — |');
    expect(full).toContain('p-values are adjusted (Bonferroni)');
    expect(full).toContain('≈ and ±: computed from a sketch of the data');
  });

  it('keeps hostile column names inert and the table whole', () => {
    const hostile = '<script>x</script> @everyone | `rm` [a](b) #12';
    const r = report([drifted(hostile), feature({ name: 'ok' })], { keyFeatures: [hostile] });
    const { full } = renderDriftReport(r);
    expect(full).not.toContain('<script>');
    expect(full).not.toMatch(/(^|[^\u200d])@everyone/);
    expect(full).not.toContain(' #12');
    expect(full).toContain(' #\u200d12');
    const table = full.split('\n').filter((line) => line.startsWith('|'));
    const widths = new Set(table.map((line) => cells(line).length));
    expect(widths).toEqual(new Set([9]));
    expect(full).toContain('title "script x /script everyone rm a (b) 12"');
  });

  it('stays under the comment limit: charts go first, then the rows without drift', () => {
    const many = Array.from({ length: 40 }, (_, i) => drifted(`drifted_${i}`));
    const calm = Array.from({ length: 3000 }, (_, i) => feature({ name: `calm_${i}` }));
    const r = report([...many, ...calm]);
    const { full } = renderDriftReport(r, { maxChars: Number.POSITIVE_INFINITY });
    const fitting = renderDriftReport(r, {
      maxChars: full.length - 1,
      fullReportUrl: 'https://github.com/o/r/actions/runs/1',
    });
    expect(fitting.comment.length).toBeLessThan(full.length);
    expect(fitting.comment).toContain(
      'leaves out 10 charts. See [the full report in the job summary](https://github.com/o/r/actions/runs/1).',
    );
    expect(fitting.comment).toContain('| calm\\_2999 |');

    const small = renderDriftReport(r);
    expect(small.shortened).toBe(true);
    expect(small.comment.length).toBeLessThanOrEqual(60_000);
    expect(small.comment).not.toContain('```mermaid');
    expect(small.comment).toContain('| 🔴 | drifted\\_39 |');
    const note = /leaves out 10 charts, ([\d,]+) rows of the table\./.exec(small.comment);
    expect(note).not.toBeNull();
    const kept = small.comment.split('\n').filter((line) => /^\| (🔴|🟢) \|/.test(line)).length;
    expect(kept + Number(note![1]!.replace(',', ''))).toBe(3040);
    expect(small.summary).toBe(small.full);
  });
});

describe('renderDistributionChart', () => {
  it('draws the reference as bars and the current data as a line over the bins', () => {
    const chart = renderDistributionChart('age', {
      kind: 'histogram',
      edges: [18, 30.5, 45, 1e-7],
      reference: [0.25, 0.5, 0.25],
      current: [0.1, 0.3, 0.6],
    });
    expect(chart).toBe(
      [
        '```mermaid',
        'xychart-beta',
        '  title "age"',
        '  x-axis "bin" ["18 to 30.5", "30.5 to 45", "45 to 1e-7"]',
        '  y-axis "% of rows" 0 --> 60',
        '  bar "reference" [25, 50, 25]',
        '  line "current" [10, 30, 60]',
        '```',
      ].join('\n'),
    );
  });

  it('draws categories with the rest pooled, labels safe and distinct', () => {
    const chart = renderDistributionChart('city', {
      kind: 'categories',
      categories: ['a"b', 'a;b', '%%', 'x'.repeat(50)],
      reference: [0.123456, 0.2, 0.3, 0.2],
      current: [0.5, 0.1, 0.1, 0.1],
      otherReference: 0.176544,
      otherCurrent: 0.2,
    });
    expect(chart).toContain(
      `x-axis "category" ["a b", "a b (2)", "(blank)", "${'x'.repeat(29)}…", "(all others)"]`,
    );
    const data = [...chart.matchAll(/(?:bar|line) "\w+" \[([^\]]*)\]/g)].flatMap((m) => m[1]!.split(', '));
    expect(data).toHaveLength(10);
    for (const value of data) expect(value).toMatch(MERMAID_NUMBER);
    expect(data[0]).toBe('12.35');
  });

  it('makes labels unique after they are made safe', () => {
    expect(uniqueLabels(['a', 'a', '', '!!', 'a'])).toEqual([
      'a',
      'a (2)',
      '(blank)',
      '(blank) (2)',
      'a (3)',
    ]);
  });
});

describe('formatShare', () => {
  it('writes shares as percentages to three digits', () => {
    expect([0, 1, 0.5, 1 / 3, 0.00123].map(formatShare)).toEqual(['0%', '100%', '50%', '33.3%', '0.123%']);
  });
});
