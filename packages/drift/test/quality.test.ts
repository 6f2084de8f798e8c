import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveSources } from '@mlactions/data';
import { describe, expect, it } from 'vitest';
import { profileSources } from '../src/profiler.ts';
import { checkQuality, parseQualityRule, qualityRulesFrom, renderQuality } from '../src/quality.ts';

async function profileOf(csv: string) {
  const dir = await mkdtemp(join(tmpdir(), 'quality-'));
  await writeFile(join(dir, 'current.csv'), csv);
  return profileSources(await resolveSources(join(dir, 'current.csv')));
}

const CSV = 'age,plan,city (main)\n34,free,paris\n,pro,lyon\n130,team,\n41,free,nice\n';

describe('data-quality rules', () => {
  it('checks row count, missing share, range and allowed categories on the current data', async () => {
    const rules = [
      'rows >= 4',
      'rows > 10',
      'missing(age) <= 0.25',
      'missing(age) < 0.25',
      'range(age) in [0, 120]',
      'range(age) in [0, 200]',
      'categories(plan) in [free, pro]',
      'categories(plan) in [free, pro, team]',
      'missing(city (main)) == 0.25',
      'missing(zip) <= 0.1',
    ].map(parseQualityRule);
    const outcome = checkQuality(rules, await profileOf(CSV));
    expect(outcome.passed).toBe(false);
    expect(outcome.results.map((r) => [r.rule, r.passed, r.found])).toEqual([
      ['rows >= 4', true, '4 rows'],
      ['rows > 10', false, '4 rows'],
      ['missing(age) <= 0.25', true, 'missing share 0.25'],
      ['missing(age) < 0.25', false, 'missing share 0.25'],
      ['range(age) in [0, 120]', false, 'values from 34 to 130'],
      ['range(age) in [0, 200]', true, 'values from 34 to 130'],
      ['categories(plan) in [free, pro]', false, 'not allowed: "team"'],
      ['categories(plan) in [free, pro, team]', true, 'every value allowed'],
      ['missing(city (main)) == 0.25', true, 'missing share 0.25'],
      ['missing(zip) <= 0.1', false, 'no such column in the current data'],
    ]);
    expect(checkQuality([parseQualityRule('rows == 4')], await profileOf(CSV)).passed).toBe(true);
  });

  it('says what a range or a category rule cannot check', async () => {
    const profile = await profileOf(CSV);
    const found = (rule: string) => checkQuality([parseQualityRule(rule)], profile).results[0]!.found;
    expect(found('range(plan) in [0, 1]')).toBe('a categorical column, not numeric');
    expect(found('categories(age) in [1]')).toBe('a numeric column, not categorical');
    const flags = await profileOf('churned\nyes\nno\nyes\n');
    const check = (rule: string) => checkQuality([parseQualityRule(rule)], flags).results[0]!;
    expect(check('categories(churned) in [yes, no]')).toMatchObject({ passed: true });
    expect(check('categories(churned) in [no]')).toMatchObject({
      passed: false,
      found: 'not allowed: "true"',
    });
  });

  it('names a malformed rule and shows the forms', () => {
    expect(() => parseQualityRule('age < 3')).toThrow(
      /^data-quality rule "age < 3" is not one of `rows >= 1000`/,
    );
    expect(() => parseQualityRule('range(age) in [5]')).toThrow(/a range is `in \[min, max\]`/);
    expect(() => parseQualityRule('range(age) in [9, 1]')).toThrow(/minimum is above its maximum/);
    expect(() => parseQualityRule('missing(age) <= 5')).toThrow(/a missing share is from 0 to 1/);
    expect(() => parseQualityRule('rows >= many')).toThrow(/"many" is not a number/);
  });

  it('reads a rules file beside the input’s lines, skipping comments', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'quality-'));
    await writeFile(join(dir, 'rules.txt'), '# volume\nrows >= 1\n\nmissing(age) <= 0.5\n');
    const rules = await qualityRulesFrom(['range(age) in [0, 150]'], join(dir, 'rules.txt'));
    expect(rules.map((r) => r.kind)).toEqual(['range', 'rows', 'missing']);
    await expect(qualityRulesFrom([], join(dir, 'none.txt'))).rejects.toThrow(
      /cannot read the data-quality rules file/,
    );
  });

  it('renders the outcome with rules and values escaped', async () => {
    const profile = await profileOf('plan\n<img src=x>\n');
    const markdown = renderQuality(checkQuality([parseQualityRule('categories(plan) in [free]')], profile));
    expect(markdown).toMatch(/^#### Data quality: 1 of 1 rules failed/);
    expect(markdown).not.toContain('<img');
  });
});
