/**
 * An error the user can fix: a missing file, a malformed line, a missing permission. Fronts (the
 * CLI and the actions) print its message alone, with no stack trace, and exit non-zero.
 */
export class UserError extends Error {
  override readonly name = 'UserError';
}

/** True for errors whose message is meant for the user as it is. */
export function isUserError(error: unknown): error is UserError {
  return error instanceof Error && error.name === 'UserError';
}
