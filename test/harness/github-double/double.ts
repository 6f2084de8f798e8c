import { randomBytes } from 'node:crypto';
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { buffer } from 'node:stream/consumers';
import { ApiError, messageBody, notFoundBody, validationFailedBody } from './errors.ts';
import { type Fault, faultReply, matches, type PendingFault } from './faults.ts';
import type { HandlerContext, Reply } from './handler.ts';
import { handlers } from './handlers/index.ts';
import { mayWrite } from './job-permissions.ts';
import { type ApiOperation, type GitHubOpenApi, loadGitHubOpenApi, type RequestProblem } from './openapi.ts';
import { Seeder } from './seed.ts';
import type { Hosts } from './shapes.ts';
import { DoubleState } from './state.ts';
import { ACTIONS_BOT, Store } from './store.ts';
import {
  describeViolation,
  GitHubDoubleViolationError,
  type Violation,
  type ViolationMatch,
  violationMatches,
} from './violations.ts';

export interface GitHubDoubleOptions {
  /** The repository seeded at start (default `octocat/model-repo`, as the event builders, default branch `main`). */
  owner?: string;
  repo?: string;
  defaultBranch?: string;
  /** Head sha of the default branch (default: a stable fake sha). */
  headSha?: string;
  /** The only token accepted; any other answers 401 "Bad credentials". Default: any token. */
  token?: string;
  /** Who the token belongs to, the author of what requests create (default `github-actions[bot]`). */
  actor?: { login: string; id?: number; type?: 'User' | 'Bot' };
  /** Check each JSON answer against the operation's response schema (default true). */
  checkResponses?: boolean;
  /** The double's clock, for created_at and the like (default: the real one). */
  now?: () => Date;
}

/** One request as the double received it and what it answered. */
export interface RecordedRequest {
  host: 'api' | 'uploads';
  method: string;
  /** The path without the query. */
  path: string;
  query: Record<string, string | string[]>;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body; undefined when there was none or it was not JSON. */
  body: unknown;
  rawBody: Buffer;
  operationId?: string;
  /** The status the double answered with. */
  status: number;
}

const WEB_ROOT = 'https://github.com';
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * A local stand-in for api.github.com (and uploads.github.com) that keeps state and checks every
 * request against GitHub's OpenAPI description. A request the real API would refuse is recorded as
 * a violation; `close()` throws while any is unacknowledged, so a test that sends one fails unless it
 * says, with `expectViolation` or `takeViolations`, that it meant to.
 */
export class GitHubDouble extends Seeder {
  /** The REST API root, for `baseUrl` / `GITHUB_API_URL`. */
  readonly url: string;
  /** The uploads root; releases' `upload_url` points here. */
  readonly uploadsUrl: string;
  /** The repository seeded at start. */
  readonly owner: string;
  readonly repo: string;
  readonly state: DoubleState;
  /** Every request received, in order. */
  readonly requests: RecordedRequest[] = [];
  /** When true every write answers 403 "Resource not accessible by integration" (a fork PR's token). */
  readOnly = false;

  private readonly openapi: GitHubOpenApi;
  private readonly checkResponses: boolean;
  private readonly token: string | undefined;
  private readonly unacknowledged: Violation[] = [];
  private readonly faults: PendingFault[] = [];
  /** Job tokens and their `permissions:`, which limit what they may write. */
  private readonly jobTokens = new Map<string, Readonly<Record<string, string>>>();
  private requestCount = 0;

  private constructor(
    private readonly servers: { api: Server; uploads: Server },
    hosts: Hosts,
    options: GitHubDoubleOptions,
    openapi: GitHubOpenApi,
  ) {
    const actor = options.actor
      ? { login: options.actor.login, id: options.actor.id ?? 1_000_001, type: options.actor.type ?? 'User' }
      : ACTIONS_BOT;
    const store = new Store(hosts, actor, options.now ?? (() => new Date()));
    super(store, options.owner ?? 'octocat', options.repo ?? 'model-repo');
    this.url = hosts.api;
    this.uploadsUrl = hosts.uploads;
    this.owner = this.defaultOwner;
    this.repo = this.defaultRepo;
    this.openapi = openapi;
    this.checkResponses = options.checkResponses ?? true;
    this.token = options.token;
    this.state = new DoubleState(store);
    this.seedRepository({
      owner: this.owner,
      repo: this.repo,
      ...(options.defaultBranch ? { defaultBranch: options.defaultBranch } : {}),
      ...(options.headSha ? { headSha: options.headSha } : {}),
    });
    servers.api.on('request', (req, res) => this.serve('api', req, res));
    servers.uploads.on('request', (req, res) => this.serve('uploads', req, res));
  }

  /** Starts the double on 127.0.0.1 (two random ports: API and uploads). */
  static async start(options: GitHubDoubleOptions = {}): Promise<GitHubDouble> {
    const openapi = loadGitHubOpenApi();
    const api = createServer();
    const uploads = createServer();
    const [apiPort, uploadsPort] = await Promise.all([listen(api), listen(uploads)]);
    const hosts = {
      api: `http://127.0.0.1:${apiPort}`,
      uploads: `http://127.0.0.1:${uploadsPort}`,
      web: WEB_ROOT,
    };
    return new GitHubDouble({ api, uploads }, hosts, options, openapi);
  }

  /** A job's GITHUB_TOKEN with the job's `permissions:`: its writes need the matching permission. */
  jobToken(permissions: Readonly<Record<string, string>>): string {
    const token = `ghs_job${String(this.jobTokens.size).padStart(33, '0')}`;
    this.jobTokens.set(token, permissions);
    return token;
  }

  /** Requests that matched one operation, e.g. `requestsFor('issues/create-comment')`. */
  requestsFor(operationId: string): RecordedRequest[] {
    return this.requests.filter((r) => r.operationId === operationId);
  }

  /** Violations not yet acknowledged. */
  get violations(): readonly Violation[] {
    return [...this.unacknowledged];
  }

  /**
   * Acknowledges the first unacknowledged violation that matches and returns it; throws (listing what
   * there is) when none matches. For tests that send a bad request on purpose.
   */
  expectViolation(match: ViolationMatch = {}): Violation {
    const index = this.unacknowledged.findIndex((v) => violationMatches(match, v));
    if (index < 0) {
      const seen = this.unacknowledged.map((v) => `  - ${describeViolation(v)}`).join('\n') || '  (none)';
      throw new Error(
        `No violation matching ${JSON.stringify(match, regexToString)}; unacknowledged:\n${seen}`,
      );
    }
    return this.unacknowledged.splice(index, 1)[0]!;
  }

  /** Returns every unacknowledged violation and acknowledges them all. */
  takeViolations(): Violation[] {
    return this.unacknowledged.splice(0);
  }

  /** Throws, listing them, while any violation is unacknowledged. */
  assertNoViolations(): void {
    if (this.unacknowledged.length > 0) throw new GitHubDoubleViolationError([...this.unacknowledged]);
  }

  /** Makes the next `times` (default 1) requests matching `fault.match` get the fault's answer. */
  failNext(fault: Fault): void {
    this.faults.push({ fault, remaining: fault.times ?? 1 });
  }

  /** Faults set with failNext that have not been used up. */
  get pendingFaults(): readonly Fault[] {
    return this.faults.filter((f) => f.remaining > 0).map((f) => f.fault);
  }

  clearFaults(): void {
    this.faults.splice(0);
  }

  /**
   * Stops both servers, then throws if violations are unacknowledged or faults were never used up
   * (a fault that never fired means the test did not test what it meant to).
   */
  async close(): Promise<void> {
    await Promise.all([stop(this.servers.api), stop(this.servers.uploads)]);
    this.assertNoViolations();
    const unused = this.pendingFaults;
    if (unused.length > 0) {
      throw new Error(
        `The GitHub API double still had faults that no request used: ${JSON.stringify(unused, regexToString)}`,
      );
    }
  }

  private async serve(host: 'api' | 'uploads', req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rawBody = await buffer(req);
    const url = new URL(req.url ?? '/', host === 'api' ? this.url : this.uploadsUrl);
    const method = (req.method ?? 'GET').toUpperCase();
    const record: RecordedRequest = {
      host,
      method,
      path: url.pathname,
      query: queryObject(url.searchParams),
      headers: req.headers,
      body: undefined,
      rawBody,
      status: 0,
    };
    this.requests.push(record);
    this.requestCount += 1;
    const requestId = randomBytes(8)
      .toString('hex')
      .toUpperCase()
      .replace(/(.{4})(.{4})(.{4})(.{4})/, '$1:$2:$3:$4');
    let reply: Reply;
    try {
      reply = this.answer(host, method, url, req.headers, rawBody, record, requestId);
    } catch (error) {
      this.unacknowledged.push({
        kind: 'double-error',
        method,
        url: url.pathname + url.search,
        ...(record.operationId ? { operationId: record.operationId } : {}),
        status: 500,
        message: error instanceof Error ? (error.stack ?? error.message) : String(error),
      });
      reply = { status: 500, body: { message: 'Server Error', status: '500' } };
    }
    record.status = reply.status;
    this.send(res, reply, requestId);
  }

  /** The request pipeline: authentication, route, faults, schema checks, permissions, then the handler. */
  private answer(
    host: 'api' | 'uploads',
    method: string,
    url: URL,
    headers: IncomingHttpHeaders,
    rawBody: Buffer,
    record: RecordedRequest,
    requestId: string,
  ): Reply {
    const violation = (v: Omit<Violation, 'method' | 'url'>, reply: Reply): Reply => {
      this.unacknowledged.push({ method, url: url.pathname + url.search, ...v });
      return reply;
    };
    const token = /^(?:token|bearer)\s+(\S+)$/i.exec(headers.authorization ?? '')?.[1];
    if (!token) {
      return violation(
        { kind: 'unauthenticated', status: 401, message: 'no token in the Authorization header' },
        { status: 401, body: messageBody(401, 'Requires authentication') },
      );
    }
    if (this.token !== undefined && token !== this.token) {
      return violation(
        { kind: 'unauthenticated', status: 401, message: 'not the token the double was started with' },
        { status: 401, body: messageBody(401, 'Bad credentials') },
      );
    }
    if (!headers['user-agent']) {
      const message =
        'Request forbidden by administrative rules. Please make sure your request has a User-Agent header (https://docs.github.com/en/rest/overview/resources-in-the-rest-api#user-agent-required).';
      return violation(
        { kind: 'invalid-request', status: 403, message: 'no User-Agent header' },
        { status: 403, body: { message } },
      );
    }

    const match = this.openapi.match(method, url.pathname);
    if (match.kind !== 'operation') {
      const message =
        match.kind === 'no-path'
          ? 'no such path in the REST API description'
          : `the path exists, but only for ${match.allowed.join(', ')}`;
      return violation(
        { kind: 'unknown-route', status: 404, message },
        { status: 404, body: notFoundBody() },
      );
    }
    const { operation, pathParams } = match;
    record.operationId = operation.operationId;
    if (operation.uploads !== (host === 'uploads')) {
      const message = operation.uploads
        ? 'uploads are served by the uploads host: send them to the release’s upload_url'
        : 'the uploads host serves only uploads';
      return violation(
        { kind: 'unknown-route', status: 404, operationId: operation.operationId, message },
        { status: 404, body: notFoundBody(operation.docsUrl) },
      );
    }

    const parsed = parseBody(operation, headers, rawBody);
    if (parsed.kind === 'ok') record.body = parsed.body;

    const pending = this.faults.find(
      (f) =>
        f.remaining > 0 &&
        matches(f.fault.match, { method, path: url.pathname, operationId: operation.operationId }),
    );
    if (pending) {
      pending.remaining -= 1;
      return faultReply(pending.fault, operation.docsUrl, Math.floor(Date.now() / 1000), requestId);
    }

    if (parsed.kind === 'bad-json') {
      return violation(
        {
          kind: 'invalid-request',
          status: 400,
          operationId: operation.operationId,
          message: 'the body is not valid JSON',
        },
        { status: 400, body: messageBody(400, 'Problems parsing JSON', operation.docsUrl) },
      );
    }
    const problems = [
      ...this.openapi.checkRequest(operation, { pathParams, query: record.query, body: parsed.body }),
      ...headerProblems(operation, headers, rawBody),
    ];
    if (problems.length > 0) {
      return violation(
        {
          kind: 'invalid-request',
          status: 422,
          operationId: operation.operationId,
          message: problems.map((p) => p.message).join('; '),
          problems,
        },
        { status: 422, body: validationFailedBody(operation.docsUrl, problems.map(toValidationItem)) },
      );
    }

    const granted = this.jobTokens.get(token);
    if (
      WRITE_METHODS.has(method) &&
      (this.readOnly || (granted !== undefined && !mayWrite(granted, operation.operationId)))
    ) {
      return faultReply({ kind: 'forbidden' }, operation.docsUrl, 0, requestId);
    }

    const handler = handlers[operation.operationId];
    if (!handler) {
      return violation(
        {
          kind: 'unimplemented',
          status: 501,
          operationId: operation.operationId,
          message: `the double does not implement ${operation.operationId}; add a handler in test/harness/github-double/handlers`,
        },
        {
          status: 501,
          body: messageBody(501, `Not implemented by the GitHub API double: ${operation.operationId}`),
        },
      );
    }
    const ctx: HandlerContext = {
      operation,
      params: pathParams,
      url,
      headers,
      body: parsed.body as HandlerContext['body'],
      rawBody,
      store: this.store,
      hosts: this.store.hosts,
    };
    let reply: Reply;
    try {
      reply = handler(ctx);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      reply = { status: error.status, body: error.body };
      if (error.violation) {
        return violation(
          {
            kind: 'rejected',
            status: error.status,
            operationId: operation.operationId,
            message: rejectionMessage(error),
          },
          reply,
        );
      }
    }
    if (this.checkResponses) this.checkReply(operation, reply, method, url);
    return reply;
  }

  /** Holds the double to its description: a JSON answer must fit the documented response. */
  private checkReply(operation: ApiOperation, reply: Reply, method: string, url: URL): void {
    if (Buffer.isBuffer(reply.body)) return;
    const problems = this.openapi.checkResponse(operation, reply.status, reply.body ?? null);
    // An error status GitHub's description leaves out (many omit 404) is no fault of the double's.
    const undocumentedError =
      reply.status >= 400 && problems.length === 1 && problems[0]!.startsWith('status ');
    if (problems.length > 0 && !undocumentedError) {
      this.unacknowledged.push({
        kind: 'response-schema',
        method,
        url: url.pathname + url.search,
        operationId: operation.operationId,
        status: reply.status,
        message: problems.slice(0, 10).join('; '),
      });
    }
  }

  private send(res: ServerResponse, reply: Reply, requestId: string): void {
    const now = Math.floor(Date.now() / 1000);
    const headers: Record<string, string> = {
      'x-github-request-id': requestId,
      'x-github-api-version-selected': '2022-11-28',
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': String(Math.max(1, 5000 - this.requestCount)),
      'x-ratelimit-reset': String(now + 3600),
      'x-ratelimit-used': String(this.requestCount),
      'x-ratelimit-resource': 'core',
      ...reply.headers,
    };
    if (reply.body === undefined || reply.status === 204) {
      res.writeHead(reply.status, headers).end();
    } else if (Buffer.isBuffer(reply.body)) {
      res
        .writeHead(reply.status, { ...headers, 'content-length': String(reply.body.length) })
        .end(reply.body);
    } else {
      const text = JSON.stringify(reply.body);
      res
        .writeHead(reply.status, {
          'content-type': 'application/json; charset=utf-8',
          'content-length': String(Buffer.byteLength(text)),
          ...headers,
        })
        .end(text);
    }
  }
}

/** Starts a GitHub API double; see GitHubDouble. */
export const startGitHubDouble = (options?: GitHubDoubleOptions): Promise<GitHubDouble> =>
  GitHubDouble.start(options);

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

function stop(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

function queryObject(params: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    out[key] = values.length === 1 ? values[0]! : values;
  }
  return out;
}

/** A JSON body where the operation takes one; an empty body counts as none. */
function parseBody(
  operation: ApiOperation,
  headers: IncomingHttpHeaders,
  rawBody: Buffer,
): { kind: 'ok'; body: unknown } | { kind: 'bad-json' } {
  const json =
    operation.bodyMediaTypes.includes('application/json') || /json/i.test(headers['content-type'] ?? '');
  if (!json || rawBody.length === 0 || operation.uploads) return { kind: 'ok', body: undefined };
  try {
    return { kind: 'ok', body: JSON.parse(rawBody.toString('utf8')) };
  } catch {
    return { kind: 'bad-json' };
  }
}

/** Uploads carry raw bytes: GitHub needs their Content-Type and Content-Length. */
function headerProblems(
  operation: ApiOperation,
  headers: IncomingHttpHeaders,
  rawBody: Buffer,
): RequestProblem[] {
  if (!operation.uploads) return [];
  const problems: RequestProblem[] = [];
  if (!headers['content-type']) {
    problems.push({
      field: 'header.content-type',
      code: 'missing_field',
      message: 'header.content-type is missing',
    });
  }
  if (headers['content-length'] === undefined) {
    problems.push({
      field: 'header.content-length',
      code: 'missing_field',
      message: 'header.content-length is missing',
    });
  } else if (Number(headers['content-length']) !== rawBody.length) {
    problems.push({
      field: 'header.content-length',
      code: 'invalid',
      message: 'header.content-length does not match the body',
    });
  }
  return problems;
}

function toValidationItem(p: RequestProblem) {
  const [where, ...rest] = p.field.split('.');
  return {
    resource: where === 'body' ? 'Body' : where === 'query' ? 'Query' : where === 'path' ? 'Path' : 'Header',
    field: rest.join('.') || where || '',
    code: p.code,
    message: p.message,
  };
}

function rejectionMessage(error: ApiError): string {
  const errors = error.body.errors as { field?: string; code?: string; message?: string }[] | undefined;
  const details = errors?.map((e) => e.message ?? `${e.field} ${e.code}`).join('; ');
  return details ? `${error.message}: ${details}` : error.message;
}

const regexToString = (_key: string, value: unknown): unknown =>
  value instanceof RegExp ? String(value) : value;
