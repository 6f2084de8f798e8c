import { isUserError } from '@mlactions/core';
import { describe, expect, it } from 'vitest';
import { evaluateRules, metricNames, type RuleContext, ruleUsesBaseline } from '../src/rules/evaluate.ts';
import { parseRule } from '../src/rules/parse.ts';

const metrics = {
  accuracy: 0.912,
  f1_macro: 0.8,
  rmse: 1.2,
  latency_p95_ms: 12.5,
  confusion_matrix: [
    [1, 2],
    [3, 4],
  ],
  'slices.north-east.accuracy': 0.85,
};
const baseline = new Map([
  ['accuracy', 0.9],
  ['f1_macro', 0.805],
  ['rmse', 1.1],
]);

function one(rule: string, context: Partial<RuleContext> = {}) {
  return evaluateRules([rule], { metrics, baseline, ...context })[0]!;
}

function messageOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (isUserError(error)) return error.message;
    throw error;
  }
  throw new Error('expected a UserError');
}

describe('gate rules', () => {
  it('compare a metric with a number', () => {
    expect(one('accuracy >= 0.90')).toEqual({
      rule: 'accuracy >= 0.90',
      status: 'passed',
      passed: true,
      actual: 0.912,
      expected: 0.9,
      comparator: '>=',
      message: 'accuracy = 0.912 >= 0.90: passed',
    });
    expect(one('latency_p95_ms <= 10')).toMatchObject({
      passed: false,
      status: 'failed',
      actual: 12.5,
      expected: 10,
    });
  });

  it('compare with the baseline: bare, dotted, scaled', () => {
    expect(one('f1_macro >= baseline - 0.01')).toMatchObject({
      passed: true,
      expected: expect.closeTo(0.795, 12),
      message: 'f1_macro = 0.8 >= baseline - 0.01 = 0.795: passed',
    });
    expect(one('rmse <= baseline * 1.05')).toMatchObject({
      passed: false,
      expected: expect.closeTo(1.155, 12),
    });
    expect(one('accuracy - baseline.accuracy > 0.01')).toMatchObject({
      passed: true,
      actual: expect.closeTo(0.012, 12),
    });
    expect(one('baseline - 0.01 <= f1_macro')).toMatchObject({ passed: true });
  });

  it('have every comparator, arithmetic with precedence, unary minus, parentheses and functions', () => {
    const cases: [string, boolean][] = [
      ['accuracy > 0.912', false],
      ['accuracy < 0.913', true],
      ['accuracy == 0.912', true],
      ['accuracy != 0.912', false],
      ['1 + 2 * 3 == 7', true],
      ['(1 + 2) * 3 == 9', true],
      ['8 / 4 / 2 == 1', true],
      ['1 - 2 - 3 == -4', true],
      ['-accuracy < -0.9', true],
      ['- -1 == 1', true],
      ['abs(rmse - baseline) <= 0.1', true],
      ['min(accuracy, f1_macro, 1) == 0.8', true],
      ['max(accuracy, 1e-3) == 0.912', true],
      ['.5 * 2 == 1', true],
    ];
    for (const [rule, passed] of cases) expect(one(rule).passed, rule).toBe(passed);
  });

  it('read dotted and backtick-quoted names', () => {
    expect(one('slices.`north-east`.accuracy >= 0.8').passed).toBe(true);
    expect(one('`slices.north-east.accuracy` >= 0.9').passed).toBe(false);
  });

  it('name the metrics there are when one is unknown (non-numbers are not metrics)', () => {
    expect(messageOf(() => one('acuracy >= 0.9'))).toBe(
      'rule "acuracy >= 0.9": unknown metric "acuracy"; the metrics are "accuracy", "f1_macro", "latency_p95_ms", "rmse", "slices.north-east.accuracy"',
    );
    expect(messageOf(() => one('confusion_matrix > 0'))).toContain('unknown metric "confusion_matrix"');
    for (const name of ['constructor', '__proto__', 'toString'])
      expect(messageOf(() => one(`${name} > 0`))).toContain('unknown metric');
    expect(messageOf(() => one('accuracy >= baseline.recall'))).toBe(
      'rule "accuracy >= baseline.recall": the baseline has no metric "recall"; its metrics are "accuracy", "f1_macro", "rmse"',
    );
  });

  it('without a baseline: an error, or skipped on a first run', () => {
    expect(messageOf(() => evaluateRules(['f1_macro >= baseline'], { metrics }))).toContain(
      'compares with the baseline, and no baseline metrics were given',
    );
    const [skipped, plain] = evaluateRules(['f1_macro >= baseline - 0.01', 'accuracy >= 0.9'], {
      metrics,
      missingBaseline: 'skip',
    });
    expect(skipped).toMatchObject({ status: 'skipped', passed: true, actual: null, expected: null });
    expect(skipped!.message).toBe('f1_macro >= baseline - 0.01: skipped (no baseline to compare with)');
    expect(plain!.status).toBe('passed');
    expect(
      messageOf(() => evaluateRules(['nope >= baseline'], { metrics, missingBaseline: 'skip' })),
    ).toContain('unknown metric "nope"');
  });

  it('need exactly one metric for a bare baseline', () => {
    expect(messageOf(() => one('accuracy - f1_macro >= baseline'))).toContain(
      'a bare "baseline" needs the rule to name exactly one metric (it names 2)',
    );
    expect(ruleUsesBaseline(parseRule('accuracy >= 0.9'))).toBe(false);
    expect(ruleUsesBaseline(parseRule('accuracy >= max(0.9, baseline.f1_macro)'))).toBe(true);
  });

  it('fail, not pass, when a side is not a number', () => {
    expect(one('accuracy >= 0 / 0')).toMatchObject({
      passed: false,
      message: expect.stringContaining('not a number'),
    });
  });

  it('report syntax errors with the column, and never run code', () => {
    const errors: [string, string][] = [
      ['accuracy >== 0.9', 'rule "accuracy >== 0.9": unexpected "=" at column 12'],
      ['accuracy 0.9', 'unexpected "0.9" at column 10'],
      ['accuracy >=', 'the rule ends too early'],
      ['accuracy', 'no comparison'],
      ['(accuracy >= 0.9', 'unexpected ">="'],
      ['(accuracy + 1 >= 0.9', 'unexpected ">=" at column 15'],
      ['accuracy >= 0.9 >= 1', 'a rule has one comparison at column 17'],
      ['process.exit() > 0', 'unknown function "process.exit"'],
      ['abs(1, 2) > 0', 'abs takes 1 argument'],
      ['accuracy >= 0.9; rm -rf /', 'unexpected ";"'],
      ['`accuracy >= 1', 'a backtick name is never closed'],
      ['accuracy. >= 1', 'unexpected "."'],
      ['', 'a rule is empty'],
    ];
    for (const [rule, message] of errors)
      expect(
        messageOf(() => parseRule(rule)),
        rule,
      ).toContain(message);
    expect(messageOf(() => parseRule(`${'('.repeat(60)}1${')'.repeat(60)} > 0`))).toContain(
      'too deeply nested',
    );
  });

  it('parse all rules before evaluating any', () => {
    expect(messageOf(() => evaluateRules(['accuracy >= 0.9', 'accuracy >'], { metrics }))).toContain(
      'ends too early',
    );
  });

  it('list numeric metric names of a record or a map', () => {
    expect(metricNames(baseline)).toEqual(['accuracy', 'f1_macro', 'rmse']);
    expect(metricNames({ b: 1, a: 'x', c: 2 })).toEqual(['b', 'c']);
  });
});
