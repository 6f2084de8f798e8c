import type { Reply } from './handler.ts';

/** Which requests a fault (or an expected violation) applies to; every given field must match. */
export interface RequestMatch {
  method?: string;
  /** The description's operationId, e.g. `issues/create-comment`. */
  operationId?: string;
  /** The request path without its query: equal to a string, or matching a RegExp. */
  path?: string | RegExp;
}

/** An answer GitHub gives that a client must cope with rather than avoid. */
export type FaultKind =
  /** Primary rate limit: 403 (or 429) with `x-ratelimit-remaining: 0` and `x-ratelimit-reset`. */
  | { kind: 'rate-limit'; status?: 403 | 429; resetInSeconds?: number }
  /** Secondary rate limit: 403 (or 429) with `retry-after` and GitHub's secondary-rate-limit message. */
  | { kind: 'secondary-rate-limit'; status?: 403 | 429; retryAfter?: number }
  | { kind: 'server-error'; status?: 500 | 502 | 503 | 504 }
  /** 403 "Resource not accessible by integration", what a token without the permission gets. */
  | { kind: 'forbidden' };

export type Fault = FaultKind & {
  /** How many matching requests get this answer (default 1). */
  times?: number;
  match?: RequestMatch;
};

export interface PendingFault {
  fault: Fault;
  remaining: number;
}

export function matches(
  match: RequestMatch | undefined,
  req: { method: string; path: string; operationId?: string },
): boolean {
  if (!match) return true;
  if (match.method && match.method.toUpperCase() !== req.method.toUpperCase()) return false;
  if (match.operationId && match.operationId !== req.operationId) return false;
  if (typeof match.path === 'string' && match.path !== req.path) return false;
  if (match.path instanceof RegExp && !match.path.test(req.path)) return false;
  return true;
}

const RATE_LIMIT_DOCS = 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api';

/** GitHub's answer for a fault: status, headers and body as api.github.com sends them. */
export function faultReply(fault: FaultKind, docsUrl: string, nowSeconds: number, requestId: string): Reply {
  switch (fault.kind) {
    case 'rate-limit': {
      const status = fault.status ?? 403;
      return {
        status,
        headers: {
          'x-ratelimit-limit': '5000',
          'x-ratelimit-remaining': '0',
          'x-ratelimit-used': '5000',
          'x-ratelimit-reset': String(nowSeconds + (fault.resetInSeconds ?? 1)),
          'x-ratelimit-resource': 'core',
        },
        body: {
          message: `API rate limit exceeded for installation ID 1. If you reach out to GitHub Support for help, please include the request ID ${requestId} and timestamp ${new Date(nowSeconds * 1000).toISOString()}.`,
          documentation_url: `${RATE_LIMIT_DOCS}#about-the-primary-rate-limit`,
          status: String(status),
        },
      };
    }
    case 'secondary-rate-limit': {
      const status = fault.status ?? 403;
      return {
        status,
        headers: { 'retry-after': String(fault.retryAfter ?? 60) },
        body: {
          message: `You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID ${requestId}.`,
          documentation_url: `${RATE_LIMIT_DOCS}#about-secondary-rate-limits`,
          status: String(status),
        },
      };
    }
    case 'server-error': {
      const status = fault.status ?? 502;
      return { status, body: { message: 'Server Error', status: String(status) } };
    }
    case 'forbidden':
      return {
        status: 403,
        body: {
          message: 'Resource not accessible by integration',
          documentation_url: docsUrl,
          status: '403',
        },
      };
  }
}
