import { describe, expect, it } from 'vitest';
import { parseMetricRules, resolvePolicy, ruleMatches } from '../src/compare/rules.ts';

const defaults = { absolute: 0, relative: 0 };

describe('ruleMatches', () => {
  it('matches globs against the name and against file:name, across dots and slashes, in any case', () => {
    expect(ruleMatches('*loss*', 'm.json', 'train/val_loss')).toBe(true);
    expect(ruleMatches('eval.*', 'm.json', 'eval.acc')).toBe(true);
    expect(ruleMatches('eval/*.json:acc', 'eval/scores.json', 'acc')).toBe(true);
    expect(ruleMatches('ACC', 'm.json', 'acc')).toBe(true);
    expect(ruleMatches('acc', 'm.json', 'val_acc')).toBe(false);
  });
});

describe('resolvePolicy', () => {
  it('guesses from the name, and the last matching rule that sets a field wins', () => {
    expect(resolvePolicy('m.json', 'val_loss', [], defaults)).toEqual({
      better: 'lower',
      absolute: 0,
      relative: 0,
    });
    const rules = [
      { pattern: '*', relative: 0.01 },
      { pattern: '*loss*', better: 'higher' as const, absolute: 0.5 },
      { pattern: 'val_*', absolute: 0.1 },
    ];
    expect(resolvePolicy('m.json', 'val_loss', rules, defaults)).toEqual({
      better: 'higher',
      absolute: 0.1,
      relative: 0.01,
    });
  });
});

describe('parseMetricRules', () => {
  it('reads a map from pattern to direction or settings, in order', () => {
    const text =
      '"*latency*": lower\naccuracy: { better: higher, absolute: 0.001 }\n"eval.*":\n  relative: 0.01\n';
    expect(parseMetricRules(text, 'rules')).toEqual([
      { pattern: '*latency*', better: 'lower' },
      { pattern: 'accuracy', better: 'higher', absolute: 0.001 },
      { pattern: 'eval.*', relative: 0.01 },
    ]);
  });

  it('reads nothing as no rules', () => {
    expect(parseMetricRules('', 'rules')).toEqual([]);
  });

  it('explains what is wrong', () => {
    expect(() => parseMetricRules('acc: best', 'rules')).toThrow(
      /rules: rule "acc": "better" must be higher, lower or neutral/,
    );
    expect(() => parseMetricRules('acc: { absolute: -1 }', 'rules')).toThrow(
      /"absolute" must be a number of 0 or more/,
    );
    expect(() => parseMetricRules('acc: { tolerance: 1 }', 'rules')).toThrow(/unknown setting "tolerance"/);
    expect(() => parseMetricRules('- acc', 'rules')).toThrow(/a map from pattern to settings/);
    expect(() => parseMetricRules('acc: [1', 'rules')).toThrow(/not valid YAML/);
    expect(() => parseMetricRules('acc: 3', 'rules')).toThrow(/give a direction or a map/);
  });
});
