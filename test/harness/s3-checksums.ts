// S3's SHA-256 checksums, which s3rver 3.7 predates, laid over it as the first Koa middleware: what
// AWS S3 does with them, as far as a store relies on it (see test/s3-server.test.ts).
// - PutObject and UploadPart with `x-amz-checksum-sha256`: the body is checked against it (400
//   BadDigest when it differs, and nothing is stored); the value is kept and returned.
// - CreateMultipartUpload with `x-amz-checksum-algorithm: SHA256`: every part must carry its checksum
//   and CompleteMultipartUpload must list them; the object's checksum is then S3's composite one,
//   base64(sha256(the parts' digests, concatenated)) followed by `-<number of parts>`.
// - HeadObject and GetObject with `x-amz-checksum-mode: ENABLED` return the checksum of the object as
//   it is now (`x-amz-checksum-sha256`, `x-amz-checksum-type`): one overwritten without a checksum has
//   none, since s3rver keeps no other.
// - A body sent aws-chunked (a streamed body with a trailing checksum) is refused: s3rver would store
//   the chunk framing as the object's bytes.
// Every request is also logged (method and path), so that a test can tell what a client read.
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { Readable } from 'node:stream';

/** s3rver's error class: thrown from a middleware, s3rver answers with it as S3 would. */
const S3Error = createRequire(import.meta.url)('s3rver/lib/models/error') as new (
  code: string,
  message: string,
) => Error;

/** The parts of a Koa context this middleware uses (s3rver ships no types). */
export interface KoaContext {
  method: string;
  /** The request's path as sent: `/<bucket>/<key>` with path-style addressing. */
  path: string;
  querystring: string;
  query: Record<string, string | string[] | undefined>;
  headers: Record<string, string | string[] | undefined>;
  /** The request body s3rver reads; replaced here by the bytes already read. */
  req: NodeJS.ReadableStream;
  status: number;
  body: unknown;
  set(name: string, value: string): void;
  response: { get(name: string): string };
}

/** One request the server received. */
export interface S3Request {
  method: string;
  /** `/<bucket>/<key>`, decoded. */
  path: string;
  /** The query string, without `?`. */
  query: string;
}

interface StoredChecksum {
  value: string;
  type: 'FULL_OBJECT' | 'COMPOSITE';
  /** The object's ETag when the checksum was stored: another ETag is other bytes. */
  etag: string;
}

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest();

async function readBody(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

const headerOf = (ctx: KoaContext, name: string): string | undefined => {
  const value = ctx.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

const queryOf = (ctx: KoaContext, name: string): string | undefined => {
  const value = ctx.query[name];
  return Array.isArray(value) ? value[0] : value;
};

const succeeded = (ctx: KoaContext) => ctx.status >= 200 && ctx.status < 300;

/** The middleware, and the log of requests it keeps. */
export function s3Checksums(): {
  middleware: (ctx: KoaContext, next: () => Promise<void>) => Promise<void>;
  requests: S3Request[];
} {
  const requests: S3Request[] = [];
  const objects = new Map<string, StoredChecksum>();
  // Multipart uploads created with SHA256, and the checksums of their parts so far.
  const uploads = new Map<string, Map<number, string>>();

  const middleware = async (ctx: KoaContext, next: () => Promise<void>): Promise<void> => {
    requests.push({ method: ctx.method, path: decodeURIComponent(ctx.path), query: ctx.querystring });
    if (
      headerOf(ctx, 'content-encoding')?.includes('aws-chunked') ||
      headerOf(ctx, 'x-amz-content-sha256')?.startsWith('STREAMING-')
    ) {
      throw new S3Error(
        'NotImplemented',
        'This test server does not decode aws-chunked bodies: set requestChecksumCalculation WHEN_REQUIRED (s3ClientConfig does)',
      );
    }
    const uploadId = queryOf(ctx, 'uploadId');
    const partNumber = queryOf(ctx, 'partNumber');
    const claimed = headerOf(ctx, 'x-amz-checksum-sha256');

    if (ctx.method === 'PUT' && (claimed !== undefined || (uploadId && uploads.has(uploadId)))) {
      if (claimed === undefined) {
        throw new S3Error(
          'InvalidRequest',
          'The upload was created using a sha256 checksum; send the checksum of each part.',
        );
      }
      const body = await readBody(ctx.req);
      const actual = sha256(body).toString('base64');
      if (actual !== claimed) {
        throw new S3Error('BadDigest', 'The SHA256 you specified did not match the calculated checksum.');
      }
      ctx.req = Readable.from([body]);
      await next();
      if (!succeeded(ctx)) return;
      ctx.set('x-amz-checksum-sha256', actual);
      if (uploadId && partNumber) uploads.get(uploadId)?.set(Number(partNumber), actual);
      else objects.set(ctx.path, { value: actual, type: 'FULL_OBJECT', etag: ctx.response.get('ETag') });
      return;
    }

    if (ctx.method === 'POST' && 'uploads' in ctx.query) {
      const algorithm = headerOf(ctx, 'x-amz-checksum-algorithm')?.toUpperCase();
      if (algorithm !== undefined && algorithm !== 'SHA256') {
        throw new S3Error('NotImplemented', `This test server keeps SHA256 checksums only, not ${algorithm}`);
      }
      await next();
      const id = /<UploadId>([^<]+)<\/UploadId>/.exec(String(ctx.body))?.[1];
      if (algorithm && id && succeeded(ctx)) {
        uploads.set(id, new Map());
        ctx.set('x-amz-checksum-algorithm', algorithm);
        ctx.set('x-amz-checksum-type', 'COMPOSITE');
      }
      return;
    }

    if (ctx.method === 'POST' && uploadId && uploads.has(uploadId)) {
      const xml = (await readBody(ctx.req)).toString('utf8');
      const stored = uploads.get(uploadId)!;
      const parts = [...xml.matchAll(/<Part>([\s\S]*?)<\/Part>/g)].map(([, part]) => ({
        number: Number(/<PartNumber>(\d+)<\/PartNumber>/.exec(part!)?.[1]),
        checksum: /<ChecksumSHA256>([^<]+)<\/ChecksumSHA256>/.exec(part!)?.[1],
      }));
      for (const part of parts) {
        if (part.checksum === undefined || part.checksum !== stored.get(part.number)) {
          throw new S3Error(
            'InvalidPart',
            `Part ${part.number} is missing its SHA256 checksum or it does not match the part's.`,
          );
        }
      }
      ctx.req = Readable.from([Buffer.from(xml)]);
      await next();
      if (!succeeded(ctx)) return;
      const digests = parts
        .sort((a, b) => a.number - b.number)
        .map((p) => Buffer.from(p.checksum!, 'base64'));
      const etag = /<ETag>([^<]+)<\/ETag>/.exec(String(ctx.body))?.[1]?.replaceAll('&quot;', '"') ?? '';
      objects.set(ctx.path, {
        value: `${sha256(Buffer.concat(digests)).toString('base64')}-${digests.length}`,
        type: 'COMPOSITE',
        etag,
      });
      uploads.delete(uploadId);
      return;
    }

    await next();
    if (ctx.method === 'DELETE' && uploadId) uploads.delete(uploadId);
    if (
      (ctx.method === 'HEAD' || ctx.method === 'GET') &&
      headerOf(ctx, 'x-amz-checksum-mode') === 'ENABLED' &&
      ctx.status === 200
    ) {
      const stored = objects.get(ctx.path);
      if (stored && stored.etag === ctx.response.get('ETag')) {
        ctx.set('x-amz-checksum-sha256', stored.value);
        ctx.set('x-amz-checksum-type', stored.type);
      }
    }
  };
  return { middleware, requests };
}
