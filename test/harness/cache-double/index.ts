// A local stand-in for the runner's cache service, as @actions/cache v4+ speaks to it (cache service
// v2, read from @actions/cache 6's lib/internal/shared/cacheTwirpClient.js and lib/cache.js):
//
// - Twirp JSON: POST <ACTIONS_RESULTS_URL>/twirp/github.actions.results.api.v1.CacheService/<Method>
//   with `Authorization: Bearer <ACTIONS_RUNTIME_TOKEN>` and proto field names in the body:
//   CreateCacheEntry {key, version} → {ok, signed_upload_url};
//   FinalizeCacheEntryUpload {key, version, size_bytes} → {ok, entry_id};
//   GetCacheEntryDownloadURL {key, restore_keys, version} → {ok, signed_download_url, matched_key}.
//   Errors are Twirp's `{code, msg}` with its HTTP status (409 already_exists, 404 not_found, …).
// - Blob upload: the Azure Storage SDK (BlockBlobClient.uploadFile) PUTs to the signed URL: one
//   `Put Blob` (x-ms-blob-type: BlockBlob) up to 128 MiB, else `Put Block` (?comp=block&blockid=…)
//   per part and `Put Block List` (?comp=blocklist, XML of block ids).
// - Blob download: a plain GET of the signed URL (the SDK path is taken only for
//   *.blob.core.windows.net hosts), answered with Content-Length so the client checks the size.
//
// Entries are immutable and matched as GitHub documents: the key exactly, then each restore key as
// a prefix (newest first), always with the same version (a hash of the paths and compression).
// A client needs ACTIONS_CACHE_SERVICE_V2 set to speak v2: env() returns all three variables.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buffer } from 'node:stream/consumers';

const SERVICE = '/twirp/github.actions.results.api.v1.CacheService/';
const BLOB_PATH = '/devstoreaccount1/actions-cache/';

export interface CacheEntry {
  id: number;
  key: string;
  version: string;
  /** Set once the upload was finalized; only finalized entries are found. */
  finalized: boolean;
  sizeBytes: number;
  createdAt: number;
  data?: Buffer;
}

export interface CacheDoubleRequest {
  method: string;
  path: string;
  /** The Twirp method or blob operation. */
  operation: string;
  status: number;
}

export interface CacheDouble {
  /** ACTIONS_RESULTS_URL: the root the Twirp client and blob URLs hang off (ends in `/`). */
  readonly url: string;
  readonly token: string;
  /** The environment a step needs to use this cache (v2). */
  env(): Record<string, string>;
  readonly entries: CacheEntry[];
  readonly requests: CacheDoubleRequest[];
  close(): Promise<void>;
}

class TwirpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const sendJson = (res: ServerResponse, status: number, body: unknown) => {
  const text = JSON.stringify(body);
  res
    .writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) })
    .end(text);
};

/** Starts the cache double on 127.0.0.1 (a random port). */
export async function startCacheDouble(options: { token?: string } = {}): Promise<CacheDouble> {
  const token = options.token ?? `cache-runtime-${randomBytes(8).toString('hex')}`;
  const signature = randomBytes(12).toString('hex');
  const entries: CacheEntry[] = [];
  const requests: CacheDoubleRequest[] = [];
  const blocks = new Map<string, Buffer>();
  let nextId = 1;
  let clock = 0;
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const blobUrl = (entry: CacheEntry, permissions: string) =>
    `${url.slice(0, -1)}${BLOB_PATH}${entry.id}?sv=2024-11-04&sp=${permissions}&sig=${signature}`;

  const twirp = (method: string, body: Record<string, unknown>) => {
    const key = String(body.key ?? '');
    const version = String(body.version ?? '');
    if (!key || !version) throw new TwirpError(400, 'invalid_argument', 'key and version are required');
    switch (method) {
      case 'CreateCacheEntry': {
        if (entries.some((e) => e.key === key && e.version === version))
          throw new TwirpError(
            409,
            'already_exists',
            'cache entry with the same key, version, and scope already exists',
          );
        const entry: CacheEntry = {
          id: nextId++,
          key,
          version,
          finalized: false,
          sizeBytes: 0,
          createdAt: ++clock,
        };
        entries.push(entry);
        return { ok: true, signed_upload_url: blobUrl(entry, 'cw') };
      }
      case 'FinalizeCacheEntryUpload': {
        const entry = entries.find((e) => e.key === key && e.version === version && !e.finalized);
        if (!entry)
          throw new TwirpError(
            404,
            'not_found',
            'no cache entry is being uploaded with this key and version',
          );
        if (!entry.data || entry.data.length !== Number(body.size_bytes))
          throw new TwirpError(
            400,
            'invalid_argument',
            `uploaded ${entry.data?.length ?? 0} bytes, size_bytes says ${body.size_bytes}`,
          );
        entry.finalized = true;
        entry.sizeBytes = entry.data.length;
        return { ok: true, entry_id: String(entry.id) };
      }
      case 'GetCacheEntryDownloadURL': {
        const usable = entries
          .filter((e) => e.finalized && e.version === version)
          .sort((a, b) => b.createdAt - a.createdAt);
        const restoreKeys = Array.isArray(body.restore_keys) ? body.restore_keys.map(String) : [];
        const found =
          usable.find((e) => e.key === key) ??
          restoreKeys
            .map((prefix) => usable.find((e) => e.key.startsWith(prefix)))
            .find((e) => e !== undefined);
        return found
          ? { ok: true, signed_download_url: blobUrl(found, 'r'), matched_key: found.key }
          : { ok: false };
      }
      default:
        throw new TwirpError(404, 'bad_route', `no handler for path "${SERVICE}${method}"`);
    }
  };

  /** Put Blob, Put Block, Put Block List and Get Blob on an entry's signed URL. */
  const blob = (req: IncomingMessage, res: ServerResponse, target: URL, body: Buffer): string => {
    const entry = entries.find((e) => `${BLOB_PATH}${e.id}` === target.pathname);
    if (!entry || target.searchParams.get('sig') !== signature) {
      res.writeHead(403, { 'x-ms-error-code': 'AuthenticationFailed' }).end();
      return 'denied';
    }
    const headers = {
      etag: `"0x${entry.id.toString(16).toUpperCase()}"`,
      'last-modified': new Date().toUTCString(),
      'x-ms-request-id': randomBytes(8).toString('hex'),
      'x-ms-version': '2024-11-04',
      'x-ms-request-server-encrypted': 'true',
    };
    if (req.method === 'GET') {
      if (!entry.finalized || !entry.data) {
        res.writeHead(404, { 'x-ms-error-code': 'BlobNotFound' }).end();
        return 'get-blob';
      }
      res.writeHead(200, {
        ...headers,
        'content-length': entry.data.length,
        'content-type': 'application/octet-stream',
      });
      res.end(entry.data);
      return 'get-blob';
    }
    if (req.method !== 'PUT' || entry.finalized) {
      res.writeHead(409, { 'x-ms-error-code': 'OperationNotAllowed' }).end();
      return 'refused';
    }
    const comp = target.searchParams.get('comp');
    if (comp === 'block') {
      blocks.set(`${entry.id}:${target.searchParams.get('blockid')}`, body);
      res.writeHead(201, headers).end();
      return 'put-block';
    }
    if (comp === 'blocklist') {
      const ids = [...body.toString('utf8').matchAll(/<(?:Latest|Uncommitted|Committed)>([^<]*)</g)].map(
        (m) => m[1]!,
      );
      const parts = ids.map((id) => blocks.get(`${entry.id}:${id}`));
      if (parts.some((p) => p === undefined)) {
        res.writeHead(400, { 'x-ms-error-code': 'InvalidBlockList' }).end();
        return 'put-block-list';
      }
      entry.data = Buffer.concat(parts as Buffer[]);
      res.writeHead(201, headers).end();
      return 'put-block-list';
    }
    if (req.headers['x-ms-blob-type'] !== 'BlockBlob') {
      res.writeHead(400, { 'x-ms-error-code': 'MissingRequiredHeader' }).end();
      return 'put-blob';
    }
    entry.data = body;
    res.writeHead(201, headers).end();
    return 'put-blob';
  };

  server.on('request', async (req, res) => {
    const target = new URL(req.url ?? '/', url);
    const body = await buffer(req);
    const record: CacheDoubleRequest = {
      method: req.method ?? 'GET',
      path: target.pathname,
      operation: '',
      status: 0,
    };
    requests.push(record);
    res.on('finish', () => {
      record.status = res.statusCode;
    });
    if (target.pathname.startsWith(BLOB_PATH)) {
      record.operation = blob(req, res, target, body);
      return;
    }
    if (!target.pathname.startsWith(SERVICE) || req.method !== 'POST') {
      record.operation = 'unknown';
      sendJson(res, 404, { code: 'bad_route', msg: `no handler for ${req.method} ${target.pathname}` });
      return;
    }
    const method = target.pathname.slice(SERVICE.length);
    record.operation = method;
    if (req.headers.authorization !== `Bearer ${token}`) {
      sendJson(res, 401, { code: 'unauthenticated', msg: 'invalid or missing runtime token' });
      return;
    }
    try {
      sendJson(res, 200, twirp(method, JSON.parse(body.toString('utf8') || '{}') as Record<string, unknown>));
    } catch (error) {
      if (error instanceof TwirpError) sendJson(res, error.status, { code: error.code, msg: error.message });
      else sendJson(res, 500, { code: 'internal', msg: String(error) });
    }
  });

  return {
    url,
    token,
    env: () => ({ ACTIONS_RESULTS_URL: url, ACTIONS_RUNTIME_TOKEN: token, ACTIONS_CACHE_SERVICE_V2: 'true' }),
    entries,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
