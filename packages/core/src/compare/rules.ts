import picomatch from 'picomatch';
import { parse } from 'yaml';
import { isRecord } from '../metrics/flatten.ts';
import { UserError } from '../user-error.ts';
import { type Direction, defaultDirection } from './direction.ts';

/**
 * A per-metric setting. `pattern` is a glob matched, case-insensitively, against the metric's name and
 * against `file:name` (`*` crosses dots and slashes: `*loss*`, `eval.*`, `eval/*.json:acc`).
 */
export interface MetricRule {
  pattern: string;
  /** Which way is better; overrides the guess from the name. */
  better?: Direction;
  /** A change of at most this much is "unchanged". */
  absolute?: number;
  /** A change of at most this fraction of the base value is "unchanged" (0.01 = 1%). */
  relative?: number;
}

/** Tolerances: a change is "unchanged" when |head - base| <= absolute + relative · |base|. */
export interface Tolerance {
  absolute: number;
  relative: number;
}

/** What applies to one metric once defaults and rules are combined. */
export interface MetricPolicy extends Tolerance {
  better: Direction;
}

/** Compiled glob matchers, cached per pattern: reports may hold thousands of metrics. */
const matchers = new Map<string, (text: string) => boolean>();

function matcherFor(pattern: string): (text: string) => boolean {
  let matcher = matchers.get(pattern);
  if (matcher === undefined) {
    matcher = picomatch(pattern, { bash: true, dot: true, nocase: true });
    matchers.set(pattern, matcher);
  }
  return matcher;
}

/** True when a rule's pattern matches the metric's name or its `file:name`. */
export function ruleMatches(pattern: string, file: string, name: string): boolean {
  const matches = matcherFor(pattern);
  return matches(name) || matches(`${file}:${name}`);
}

/**
 * The direction and tolerances for a metric: the name's guessed direction and the global tolerances,
 * each overridden by the last matching rule that sets it.
 */
export function resolvePolicy(
  file: string,
  name: string,
  rules: readonly MetricRule[],
  defaults: Tolerance,
): MetricPolicy {
  const policy: MetricPolicy = { better: defaultDirection(name), ...defaults };
  for (const rule of rules) {
    if (!ruleMatches(rule.pattern, file, name)) continue;
    if (rule.better !== undefined) policy.better = rule.better;
    if (rule.absolute !== undefined) policy.absolute = rule.absolute;
    if (rule.relative !== undefined) policy.relative = rule.relative;
  }
  return policy;
}

const DIRECTIONS: readonly string[] = ['higher', 'lower', 'neutral'];

function direction(value: unknown, where: string): Direction {
  if (typeof value === 'string' && DIRECTIONS.includes(value)) return value as Direction;
  throw new UserError(`${where}: "better" must be higher, lower or neutral.`);
}

function tolerance(value: unknown, where: string, key: string): number {
  if (typeof value === 'number' && value >= 0 && Number.isFinite(value)) return value;
  throw new UserError(`${where}: "${key}" must be a number of 0 or more.`);
}

/**
 * Reads rules written as YAML, a map from pattern to a direction or to settings, in order:
 *
 *     "*latency*": lower
 *     accuracy: { better: higher, absolute: 0.001 }
 *     "eval.*": { relative: 0.01 }
 *
 * `source` names where the text came from (an input or a file) in error messages.
 */
export function parseMetricRules(text: string, source: string): MetricRule[] {
  let tree: unknown;
  try {
    tree = parse(text);
  } catch (error) {
    throw new UserError(
      `${source}: the metric rules are not valid YAML (${(error as Error).message.split('\n')[0]}).`,
    );
  }
  if (tree === null || tree === undefined) return [];
  if (!isRecord(tree)) {
    throw new UserError(
      `${source}: write the metric rules as a map from pattern to settings, like "*loss*: lower".`,
    );
  }
  return Object.entries(tree).map(([pattern, settings]): MetricRule => {
    const where = `${source}: rule "${pattern}"`;
    if (typeof settings === 'string') return { pattern, better: direction(settings, where) };
    if (!isRecord(settings))
      throw new UserError(`${where}: give a direction or a map of better, absolute, relative.`);
    const rule: MetricRule = { pattern };
    for (const [key, value] of Object.entries(settings)) {
      if (key === 'better') rule.better = direction(value, where);
      else if (key === 'absolute' || key === 'relative') rule[key] = tolerance(value, where, key);
      else throw new UserError(`${where}: unknown setting "${key}"; use better, absolute or relative.`);
    }
    return rule;
  });
}
