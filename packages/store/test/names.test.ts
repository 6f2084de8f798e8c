import { isUserError } from '@mlactions/core';
import { describe, expect, it } from 'vitest';
import { normalizeVersion, validateAlias, validateFilePath, validateName } from '../src/names.ts';

const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    expect(isUserError(error)).toBe(true);
    return (error as Error).message;
  }
  throw new Error('expected a UserError');
};

describe('names and aliases', () => {
  it('accepts the documented charset', () => {
    for (const name of ['iris', 'Iris-2', 'fraud_model.v3', 'a', '9lives', 'x'.repeat(100)]) {
      expect(validateName(name)).toBe(name);
      expect(validateAlias(name)).toBe(name);
    }
  });

  it('refuses anything that a path, a key or a git ref would read specially', () => {
    const bad = [
      '',
      '..',
      'a..b',
      '../etc',
      'a/b',
      'a\\b',
      '.hidden',
      '-flag',
      'ends.',
      'model.lock',
      'a b',
      'tab\there',
      'nl\n',
      'nul\u0000',
      'at@sign',
      'hash#tag',
      'x'.repeat(101),
      'émoji',
    ];
    for (const name of bad) {
      expect(refusal(() => validateName(name))).toContain('Invalid model name');
      expect(refusal(() => validateAlias(name))).toContain('Invalid alias');
    }
    expect(refusal(() => validateName(42))).toContain('Invalid model name');
  });
});

describe('versions', () => {
  it('keeps strict semantic versions and drops one leading v', () => {
    expect(normalizeVersion('1.2.3')).toBe('1.2.3');
    expect(normalizeVersion('v1.2.3')).toBe('1.2.3');
    expect(normalizeVersion('2.0.0-rc.1')).toBe('2.0.0-rc.1');
  });

  it('refuses what is not semver', () => {
    for (const version of [
      '1',
      '1.2',
      '1.0.0+build.7',
      '01.2.3',
      'vv1.0.0',
      '1.0.0/..',
      '../1.0.0',
      ' 1.0.0',
      '1.0.0\n',
      'latest',
    ]) {
      expect(refusal(() => normalizeVersion(version))).toContain('Invalid version');
    }
  });
});

describe('file paths inside a version', () => {
  it('accepts relative slash-separated paths', () => {
    for (const path of ['model.onnx', 'tokenizer/vocab.json', 'a b/ü.bin', '.config']) {
      expect(validateFilePath(path)).toBe(path);
    }
  });

  it('refuses absolute, escaping, empty-segment, backslash and control-character paths', () => {
    for (const path of [
      '',
      '/etc/passwd',
      '../x',
      'a/../../x',
      'a//b',
      './a',
      'a/.',
      'a\\b',
      'a\u0007b',
      'line\u2028sep',
    ]) {
      expect(refusal(() => validateFilePath(path))).toContain('Invalid file path');
    }
  });
});
