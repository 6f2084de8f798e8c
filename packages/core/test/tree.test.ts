import { describe, expect, it } from 'vitest';
import { parseTree } from '../src/metrics/tree.ts';
import { UserError } from '../src/user-error.ts';

/** The UserError message a parse throws. */
function errorOf(parse: () => unknown): string {
  try {
    parse();
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return (error as Error).message;
  }
  throw new Error('expected a UserError');
}

describe('parseTree', () => {
  it('reads JSON with NaN and Infinity as Python json.dumps writes them, keeping quoted text as text', () => {
    const tree = parseTree(
      '{"a": NaN, "b": -Infinity, "c": Infinity, "d": "NaN", "e": [1, 2]}',
      'm.json',
      'json',
    );
    expect(tree).toEqual({
      a: Number.NaN,
      b: Number.NEGATIVE_INFINITY,
      c: Number.POSITIVE_INFINITY,
      d: 'NaN',
      e: [1, 2],
    });
  });

  it('reads YAML, including .nan, nan and inf', () => {
    expect(parseTree('a: .nan\nb: nan\nc: -inf\nd: 0.5\ne: yes\n', 'm.yaml', 'yaml')).toEqual({
      a: Number.NaN,
      b: Number.NaN,
      c: Number.NEGATIVE_INFINITY,
      d: 0.5,
      e: 'yes',
    });
  });

  it('refuses duplicate keys, naming file, line and column', () => {
    expect(errorOf(() => parseTree('{\n  "loss": 1,\n  "loss": 2\n}', 'm.json', 'json'))).toMatch(
      /^m\.json:3:3: a key appears twice/,
    );
    expect(errorOf(() => parseTree('a: 1\na: 2\n', 'm.yaml', 'yaml'))).toMatch(
      /^m\.yaml:2:1: a key appears twice/,
    );
  });

  it('finds duplicates nested anywhere, and is not fooled by quotes and colons inside strings', () => {
    expect(errorOf(() => parseTree('{"a": {"b": 1, "b": 2}}', 'm.json', 'json'))).toMatch(
      /^m\.json:1:16: a key appears/,
    );
    expect(errorOf(() => parseTree('[{"x": 1}, {"y": 1, "y": 1}]', 'm.json', 'json'))).toMatch(
      /a key appears twice/,
    );
    const tricky = '{"a": "x\\":y", "b": {"c": "\\"d\\":"}, "e": ["f:", {"g": "\\\\"}]}';
    expect(parseTree(tricky, 'm.json', 'json')).toEqual({
      a: 'x":y',
      b: { c: '"d":' },
      e: ['f:', { g: '\\' }],
    });
  });

  it('names file, line and column of a syntax error', () => {
    expect(errorOf(() => parseTree('{\n  "a": 1,\n  "b": [1, 2,, 3]\n}', 'm.json', 'json'))).toMatch(
      /^m\.json:3:14: this is not valid JSON/,
    );
    expect(errorOf(() => parseTree('a: [1, 2\nb: 3\n', 'm.yaml', 'yaml'))).toMatch(
      /^m\.yaml:\d+:\d+: this is not valid YAML/,
    );
  });

  it('refuses in JSON what only YAML allows', () => {
    expect(errorOf(() => parseTree('{"a": tru}', 'm.json', 'json'))).toMatch(/^m\.json:1:7: expected JSON/);
    expect(errorOf(() => parseTree('{"a": 1,\n "b": }', 'm.json', 'json'))).toMatch(
      /^m\.json:2:7: expected JSON/,
    );
    expect(errorOf(() => parseTree('{"a", "b": 1}', 'm.json', 'json'))).toMatch(
      /^m\.json:1:2: expected JSON/,
    );
    expect(errorOf(() => parseTree("{'a': 1}", 'm.json', 'json'))).toMatch(/expected JSON/);
    expect(errorOf(() => parseTree('a: 1', 'm.json', 'json'))).toMatch(/expected JSON/);
  });

  it('numbers lines from firstLine for fragments of a file', () => {
    expect(errorOf(() => parseTree('{"a": 1,, "b": 2}', 'h.jsonl', 'json', 7))).toMatch(/^h\.jsonl:7:9:/);
  });
});
