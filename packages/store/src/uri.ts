import { resolve } from 'node:path';
import { UserError } from '@mlactions/core';

/** Where a store lives, parsed from its URI. */
export type StoreLocation =
  | { kind: 'file'; dir: string }
  | { kind: 's3'; bucket: string; prefix: string }
  | { kind: 'github-release'; owner: string; repo: string };

const FORMS = 'file://<dir>, s3://<bucket>/<prefix> or github-release://<owner>/<repo>';

/** S3's rule for bucket names (3–63 lower-case letters, digits, dots and hyphens). */
export function isBucketName(name: string): boolean {
  return /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name);
}

/**
 * Parses a store URI:
 * - `file://<dir>`: a folder; a relative dir (`file://models`) is resolved against `cwd`;
 * - `s3://<bucket>/<prefix>`: a bucket and an optional key prefix (`/`-separated segments);
 * - `github-release://<owner>/<repo>`: the releases of a repository.
 */
export function parseStoreUri(uri: string, cwd: string): StoreLocation {
  const match = /^([a-z][a-z0-9-]*):\/\/(.*)$/.exec(uri);
  if (!match) throw new UserError(`Invalid store ${JSON.stringify(uri)}: use ${FORMS}.`);
  const [, scheme, rest = ''] = match;
  switch (scheme) {
    case 'file': {
      if (rest === '') throw new UserError('The store file:// needs a directory, e.g. file://./models.');
      return { kind: 'file', dir: resolve(cwd, rest) };
    }
    case 's3': {
      const [bucket = '', ...segments] = rest.split('/');
      if (!isBucketName(bucket)) {
        throw new UserError(`Invalid S3 bucket name ${JSON.stringify(bucket)} in store ${uri}.`);
      }
      const parts = segments.filter((segment) => segment !== '');
      for (const part of parts) {
        if (part === '.' || part === '..' || !/^[A-Za-z0-9._-]+$/.test(part)) {
          throw new UserError(
            `Invalid S3 prefix segment ${JSON.stringify(part)} in store ${uri}: use A-Z a-z 0-9 . _ - between slashes.`,
          );
        }
      }
      return { kind: 's3', bucket, prefix: parts.map((part) => `${part}/`).join('') };
    }
    case 'github-release': {
      const match = /^([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))\/([A-Za-z0-9._-]{1,100})\/?$/.exec(rest);
      if (!match || match[2] === '.' || match[2] === '..') {
        throw new UserError(`Invalid store ${JSON.stringify(uri)}: use github-release://<owner>/<repo>.`);
      }
      return { kind: 'github-release', owner: match[1]!, repo: match[2]! };
    }
    default:
      throw new UserError(
        `Unknown store scheme ${JSON.stringify(scheme)} in ${JSON.stringify(uri)}: use ${FORMS}.`,
      );
  }
}
