import { UserError } from '@mlactions/core';
import semver from 'semver';

/**
 * Model names and aliases: 1 to 100 characters from `A-Z a-z 0-9 . _ -`, starting with a letter or
 * digit, with no `..` and not ending in `.` or `.lock`. They become path segments, S3 keys and git tag
 * names (`<name>@v<version>`), so anything a path, a key or a ref could read specially is refused.
 */
const IDENTIFIER = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** The charset rule in words, for error messages and documentation. */
export const IDENTIFIER_RULE =
  '1-100 characters from A-Z a-z 0-9 . _ -, starting with a letter or digit, without ".." and not ending in "." or ".lock"';

function checkIdentifier(kind: string, value: unknown): string {
  if (
    typeof value !== 'string' ||
    !IDENTIFIER.test(value) ||
    value.includes('..') ||
    value.endsWith('.') ||
    value.endsWith('.lock')
  ) {
    throw new UserError(`Invalid ${kind} ${JSON.stringify(value)}: use ${IDENTIFIER_RULE}.`);
  }
  return value;
}

/** Returns the model name unchanged, or throws a UserError explaining the allowed charset. */
export function validateName(name: unknown): string {
  return checkIdentifier('model name', name);
}

/** Returns the alias unchanged, or throws a UserError explaining the allowed charset. */
export function validateAlias(alias: unknown): string {
  return checkIdentifier('alias', alias);
}

/**
 * Returns the canonical semantic version (https://semver.org) for `version`, accepting one leading
 * `v` (`v1.2.0` → `1.2.0`); anything else that is not strict semver throws a UserError. Build
 * metadata (`+build.7`) is refused: semver ranks `1.0.0+a` and `1.0.0+b` equal, which would make
 * "the latest version" and immutability ambiguous.
 */
export function normalizeVersion(version: unknown): string {
  const text = typeof version === 'string' ? version.replace(/^v/, '') : '';
  if (text.length > 128 || semver.valid(text) !== text) {
    throw new UserError(
      `Invalid version ${JSON.stringify(version)}: use a semantic version such as 1.2.0 or 2.0.0-rc.1.`,
    );
  }
  return text;
}

// C0 and C1 control characters, DEL, and the Unicode line/paragraph separators.
// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/**
 * Checks a file's path inside a version (`model.onnx`, `tokenizer/vocab.json`): relative, `/`
 * separated, no empty, `.` or `..` segment, no backslash, no control characters, at most 1,024
 * characters. Paths come from manifests a store hands back too, so fetch checks them again before
 * writing anything.
 */
export function validateFilePath(path: unknown): string {
  const fail = (why: string): never => {
    throw new UserError(`Invalid file path ${JSON.stringify(path)} in an artifact version: ${why}.`);
  };
  if (typeof path !== 'string' || path.length === 0) return fail('it is empty');
  if (path.length > 1024) fail('it is longer than 1,024 characters');
  if (CONTROL.test(path)) fail('it contains control characters');
  if (path.includes('\\')) fail('it contains a backslash');
  if (path.startsWith('/')) fail('it is absolute');
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.' || segment === '..') fail('it has an empty, "." or ".." segment');
  }
  return path;
}

/** True for a lowercase 64-digit hex sha256 digest. */
export function isSha256(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9a-f]{64}$/.test(value);
}
