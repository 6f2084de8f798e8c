/**
 * Data-quality rules beside drift, checked on the current data's profile: a row count, a column's
 * missing share, a numeric column's range and a column's allowed categories. One rule per line:
 *
 *     rows >= 1000
 *     missing(age) <= 0.05
 *     range(age) in [0, 120]
 *     categories(plan) in [free, pro, team]
 *
 * A column name is everything between the first `(` and the last `)`.
 */
import { readFile } from 'node:fs/promises';
import { UserError } from '@mlactions/core';
import { parseBooleanText, parseNumberText } from '@mlactions/data';
import { escapeMarkdown, formatNumber } from '@mlactions/render';
import { markdownTable } from 'markdown-table';
import type { DatasetProfile } from './profile.ts';

type Comparator = '>=' | '<=' | '>' | '<' | '==';

export type QualityRule =
  | { readonly kind: 'rows'; readonly text: string; readonly op: Comparator; readonly value: number }
  | {
      readonly kind: 'missing';
      readonly text: string;
      readonly column: string;
      readonly op: Comparator;
      readonly value: number;
    }
  | {
      readonly kind: 'range';
      readonly text: string;
      readonly column: string;
      readonly min: number;
      readonly max: number;
    }
  | {
      readonly kind: 'categories';
      readonly text: string;
      readonly column: string;
      readonly allowed: readonly string[];
    };

export interface QualityResult {
  readonly rule: string;
  readonly passed: boolean;
  /** What the data holds, in words: `12 rows`, `missing share 0.08`, `3 values outside`. */
  readonly found: string;
}

export interface QualityOutcome {
  readonly passed: boolean;
  readonly results: readonly QualityResult[];
}

const EXAMPLES =
  '`rows >= 1000`, `missing(age) <= 0.05`, `range(age) in [0, 120]` or `categories(plan) in [free, pro]`';
const COMPARE: Readonly<Record<Comparator, (a: number, b: number) => boolean>> = {
  '>=': (a, b) => a >= b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '<': (a, b) => a < b,
  '==': (a, b) => a === b,
};

function numberIn(rule: string, text: string): number {
  const value = parseNumberText(text.trim());
  if (value === undefined || !Number.isFinite(value))
    throw new UserError(
      `data-quality rule ${JSON.stringify(rule)}: ${JSON.stringify(text.trim())} is not a number`,
    );
  return value;
}

function listIn(rule: string, text: string): string[] {
  const match = /^in\s*\[(.*)\]$/s.exec(text.trim());
  if (!match)
    throw new UserError(
      `data-quality rule ${JSON.stringify(rule)} must end in \`in [...]\`, e.g. ${EXAMPLES}`,
    );
  return match[1]!
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/** One rule from its text, or one error naming the rule and showing the forms. */
export function parseQualityRule(text: string): QualityRule {
  const rule = text.trim();
  const rows = /^rows\s*(>=|<=|==|>|<)\s*(.+)$/.exec(rule);
  if (rows) return { kind: 'rows', text: rule, op: rows[1] as Comparator, value: numberIn(rule, rows[2]!) };
  const call = /^(missing|range|categories)\((.+)\)\s*(.*)$/s.exec(rule);
  if (!call) throw new UserError(`data-quality rule ${JSON.stringify(rule)} is not one of ${EXAMPLES}`);
  const [, kind, column, rest] = call as unknown as [
    string,
    'missing' | 'range' | 'categories',
    string,
    string,
  ];
  if (kind === 'missing') {
    const compare = /^(>=|<=|==|>|<)\s*(.+)$/.exec(rest);
    if (!compare)
      throw new UserError(
        `data-quality rule ${JSON.stringify(rule)} must compare the share, e.g. \`missing(age) <= 0.05\``,
      );
    const value = numberIn(rule, compare[2]!);
    if (value < 0 || value > 1)
      throw new UserError(`data-quality rule ${JSON.stringify(rule)}: a missing share is from 0 to 1`);
    return { kind, text: rule, column, op: compare[1] as Comparator, value };
  }
  const items = listIn(rule, rest);
  if (kind === 'range') {
    if (items.length !== 2)
      throw new UserError(`data-quality rule ${JSON.stringify(rule)}: a range is \`in [min, max]\``);
    const [min, max] = items.map((item) => numberIn(rule, item)) as [number, number];
    if (min > max)
      throw new UserError(
        `data-quality rule ${JSON.stringify(rule)}: the range's minimum is above its maximum`,
      );
    return { kind, text: rule, column, min, max };
  }
  if (items.length === 0) throw new UserError(`data-quality rule ${JSON.stringify(rule)} allows no category`);
  return { kind, text: rule, column, allowed: items };
}

/** Rules from the input's lines and a rules file's (one per line; blank lines and `#` comments skipped). */
export async function qualityRulesFrom(lines: readonly string[], file?: string): Promise<QualityRule[]> {
  let fromFile: string[] = [];
  if (file !== undefined) {
    try {
      fromFile = (await readFile(file, 'utf8')).split(/\r?\n/);
    } catch (error) {
      throw new UserError(`cannot read the data-quality rules file ${file}: ${(error as Error).message}`);
    }
  }
  return [...lines, ...fromFile]
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map(parseQualityRule);
}

const shown = (values: readonly string[]) =>
  values
    .slice(0, 5)
    .map((value) => JSON.stringify(value.slice(0, 40)))
    .join(', ') + (values.length > 5 ? `, … (${values.length - 5} more)` : '');

function checkRule(rule: QualityRule, profile: DatasetProfile): QualityResult {
  const result = (passed: boolean, found: string): QualityResult => ({ rule: rule.text, passed, found });
  if (rule.kind === 'rows') return result(COMPARE[rule.op](profile.rows, rule.value), `${profile.rows} rows`);
  const column = profile.columns.find((c) => c.name === rule.column);
  if (!column) return result(false, 'no such column in the current data');
  if (rule.kind === 'missing') {
    const share = profile.rows > 0 ? column.missing / profile.rows : 0;
    return result(COMPARE[rule.op](share, rule.value), `missing share ${formatNumber(share, 4)}`);
  }
  if (rule.kind === 'range') {
    if (column.kind !== 'numeric') return result(false, `a ${column.type} column, not numeric`);
    if (column.invalid > 0) return result(false, `${column.invalid} values are not numbers`);
    if (column.min === null || column.max === null) return result(true, 'no values');
    const inside = column.min >= rule.min && column.max <= rule.max;
    return result(inside, `values from ${formatNumber(column.min, 6)} to ${formatNumber(column.max, 6)}`);
  }
  const seen =
    column.kind === 'categorical'
      ? column.categories.map(([value]) => value)
      : column.kind === 'boolean'
        ? [...(column.trueCount > 0 ? ['true'] : []), ...(column.falseCount > 0 ? ['false'] : [])]
        : undefined;
  if (seen === undefined) return result(false, `a ${column.type} column, not categorical`);
  if (column.kind === 'categorical' && column.other > 0)
    return result(false, `more distinct values than the profile keeps (${column.other} rows beyond them)`);
  // A boolean column's values are read as true and false whatever their spelling (yes/no, 1/0).
  const allowed = (value: string) =>
    column.kind === 'boolean'
      ? rule.allowed.some((item) => parseBooleanText(item, true) === (value === 'true'))
      : rule.allowed.includes(value);
  const outside = seen.filter((value) => !allowed(value));
  return result(
    outside.length === 0,
    outside.length === 0 ? 'every value allowed' : `not allowed: ${shown(outside)}`,
  );
}

/** Every rule checked on the current data's profile. */
export function checkQuality(rules: readonly QualityRule[], profile: DatasetProfile): QualityOutcome {
  const results = rules.map((rule) => checkRule(rule, profile));
  return { passed: results.every((r) => r.passed), results };
}

/** The outcome as a markdown section (rules and findings escaped: they hold column names and values). */
export function renderQuality(outcome: QualityOutcome): string {
  if (outcome.results.length === 0) return '';
  const failed = outcome.results.filter((r) => !r.passed).length;
  const rows = outcome.results.map((r) => [
    r.passed ? '✅' : '❌',
    escapeMarkdown(r.rule, 200),
    escapeMarkdown(r.found, 300),
  ]);
  return [
    `#### Data quality: ${failed === 0 ? 'every rule passed' : `${failed} of ${outcome.results.length} rules failed`}`,
    markdownTable([['', 'Rule', 'Found'], ...rows]),
  ].join('\n\n');
}
