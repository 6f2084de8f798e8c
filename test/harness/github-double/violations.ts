import type { RequestProblem } from './openapi.ts';

/**
 * A request the real API would have refused, or an answer of the double that its own description
 * does not allow:
 * - `unknown-route`: no such path, or not with this method (or sent to the wrong host);
 * - `invalid-request`: parameters, headers or body break the operation's schema, or bad JSON;
 * - `unauthenticated`: no token, or not the token the double was started with;
 * - `rejected`: well-formed but refused by GitHub's rules (a duplicate asset name, a body too long);
 * - `unimplemented`: a real operation the double does not serve (answered 501);
 * - `response-schema`: the double's answer breaks the response schema (a bug of the double);
 * - `double-error`: the double itself threw (a bug of the double), answered 500.
 */
export type ViolationKind =
  | 'unknown-route'
  | 'invalid-request'
  | 'unauthenticated'
  | 'rejected'
  | 'unimplemented'
  | 'response-schema'
  | 'double-error';

export interface Violation {
  kind: ViolationKind;
  method: string;
  /** Path and query as sent. */
  url: string;
  operationId?: string;
  /** The status the double answered with. */
  status: number;
  message: string;
  problems?: RequestProblem[];
}

/** Which violations `expectViolation` acknowledges; every given field must match. */
export interface ViolationMatch {
  kind?: ViolationKind;
  method?: string;
  operationId?: string;
  status?: number;
  /** Tested against the path-and-query. */
  url?: string | RegExp;
  /** Tested against the message. */
  message?: string | RegExp;
}

export const describeViolation = (v: Violation): string =>
  `${v.method} ${v.url} → ${v.status} ${v.kind}${v.operationId ? ` (${v.operationId})` : ''}: ${v.message}`;

const test = (pattern: string | RegExp | undefined, text: string): boolean =>
  pattern === undefined || (typeof pattern === 'string' ? text.includes(pattern) : pattern.test(text));

export function violationMatches(match: ViolationMatch, v: Violation): boolean {
  return (
    (match.kind === undefined || match.kind === v.kind) &&
    (match.method === undefined || match.method.toUpperCase() === v.method) &&
    (match.operationId === undefined || match.operationId === v.operationId) &&
    (match.status === undefined || match.status === v.status) &&
    test(match.url, v.url) &&
    test(match.message, v.message)
  );
}

/** The error that fails a test: every unacknowledged violation, one per line. */
export class GitHubDoubleViolationError extends Error {
  constructor(
    readonly violations: Violation[],
    intro = 'The GitHub API double saw requests the real API would refuse',
  ) {
    super(
      `${intro} (acknowledge planted ones with expectViolation or takeViolations):\n${violations.map((v) => `  - ${describeViolation(v)}`).join('\n')}`,
    );
    this.name = 'GitHubDoubleViolationError';
  }
}
