import { explainingErrors, UserError } from '@mlactions/core';

/** GitHub's answer when the job's token lacks a permission (or is the read-only token of a fork PR). */
const NOT_ACCESSIBLE = /resource not accessible by integration/i;

/** True when GitHub refused a request because the token lacks a permission. */
export function isPermissionDenied(error: unknown): boolean {
  const e = error as { status?: number; message?: string };
  return e?.status === 403 && NOT_ACCESSIBLE.test(e.message ?? '');
}

/**
 * Runs one GitHub call; a permission refusal becomes one clear error that names the `permissions:`
 * entry the workflow needs, instead of Octokit's bare 403.
 */
export function withPermission<T>(what: string, permission: string, call: () => Promise<T>): Promise<T> {
  return explainingErrors(call, (error) =>
    isPermissionDenied(error)
      ? new UserError(
          `GitHub refused to ${what}: the token lacks the permission. Add \`permissions: { ${permission} }\` ` +
            'to the job (a pull request from a fork gets a read-only token whatever the workflow asks; see the README on forks).',
        )
      : error,
  );
}
