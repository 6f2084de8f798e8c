import { describe, expect, it } from 'vitest';
import { diffParams, flattenParams, parseParamsText } from '../src/params/params.ts';
import { UserError } from '../src/user-error.ts';

const flat = (text: string, file: string) => flattenParams(parseParamsText(text, file), file);

describe('parameter files', () => {
  it('reads YAML (DVC params.yaml), JSON and TOML into the same dotted names', () => {
    const yaml = flat('train:\n  lr: 0.01\n  layers: [64, 32]\nseed: 7\nmodel: resnet\n', 'params.yaml');
    const json = flat('{"train": {"lr": 0.01, "layers": [64, 32]}, "seed": 7, "model": "resnet"}', 'p.json');
    const toml = flat('seed = 7\nmodel = "resnet"\n[train]\nlr = 0.01\nlayers = [64, 32]\n', 'p.toml');
    const expected = new Map([
      ['train.lr', '0.01'],
      ['train.layers', '[64,32]'],
      ['seed', '7'],
      ['model', 'resnet'],
    ]);
    expect(new Map([...yaml].sort())).toEqual(new Map([...expected].sort()));
    expect(new Map([...json].sort())).toEqual(new Map([...expected].sort()));
    expect(new Map([...toml].sort())).toEqual(new Map([...expected].sort()));
  });

  it('keeps a TOML date as the text it was written as', () => {
    expect(flat('released = 1979-05-27\n', 'p.toml').get('released')).toBe('1979-05-27');
  });

  it('names the file, line and column of malformed text, and refuses what is not an object', () => {
    expect(() => parseParamsText('a = 1\nb = = 2\n', 'p.toml')).toThrow(
      /^p\.toml:2:\d+: this is not valid TOML/,
    );
    expect(() => parseParamsText('{"a": ', 'p.json')).toThrow(/^p\.json:1:\d+: this is not valid JSON/);
    expect(() => parseParamsText('- 1\n', 'p.yaml')).toThrow(UserError);
    expect(() => parseParamsText('a: 1', 'params.txt')).toThrow(/Use \.yaml, \.yml, \.json or \.toml/);
  });

  it('lists changed parameters first (values, added, removed), then unchanged, each sorted by name', () => {
    const base = new Map([
      ['seed', '7'],
      ['lr', '0.01'],
      ['dropout', '0.1'],
      ['epochs', '10'],
    ]);
    const head = new Map([
      ['seed', '7'],
      ['lr', '0.02'],
      ['batch', '64'],
      ['epochs', '10'],
    ]);
    expect(diffParams(base, head)).toEqual([
      { name: 'batch', base: null, head: '64', changed: true },
      { name: 'dropout', base: '0.1', head: null, changed: true },
      { name: 'lr', base: '0.01', head: '0.02', changed: true },
      { name: 'epochs', base: '10', head: '10', changed: false },
      { name: 'seed', base: '7', head: '7', changed: false },
    ]);
  });
});
