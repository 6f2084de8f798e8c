/**
 * Drift with a memory: each check's per-column statistics, kept as a hidden JSON block in the drift
 * issue's body (the last checks that fit a bound), and charts of each drifted column's statistic
 * over them. The block is read back from an issue body others may have edited: it is parsed and
 * checked field by field, and a damaged block is reported and ignored, never trusted.
 */
import { UserError } from '@mlactions/core';
import { mermaidText, plainNumber } from '@mlactions/render';
import type { DriftReport } from './compare.ts';
import { uniqueLabels } from './drift-chart.ts';
import { sortFeatures } from './drift-report.ts';
import { TEST_KIND } from './stattests.ts';

/** Checks kept by default. */
export const DEFAULT_HISTORY_CHECKS = 20;
/** The most checks a history may name (the `history-checks` setting's bound). */
export const MAX_HISTORY_CHECKS = 100;
/** Columns kept per check: the drifted first, then the other tested ones. */
export const HISTORY_COLUMNS = 20;
/** The block's size bound: the oldest checks go first when it would be longer. */
export const HISTORY_MAX_CHARS = 15_000;
/** Charts drawn at most: one per drifted column of the latest check. */
const HISTORY_CHARTS = 5;
const NAME_CHARS = 100;

/** The `history-checks` setting, checked: a whole number from 0 (no history) to MAX_HISTORY_CHECKS. */
export function historyChecksFrom(value: number | undefined): number {
  if (value === undefined) return DEFAULT_HISTORY_CHECKS;
  if (!Number.isInteger(value) || value < 0 || value > MAX_HISTORY_CHECKS)
    throw new UserError(
      `history-checks is how many checks the drift issue remembers, a whole number from 0 (none) to ${MAX_HISTORY_CHECKS}; got ${value}`,
    );
  return value;
}

/**
 * One column in one check: `[name, stattest, value, threshold, drifted]`, the value being what was
 * compared with the threshold: the (adjusted) p-value of a p-value test, a distance's statistic.
 */
export type ColumnRecord = [string, string | null, number | null, number | null, boolean];

export interface CheckRecord {
  /** When the check ran (ISO 8601). */
  readonly at: string;
  readonly drifted: boolean;
  readonly columns: readonly ColumnRecord[];
}

const OPEN = '<!-- mlactions:drift-history ';
const CLOSE = ' -->';
const BLOCK = /<!-- mlactions:drift-history (.*?) -->/s;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z$/;
const STATTEST = new RegExp(`^(${Object.keys(TEST_KIND).join('|')})$`);

/** A check's record: its tested columns (drifted first), bounded in count and name length. */
export function checkRecord(report: DriftReport, at: Date): CheckRecord {
  const columns = sortFeatures(report)
    .filter((feature) => feature.state === 'tested')
    .slice(0, HISTORY_COLUMNS)
    .map((f): ColumnRecord => {
      const value =
        f.stattest && TEST_KIND[f.stattest] === 'p-value' ? (f.adjustedPValue ?? f.pValue) : f.statistic;
      return [f.name.slice(0, NAME_CHARS), f.stattest, value, f.threshold, f.drifted];
    });
  return { at: at.toISOString(), drifted: report.drifted, columns };
}

/** The history after this check: the last `keep` checks, fewer when the block would pass its bound. */
export function appendCheck(
  history: readonly CheckRecord[],
  check: CheckRecord,
  keep: number,
): CheckRecord[] {
  const checks = [...history, check].slice(-keep);
  while (checks.length > 1 && historyBlock(checks).length > HISTORY_MAX_CHARS) checks.shift();
  return checks;
}

/**
 * The hidden block. JSON with `<` and `>` written as \u escapes, which only strings can hold, so no
 * column name can end the HTML comment (`-->`) or open a tag.
 */
export function historyBlock(checks: readonly CheckRecord[]): string {
  const json = JSON.stringify({ version: 1, checks }).replace(/</g, '\\u003c').replace(/>/g, '\\u003e');
  return `${OPEN}${json}${CLOSE}`;
}

/** What was read of an issue body: the checks, or why a block there was ignored. */
export type HistoryRead = { checks: CheckRecord[]; damaged?: undefined } | { checks: []; damaged: string };

const isNumberOrNull = (value: unknown) =>
  value === null || (typeof value === 'number' && Number.isFinite(value));

function columnRecord(value: unknown): value is ColumnRecord {
  if (!Array.isArray(value) || value.length !== 5) return false;
  const [name, stattest, statistic, threshold, drifted] = value;
  return (
    typeof name === 'string' &&
    name.length <= NAME_CHARS &&
    (stattest === null || (typeof stattest === 'string' && STATTEST.test(stattest))) &&
    isNumberOrNull(statistic) &&
    isNumberOrNull(threshold) &&
    typeof drifted === 'boolean'
  );
}

function checkProblem(value: unknown, index: number): string | undefined {
  if (typeof value !== 'object' || value === null) return `check ${index + 1} is not an object`;
  const { at, drifted, columns } = value as Record<string, unknown>;
  if (typeof at !== 'string' || !ISO_TIME.test(at)) return `check ${index + 1} has no valid time`;
  if (typeof drifted !== 'boolean') return `check ${index + 1} has no drifted flag`;
  if (!Array.isArray(columns) || columns.length > HISTORY_COLUMNS)
    return `check ${index + 1} has no column list`;
  const bad = columns.findIndex((column) => !columnRecord(column));
  return bad < 0 ? undefined : `check ${index + 1}, column ${bad + 1} is malformed`;
}

/** The history kept in an issue body: none without a block, and none (with the reason) from a damaged one. */
export function readHistory(body: string | null | undefined): HistoryRead {
  const match = body ? BLOCK.exec(body) : null;
  if (!match) return { checks: [] };
  const damaged = (why: string): HistoryRead => ({ checks: [], damaged: why });
  if (match[1]!.length > HISTORY_MAX_CHARS * 2) return damaged('the block is too long');
  let parsed: unknown;
  try {
    parsed = JSON.parse(match[1]!);
  } catch {
    return damaged('the block is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || (parsed as { version?: unknown }).version !== 1)
    return damaged('the block is not version 1 of the history');
  const checks = (parsed as { checks?: unknown }).checks;
  if (!Array.isArray(checks) || checks.length > MAX_HISTORY_CHECKS)
    return damaged('the block holds no check list');
  for (const [index, check] of checks.entries()) {
    const problem = checkProblem(check, index);
    if (problem) return damaged(problem);
  }
  return { checks: checks as CheckRecord[] };
}

/** A check's time on a chart's axis: `MM-DD HH:MM` (UTC). */
const axisTime = (at: string) => at.slice(5, 16).replace('T', ' ');

/**
 * One mermaid line chart per column drifted in the latest check (at most five): its statistic over
 * the checks that tested it, and its threshold. Names pass through mermaidText and numbers through
 * plainNumber, as in the distribution charts.
 */
export function renderHistoryCharts(checks: readonly CheckRecord[]): string[] {
  const latest = checks.at(-1);
  if (!latest) return [];
  const drifted = latest.columns.filter((column) => column[4]).slice(0, HISTORY_CHARTS);
  return drifted.map(([name]) => {
    const points = checks.flatMap((check) => {
      const column = check.columns.find((c) => c[0] === name);
      return column && column[2] !== null
        ? [{ at: check.at, value: column[2], threshold: column[3], stattest: column[1] }]
        : [];
    });
    const labels = uniqueLabels(points.map((p) => axisTime(p.at))).map((label) => `"${label}"`);
    const values = points.map((p) => p.value);
    const thresholds = points.map((p) => p.threshold);
    const top = Math.max(...values, ...thresholds.filter((t): t is number => t !== null));
    const stattest = points.at(-1)?.stattest;
    const axis = !stattest
      ? 'statistic'
      : TEST_KIND[stattest as keyof typeof TEST_KIND] === 'p-value'
        ? `${stattest} p-value`
        : stattest;
    return [
      '```mermaid',
      'xychart-beta',
      `  title "${mermaidText(name) || 'column'}: ${axis} over ${points.length} checks"`,
      `  x-axis [${labels.join(', ')}]`,
      `  y-axis "${axis}" 0 --> ${plainNumber(top > 0 ? top * 1.1 : 1)}`,
      `  line [${values.map(plainNumber).join(', ')}]`,
      ...(thresholds.every((t) => t !== null)
        ? [`  line [${thresholds.map((t) => plainNumber(t!)).join(', ')}]`]
        : []),
      '```',
    ].join('\n');
  });
}

/** The history section of the issue body: a heading, the charts, and the hidden block. */
export function renderHistorySection(checks: readonly CheckRecord[]): string {
  const charts = renderHistoryCharts(checks);
  const drifted = checks.filter((check) => check.drifted).length;
  const intro = `#### History\n\n${drifted} of the last ${checks.length} checks found drift.${charts.length > 0 ? " Each drifted column's statistic over them (the second line is its threshold: a p-value below it, or a distance at or above it, is drift):" : ''}`;
  return [intro, ...charts, historyBlock(checks)].join('\n\n');
}
