/** One entry of a GitHub "Validation Failed" body. */
export interface ValidationErrorItem {
  resource: string;
  field: string;
  code: 'missing' | 'missing_field' | 'invalid' | 'already_exists' | 'unprocessable' | 'custom';
  message?: string;
}

const GENERIC_DOCS = 'https://docs.github.com/rest';

/**
 * An answer that is not a success, with the body GitHub gives for it. `violation` marks answers the
 * real API gives only to requests a correct client would not send (a duplicate asset name, a body past
 * GitHub's size limit); "not found" and conflicts of state are ordinary answers, not violations.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
    readonly violation: boolean,
  ) {
    super(String(body.message));
  }
}

/** GitHub's 404 body, also what it answers for paths and methods it does not have. */
export function notFoundBody(docsUrl = GENERIC_DOCS): Record<string, unknown> {
  return { message: 'Not Found', documentation_url: docsUrl, status: '404' };
}

export const notFound = (docsUrl?: string): ApiError => new ApiError(404, notFoundBody(docsUrl), false);

export function validationFailedBody(
  docsUrl: string,
  errors: ValidationErrorItem[],
): Record<string, unknown> {
  return { message: 'Validation Failed', errors, documentation_url: docsUrl, status: '422' };
}

export const validationFailed = (docsUrl: string, errors: ValidationErrorItem[]): ApiError =>
  new ApiError(422, validationFailedBody(docsUrl, errors), true);

/** A 422 with a plain message, as GitHub answers e.g. "No commit found for SHA: x". */
export const unprocessable = (docsUrl: string, message: string): ApiError =>
  new ApiError(422, { message, documentation_url: docsUrl, status: '422' }, true);

export function messageBody(
  status: number,
  message: string,
  docsUrl = GENERIC_DOCS,
): Record<string, unknown> {
  return { message, documentation_url: docsUrl, status: String(status) };
}
