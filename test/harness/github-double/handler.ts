import type { IncomingHttpHeaders } from 'node:http';
import { notFound, type ValidationErrorItem, validationFailed } from './errors.ts';
import type { ApiOperation } from './openapi.ts';
import { paginate } from './pagination.ts';
import type { RepoRecord } from './records.ts';
import type { Hosts } from './shapes.ts';
import type { Store } from './store.ts';

/** A request that matched an operation and passed its schema checks. */
export interface HandlerContext {
  operation: ApiOperation;
  params: Record<string, string>;
  /** The request's absolute URL on the host it was sent to. */
  url: URL;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body (undefined when there was none, or it was not JSON). */
  body: Record<string, unknown> | unknown[] | undefined;
  rawBody: Buffer;
  store: Store;
  hosts: Hosts;
}

export interface Reply {
  status: number;
  /** JSON to send, or bytes (sent as they are, with the headers given). */
  body?: unknown;
  headers?: Record<string, string>;
}

export type Handler = (ctx: HandlerContext) => Reply;
/** Handlers by the description's operationId, e.g. `issues/create-comment`. */
export type HandlerTable = Record<string, Handler>;

export const json = (status: number, body?: unknown, headers?: Record<string, string>): Reply => ({
  status,
  ...(body === undefined ? {} : { body }),
  ...(headers ? { headers } : {}),
});

/** The repository the request's `{owner}/{repo}` names, or GitHub's 404. */
export const repoOf = (ctx: HandlerContext): RepoRecord =>
  ctx.store.repo(ctx.params.owner!, ctx.params.repo!, ctx.operation.docsUrl);

/** The JSON body as an object (schema checks ran already, so its fields have their declared types). */
export const bodyOf = (ctx: HandlerContext): Record<string, unknown> =>
  ctx.body && !Array.isArray(ctx.body) ? (ctx.body as Record<string, unknown>) : {};

export const queryOf = (ctx: HandlerContext, name: string): string | undefined =>
  ctx.url.searchParams.get(name) ?? undefined;

export const intParam = (ctx: HandlerContext, name: string): number => Number(ctx.params[name]);

/** The item whose id the path parameter `param` names (e.g. `release_id`), or GitHub's 404. */
export function byIdParam<T extends { id: number }>(ctx: HandlerContext, items: T[], param: string): T {
  const id = intParam(ctx, param);
  const found = items.find((item) => item.id === id);
  if (!found) throw notFound(ctx.operation.docsUrl);
  return found;
}

/** A 200 with one page of `items` and the Link header GitHub would send. */
export function pageReply<T>(ctx: HandlerContext, items: T[], render: (item: T) => unknown): Reply {
  const page = paginate(items, ctx.url);
  return json(200, page.items.map(render), page.link ? { link: page.link } : undefined);
}

/** GitHub counts a text's length in characters (Ruby's String#length), i.e. code points. */
export const charLength = (text: string): number => [...text].length;

/** GitHub's 422 for a text past the field's limit, e.g. an issue comment over 65,536 characters. */
export function checkLength(
  ctx: HandlerContext,
  resource: string,
  field: string,
  text: unknown,
  max: number,
): void {
  if (typeof text === 'string' && charLength(text) > max) {
    const error: ValidationErrorItem = {
      resource,
      code: 'custom',
      field,
      message: `${field} is too long (maximum is ${max} characters)`,
    };
    throw validationFailed(ctx.operation.docsUrl, [error]);
  }
}

/** Newest first, as GitHub lists statuses, deployments and releases. */
export const newestFirst = <T extends { id: number }>(items: T[]): T[] =>
  [...items].sort((a, b) => b.id - a.id);
