import { UserError } from '@mlactions/core';
import { type Comparator, type Expr, FUNCTIONS, parseRule, type Rule } from './parse.ts';

/** Metric values by name: a Map, or a plain record (non-numeric entries are not metrics). */
export type MetricValues = ReadonlyMap<string, number> | Readonly<Record<string, unknown>>;

/** When a rule needs a baseline that is absent: stop with an error, or skip the rule (a first run). */
export type MissingBaselinePolicy = 'error' | 'skip';

export interface RuleContext {
  /** The candidate's metrics. */
  readonly metrics: MetricValues;
  readonly baseline?: MetricValues;
  readonly missingBaseline?: MissingBaselinePolicy;
}

export interface RuleResult {
  readonly rule: string;
  readonly status: 'passed' | 'failed' | 'skipped';
  /** True unless the rule failed (a skipped rule does not block). */
  readonly passed: boolean;
  /** The left side's value (null when skipped). */
  readonly actual: number | null;
  /** The right side's value (null when skipped). */
  readonly expected: number | null;
  readonly comparator: Comparator;
  /** One line for people, e.g. `f1_macro = 0.8012 >= baseline - 0.01 = 0.7912: passed`. */
  readonly message: string;
}

function lookup(values: MetricValues, name: string): number | undefined {
  if (values instanceof Map) return values.get(name);
  const record = values as Readonly<Record<string, unknown>>;
  if (!Object.hasOwn(record, name)) return undefined;
  const value = record[name];
  return typeof value === 'number' ? value : undefined;
}

/** The numeric metric names, sorted. */
export function metricNames(values: MetricValues): string[] {
  const entries = values instanceof Map ? [...values.entries()] : Object.entries(values);
  return entries
    .filter(([, value]) => typeof value === 'number')
    .map(([name]) => name)
    .sort();
}

function listNames(values: MetricValues): string {
  const names = metricNames(values);
  if (names.length === 0) return '(none)';
  const shown = names.slice(0, 60).map((name) => JSON.stringify(name));
  return `${shown.join(', ')}${names.length > 60 ? `, … (${names.length - 60} more)` : ''}`;
}

/** Candidate metric names a tree mentions. */
function candidateNames(expr: Expr, into: Set<string>): Set<string> {
  switch (expr.kind) {
    case 'metric':
      if (expr.source === 'candidate') into.add(expr.name);
      break;
    case 'negate':
      candidateNames(expr.operand, into);
      break;
    case 'binary':
      candidateNames(expr.left, into);
      candidateNames(expr.right, into);
      break;
    case 'call':
      for (const arg of expr.args) candidateNames(arg, into);
      break;
  }
  return into;
}

function usesBaseline(expr: Expr): boolean {
  switch (expr.kind) {
    case 'baseline':
      return true;
    case 'metric':
      return expr.source === 'baseline';
    case 'negate':
      return usesBaseline(expr.operand);
    case 'binary':
      return usesBaseline(expr.left) || usesBaseline(expr.right);
    case 'call':
      return expr.args.some(usesBaseline);
    default:
      return false;
  }
}

/** Thrown inside evaluation when the policy skips a rule for want of a baseline value. */
class Skip {
  readonly reason: string;
  constructor(reason: string) {
    this.reason = reason;
  }
}

function compare(actual: number, comparator: Comparator, expected: number): boolean {
  switch (comparator) {
    case '>=':
      return actual >= expected;
    case '<=':
      return actual <= expected;
    case '>':
      return actual > expected;
    case '<':
      return actual < expected;
    case '==':
      return actual === expected;
    case '!=':
      return actual !== expected;
  }
}

/** A number for a message: six significant digits at most. */
export function formatValue(value: number): string {
  return Number.isFinite(value) ? String(Number(value.toPrecision(6))) : String(value);
}

/** Evaluates one parsed rule against the candidate's (and the baseline's) metrics. */
export function evaluateRule(rule: Rule, context: RuleContext): RuleResult {
  const policy = context.missingBaseline ?? 'error';
  const subjects = candidateNames(rule.left, candidateNames(rule.right, new Set()));
  const where = `rule ${JSON.stringify(rule.text)}`;

  const baselineValue = (name: string): number => {
    if (!context.baseline) {
      if (policy === 'skip') throw new Skip('no baseline to compare with');
      throw new UserError(
        `${where} compares with the baseline, and no baseline metrics were given; pass a baseline, or skip such rules when there is none (missing baseline: skip)`,
      );
    }
    const value = lookup(context.baseline, name);
    if (value === undefined) {
      if (policy === 'skip') throw new Skip(`the baseline has no metric ${JSON.stringify(name)}`);
      throw new UserError(
        `${where}: the baseline has no metric ${JSON.stringify(name)}; its metrics are ${listNames(context.baseline)}`,
      );
    }
    return value;
  };

  const value = (expr: Expr): number => {
    switch (expr.kind) {
      case 'number':
        return expr.value;
      case 'metric': {
        if (expr.source === 'baseline') return baselineValue(expr.name);
        const found = lookup(context.metrics, expr.name);
        if (found === undefined) {
          throw new UserError(
            `${where}: unknown metric ${JSON.stringify(expr.name)}; the metrics are ${listNames(context.metrics)}`,
          );
        }
        return found;
      }
      case 'baseline': {
        if (subjects.size !== 1) {
          throw new UserError(
            `${where}: a bare "baseline" needs the rule to name exactly one metric (it names ${subjects.size}); write baseline.<metric>`,
          );
        }
        return baselineValue([...subjects][0]!);
      }
      case 'negate':
        return -value(expr.operand);
      case 'binary': {
        const left = value(expr.left);
        const right = value(expr.right);
        if (expr.op === '+') return left + right;
        if (expr.op === '-') return left - right;
        if (expr.op === '*') return left * right;
        return left / right;
      }
      case 'call':
        return FUNCTIONS[expr.name].apply(expr.args.map(value));
    }
  };

  try {
    // Both sides first, so an unknown metric is reported even when the baseline is skipped.
    for (const name of subjects) value({ kind: 'metric', name, source: 'candidate' });
    const actual = value(rule.left);
    const expected = value(rule.right);
    const passed = compare(actual, rule.comparator, expected);
    const literal =
      rule.right.kind === 'number' || (rule.right.kind === 'negate' && rule.right.operand.kind === 'number');
    const shownExpected = literal ? rule.rightText : `${rule.rightText} = ${formatValue(expected)}`;
    const notNumber = Number.isNaN(actual) || Number.isNaN(expected) ? ' (a side is not a number)' : '';
    return {
      rule: rule.text,
      status: passed ? 'passed' : 'failed',
      passed,
      actual,
      expected,
      comparator: rule.comparator,
      message: `${rule.leftText} = ${formatValue(actual)} ${rule.comparator} ${shownExpected}: ${passed ? 'passed' : 'failed'}${notNumber}`,
    };
  } catch (error) {
    if (!(error instanceof Skip)) throw error;
    return {
      rule: rule.text,
      status: 'skipped',
      passed: true,
      actual: null,
      expected: null,
      comparator: rule.comparator,
      message: `${rule.text}: skipped (${error.reason})`,
    };
  }
}

/** Parses every rule first (so a typo fails before anything runs), then evaluates each. */
export function evaluateRules(rules: readonly string[], context: RuleContext): RuleResult[] {
  const parsed = rules.map(parseRule);
  return parsed.map((rule) => evaluateRule(rule, context));
}

/** Whether a parsed rule needs a baseline at all. */
export function ruleUsesBaseline(rule: Rule): boolean {
  return usesBaseline(rule.left) || usesBaseline(rule.right);
}
