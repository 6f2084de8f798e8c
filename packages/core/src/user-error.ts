/**
 * An error the user can fix: a missing file, a malformed line, a missing permission. Fronts (the
 * CLI and the actions) print its message alone, with no stack trace, and exit non-zero.
 */
export class UserError extends Error {
  override readonly name = 'UserError';
}

/**
 * Runs one call of an outside service (a store's SDK, GitHub's API) and throws, instead of its error,
 * what `explain` makes of it: a UserError naming the fix, or the error itself when there is none.
 */
export async function explainingErrors<T>(
  run: () => Promise<T>,
  explain: (error: unknown) => unknown,
): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw explain(error);
  }
}

/** True for errors whose message is meant for the user as it is. */
export function isUserError(error: unknown): error is UserError {
  return error instanceof Error && error.name === 'UserError';
}
