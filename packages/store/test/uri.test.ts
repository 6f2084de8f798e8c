import { describe, expect, it } from 'vitest';
import { parseStoreUri } from '../src/uri.ts';

describe('store URIs', () => {
  it('parses the three forms', () => {
    expect(parseStoreUri('file:///srv/models', '/work')).toEqual({ kind: 'file', dir: '/srv/models' });
    expect(parseStoreUri('file://models', '/work')).toEqual({ kind: 'file', dir: '/work/models' });
    expect(parseStoreUri('s3://my-bucket', '/')).toEqual({ kind: 's3', bucket: 'my-bucket', prefix: '' });
    expect(parseStoreUri('s3://my-bucket/team/models/', '/')).toEqual({
      kind: 's3',
      bucket: 'my-bucket',
      prefix: 'team/models/',
    });
    expect(parseStoreUri('github-release://octo-org/models', '/')).toEqual({
      kind: 'github-release',
      owner: 'octo-org',
      repo: 'models',
    });
  });

  it('refuses unknown schemes, bad buckets and unsafe prefixes', () => {
    expect(() => parseStoreUri('/srv/models', '/')).toThrow(/use file:\/\/<dir>/);
    expect(() => parseStoreUri('gs://bucket', '/')).toThrow(/Unknown store scheme "gs"/);
    expect(() => parseStoreUri('s3://Bad_Bucket/x', '/')).toThrow(/Invalid S3 bucket/);
    expect(() => parseStoreUri('s3://bucket/a/../b', '/')).toThrow(/Invalid S3 prefix segment/);
    expect(() => parseStoreUri('github-release://owner', '/')).toThrow(/github-release:\/\/<owner>\/<repo>/);
    expect(() => parseStoreUri('github-release://owner/../x', '/')).toThrow(/github-release/);
  });
});
