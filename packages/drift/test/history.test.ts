import { describe, expect, it } from 'vitest';
import {
  appendCheck,
  type CheckRecord,
  checkRecord,
  HISTORY_MAX_CHARS,
  historyBlock,
  historyChecksFrom,
  readHistory,
  renderHistoryCharts,
  renderHistorySection,
} from '../src/history.ts';
import { feature, report } from './helpers/reports.ts';

const at = (day: number) => new Date(Date.UTC(2026, 11, day, 6, 0));
const drifted = (name: string, pValue: number) => feature({ name, drifted: true, statistic: 0.6, pValue });

function checks(days: number): CheckRecord[] {
  return Array.from({ length: days }, (_, d) =>
    checkRecord(
      report([
        drifted('age', 0.01 / (d + 1)),
        feature({ name: 'income', stattest: 'psi', statistic: 0.02 * d, pValue: null, threshold: 0.1 }),
      ]),
      at(d + 1),
    ),
  );
}

describe('the drift history', () => {
  it('records what each column was compared with: a p-value test’s p-value, a distance’s statistic', () => {
    const [check] = checks(1);
    expect(check).toEqual({
      at: '2026-12-01T06:00:00.000Z',
      drifted: true,
      columns: [
        ['age', 'ks', 0.01, 0.05, true],
        ['income', 'psi', 0, 0.1, false],
      ],
    });
  });

  it('round-trips through the hidden block and keeps the last N checks', () => {
    const history = checks(5).reduce<CheckRecord[]>((kept, check) => appendCheck(kept, check, 3), []);
    expect(history.map((c) => c.at.slice(8, 10))).toEqual(['03', '04', '05']);
    const body = `Found by this run.\n\n${historyBlock(history)}\n\nmore`;
    expect(readHistory(body)).toEqual({ checks: history });
    expect(readHistory('no block here')).toEqual({ checks: [] });
  });

  it('drops the oldest checks when the block would pass its size bound', () => {
    const wide = Array.from({ length: 20 }, (_, i) => drifted(`${'c'.repeat(90)}${i}`, 0.01));
    let history: CheckRecord[] = [];
    for (let d = 1; d <= 30; d++) history = appendCheck(history, checkRecord(report(wide), at(d)), 100);
    expect(historyBlock(history).length).toBeLessThanOrEqual(HISTORY_MAX_CHARS);
    expect(history.length).toBeGreaterThan(1);
    expect(history.at(-1)!.at).toBe(at(30).toISOString());
  });

  it('keeps a hostile column name inside the comment and reads it back', () => {
    const name = '--> <img src=x onerror=alert(1)> @everyone';
    const history = [checkRecord(report([drifted(name, 0.001)]), at(1))];
    const block = historyBlock(history);
    expect(block.indexOf('-->')).toBe(block.length - 3);
    expect(block).not.toContain('<img');
    expect(readHistory(block).checks[0]!.columns[0]![0]).toBe(name);
    const [chart] = renderHistoryCharts(history);
    expect(chart!.split('\n')[2]).toBe(
      '  title "-- img src=x onerror=alert(1) everyone: ks p-value over 1 checks"',
    );
  });

  it('ignores a damaged block, saying why, instead of trusting or crashing on it', () => {
    const good = historyBlock(checks(2));
    const damage = (from: string, to: string) => readHistory(good.replace(from, to));
    expect(readHistory('<!-- mlactions:drift-history {not json -->')).toEqual({
      checks: [],
      damaged: 'the block is not valid JSON',
    });
    expect(damage('"version":1', '"version":2').damaged).toBe('the block is not version 1 of the history');
    expect(damage('"ks"', '"rm -rf"').damaged).toBe('check 1, column 1 is malformed');
    expect(damage('0.05', '"0.05"').damaged).toBe('check 1, column 1 is malformed');
    expect(damage('2026-12-02T06:00:00.000Z', 'yesterday').damaged).toBe('check 2 has no valid time');
    expect(readHistory('<!-- mlactions:drift-history {"version":1,"checks":{}} -->').damaged).toBe(
      'the block holds no check list',
    );
  });

  it('charts each drifted column’s value over the checks, with its threshold, as mermaid reads numbers', () => {
    const [chart, ...more] = renderHistoryCharts(checks(3));
    expect(more).toEqual([]);
    expect(chart).toBe(
      [
        '```mermaid',
        'xychart-beta',
        '  title "age: ks p-value over 3 checks"',
        '  x-axis ["12-01 06:00", "12-02 06:00", "12-03 06:00"]',
        '  y-axis "ks p-value" 0 --> 0.055',
        '  line [0.01, 0.005, 0.00333333]',
        '  line [0.05, 0.05, 0.05]',
        '```',
      ].join('\n'),
    );
    expect(renderHistorySection(checks(3))).toMatch(/^#### History\n\n3 of the last 3 checks found drift\./);
  });

  it('takes 0 to 100 checks', () => {
    expect(historyChecksFrom(undefined)).toBe(20);
    expect(historyChecksFrom(0)).toBe(0);
    expect(() => historyChecksFrom(101)).toThrow(/from 0 \(none\) to 100; got 101/);
    expect(() => historyChecksFrom(2.5)).toThrow(/got 2\.5/);
  });
});
